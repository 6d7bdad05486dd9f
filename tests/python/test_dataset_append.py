"""salesight.Dataset.append (bindings/python/salesight/_dataset.py, through
salesight_dataset_append_table): a query after appending batches equals the
same query on a Dataset made from all the lines at once (rows compared by
their members: customers the dataset had not seen come after the old ones),
and a refused batch leaves the dataset as it was."""
import numpy as np
import pandas as pd
import pytest

import salesight

MAP = {"order": "Order ID", "customer": "Customer", "order_date": "Order Date",
       "amount": "Sales"}


def random_orders(seed, n=300):
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame({
        "Order ID": rng.integers(1, n // 3 + 2, n),
        "Customer": np.array(["C%02d" % i for i in range(40)])[rng.integers(0, 40, n)],
        "Order Date": days,
        "Sales": np.round(rng.integers(-2000, 50000, n) / 100.0, 2),
        "Region": np.array(["East", "West", "华南", ""])[rng.integers(0, 4, n)],
    })


def dataset(df):
    return salesight.Dataset(df, orders_map=MAP, attributes=["Region"])


def by_members(frame, keys):
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("seed", range(4))
def test_query_after_append_equals_the_rebuilt_dataset(seed):
    df = random_orders(seed)
    rng = np.random.default_rng(100 + seed)
    cuts = sorted(rng.integers(0, len(df), 3).tolist())
    ds = dataset(df.iloc[:cuts[0]] if cuts[0] > 0 else df.iloc[:1])
    start = cuts[0] if cuts[0] > 0 else 1
    for end in cuts[1:] + [len(df)]:
        ds.append(df.iloc[start:end])  # some batches empty
        start = end
    rebuilt = dataset(df)
    for measures, by in ((["revenue", "lines", "orders"], ["customer"]),
                         (["revenue", "customers", "new_customers"], ["Region"]),
                         (["revenue", "returning_customers"], [])):
        got = salesight.query(ds, measures, by=by, grain="month", money="minor")
        want = salesight.query(rebuilt, measures, by=by, grain="month", money="minor")
        keys = list(got.columns[:len(by) + 1])
        pd.testing.assert_frame_equal(by_members(got, keys), by_members(want, keys))


def test_new_customers_follow_the_old_ones():
    df = random_orders(7, n=40)
    ds = dataset(df[df["Customer"] > "C10"])
    ds.append(df[df["Customer"] <= "C10"])
    got = salesight.query(ds, ["revenue"], by=["customer"], money="minor")
    old = sorted(df.loc[df["Customer"] > "C10", "Customer"].unique())
    new = sorted(df.loc[df["Customer"] <= "C10", "Customer"].unique())
    assert got["customer"].tolist() == old + new


def test_a_refused_batch_changes_nothing():
    df = random_orders(3, n=60)
    ds = dataset(df)
    before = salesight.query(ds, ["revenue", "lines"], money="minor")
    with pytest.raises(salesight.SalesightError, match="Region"):
        ds.append(df.drop(columns=["Region"]).iloc[:5])
    bad = df.iloc[:3].copy()
    bad["Sales"] = [1.005, 2.0, 3.0]  # not exact in cents, the dataset's scale
    with pytest.raises(salesight.SalesightError):
        ds.append(bad)
    pd.testing.assert_frame_equal(salesight.query(ds, ["revenue", "lines"], money="minor"),
                                  before)
    ds.append(df.iloc[:2])
    after = salesight.query(ds, ["revenue", "lines"], money="minor")
    assert after["lines"][0] == 62
