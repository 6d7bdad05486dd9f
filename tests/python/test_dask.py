"""salesight.dask on a real distributed.LocalCluster (2 worker processes, 1
thread each, >= 8 partitions): every result must equal the single-machine
salesight.rfm / funnel / margin result exactly (assert_frame_equal with
check_exact=True: integers, money and ratios bit for bit)."""

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import salesight  # noqa: E402
import salesight.dask as sdask  # noqa: E402

NPART = 8
STAGES = ["lead_date", "opportunity_date", "quote_date", "contract_date", "won_date",
          "paid_date"]


@pytest.fixture(scope="module")
def orders():
    df = salesight.sample(20000)
    # Integer twins of the string codes ("C-000061" -> 61): the other id path.
    for col in ("customer", "product", "region"):
        df[col + "_id"] = pd.factorize(df[col], sort=True)[0].astype(np.int64) * 3
    return df


@pytest.fixture(scope="module")
def pipeline():
    df = salesight.sample(20000, "pipeline")
    df["region_id"] = pd.factorize(df["region"], sort=True)[0].astype(np.int64)
    return df


def equal(got, want):
    assert len(want) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_exact=True)


def task_names(stream):
    out = {}
    for t in stream.data:
        key = t["key"] if isinstance(t["key"], str) else t["key"][0]
        out.setdefault(key.rsplit("-", 1)[0], set()).add(t["worker"])
    return out


def test_rfm_string_ids(client, orders):
    ddf = dd.from_pandas(orders, npartitions=NPART, sort=False)
    assert ddf.npartitions >= NPART
    kw = dict(customer="customer", date="order_date", amount="amount", order="order_id")
    with distributed.get_task_stream(client) as stream:
        got = sdask.rfm(ddf, **kw)
    equal(got, salesight.rfm(orders, **kw))
    # Partials were built and merged on the workers, on both of them.
    names = task_names(stream)
    assert len(names["_rfm_partition"]) == 2
    assert "_merge_step" in names
    # Detail output, explicit as_of, a window (needs the global as_of).
    kw2 = dict(kw, output="detail", as_of=orders.attrs["as_of"])
    equal(sdask.rfm(ddf, **kw2), salesight.rfm(orders, **kw2))
    kw3 = dict(kw, window_days=365)
    equal(sdask.rfm(ddf, **kw3), salesight.rfm(orders, **kw3))


def test_rfm_int_ids_workload_and_lines_as_orders(client, orders):
    ddf = dd.from_pandas(orders, npartitions=NPART + 3, sort=False)
    kw = dict(customer="customer_id", date="order_date", amount="amount", order="order_id",
              as_of=orders.attrs["as_of"], scoring="ntile", segments="workload",
              all_lines_are_purchases=True)
    equal(sdask.rfm(ddf, **kw), salesight.rfm(orders, **kw))
    # Without `order` every line is an order (global row numbers).
    kw = dict(customer="customer_id", date="order_date", amount="amount", money="minor",
              unit_cost="unit_cost", quantity="quantity", monetary="margin")
    equal(sdask.rfm(ddf, **kw), salesight.rfm(orders, **kw))
    for out in ("segments", "pareto"):
        kw = dict(customer="customer", date="order_date", amount="amount", order="order_id",
                  output=out)
        equal(sdask.rfm(ddf, **kw), salesight.rfm(orders, **kw))


def test_rfm_unsorted_partitions_are_sorted_or_refused(client, orders):
    # Partitions in reverse order of order ids: neighbours' ranges overlap.
    chunks = np.array_split(np.arange(len(orders)), NPART)
    shuffled = pd.concat([orders.iloc[c] for c in reversed(chunks)], ignore_index=True)
    parts = [dask.delayed(lambda x: x)(shuffled.iloc[c[0]:c[-1] + 1]) for c in
             np.array_split(np.arange(len(shuffled)), NPART)]
    ddf = dd.from_delayed(parts, meta=shuffled.iloc[:0])
    kw = dict(customer="customer", date="order_date", amount="amount", order="order_id")
    with pytest.raises(salesight.InvalidArgumentError, match="not split by"):
        sdask.rfm(ddf, unsorted="raise", **kw)
    equal(sdask.rfm(ddf, **kw), salesight.rfm(orders, **kw))
    kw = dict(customer="customer", date="order_date", amount="amount", frequency="days")
    equal(sdask.rfm(ddf, **kw), salesight.rfm(orders, **kw))


def test_rfm_empty_partitions(client, orders):
    ddf = dd.from_pandas(orders, npartitions=NPART, sort=False)
    sub = ddf[ddf["order_date"] >= pd.Timestamp("2024-01-01")]  # early partitions empty
    want_df = orders[orders["order_date"] >= pd.Timestamp("2024-01-01")]
    kw = dict(customer="customer", date="order_date", amount="amount", order="order_id")
    equal(sdask.rfm(sub, **kw), salesight.rfm(want_df, **kw))
    equal(sdask.margin(sub, "product", unit_cost="unit_cost", quantity="quantity"),
          salesight.margin(want_df, "product", unit_cost="unit_cost", quantity="quantity"))


