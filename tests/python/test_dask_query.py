"""salesight.dask.query on a real distributed.LocalCluster (2 worker
processes, many partitions): equal to salesight.query on the whole frame
exactly (assert_frame_equal, check_exact): distinct counts over partitions,
top + others, totals, measure filters, periods, text and integer ids."""
import numpy as np
import pandas as pd
import pytest

import salesight

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import salesight.dask  # noqa: E402


def random_lines(seed, n=600):
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    return pd.DataFrame({
        "Order ID": np.array(["SO-%04d" % i for i in range(n // 4)])[rng.integers(0, n // 4, n)],
        "Customer": np.array(["C%02d" % i for i in range(40)])[rng.integers(0, 40, n)],
        "Order Date": days,
        "Sales": np.round(rng.integers(-3000, 60000, n) / 100.0, 2),
        "Cost": np.round(rng.integers(0, 30000, n) / 100.0, 2),
        "Region": np.array(["East", "West", "华南"])[rng.integers(0, 3, n)],
        "Category": np.array(["Furniture", "Office", "Tech"])[rng.integers(0, 3, n)],
    })


MAP = {"order": "Order ID", "customer": "Customer", "order_date": "Order Date",
       "amount": "Sales", "cost": "Cost"}
CASES = [
    dict(measures=["revenue", "orders", "customers", "aov", "margin_pct"], by=["Region"]),
    dict(measures=["orders", "customers", "lines"], by=["Region", "Category"], grain="month",
         top={"n": 2, "others": True}, totals="subtotals"),
    dict(measures=["revenue", "orders"], by=["customer"], where={"Region": ["East", "华南"]},
         order="-revenue", limit=7),
    dict(measures=["revenue_per_customer", "customers"], grain="quarter",
         range=("2023-09-01", "2024-05-31"), where=[{"member": "customers", "op": "gt",
                                                     "values": [30]}]),
    dict(measures=["revenue", "orders"], grain="month", compare="previous", totals="grand"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_equals_the_single_machine_query(client, case):
    df = random_lines(case)
    kw = dict(CASES[case])
    measures = kw.pop("measures")
    want = salesight.query(salesight.Dataset(df, orders_map=MAP, attributes=["Region", "Category"]),
                           measures, money="minor", **kw)
    got = salesight.dask.query(dd.from_pandas(df, npartitions=7), measures, orders_map=MAP,
                               attributes=["Region", "Category"], money="minor", split_every=3,
                               **kw)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_exact=True, check_dtype=False)


def test_integer_ids_and_an_empty_partition(client):
    df = random_lines(9)
    df["Customer"] = df["Customer"].str[1:].astype(np.int64)
    ddf = dd.from_pandas(df, npartitions=4)
    ddf = dd.concat([ddf, dd.from_pandas(df.iloc[:0], npartitions=1)])
    want = salesight.query(salesight.Dataset(df, orders_map=MAP), ["customers", "orders"],
                           by="customer")
    got = salesight.dask.query(ddf, ["customers", "orders"], by="customer", orders_map=MAP)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_exact=True, check_dtype=False)


def test_what_needs_every_line_is_refused(client):
    ddf = dd.from_pandas(random_lines(3), npartitions=3)
    with pytest.raises(salesight.UnsupportedError, match="new_customers"):
        salesight.dask.query(ddf, ["new_customers"], orders_map=MAP)
