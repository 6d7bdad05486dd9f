"""salesight.query over a salesight.Dataset (bindings/python/salesight/_query.py,
through salesight_query_compile / salesight_query_run) equals a plain pandas
groupby on random data, filters and periods included, and the CLI's answer to
the same spec."""
import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight


def random_orders(seed, n=400):
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame({
        "Order ID": rng.integers(1, n // 3 + 2, n),
        "Customer": np.array(["C%02d" % i for i in range(30)])[rng.integers(0, 30, n)],
        "Order Date": days,
        "Sales": np.round(rng.integers(-2000, 50000, n) / 100.0, 2),
        "Region": np.array(["East", "West", "华南", ""])[rng.integers(0, 4, n)],
        "Category": np.array(["Furniture", "Office", "Tech"])[rng.integers(0, 3, n)],
    })


def dataset(df):
    return salesight.Dataset(df, orders_map={"order": "Order ID", "customer": "Customer",
                                             "order_date": "Order Date", "amount": "Sales"},
                             attributes=["Region", "Category"])


@pytest.mark.parametrize("seed", range(5))
def test_by_region_category_equals_pandas(seed):
    df = random_orders(seed)
    got = salesight.query(dataset(df), ["revenue", "lines", "orders", "customers"],
                          by=["Region", "Category"], money="minor")
    want = (df.assign(cents=np.round(df["Sales"] * 100).astype(np.int64))
            .groupby(["Region", "Category"])
            .agg(revenue=("cents", "sum"), lines=("cents", "size"),
                 orders=("Order ID", "nunique"), customers=("Customer", "nunique"))
            .reset_index())
    assert list(got.columns) == ["Region", "Category", "revenue", "lines", "orders", "customers"]
    assert got[["Region", "Category"]].values.tolist() == want[["Region", "Category"]].values.tolist()
    for m in ["revenue", "lines", "orders", "customers"]:
        assert got[m].tolist() == want[m].tolist(), m


def test_where_grain_and_aov_equal_pandas():
    df = random_orders(11)
    got = salesight.query(dataset(df), ["revenue", "aov"], by="Category",
                          where={"Region": ["East", "West"], "Category": ("notEquals", "Tech")},
                          grain="quarter", range=("2023-03-01", None))
    sel = df[df["Region"].isin(["East", "West"]) & (df["Category"] != "Tech")
             & (df["Order Date"] >= "2023-03-01")]
    sel = sel.assign(q=sel["Order Date"].dt.to_period("Q").astype(str).str.replace("Q", "-Q"))
    # An order counts in the quarter of its earliest selected line (query/run.hpp).
    first = sel.groupby("Order ID")["q"].transform("min")
    orders = sel[sel["q"] == first].groupby(["q", "Category"])["Order ID"].nunique()
    want = sel.groupby(["q", "Category"])["Sales"].sum().reset_index()
    assert got["order_date.quarter"].tolist() == want["q"].tolist()
    assert got["Category"].tolist() == want["Category"].tolist()
    np.testing.assert_allclose(got["revenue"], want["Sales"], atol=1e-9)
    for (q, c), rev, aov in zip(zip(want["q"], want["Category"]), want["Sales"], got["aov"]):
        n = orders.get((q, c), 0)
        if n == 0:
            assert np.isnan(aov)
        else:
            assert aov == pytest.approx(rev / n, rel=1e-12)


def test_top_totals_and_customer_ids_as_given():
    df = random_orders(3)
    # The Dataset's customer field (mapped from "Customer"), its ids as given.
    got = salesight.query(dataset(df), "revenue", by="customer", top=3, totals="grand",
                          order="-revenue")
    per = df.groupby("Customer")["Sales"].sum().sort_values(ascending=False, kind="stable")
    assert got["customer"].tolist()[:3] == per.index[:3].tolist()
    assert got["customer"].tolist()[3] == "(all)"
    assert got["revenue"].iloc[3] == pytest.approx(df["Sales"].sum(), abs=1e-6)


def test_compare_last_year_columns():
    df = random_orders(5)
    got = salesight.query(dataset(df), "revenue", grain="year", compare="last-year", money="minor")
    assert list(got.columns) == ["order_date.year", "revenue", "revenue_last_year",
                                 "revenue_change", "revenue_change_pct"]
    assert got["revenue_last_year"].iloc[1] == got["revenue"].iloc[0]


def test_errors_name_the_valid_names():
    with pytest.raises(salesight.InvalidArgumentError, match="Did you mean 'revenue'"):
        salesight.query(dataset(random_orders(1)), ["revenu"])


CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


@pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")
def test_same_answer_as_the_cli(tmp_path):
    df = random_orders(8)
    df.to_csv(tmp_path / "orders.csv", index=False, date_format="%Y-%m-%d")
    spec = salesight.query_spec(["revenue", "customers"], by=["Region"], totals="grand",
                                where={"Category": "Office"})
    (tmp_path / "q.json").write_text(json.dumps(spec))
    out = subprocess.run([CLI, "query", "--orders", str(tmp_path / "orders.csv"), "--map",
                          "order=Order ID,customer=Customer,date=Order Date,amount=Sales",
                          "--spec", str(tmp_path / "q.json"), "--out", "-"],
                         check=True, capture_output=True, text=True).stdout
    cli = pd.read_csv(pd.io.common.StringIO(out), keep_default_na=False)
    py = salesight.query(dataset(df), ["revenue", "customers"], by=["Region"], totals="grand",
                         where={"Category": "Office"})
    assert cli["Region"].tolist() == py["Region"].tolist()
    np.testing.assert_allclose(cli["revenue"], py["revenue"], atol=1e-9)
    assert cli["customers"].tolist() == py["customers"].tolist()


def test_drill_down_and_through():
    df = random_orders(4)
    ds = dataset(df)
    years = salesight.query(ds, "revenue", by="Region", grain="year")
    row = 0
    region, year = years["Region"].iloc[row], years["order_date.year"].iloc[row]
    quarters = salesight.drill_down(ds, years, row, level="order_date.year")
    sel = df[(df["Region"] == region) & (df["Order Date"].dt.year == int(year))]
    want = sel.groupby(sel["Order Date"].dt.to_period("Q").astype(str).str.replace("Q", "-Q"))[
        "Sales"].sum()
    assert quarters["order_date.quarter"].tolist() == want.index.tolist()
    np.testing.assert_allclose(quarters["revenue"], want.values, atol=1e-9)
    assert set(quarters["Region"]) == {region}
    lines = salesight.drill_through(ds, years, row, offset=1, limit=3)
    expected = sel.sort_index().iloc[1:4]
    assert lines["row"].tolist() == expected.index.tolist()
    assert lines["customer"].tolist() == expected["Customer"].tolist()
    np.testing.assert_allclose(lines["amount"], expected["Sales"], atol=1e-9)
    with pytest.raises(salesight.InvalidArgumentError, match="not a salesight.query result"):
        salesight.drill_down(ds, df, 0)


def test_cross_filter():
    df = random_orders(6)
    ds = dataset(df)
    regions = salesight.query(ds, "revenue", by="Region")
    picked = [0, 2]
    chosen = set(regions["Region"].iloc[picked])
    got = salesight.cross_filter(ds, regions, picked, "revenue", by="Category")
    want = df[df["Region"].isin(chosen)].groupby("Category")["Sales"].sum()
    assert got["Category"].tolist() == want.index.tolist()
    np.testing.assert_allclose(got["revenue"], want.values, atol=1e-9)


def tables_dataset():
    """Orders, opportunities, invoices and targets of two salespeople (hand-computed below)."""
    orders = pd.DataFrame({"order": [1, 2, 3], "customer": ["C1", "C2", "C1"],
                           "order_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
                           "amount": [100.0, 50.0, 80.0], "salesperson": ["Ann", "Bob", "Ann"]})
    leads = pd.DataFrame({"created": pd.to_datetime(["2024-01-03", "2024-01-15", "2024-01-20"]),
                          "won_date": pd.to_datetime(["2024-01-20", None, None]),
                          "lost": pd.to_datetime([None, "2024-01-25", None]),
                          "amount": [500.0, 100.0, 300.0]})
    invoices = pd.DataFrame({"invoice": [1, 2], "customer": ["C1", "C2"],
                             "salesperson": ["Ann", "Bob"],
                             "invoice_date": pd.to_datetime(["2024-01-05", "2024-01-15"]),
                             "due_date": pd.to_datetime(["2024-02-04", "2024-02-14"]),
                             "amount": [1000.0, 500.0], "paid": [1000.0, 200.0],
                             "paid_date": pd.to_datetime(["2024-02-01", "2024-02-20"])})
    targets = pd.DataFrame({"key": ["Ann", "Ann", "Bob"], "month": [202401, 202402, 202401],
                            "amount": [3100.0, 2900.0, 620.0]})
    return salesight.Dataset(orders, orders_map={"order": "order"}, attributes=["salesperson"],
                             pipeline=leads, stages=["created", "won_date"],
                             pipeline_map={"created": "created", "amount": "amount",
                                           "lost": "lost"},
                             invoices=invoices, targets=targets)


def test_pipeline_receivables_and_targets_measures():
    ds = tables_dataset()
    p = salesight.query(ds, ["opportunities", "won", "lost", "win_rate", "pipeline_amount"])
    assert p[["opportunities", "won", "lost"]].values.tolist() == [[3, 1, 1]]
    assert p["win_rate"].tolist() == [0.5]
    assert p["pipeline_amount"].tolist() == [300.0]
    r = salesight.query(ds, ["billed", "collected", "collection_rate", "outstanding", "overdue"],
                        by="salesperson", time="due_date", range=("2024-01-01", "2024-02-29"))
    assert r["salesperson"].tolist() == ["Ann", "Bob"]
    assert r["billed"].tolist() == [1000.0, 500.0]
    assert r["collected"].tolist() == [1000.0, 200.0]
    assert r["collection_rate"].tolist() == [1.0, 0.4]
    assert r["outstanding"].tolist() == [0.0, 300.0]
    assert r["overdue"].tolist() == [0.0, 300.0]
    t = salesight.query(ds, ["revenue", "target", "attainment_pct"], by="salesperson",
                        grain="month")
    assert t["salesperson"].tolist() == ["Ann", "Bob", "Ann"]
    assert t["target"].tolist() == [3100.0, 620.0, 2900.0]
    np.testing.assert_allclose(t["attainment_pct"], [100 / 31, 50 / 6.2, 80 / 29], rtol=1e-12)


def test_compare_target():
    got = salesight.query(tables_dataset(), "revenue", grain="month", compare="target")
    assert list(got.columns) == ["order_date.month", "revenue", "revenue_target",
                                 "revenue_change", "revenue_change_pct"]
    assert got["revenue_target"].tolist() == [3720.0, 2900.0]
    assert got["revenue_change"].tolist() == [150.0 - 3720.0, 80.0 - 2900.0]
