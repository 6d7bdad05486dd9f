"""new_customers, the calculator declared once: Python (a function made from
the declaration, and Dataset.run) against a plain pandas reference on random
data, against the CLI on the same CSV, and its option errors in Python's
words."""

import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


def random_orders(seed, n=400):
    rng = np.random.default_rng(seed)
    customers = np.array(["C%02d" % i for i in range(int(rng.integers(1, 40)))])
    return pd.DataFrame({
        "customer": customers[rng.integers(len(customers), size=n)],
        "order_date": pd.Timestamp("2023-01-01")
        + pd.to_timedelta(rng.integers(0, 500, size=n), unit="D"),
        "amount": np.round(rng.integers(-300, 1000, size=n) / 4.0, 2),
    })


def reference(df, period, all_lines=False):
    """Plain pandas: first purchase per customer, then per period the active
    customers split by whether the period is their first purchase's."""
    df = df.copy()
    freq = {"month": "M", "quarter": "Q", "year": "Y"}[period]
    df["p"] = df["order_date"].dt.to_period(freq)
    purchase = df if all_lines else df[df["amount"] >= 0]
    first = purchase.groupby("customer")["p"].min()
    active = purchase[["p", "customer"]].drop_duplicates()
    rows = []
    for p, group in active.groupby("p"):
        ids = set(group["customer"])
        new = {c for c in ids if first[c] == p}
        lines = df[(df["p"] == p) & df["customer"].isin(ids)]
        rows.append({"new_customers": len(new), "returning_customers": len(ids) - len(new),
                     "new_revenue": round(lines[lines["customer"].isin(new)]["amount"].sum(), 2),
                     "returning_revenue":
                         round(lines[~lines["customer"].isin(new)]["amount"].sum(), 2)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(25))
def test_against_plain_pandas(seed):
    df = random_orders(seed)
    period = ["month", "quarter", "year"][seed % 3]
    all_lines = seed % 4 == 0
    got = salesight.new_customers(df, period=period, all_lines_are_purchases=all_lines)
    want = reference(df, period, all_lines)
    cols = ["new_customers", "returning_customers", "new_revenue", "returning_revenue"]
    assert len(got) == len(want)
    for c in cols:
        assert np.allclose(got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float)), c


def test_dataset_run_is_the_function():
    df = random_orders(7)
    a = salesight.new_customers(df, period="quarter")
    b = salesight.Dataset(df).run("new_customers", period="quarter")
    pd.testing.assert_frame_equal(a, b)


def test_same_answer_as_the_cli(tmp_path):
    df = random_orders(11)
    df.insert(0, "order", np.arange(len(df)))
    path = tmp_path / "orders.csv"
    df.assign(order_date=df["order_date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    out = tmp_path / "cli.csv"
    subprocess.run([CLI, "new-customers", "--orders", str(path), "--map",
                    "order=order,customer=customer,date=order_date,amount=amount", "--period", "quarter",
                    "--out", str(out)], check=True, capture_output=True)
    cli = pd.read_csv(out)
    py = salesight.new_customers(df, order="order", period="quarter")
    assert cli["period"].tolist() == py["period"].tolist()
    for c in ["new_customers", "returning_customers", "new_revenue", "returning_revenue"]:
        assert np.allclose(cli[c].to_numpy(dtype=float), py[c].to_numpy(dtype=float)), c


def test_errors_name_the_python_argument():
    df = random_orders(3)
    with pytest.raises(salesight.InvalidArgumentError, match=r"perod=\.\.\.\): not an option"):
        salesight.new_customers(df, perod="month")
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"window_days=-1\): must be in \[0, 100000\]"):
        salesight.new_customers(df, window_days=-1)
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"window_days=.x.\): must be a whole number"):
        salesight.new_customers(df, window_days="x")
    with pytest.raises(salesight.InvalidArgumentError, match=r"decade"):
        salesight.new_customers(df, period="decade")


def test_docstring_lists_every_declared_option():
    spec = salesight.calculators()["new_customers"]
    for option in spec["options"]:
        assert option["name"] in salesight.new_customers.__doc__


def test_rfm_through_the_dataset_is_salesight_rfm():
    # A registered calculator with a typed wrapper too: both paths, one answer.
    df = random_orders(5)
    a = salesight.rfm(df, k=3, scoring="ntile")
    b = salesight.Dataset(df).run("rfm", k=3, scoring="ntile")
    assert a["customer"].astype(str).tolist() == b["customer"].astype(str).tolist()
    for c in ["recency_days", "frequency", "monetary", "r", "f", "m"]:
        assert a[c].tolist() == b[c].tolist(), c
    assert a["segment"].astype(str).tolist() == b["segment"].astype(str).tolist()


def test_funnel_through_the_dataset_is_salesight_funnel():
    rng = np.random.default_rng(9)
    n = 300
    lead = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    won = lead + pd.to_timedelta(rng.integers(1, 60, n), unit="D")
    won = won.where(rng.random(n) < 0.4)
    leads = pd.DataFrame({"lead_date": lead, "won_date": won,
                          "origin": np.array(["web", "fair", None], dtype=object)[
                              rng.integers(0, 3, n)]})
    typed = salesight.funnel(leads, ["lead_date", "won_date"], by="origin")
    ds = salesight.Dataset(pipeline=leads, stages=["lead_date", "won_date"],
                           pipeline_attributes=["origin"])
    run = ds.run("funnel", by="origin")
    assert typed["origin"].fillna("").astype(str).tolist() == run["origin"].astype(str).tolist()
    for c in ["lead_count", "won_count", "won_cum_conv"]:
        assert np.allclose(typed[c].to_numpy(dtype=float), run[c].to_numpy(dtype=float),
                           equal_nan=True), c
