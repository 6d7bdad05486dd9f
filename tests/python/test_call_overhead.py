"""The per-call shortcuts of the pandas layer (issue 19, Python latency): the
declared-option conversion is cached, result categoricals share one dtype per
label list, and result columns are renamed in place. Each must give exactly
what the uncached / copying path gives."""
import random

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _declared, _frame

SEEDS = 300  # random cases per test: well under a second


def _orders(rng, n=60):
    return pd.DataFrame({
        "customer": rng.integers(0, 12, n).astype(np.int64),
        "order_date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n),
                                                                     unit="D"),
        "amount": rng.integers(-500, 50_000, n).astype(np.int64),
        "region": rng.choice(["north", "south", None], n),
    })


def _candidates(o, r):
    """Values an option may be given: right and wrong kinds, edge numbers."""
    out = [None, True, False, 0, 1, -1, 2**40, 0.5, 3.0, float("nan"), "", "x", np.int64(2),
           np.float64(1.5), np.bool_(True), "2024-09-30", (1, 2), ["a", "b"]]
    if o["type"] == "choice":
        out += o["allowed"].split("|") + [c.replace("_", "-") for c in o["allowed"].split("|")]
    for bound in (o.get("min"), o.get("max")):
        if isinstance(bound, (int, float)) and abs(bound) < 2**53:
            out += [bound, bound - 1, bound + 1]
    return r.choice(out)


