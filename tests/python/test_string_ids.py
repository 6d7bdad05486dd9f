"""Text customer ids reach the library as its own interned codes
(salesight_interned_create via _salesight.intern_strings) instead of
pd.factorize, int64 ids and datetime64[ns] dates as the caller's arrays: the
results equal a reference that factorizes explicitly (pd.factorize, codes in
the library's canonical order) and passes int64 codes."""

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _frame, _salesight

POOL = ["C-%d" % i for i in range(40)] + ["\u534e\u4e1c-7", "", "b", "B", "a b", "C-1 "]
INTEGER_POOL = ["7", "007", "-3", "10", "9", "0"]


def first_appearance(values):
    """Codes (-1 = None / NaN) and labels, numbered as a plain loop meets them."""
    ids, codes = {}, []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            codes.append(-1)
            continue
        codes.append(ids.setdefault(v, len(ids)))
    return codes, list(ids)


@pytest.mark.parametrize("seed", range(40))
def test_intern_strings_numbers_codes_in_first_appearance_order(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    pool = POOL + [None, float("nan")]
    values = np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=object)
    interned = _salesight.intern_strings(values, num_threads=int(rng.integers(0, 3)))
    codes, labels = first_appearance(values)
    assert interned.codes.dtype == np.int32
    assert interned.codes.tolist() == codes
    assert interned.labels() == labels
    assert interned.first_null == (codes.index(-1) if -1 in codes else -1)
    assert not interned.codes.flags.writeable


def test_intern_strings_leaves_non_text_to_pandas():
    assert _salesight.intern_strings(np.array(["a", 1], dtype=object)) is None
    assert _salesight.intern_strings(np.array(["a", "\ud800"], dtype=object)) is None
    with pytest.raises(salesight.InvalidArgumentError, match="row 1: a NUL byte"):
        _salesight.intern_strings(np.array(["a", "b\0c"], dtype=object))


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("nullable", [True, False])
def test_library_factorize_equals_pandas_factorize(seed, nullable):
    """_factorize with num_threads (the library's interning, canonical order)
    against the pandas path, missing members included: same codes, same
    uniques, same error."""
    rng = np.random.default_rng(seed)
    pool = (POOL if seed % 2 else INTEGER_POOL) + ["", None, np.nan][:1 + seed % 3]
    n = int(rng.integers(0, 200))
    series = pd.Series([pool[i] for i in rng.integers(0, len(pool), n)], dtype=object,
                       name="col")
    if seed % 5 == 0:
        series = series.astype("string")

    def run(**kw):
        try:
            codes, uniques = _frame._factorize(series, "group", nullable, **kw)
            return np.asarray(codes, dtype=np.int64).tolist(), list(uniques), str(uniques.dtype)
        except salesight.InvalidArgumentError as e:
            return str(e)

    assert run(num_threads=int(rng.integers(0, 3))) == run()


def canonical_key(labels):
    """The library's code order (dictionary.hpp): by value when every code is
    an integer, spellings of one value by their text; else by code point."""
    if labels and all(l.lstrip("-").isdigit() and l.count("-") <= l[:1].count("-")
                      for l in labels):
        return lambda l: (int(l), l)
    return lambda l: l


def reference_rfm(df, **kw):
    """rfm with the customer ids factorized here and passed as int64 codes in
    canonical order, mapped back to the text after."""
    codes, uniques = pd.factorize(df["customer"].astype(object), sort=False)
    assert (codes >= 0).all()
    labels = [str(u) for u in uniques]
    order = sorted(range(len(labels)), key=lambda i: canonical_key(labels)(labels[i]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    coded = df.assign(customer=rank[codes])
    out = salesight.rfm(coded, **kw)
    if "customer" in out.columns:
        back = np.array([labels[i] for i in order], dtype=object)
        out["customer"] = back[out["customer"].to_numpy()]
    return out


def random_orders(seed, pool, n):
    rng = np.random.default_rng(seed)
    days = rng.integers(19000, 19400, n)
    return pd.DataFrame({
        "order": rng.integers(1, n // 2 + 2, n),
        "customer": np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=object),
        "order_date": (days * 86_400_000_000_000).astype("datetime64[ns]"),
        "amount": rng.integers(-500, 50_000, n) / 100.0,
    })


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("pool", [POOL, INTEGER_POOL], ids=["text", "integer_text"])
def test_rfm_with_text_ids_equals_the_factorized_reference(seed, pool):
    df = random_orders(seed, pool, 50 + 37 * seed)
    for kw in (dict(), dict(scoring="ntile", k=4), dict(output="detail", num_threads=2)):
        got = salesight.rfm(df, order="order", **kw)
        want = reference_rfm(df, order="order", **kw)
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("dtype", ["string", "category"])
def test_rfm_with_pandas_string_and_category_ids(dtype):
    df = random_orders(7, POOL, 400)
    typed = df.assign(customer=df["customer"].astype(dtype))
    got = salesight.rfm(typed, order="order", scoring="ntile")
    want = reference_rfm(df, order="order", scoring="ntile")
    assert str(got["customer"].dtype) == dtype
    pd.testing.assert_frame_equal(got.assign(customer=got["customer"].astype(object)), want)


@pytest.mark.parametrize("missing", [None, np.nan])
@pytest.mark.parametrize("dtype", [object, "string"])
def test_missing_text_id_names_the_column_and_row(missing, dtype):
    df = random_orders(3, POOL, 30).set_index(np.arange(100, 130))
    customers = df["customer"].to_numpy().copy()
    customers[17] = missing
    df = df.assign(Kunde=pd.Series(customers, index=df.index).astype(dtype))
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"customer column 'Kunde' row 17 \(index 117\) is missing"):
        salesight.rfm(df, customer="Kunde")


def test_int64_ids_and_ns_dates_pass_without_a_copy():
    df = random_orders(5, POOL, 100)
    df["customer"] = pd.factorize(df["customer"])[0].astype(np.int64) * 3
    codes = _frame._Codes(df["customer"], "customer", num_threads=2)
    assert codes.uniques is None and np.shares_memory(codes.ids, df["customer"].to_numpy())
    code, days, _ = _frame._date_column(df["order_date"], "date")
    assert code == _frame._TIMESTAMP_NS
    assert np.shares_memory(days, df["order_date"].to_numpy())


def test_tz_aware_dates_count_in_their_own_time_zone():
    df = random_orders(11, POOL, 200)
    # 23:30 local time in Shanghai is 15:30 UTC: the local day counts
    local = df["order_date"] + pd.Timedelta(hours=23, minutes=30)
    aware = df.assign(order_date=local.dt.tz_localize("Asia/Shanghai"))
    pd.testing.assert_frame_equal(salesight.rfm(aware), salesight.rfm(df))


def test_rfm_with_text_ids_does_not_factorize_in_pandas(monkeypatch):
    df = random_orders(2, POOL, 100)
    want = salesight.rfm(df)

    def factorize(*args, **kwargs):
        raise AssertionError("pd.factorize called")

    monkeypatch.setattr(_frame.pd, "factorize", factorize)
    pd.testing.assert_frame_equal(salesight.rfm(df), want)
