"""alerts, declared once: the generated salesight.alerts and Dataset.run("alerts")
on a flat daily series with one planted drop (hand-computed), rules given
inline (a dict as JSON) or as a file path, rule errors naming the rule, and
the same answer as the CLI on the same CSV."""
import json
import os
import subprocess

import pandas as pd
import pytest

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")
EXAMPLE_RULES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "alerts",
                             "rules.json")


def orders():
    """Two areas, 1.00 a day each for 2022-2024; east sells half in December 2024.
    (An attribute, not the region field: the Python layer passes field codes
    without their labels and decodes result columns named like the field,
    which a mixed `member` column is not.)"""
    days = pd.date_range("2022-01-01", "2024-12-31", freq="D")
    frames = []
    for region in ("east", "west"):
        amount = [0.5 if (region == "east" and d >= pd.Timestamp("2024-12-01")) else 1.0
                  for d in days]
        frames.append(pd.DataFrame({"customer": "C1", "order_date": days, "amount": amount,
                                    "area": region}))
    df = pd.concat(frames, ignore_index=True)
    df["order"] = range(len(df))
    return df


def test_planted_drop_is_the_one_anomaly():
    got = salesight.alerts(orders(), order="order", attributes=["area"], dims="area")
    assert list(got["dimension"]) == ["area", "area", "", ""]  # the total moves 25%: z -12.5
    revenue = got[(got["kpi"] == "revenue") & (got["dimension"] == "area")]
    assert len(revenue) == 1
    row = revenue.iloc[0]
    assert (row["kind"], row["dimension"], row["member"], row["period"]) == \
        ("anomaly", "area", "east", "2024-12")
    assert row["value"] == 15.5 and row["expected"] == 31.0   # 31 days x 0.50 vs x 1.00
    assert row["z"] == pytest.approx(-25.0)                   # -50% / the 2% band floor
    assert row["severity"] == "critical"
    assert row["sentence"] == \
        "east revenue 15.5 is 50% below the expected 31 (last year x recent trend)"


def test_rules_inline_and_from_a_file(tmp_path):
    rules = {"rules": [{"id": "down", "kpi": "revenue", "dimension": "area",
                        "compare": "vs_last_year", "op": "<=", "threshold": -20}]}
    ds = salesight.Dataset(orders(), orders_map={"order": "order", "customer": "customer",
                                                 "order_date": "order_date",
                                                 "amount": "amount"},
                           attributes=["area"])
    inline = ds.run("alerts", rules=json.dumps(rules), anomalies=False)
    assert list(inline["rule"]) == ["down"] and list(inline["member"]) == ["east"]
    assert inline["deviation_pct"].iloc[0] == pytest.approx(-50.0)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules))
    from_file = ds.run("alerts", rules=str(path), anomalies=False)
    pd.testing.assert_frame_equal(inline, from_file)
    skipped = ds.run("alerts", rules=str(path), anomalies=False, output="skipped")
    assert list(skipped["rule"]) == ["down"] and skipped["checked"].iloc[0] == 2


def test_rule_errors_name_the_rule_and_the_field():
    with pytest.raises(salesight.InvalidArgumentError, match=r"rule 1 \('x'\), field 'op'"):
        salesight.alerts(orders(), order="order",
                         rules='[{"id":"x","kpi":"revenue","op":"=<","threshold":1}]')
    with pytest.raises(salesight.InvalidArgumentError, match=r"Did you mean 'revenue'"):
        salesight.alerts(orders(), order="order",
                         rules='[{"id":"x","kpi":"revenu","op":"<","threshold":1}]')
    with pytest.raises(salesight.InvalidArgumentError, match=r"'margin' is not a KPI of this data"):
        salesight.alerts(orders(), order="order",
                         rules='[{"id":"x","kpi":"margin","op":"<","threshold":1}]')


@pytest.mark.filterwarnings("ignore::salesight.SalesightDataWarning")
def test_example_rules_run_on_the_sample():
    o = salesight.sample(3000, table="orders")
    ds = salesight.Dataset(o, orders_map={"order": "order_id", "customer": "customer",
                                          "order_date": "order_date", "amount": "amount",
                                          "product": "product", "unit_cost": "unit_cost",
                                          "quantity": "quantity"},
                           attributes=["region"], invoices=salesight.sample(3000, table="invoices"))
    got = ds.run("alerts", rules=EXAMPLE_RULES, anomalies=False)
    skipped = ds.run("alerts", rules=EXAMPLE_RULES, anomalies=False, output="skipped")
    assert list(skipped["rule"]) == ["low_margin_product", "region_down_vs_last_year",
                                     "customer_overdue_90"]
    assert set(got["rule"]) <= set(skipped["rule"])
    assert (skipped["slices"] > 0).all()


@pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")
def test_same_answer_as_the_cli(tmp_path):
    df = orders()
    path = tmp_path / "orders.csv"
    df.assign(order_date=df["order_date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    out = tmp_path / "alerts.csv"
    subprocess.run([CLI, "alerts", "--orders", str(path), "--map",
                    "order=order,customer=customer,date=order_date,amount=amount",
                    "--attrs", "area", "--dims", "area", "--threads", "1", "--out", str(out)],
                   check=True)
    cli = pd.read_csv(out, keep_default_na=False)
    py = salesight.alerts(df, order="order", attributes=["area"], dims="area")
    assert list(cli["member"]) == list(py["member"])
    for column in ["value", "expected", "z"]:
        assert list(cli[column].astype(float)) == pytest.approx(list(py[column].astype(float)))