def _outcome(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 -- whatever it is, both paths must agree
        return ("error", type(e), str(e))
    if isinstance(value, np.ndarray):
        return ("array", value.dtype, value.tolist())
    return ("value", type(value), value)


@pytest.mark.parametrize("calculator", sorted(c for c, o in _declared.DECLARED.items() if o))
def test_cached_conversion_equals_the_plain_one(calculator):
    r = random.Random(calculator)
    declared = _declared.DECLARED[calculator]
    for _ in range(SEEDS):
        o = r.choice(declared)
        value = _candidates(o, r)
        want = _outcome(lambda: _declared.convert(calculator, o, value, _frame._day))
        for _ in range(2):  # the second one is the cache's answer
            got = _outcome(lambda: _declared.convert_cached(calculator, o, value, _frame._day))
            assert repr(got) == repr(want), (calculator, o["name"], value)


def test_bool_and_int_are_not_one_cache_entry():
    df = _orders(np.random.default_rng(1))
    salesight.rfm(df, k=1 + 4)  # caches k=5
    with pytest.raises(salesight.InvalidArgumentError, match=r"rfm\(k=True\)"):
        salesight.rfm(df, k=True)
    salesight.rfm(df, all_lines_are_purchases=True)
    with pytest.raises(salesight.InvalidArgumentError, match="must be True or False"):
        salesight.rfm(df, all_lines_are_purchases=2)


def test_errors_are_raised_every_time():
    df = _orders(np.random.default_rng(2))
    for _ in range(3):
        with pytest.raises(salesight.InvalidArgumentError, match=r"rfm\(k=0\)"):
            salesight.rfm(df, k=0)


def test_the_cache_stays_bounded():
    o = next(o for o in _declared.DECLARED["margin"] if o["type"] == "int")
    for _ in range(_declared._CONVERTED_MAX + 10):
        # NaN equals nothing, so each one is a new entry
        with pytest.raises(salesight.InvalidArgumentError):
            _declared.convert_cached("margin", o, float("nan"), _frame._day)
    for i in range(_declared._CONVERTED_MAX + 10):
        _declared.convert_cached("margin", o, float(i % 7), _frame._day)
    assert len(_declared._CONVERTED) <= _declared._CONVERTED_MAX


def test_segment_categoricals_share_a_dtype_and_stay_independent():
    rng = np.random.default_rng(3)
    a = salesight.rfm(_orders(rng), segments="classic")
    b = salesight.rfm(_orders(rng), segments="classic")
    labels = list(a["segment"].cat.categories)
    assert tuple(labels) in _frame._CATEGORIES and b["segment"].dtype == a["segment"].dtype
    a["segment"] = a["segment"].cat.add_categories(["extra"])
    assert list(b["segment"].cat.categories) == labels
    # the values are the library's labels, as without the cache
    for seed in range(20):
        df = _orders(np.random.default_rng(100 + seed))
        got = salesight.rfm(df, segments="classic")
        _frame._CATEGORIES.clear()  # the uncached path: a fresh dtype
        fresh = salesight.rfm(df, segments="classic")
        pd.testing.assert_frame_equal(got, fresh)


def test_renamed_is_in_place_and_skips_identity():
    frame = pd.DataFrame({"a": [1], "b": [2]})
    assert _frame._renamed(frame, {}) is frame
    assert _frame._renamed(frame, {"a": "a"}) is frame
    assert list(frame.columns) == ["a", "b"]
    out = _frame._renamed(frame, {"a": "Region", "b": "b"})
    assert out is frame and list(frame.columns) == ["Region", "b"]


def test_group_columns_come_back_under_the_callers_names():
    """The renames the functions make (an attribute grouped under the
    caller's column name): the same frames as DataFrame.rename made."""
    for seed in range(20):
        df = _orders(np.random.default_rng(200 + seed)).rename(columns={"region": "Area"})
        funnel_df = pd.DataFrame({
            "lead_date": df["order_date"], "won_date": df["order_date"].where(
                df["amount"] % 2 == 0), "Area": df["Area"]})
        f = salesight.funnel(funnel_df, ["lead_date", "won_date"], by="Area")
        assert f.columns[0] == "Area"
        m = salesight.margin(df, by="Area", cost=None)
        assert m.columns[0] == "Area"
        want = (df.assign(Area=df["Area"].fillna(salesight.MISSING))
                .groupby("Area")["amount"].sum())
        got = m.set_index("Area")["revenue"] * 100
        assert (got.round().astype(np.int64).sort_index()
                == want.astype(np.int64).sort_index()).all()


def test_unpaid_invoices_read_alike_in_every_paid_dtype():
    """paid NaN / NA = 0 (with paid_date NaT): float64 with NaN, Int64 with
    NA and int64 with 0 give one result (the int64 column skips the NaN scan)."""
    for seed in range(20):
        rng = np.random.default_rng(300 + seed)
        n = 30
        amount = rng.integers(100, 10_000, n).astype(np.int64)
        unpaid = rng.random(n) < 0.4
        paid = np.where(unpaid, 0, rng.integers(0, 100, n) * amount // 100)
        base = pd.DataFrame({
            "invoice": np.arange(n, dtype=np.int64),
            "customer": rng.integers(0, 5, n).astype(np.int64),
            "invoice_date": pd.to_datetime("2024-01-01") + pd.to_timedelta(
                rng.integers(0, 90, n), unit="D"),
            "amount": amount,
        })
        base["due_date"] = base["invoice_date"] + pd.Timedelta(days=30)
        base["paid_date"] = (base["invoice_date"] + pd.Timedelta(days=10)).where(~unpaid)
        frames = []
        for column in (pd.Series(paid, dtype=np.int64),
                       # float64 money is in currency units, int64 in cents
                       pd.Series(np.where(unpaid, np.nan, paid / 100), dtype=np.float64),
                       pd.Series(pd.array(np.where(unpaid, None, paid), dtype="Int64"))):
            frames.append(salesight.aging(base.assign(paid=column), as_of="2024-06-30",
                                          money="minor"))
        for other in frames[1:]:
            pd.testing.assert_frame_equal(frames[0], other)
        # brute force: outstanding per customer = amount - paid (paid 0 when unpaid)
        want = (base.assign(open=amount - paid).groupby("customer")["open"].sum())
        got = frames[0].set_index("customer")["total"]
        assert set(want[want != 0].index) <= set(got.index)
        assert (got == want.reindex(got.index)).all()
