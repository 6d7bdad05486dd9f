"""salesight.dashboard: the Python object (.data, .json, .html, .save,
_repr_html_) returns the same numbers as the CLI's JSON on the same export
(both through salesight_dashboard_render), and the revenue card equals the
order lines' sum."""

import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


def export(seed=3, n=400):
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame({
        "Order ID": ["SO-%d" % i for i in range(n)],
        "Order Date": days.strftime("%Y-%m-%d"),
        "Customer ID": ["<b>C%02d</b>" % c for c in rng.integers(0, 40, n)],
        "Sales": np.round(rng.uniform(-20, 500, n), 2),
        "Channel": [["web", "shop"][r] for r in rng.integers(0, 2, n)],
    })


def dataset(df):
    return salesight.Dataset(df, orders_map={"order": "Order ID", "customer": "Customer ID",
                                             "order_date": "Order Date", "amount": "Sales"},
                             attributes=["Channel"])


def test_object_and_numbers(tmp_path):
    df = export()
    d = salesight.dashboard(dataset(df), start="2024-01-01", end="2024-11-30", lang="zh")
    data = d.data
    assert data["schema"] == "salesight.dashboard" and data["version"] == 1
    assert data["lang"] == "zh" and data["period"] == {
        "from": "2024-01-01", "to": "2024-11-30", "last_year_from": "2023-01-01",
        "last_year_to": "2023-11-30", "as_of": "2024-11-30"}
    in_period = df[(df["Order Date"] >= "2024-01-01") & (df["Order Date"] <= "2024-11-30")]
    revenue = next(k for k in data["kpis"] if k["id"] == "revenue")
    assert revenue["value"] == int(round(in_period["Sales"].sum() * 100))
    assert data["panels"]["funnel"] == {"status": "no_data", "reason": "no pipeline (opportunities) given"}
    assert data["panels"]["region_share"] == {"status": "no_data", "reason": "the order lines have no region"}
    months = data["panels"]["trend"]["grains"]["month"]
    by_month = in_period.groupby(in_period["Order Date"].str[:7])["Sales"].sum()
    assert months["revenue"] == [int(round(by_month.get(m, 0) * 100)) for m in months["periods"]]
    assert d.html.startswith("<!DOCTYPE html>") and "<b>C" not in d.html
    assert d.save(tmp_path / "x.json") == tmp_path / "x.json"
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8")) == data
    d.save(tmp_path / "x.html")
    assert (tmp_path / "x.html").read_text(encoding="utf-8") == d.html
    frame = d._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"&lt;!DOCTYPE html&gt;") and "<script" not in frame


def test_same_numbers_as_cli(tmp_path):
    df = export(seed=5)
    path = tmp_path / "orders.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "cli.json"
    subprocess.run([CLI, "dashboard", "--orders", str(path), "--map",
                    "order=Order ID,date=Order Date,customer=Customer ID,amount=Sales",
                    "--from", "2024-02-01", "--to", "2024-10-15", "--format", "json", "--out", str(out)],
                   check=True, capture_output=True)
    cli = json.loads(out.read_text(encoding="utf-8"))
    py = salesight.dashboard(dataset(df), start="2024-02-01", end=pd.Timestamp("2024-10-15")).data
    strip = lambda ks: [{k: v for k, v in c.items() if k in ("id", "value", "last_year", "change_pct")} for c in ks]
    assert strip(py["kpis"]) == strip(cli["kpis"])
    assert py["panels"]["trend"] == cli["panels"]["trend"]
    assert py["panels"]["region_share"] == cli["panels"]["region_share"]
    # salesight.Dataset passes customer codes as dense ids without their labels
    # (the Python layer maps them back itself), so compare the figures only.
    figures = lambda d: [[(c["recency_days"], c["frequency"], c["monetary"]) for c in tier]
                         for tier in d["panels"]["customer_value"]["top_customers"]]
    assert figures(py) == figures(cli)
    assert [t["revenue"] for t in py["panels"]["customer_value"]["tiers"]] == \
        [t["revenue"] for t in cli["panels"]["customer_value"]["tiers"]]


def test_bad_options():
    ds = dataset(export())
    with pytest.raises(salesight.InvalidArgumentError, match="must be 'en' or 'zh'"):
        salesight.dashboard(ds, lang="fr")
    with pytest.raises(salesight.InvalidArgumentError, match="is after to"):
        salesight.dashboard(ds, start="2024-05-01", end="2024-04-01")
    with pytest.raises(salesight.InvalidArgumentError, match="not a date"):
        salesight.dashboard(ds, start="May first")
