"""The per-call cuts of the pandas layer at 10^5+ lines (issue 19 item 7,
Python at 5x DuckDB), each against the plain path on random DataFrames:

* ``outputs=`` of funnel, margin, aging / collection and trend: several
  outputs from one table build must equal the separate calls, one per output,
  frame for frame (values, dtypes, attrs), errors included;
* int8 / int16 / uint8 / uint16 code columns go to the library as int32 ids
  (checked there, factorized when it refuses them): the same groups as the
  column widened to int64;
* the shared read-only filler columns (row numbers, zeros)."""
import warnings

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _fillers

SEEDS = 25
STAGES = ["lead", "quote", "won"]


def _codes(rng, n, kind, k, missing=False):
    """n codes of k values as `kind`: a numpy int dtype or "str"."""
    v = rng.integers(0, k, n)
    if kind == "str":
        out = np.array(["c%02d" % x for x in v], dtype=object)
        if missing:
            out[rng.random(n) < 0.1] = None
        return out
    return v.astype(kind)


def _dates(rng, n, nat=False):
    d = pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    d = d.to_numpy()
    if nat:
        d[rng.random(n) < 0.3] = np.datetime64("NaT")
    return d


def _money(rng, n, as_float, low=-500):
    cents = rng.integers(low, 90_000, n)
    return cents / 100.0 if as_float else cents.astype(np.int64)


