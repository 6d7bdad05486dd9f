"""rfm() on int64 ids and datetime64[ns] dates scans the DataFrame's own
arrays (salesight_table_builder_set_keep_wide): the frames and the errors are
those of the same data as int32 ids and int32 days, and of the narrowing path
(keep_wide off), on many random frames: dense and sparse / negative ids (the
factorize retry), NaT, dates out of range, 1 and 2 threads, empty and one
row."""

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _salesight

NS_PER_DAY = 86_400_000_000_000


def narrowing_build_table(original):
    """_salesight.build_table that never keeps columns wide (today's path)."""
    def build(*args, **kwargs):
        args = list(args)
        if len(args) >= 8:
            args[7] = False
        kwargs.pop("keep_wide", None)
        return original(*args, **kwargs)
    return build


def outcome(call):
    try:
        return "ok", call()
    except salesight.SalesightError as e:
        return "error", (type(e), str(e))


def expect_same(a, b, where):
    assert a[0] == b[0], (where, a, b)
    if a[0] == "error":
        assert a[1] == b[1], where
    else:
        pd.testing.assert_frame_equal(a[1], b[1], check_exact=True, obj=where)


def random_frame(rng, n):
    kind = rng.integers(0, 4)
    if kind == 0:  # dense ids
        ids = rng.integers(0, max(1, n // 3 + 1), n)
    elif kind == 1:  # sparse: the library refuses them, Python factorizes
        ids = rng.integers(0, 1 << 40, n)
    elif kind == 2:  # negative
        ids = rng.integers(-50, 50, n)
    else:
        ids = rng.integers(0, 7, n)
    days = rng.integers(-2000, 20000, n)
    ns = days * NS_PER_DAY + rng.integers(0, NS_PER_DAY, n)
    df = pd.DataFrame({
        "customer": ids.astype(np.int64),
        "order_date": ns.astype("datetime64[ns]"),
        "amount": np.round(rng.integers(-500, 10_000, n) / 100.0, 2),
    })
    bad = rng.integers(0, 8) if n else 7
    if bad == 0:
        df.loc[int(rng.integers(0, n)), "order_date"] = pd.NaT
    elif bad == 1:  # a day in 2250: outside 1900..2199
        values = ns.astype(np.int64)
        values[int(rng.integers(0, n))] = 102_300 * NS_PER_DAY
        df["order_date"] = values.view("datetime64[ns]")
    return df


@pytest.mark.parametrize("seed", range(60))
def test_random_frames(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n = [0, 1, 2, 5, 8192, 8193][seed] if seed < 6 else int(rng.integers(1, 3000))
    df = random_frame(rng, n)
    options = dict(num_threads=int(1 + seed % 2))
    if seed % 3 == 0:
        options.update(frequency="days", window_days=400, as_of="2010-06-30")
    if seed % 5 == 0:
        options.update(output="detail")
    wide = outcome(lambda: salesight.rfm(df, **options))
    with monkeypatch.context() as m:
        m.setattr(_salesight, "build_table", narrowing_build_table(_salesight.build_table))
        narrow = outcome(lambda: salesight.rfm(df, **options))
    expect_same(wide, narrow, "seed %d" % seed)
    # The same data as int32 ids and int32 days, where they fit.
    if wide[0] == "ok" and n and df["customer"].between(0, 2**31 - 2).all():
        days = df["order_date"].to_numpy().view(np.int64) // NS_PER_DAY
        as_int32 = pd.DataFrame({"customer": df["customer"].astype(np.int32),
                                 "order_date": days.astype(np.int32),
                                 "amount": df["amount"]})
        narrow32 = outcome(lambda: salesight.rfm(as_int32, **options))
        if narrow32[0] == "ok":  # ids come back in the caller's dtype
            narrow32[1]["customer"] = narrow32[1]["customer"].astype(np.int64)
        expect_same(wide, narrow32, "seed %d int32" % seed)


def test_keep_wide_is_used_and_errors_name_the_row():
    n = 20_000
    df = pd.DataFrame({
        "customer": np.arange(n, dtype=np.int64) % 977,
        "order_date": (np.arange(n, dtype=np.int64) % 3000 * NS_PER_DAY + 123)
        .astype("datetime64[ns]"),
        "amount": np.ones(n),
    })
    r = salesight.rfm(df)
    assert len(r) == 977
    bad = df.copy()
    bad.loc[12_345, "order_date"] = pd.NaT
    with pytest.raises(salesight.SalesightError, match="12345"):
        salesight.rfm(bad)


def test_by_and_clv_on_int64_and_ns_as_before(monkeypatch):
    """by= and CLV do not keep the columns wide: the same frames or errors."""
    rng = np.random.default_rng(7)
    n = 3000
    df = pd.DataFrame({
        "customer": rng.integers(0, 300, n).astype(np.int64),
        "order_date": ((15000 + np.sort(rng.integers(0, 700, n))) * NS_PER_DAY)
        .astype("datetime64[ns]"),
        "amount": rng.integers(1, 1000, n).astype(float),
        "region": rng.choice(["north", "south"], n),
    })
    for kwargs in (dict(by="region"), dict(clv_model="bgnbd"), dict(output="new_returning")):
        wide = outcome(lambda: salesight.rfm(df, **kwargs))
        with monkeypatch.context() as m:
            m.setattr(_salesight, "build_table", narrowing_build_table(_salesight.build_table))
            narrow = outcome(lambda: salesight.rfm(df, **kwargs))
        expect_same(wide, narrow, str(kwargs))
    assert set(salesight.rfm(df, by="region")["region"]) == {"north", "south"}