def test_funnel(client, pipeline):
    ddf = dd.from_pandas(pipeline, npartitions=NPART, sort=False)
    equal(sdask.funnel(ddf, STAGES, created="created"),
          salesight.funnel(pipeline, STAGES, created="created"))
    kw = dict(created="created", by="region", period="month", amount="amount",
              lost="lost_date")
    equal(sdask.funnel(ddf, STAGES, **kw), salesight.funnel(pipeline, STAGES, **kw))
    kw = dict(created="created", by=["region_id", "salesperson"], period="quarter",
              output="detailed", as_of=pd.Timestamp("2024-09-30"), mode="snapshot")
    equal(sdask.funnel(ddf, STAGES, **kw), salesight.funnel(pipeline, STAGES, **kw))
    kw = dict(created="created", by="source", output="bottlenecks", amount="amount")
    got, want = sdask.funnel(ddf, STAGES, **kw), salesight.funnel(pipeline, STAGES, **kw)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_funnel_by_any_columns(client, pipeline):
    # Group by dimension names, as salesight.funnel: columns that are no
    # pipeline field (text with None, floats with NaN, a name with a space)
    # are attributes whose members span the partitions; a field column too.
    rng = np.random.default_rng(5)
    df = pipeline.copy()
    n = len(df)
    origin = np.array(["Web", "Fair", "华东", None], dtype=object)[rng.integers(0, 4, n)]
    df["origin"] = origin
    tier = rng.integers(1, 12, n).astype(float)
    tier[rng.random(n) < 0.1] = np.nan
    df["tier"] = tier
    df["Sub Category"] = np.array(["b", "a", "c"], dtype=object)[rng.integers(0, 3, n)]
    ddf = dd.from_pandas(df, npartitions=NPART, sort=False)
    for by in ("origin", ["tier"], ["Sub Category", "region", "origin"], ["region_id", "tier"]):
        kw = dict(created="created", by=by, amount="amount", lost="lost_date")
        equal(sdask.funnel(ddf, STAGES, **kw), salesight.funnel(df, STAGES, **kw))
    kw = dict(created="created", by=["origin", "salesperson"], output="detailed")
    equal(sdask.funnel(ddf, STAGES, **kw), salesight.funnel(df, STAGES, **kw))


def test_margin(client, orders):
    ddf = dd.from_pandas(orders, npartitions=NPART, sort=False)
    kw = dict(unit_cost="unit_cost", quantity="quantity")
    equal(sdask.margin(ddf, "product", **kw), salesight.margin(orders, "product", **kw))
    equal(sdask.margin(ddf, ["region_id", "month"], date="order_date", abc="revenue", **kw),
          salesight.margin(orders, ["region_id", "month"], date="order_date", abc="revenue",
                           **kw))
    equal(sdask.margin(ddf, ["customer", "product_id"], money="minor", **kw),
          salesight.margin(orders, ["customer", "product_id"], money="minor", **kw))
    equal(sdask.margin(ddf, "product", output="ranking", top=20, **kw),
          salesight.margin(orders, "product", output="ranking", top=20, **kw))
    equal(sdask.margin(ddf, "region", output="abc", abc="margin", **kw),
          salesight.margin(orders, "region", output="abc", abc="margin", **kw))
    with pytest.raises(salesight.UnsupportedError):
        sdask.margin(ddf, "product", output="quadrant", **kw)


def test_serialized_partials_from_python(orders):
    # The module-level API: partial -> bytes -> partial; garbage -> error.
    from salesight import _salesight
    blob_err = None
    try:
        _salesight.partial_deserialize(b"SLSPART\x00garbage")
    except salesight.InvalidArgumentError as e:
        blob_err = str(e)
    assert blob_err is not None and "byte offset" in blob_err


def test_chosen_money_scale_and_missing_groups(client, orders, pipeline):
    # 4-decimal amounts in one partition only: every partition converts at 4
    o = orders.copy()
    o.loc[o.index[-3], "amount"] = 12.3456
    rng = np.random.default_rng(5)
    o.loc[rng.random(len(o)) < 0.1, "region"] = None
    ddf = dd.from_pandas(o, npartitions=NPART)
    want = salesight.margin(o, by="region", money="minor")
    got = sdask.margin(ddf, by="region", money="minor")
    assert want.attrs["money_scale"] == 4 and salesight.MISSING in set(want["region"])
    equal(got, want)
    equal(sdask.rfm(ddf, customer="customer", date="order_date", amount="amount",
                    order="order_id"),
          salesight.rfm(o, customer="customer", date="order_date", amount="amount",
                        order="order_id"))
    p = pipeline.copy()
    p.loc[rng.random(len(p)) < 0.1, "source"] = np.nan
    pd_funnel = salesight.funnel(p, STAGES, id="opportunity", by="source")
    assert salesight.MISSING in set(pd_funnel["source"])
    equal(sdask.funnel(dd.from_pandas(p, npartitions=NPART), STAGES, id="opportunity",
                       by="source"), pd_funnel)
    bad = o.copy()
    bad.loc[bad.index[5], "amount"] = 1 / 3
    with pytest.raises(salesight.InvalidArgumentError, match=r"0\.3333333333333333"):
        sdask.margin(dd.from_pandas(bad, npartitions=NPART), by="region")