def orders(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    kinds = [np.int8, np.int16, np.int32, np.int64, "str"]
    return pd.DataFrame({
        "customer": _codes(rng, n, kinds[int(rng.integers(0, 5))], 30),
        "product": _codes(rng, n, kinds[int(rng.integers(0, 5))], 12),
        "region": _codes(rng, n, kinds[int(rng.integers(0, 5))], 4, missing=True),
        "origin": rng.choice([3.0, 1.0, np.nan], n),  # an attribute column
        "order_date": _dates(rng, n),
        "amount": _money(rng, n, bool(rng.integers(0, 2))),
        "unit_cost": _money(rng, n, bool(rng.integers(0, 2)), low=0) // 10,
        "quantity": rng.integers(1, 9, n).astype(rng.choice([np.int32, np.int64])),
    })


def pipeline(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    kinds = [np.int8, np.int16, np.int64, "str"]
    df = pd.DataFrame({"region": _codes(rng, n, kinds[int(rng.integers(0, 4))], 4, missing=True),
                       "created_date": _dates(rng, n)})
    for s in STAGES:
        df[s + "_date"] = _dates(rng, n, nat=True)
    return df


def invoices(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    kinds = [np.int16, np.int32, np.int64, "str"]
    issued = _dates(rng, n)
    paid = rng.random(n) < 0.6
    amount = _money(rng, n, False, low=100)
    paid_date = (issued + rng.integers(0, 120, n).astype("timedelta64[D]")).astype(
        "datetime64[ns]")
    paid_date[~paid] = np.datetime64("NaT")
    return pd.DataFrame({
        "invoice": np.arange(n, dtype=np.int64) * 7 + 3,
        "customer": _codes(rng, n, kinds[int(rng.integers(0, 4))], 25),
        "salesperson": _codes(rng, n, kinds[int(rng.integers(0, 4))], 5,
                              missing=bool(rng.integers(0, 2))),
        "invoice_date": issued,
        "due_date": issued + np.timedelta64(30, "D"),
        "amount": amount,
        "paid": np.where(paid, amount - rng.integers(0, 2, n) * 50, 0).astype(np.int64),
        "paid_date": paid_date,
    })


def outcome(fn):
    """A call's frame(s), or its error (type and message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 -- both paths must fail the same way
            return ("error", type(e), str(e))


def assert_same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and got == want, (got, want)
        return
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs.keys() == want.attrs.keys()
    for key in want.attrs:
        assert repr(got.attrs[key]) == repr(want.attrs[key]), key


def check_outputs(function, data, call, per_output, allow_errors=False):
    """function(data, outputs=..., **call) against one call per output: the
    outputs that succeed alone, together, frame for frame; with a failing
    one among them (only where allow_errors) the call fails as the first
    failing output does."""
    want = {name: outcome(lambda k=k: function(data, **dict(call, **k)))
            for name, k in per_output.items()}
    ok = {name: k for name, k in per_output.items() if not isinstance(want[name], tuple)}
    assert allow_errors or len(ok) == len(per_output), want
    if ok:
        got = outcome(lambda: function(data, outputs=ok, **call))
        assert not isinstance(got, tuple), got
        assert list(got) == list(ok)
        for name in ok:
            assert_same(got[name], want[name])
    failing = [want[name] for name in per_output if name not in ok]
    if failing:
        got = outcome(lambda: function(data, outputs=per_output, **call))
        assert isinstance(got, tuple) and got[1] is failing[0][1], (got, failing[0])
    return len(ok)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("seed", range(SEEDS))
def test_funnel_outputs_equal_separate_calls(seed, threads):
    df = pipeline(seed)
    rng = np.random.default_rng(seed)
    call = dict(stages=[s + "_date" for s in STAGES], created="created_date",
                by=[["region"], None, ["region"]][seed % 3], num_threads=threads)
    per_output = {"overall": {"output": "workload_overall"},
                  "group": {"output": "workload_group"},
                  "table": {},
                  "monthly": {"period": "month", "start": "2022-03-01"},
                  "detailed": {"output": "detailed", "implied_reached": bool(rng.integers(0, 2))}}
    # the workload outputs group by region: an error without it
    check_outputs(lambda d, **k: salesight.funnel(d, k.pop("stages"), **k), df, call,
                  per_output, allow_errors=call["by"] is None)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("seed", range(SEEDS))
def test_margin_outputs_equal_separate_calls(seed, threads):
    df = orders(seed)
    rng = np.random.default_rng(seed)
    call = dict(unit_cost="unit_cost", quantity="quantity", date="order_date",
                money=["minor", "float"][seed % 2], num_threads=threads)
    pool = ["product", "region", "customer", "origin", "month"]  # one period at most
    per_output = {
        "product": {"by": "product"},
        "top": {"by": "product", "output": "ranking", "top": int(rng.integers(1, 30)),
                "rank_by": "margin"},
        "mix": {"by": list(rng.choice(pool, int(rng.integers(1, 3)), replace=False))},
        "abc": {"by": ["region"], "abc": "revenue", "start": "2022-06-01"},
        "none": {"by": None},
    }
    check_outputs(salesight.margin, df, call, per_output)


def test_margin_by_product_is_the_same_with_and_without_date():
    """The harness's margin call gives date= to every output (the region x
    month one needs it): by product without a date filter it changes
    nothing."""
    for seed in range(SEEDS):
        df = orders(seed)
        for kw in ({}, {"output": "ranking", "top": 20}):
            a = outcome(lambda: salesight.margin(df, by="product", unit_cost="unit_cost",
                                                 quantity="quantity", money="minor", **kw))
            b = outcome(lambda: salesight.margin(df, by="product", unit_cost="unit_cost",
                                                 quantity="quantity", money="minor",
                                                 date="order_date", **kw))
            assert_same(a, b)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("seed", range(SEEDS))
def test_aging_outputs_equal_separate_calls(seed, threads):
    df = invoices(seed)
    rng = np.random.default_rng(seed)
    call = dict(as_of="2023-06-30", money=["minor", "float"][seed % 2], num_threads=threads)
    per_output = {
        "aging": {},
        "rate": {"output": "collection", "by": "salesperson", "rate_only": True},
        "collection": {"output": "collection", "start": "2022-06-01"},
        "overdue": {"output": "overdue", "top": int(rng.integers(1, 20))},
        "issues": {"output": "issues"},
        "total": {"by": None, "cutoffs": [0, 15, 45]},
    }
    check_outputs(salesight.aging, df, call, per_output)
    # collection() is aging(output="collection"): its outputs= too
    check_outputs(lambda d, **k: salesight.collection(d, **k), df, call,
                  {"a": {}, "b": {"rate_only": True}, "c": {"by": None}})


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("seed", range(SEEDS))
def test_trend_outputs_equal_separate_calls(seed, threads):
    df = orders(seed)
    call = dict(compare="last-year", empty_periods=False, with_margin=False,
                count_orders=False, money="minor", num_threads=threads,
                by=[None, "region"][seed % 2])
    per_output = {"month": {"grain": "month"}, "week": {"grain": "week"},
                  "quarter": {"grain": "quarter", "compare": "previous",
                              "empty_periods": True},
                  "to_date": {"output": "to_date", "as_of": "2023-05-31"}}
    check_outputs(salesight.trend, df, call, per_output)


def test_outputs_errors():
    df = orders(1)
    with pytest.raises(salesight.InvalidArgumentError, match="not a non-empty dict"):
        salesight.margin(df, outputs={})
    with pytest.raises(salesight.InvalidArgumentError, match="not a non-empty dict"):
        salesight.trend(df, outputs=[{"grain": "week"}])
    with pytest.raises(salesight.InvalidArgumentError, match="is not a dict of keywords"):
        salesight.trend(df, outputs={"w": "week"})
    with pytest.raises(salesight.InvalidArgumentError, match="'amount'.*share"):
        salesight.margin(df, outputs={"a": {"amount": "unit_cost"}})
    with pytest.raises(salesight.InvalidArgumentError, match="'by'.*share"):
        salesight.trend(df, outputs={"a": {"by": "region"}})
    inv = invoices(1)
    with pytest.raises(salesight.InvalidArgumentError, match="'money'.*share"):
        salesight.aging(inv, as_of="2023-01-01", outputs={"a": {"money": "minor"}})
    # an output's bad option fails as its own call does
    want = outcome(lambda: salesight.aging(inv, as_of="2023-01-01", output="nope"))
    got = outcome(lambda: salesight.aging(inv, as_of="2023-01-01",
                                          outputs={"a": {}, "b": {"output": "nope"}}))
    assert got == want
    for seed in range(SEEDS):
        check_outputs(salesight.trend, orders(seed), {"money": "minor"},
                      {"a": {}, "b": {"grain": "fortnight"}, "c": {"output": "to_date"}},
                      allow_errors=True)
    # a period without date=, in any output
    with pytest.raises(salesight.InvalidArgumentError, match="period needs date"):
        salesight.margin(df, outputs={"a": {}, "b": {"by": ["month"]}})


def test_outputs_hand_computed():
    df = pd.DataFrame({"product": np.array([2, 1, 2], dtype=np.int8),
                       "region": ["n", "s", "n"],
                       "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-02-03"]),
                       "amount": np.array([1000, 500, 250], dtype=np.int64),
                       "cost": np.array([400, 100, 50], dtype=np.int64)})
    got = salesight.margin(df, cost="cost", date="order_date", money="minor",
                           outputs={"p": {"by": "product"}, "m": {"by": ["region", "month"]}})
    assert got["p"]["product"].tolist() == [1, 2]
    assert got["p"]["product"].dtype == np.int8
    assert got["p"]["revenue"].tolist() == [500, 1250]
    assert got["p"]["margin"].tolist() == [400, 800]
    assert got["m"]["region"].tolist() == ["n", "n", "s"]
    assert got["m"]["revenue"].tolist() == [1000, 250, 500]


# ------------------------------------------------------------ small int codes

@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint8, np.uint16])
def test_small_int_codes_equal_int64(dtype):
    """Dense, negative and sparse codes (the library refuses the last two as
    ids: factorized then) give the groups of the same column as int64."""
    info = np.iinfo(dtype)
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        df = orders(seed).drop(columns=["region"])
        n = len(df)
        shape = seed % 3
        if shape == 0:
            values = rng.integers(0, min(6, info.max), n)
        elif shape == 1:
            values = rng.integers(max(info.min, -5), 6, n)
        else:
            values = rng.choice([0, int(info.max) // 2, int(info.max)], n)
        small = df.assign(region=values.astype(dtype))
        wide = df.assign(region=values.astype(np.int64))
        for fn in (lambda d: salesight.margin(d, by=["region"], unit_cost="unit_cost",
                                              quantity="quantity", money="minor"),
                   lambda d: salesight.trend(d, by="region", money="minor"),
                   lambda d: salesight.funnel(d.assign(created=d["order_date"]),
                                              ["created"], by=["region"]),
                   lambda d: salesight.aging(
                       d.assign(invoice=np.arange(n), invoice_date=d["order_date"],
                                due_date=d["order_date"], customer=d["customer"],
                                amount=np.abs(d["amount"]) + 1, salesperson=d["region"]),
                       as_of="2023-01-01", output="collection", money="minor")):
            a, b = outcome(lambda: fn(small)), outcome(lambda: fn(wide))
            if isinstance(b, tuple):
                assert a == b
                continue
            key = "region" if "region" in b.columns else "salesperson"
            if key in b.columns:
                assert a[key].astype(np.int64).tolist() == b[key].astype(np.int64).tolist()
                a, b = a.drop(columns=[key]), b.drop(columns=[key])
            assert_same(a, b)


# ------------------------------------------------------------------- fillers

def test_fillers_are_shared_read_only_and_right():
    lengths = [0, 1, 5, 1000, 5, 7, 1000, 3]
    for n in lengths:
        rows, zeros = _fillers.row_numbers(n), _fillers.zeros_int32(n)
        np.testing.assert_array_equal(rows, np.arange(n, dtype=np.int64))
        np.testing.assert_array_equal(zeros, np.zeros(n, dtype=np.int32))
        assert rows.dtype == np.int64 and zeros.dtype == np.int32
        assert not rows.flags.writeable and not zeros.flags.writeable
        assert _fillers.row_numbers(n) is rows  # the same array while kept
        with pytest.raises(ValueError):
            rows[:1] = 5
        kept = [k for k in _fillers._arrays if k[0] == "rows"]
        assert len(kept) <= _fillers._KEEP


def test_results_do_not_depend_on_filler_reuse():
    """A call after calls on other lengths (the kept arrays replaced) gives
    what it gave first."""
    df = orders(3)
    first = salesight.margin(df, by="product", money="minor")
    for seed in range(6):
        salesight.margin(orders(100 + seed), by="product", money="minor")
    assert_same(salesight.margin(df, by="product", money="minor"), first)


def test_fillers_from_several_threads():
    """Calls from several threads (the library releases the GIL) get right
    arrays and never an error from the shared cache."""
    import threading
    errors = []

    def work(seed):
        rng = np.random.default_rng(seed)
        try:
            for _ in range(300):
                n = int(rng.integers(0, 6)) * 1000
                rows, zeros = _fillers.row_numbers(n), _fillers.zeros_int32(n)
                assert len(rows) == n and (n == 0 or rows[-1] == n - 1) and not zeros.any()
        except Exception as e:  # noqa: BLE001 -- reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
