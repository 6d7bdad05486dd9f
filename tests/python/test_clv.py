"""salesight.clv.fit / ClvModel (over salesight_clv_model): the published CDNOW
fits, predictions equal to the clv calculator's (the CLI's), bad inputs."""

import os

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import InvalidArgumentError

CDNOW = os.path.join(os.path.dirname(__file__), "..", "data", "cdnow")


@pytest.fixture(scope="module")
def summary():
    df = pd.read_csv(os.path.join(CDNOW, "cdnow_customers_summary_with_transactions.csv"))
    return df.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})


@pytest.fixture(scope="module")
def orders():
    df = pd.read_csv(os.path.join(CDNOW, "CDNOW_sample.txt"), sep=r"\s+", header=None,
                     names=["customer", "id2", "date", "quantity", "amount"], dtype={"date": str})
    df["order_date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return df


@pytest.fixture(scope="module")
def bgnbd(summary):
    return salesight.clv.fit(summary, model="bgnbd")


def test_bgnbd_reproduces_the_published_fit(bgnbd):
    # Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    want = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert list(bgnbd.params) == list(want)
    for name, value in want.items():
        assert abs(bgnbd.params[name] - value) < 5e-4, name
    assert abs(bgnbd.log_likelihood - -9582.4) < 0.05
    assert bgnbd.convergence["status"] == "converged"
    assert bgnbd.convergence["gradient_norm"] <= 1e-8
    assert all(0 < bgnbd.std_errors[n] < bgnbd.params[n] for n in want)
    # Gamma-Gamma on the 946 repeaters: p = 6.25, q = 3.74, gamma = 15.44.
    assert abs(bgnbd.spend_params["p"] - 6.25) < 5e-3
    assert abs(bgnbd.spend_params["q"] - 3.74) < 5e-3
    assert abs(bgnbd.spend_params["gamma"] - 15.44) < 1e-2
    # A new customer's E[X(t)] at the paper's tracking points.
    for t, e in ((1, 0.0532), (3, 0.1506), (32, 1.0437)):
        assert abs(bgnbd.expected_purchases(t) - e) < 5e-5
    p = [bgnbd.probability_of_purchases(1, n) for n in range(60)]
    assert abs(sum(p) - 1) < 1e-9


def test_summary_table(bgnbd):
    s = bgnbd.summary()
    assert list(s.columns) == ["model", "param", "estimate", "std_err"]
    assert list(s["param"]) == ["r", "alpha", "a", "b", "p", "q", "gamma"]
    assert list(s["model"]) == ["bgnbd"] * 4 + ["gamma-gamma"] * 3
    assert s["estimate"].iloc[0] == bgnbd.params["r"]
    assert s["std_err"].iloc[1] == bgnbd.std_errors["alpha"]
    assert s.attrs["log_likelihood"] == bgnbd.log_likelihood
    assert s.attrs["convergence"]["status"] == "converged"
    assert abs(s.attrs["spend_log_likelihood"] - -4055.9) < 0.05


def test_predict_summary(bgnbd, summary):
    got = bgnbd.predict(summary.iloc[:3], t=39)
    assert list(got.columns) == ["frequency", "recency", "T", "expected_purchases", "p_alive",
                                 "expected_spend", "clv"]
    assert list(got.index) == [0, 1, 2]
    # The paper's customer: x = 2, t_x = 30.43, T = 38.86, E[Y(39)] = 1.226.
    assert abs(got["expected_purchases"].iloc[0] - 1.226) < 5e-4
    assert ((got["p_alive"] > 0) & (got["p_alive"] <= 1)).all()
    # Without monetary_value: purchases and P(alive) only.
    bare = bgnbd.predict(summary[["frequency", "recency", "T"]].iloc[:3], t=39)
    assert "clv" not in bare.columns
    np.testing.assert_array_equal(bare["p_alive"], got["p_alive"])


def test_predictions_equal_the_clv_calculator(orders):
    """The model fitted from orders predicts what `salesight clv` gives (one code path)."""
    kw = dict(customer="customer", date="order_date", amount="amount")
    table = salesight.clv(orders, calibration_end="1997-09-30", time_unit="week", horizon=12,
                          discount=0.01, **kw)
    model = salesight.clv.fit(orders, calibration_end="1997-09-30", time_unit="week", **kw)
    got = model.predict(orders, discount=0.01, **kw)
    assert len(got) == len(table) > 2000
    for column in ("customer", "frequency", "recency", "T", "p_alive", "expected_purchases",
                   "expected_spend", "clv"):
        np.testing.assert_array_equal(got[column].to_numpy(), table[column].to_numpy(), column)
    # The summary of the same orders, fitted as a summary: the same parameters.
    s = salesight.clv.summary(orders, calibration_end="1997-09-30", **kw)
    assert list(s.columns) == ["customer", "frequency", "recency", "T", "monetary_value"]
    again = salesight.clv.fit(s)
    assert again.params == model.params


def test_clv_is_still_the_calculator(orders):
    assert callable(salesight.clv) and salesight.clv.__name__ == "clv"
    assert "horizon" in salesight.clv.__doc__ and "clv.fit" in salesight.clv.__doc__
    out = salesight.clv(orders, model="bgnbd", calibration_end="1997-09-30")
    assert "clv" in out.columns


def test_clv_margin_is_the_share_of_spend_kept(orders):
    """salesight.clv(df, margin=0.3): the CLV option, not the orders' margin column
    (which is margin_column= there); the same as the model's predict(margin=0.3)."""
    kw = dict(calibration_end="1997-09-30", time_unit="week")
    full = salesight.clv(orders, **kw)
    kept = salesight.clv(orders, margin=0.3, **kw)
    np.testing.assert_allclose(kept["clv"].to_numpy(), 0.3 * full["clv"].to_numpy(), rtol=1e-12)
    model = salesight.clv.fit(orders, **kw)
    np.testing.assert_array_equal(model.predict(orders, margin=0.3)["clv"].to_numpy(),
                                  kept["clv"].to_numpy())
    # A margin column is still reachable, by its own keyword.
    with_column = orders.assign(profit=orders["amount"] * 0.25)
    both = salesight.clv(with_column, margin=0.3, margin_column="profit", **kw)
    np.testing.assert_array_equal(both["clv"].to_numpy(), kept["clv"].to_numpy())
    with pytest.raises(InvalidArgumentError, match=r"margin_column='profit'"):
        salesight.clv(with_column, margin="profit", **kw)
    with pytest.raises(InvalidArgumentError, match=r"clv\(margin=True\): must be a number"):
        salesight.clv(orders, margin=True, **kw)
    with pytest.raises(salesight.SalesightError, match="nope"):
        salesight.clv(orders, margin=0.3, margin_column="nope", **kw)  # the column is read
    # A declared calculator without a margin option (overview): margin= names
    # the column, as before, and so does margin_column= (not both).
    for keyword in ("margin", "margin_column"):
        with pytest.raises(salesight.SalesightError, match="nope"):
            salesight.overview(orders, **{keyword: "nope"})
    assert salesight.overview(with_column, margin="profit").equals(
        salesight.overview(with_column, margin_column="profit"))
    with pytest.raises(InvalidArgumentError, match="once"):
        salesight.overview(with_column, margin="profit", margin_column="profit")


def test_other_models(summary):
    small = summary.iloc[:400]
    gg = salesight.clv.fit(summary, model="gamma-gamma")
    assert list(gg.params) == ["p", "q", "gamma"] and gg.spend_params is None
    spend = gg.predict(summary.iloc[:2])
    assert list(spend.columns) == ["frequency", "recency", "T", "expected_spend"]
    with pytest.raises(salesight.UnsupportedError, match="bgnbd and pareto-nbd"):
        gg.expected_purchases(1)
    no_spend = salesight.clv.fit(small, fit_spend=False)
    assert no_spend.spend_params is None and "no spend fit" in no_spend.spend_error


# ------------------------------------------------------------------ bad inputs

def frame(**columns):
    return pd.DataFrame(columns)


def test_bad_inputs_name_the_row():
    base = dict(frequency=[1.0, 2.0, 0.0], recency=[3.0, 5.0, 0.0], T=[6.0, 8.0, 9.0])
    with pytest.raises(InvalidArgumentError, match=r"customer row 2: T 4 is not a time >= recency 5"):
        salesight.clv.fit(frame(**dict(base, T=[6.0, 4.0, 9.0])))
    with pytest.raises(InvalidArgumentError, match=r"customer row 3: frequency -1 is not a whole"):
        salesight.clv.fit(frame(**dict(base, frequency=[1.0, 2.0, -1.0])))
    with pytest.raises(InvalidArgumentError, match=r"1 customer row\(s\)"):
        salesight.clv.fit(frame(frequency=[1.0], recency=[2.0], T=[3.0]))
    with pytest.raises(InvalidArgumentError, match="has a repeat purchase"):
        salesight.clv.fit(frame(frequency=[0.0, 0.0], recency=[0.0, 0.0], T=[3.0, 4.0],
                                monetary_value=[0.0, 0.0]), model="gamma-gamma")
    with pytest.raises(InvalidArgumentError, match="has a repeat purchase"):
        salesight.clv.fit(frame(frequency=[0.0, 0.0], recency=[0.0, 0.0], T=[3.0, 4.0]))
    with pytest.raises(InvalidArgumentError, match="model='bgnb' is not one of"):
        salesight.clv.fit(frame(**base), model="bgnb")


def test_extreme_frequencies_never_nan(bgnbd):
    extreme = frame(frequency=[0.0, 5000.0, 1e6], recency=[0.0, 38.0, 38.5], T=[38.86] * 3,
                    monetary_value=[0.0, 20.0, 20.0])
    got = bgnbd.predict(extreme, t=39)
    assert np.isfinite(got[["expected_purchases", "p_alive", "expected_spend", "clv"]]).all().all()
    with pytest.raises(InvalidArgumentError, match="customer row 1: T 1 is not a time >= recency 2"):
        bgnbd.predict(frame(frequency=[1.0], recency=[2.0], T=[1.0]))


# ------------------------------------------------------------------ RFM's CLV columns

def test_rfm_clv_columns_equal_the_clv_calculator(orders):
    kw = dict(customer="customer", date="order_date", amount="amount")
    rfm = salesight.rfm(orders, as_of="1997-09-30", clv_model="bgnbd", clv_horizon=26,
                        clv_discount=0.002, clv_margin=0.3, **kw)
    assert list(rfm.columns[-4:]) == ["segment", "p_alive", "expected_purchases", "clv"]
    # (salesight.clv(df, margin=...) would name the orders' margin column: the model's predict
    # gives the calculator's numbers, test_predictions_equal_the_clv_calculator)
    model = salesight.clv.fit(orders, calibration_end="1997-09-30", **kw)
    table = model.predict(orders, horizon=26, discount=0.002, margin=0.3, **kw).set_index("customer")
    want = table.loc[rfm["customer"]]
    for column in ("p_alive", "expected_purchases", "clv"):
        np.testing.assert_array_equal(rfm[column].to_numpy(), want[column].to_numpy(), column)
    by_clv = salesight.rfm(orders, as_of="1997-09-30", clv_model="bgnbd", value_measure="clv",
                           **kw)
    np.testing.assert_array_equal(by_clv["monetary"], salesight.rfm(orders, as_of="1997-09-30",
                                                                    **kw)["monetary"])
    top = by_clv.sort_values("clv").iloc[-1]
    assert top["m"] == 5
    with pytest.raises(InvalidArgumentError, match="value_measure clv needs a clv_model"):
        salesight.rfm(orders, value_measure="clv", **kw)
    with pytest.raises(InvalidArgumentError, match="clv_model"):
        salesight.rfm(orders, clv_model="gamma-gamma", **kw)
