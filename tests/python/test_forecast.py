"""forecast and backtest, declared once: the generated Python functions on a
flat daily series (hand-computed), the same answer as the CLI on the same
CSV, and the backtest summary."""

import os
import subprocess

import pandas as pd

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


def flat_orders():
    days = pd.date_range("2023-01-01", "2024-03-10", freq="D")
    return pd.DataFrame({"customer": "C1", "order_date": days, "amount": 1.0,
                         "order": range(len(days))})


def test_flat_series_lands_on_the_run_rate():
    got = salesight.forecast(flat_orders(), order="order")
    assert len(got) == 1
    row = got.iloc[0]
    assert row["period"] == "2024-03"
    assert row["actual"] == 10.0   # 10 days x 1.00
    assert row["rest"] == 21.0     # 21 days left x 1.00
    assert row["forecast"] == 31.0
    assert row["low"] == 31.0 and row["high"] == 31.0  # every past forecast was exact


def test_backtest_of_a_flat_series_is_exact():
    summary = salesight.backtest(flat_orders(), order="order", history_periods=6)
    assert list(summary["from_day"]) == [10, 20]
    assert list(summary["mape_pct"]) == [0.0, 0.0]
    assert list(summary["coverage_pct"]) == [100.0, 100.0]


def test_same_answer_as_the_cli(tmp_path):
    df = flat_orders()
    df.loc[df.index % 7 == 0, "amount"] = 3.25  # a weekly shape
    path = tmp_path / "orders.csv"
    df.assign(order_date=df["order_date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    out = tmp_path / "forecast.csv"
    subprocess.run([CLI, "forecast", "--orders", str(path), "--map",
                    "order=order,customer=customer,date=order_date,amount=amount",
                    "--run-rate-days", "21", "--out", str(out)], check=True)
    cli = pd.read_csv(out)
    py = salesight.forecast(df, order="order", run_rate_days=21)
    for column in ["actual", "rest", "pipeline", "forecast", "low", "high"]:
        assert float(cli[column].iloc[0]) == float(py[column].iloc[0]), column
