"""salesight.margin(df, by=[...]) groups by any DataFrame column: a column
named like an orders field is that field, every other column an attribute
(the funnel's mechanism), with NaN as the group salesight.MISSING. Checked
against a plain pandas groupby on random data, many seeds."""
import numpy as np
import pandas as pd
import pytest

import salesight


def random_orders(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    df = pd.DataFrame({
        "product": rng.choice(["p%d" % i for i in range(7)], n),
        "region": rng.choice(["east", "west", "north"], n),
        "Sub-Category": rng.choice(["Chairs", "Tables", "Paper", None], n),
        "origin": rng.choice([3, 1, 2], n),  # an integer attribute
        "category": rng.choice(["a", "b"], n),  # a name the library reads otherwise
        "amount": rng.integers(-500, 5000, n) / 100.0,
        "cost": rng.integers(0, 4000, n) / 100.0,
        "quantity": rng.integers(-3, 10, n),
    })
    return df


def reference(df, by):
    keyed = df.assign(**{c: df[c].fillna(salesight.MISSING) for c in by if df[c].dtype == object})
    g = keyed.groupby(by, sort=True, dropna=False)
    out = pd.DataFrame({"quantity": g["quantity"].sum(), "revenue": g["amount"].sum(),
                        "cost": g["cost"].sum()}).reset_index()
    out["margin"] = out["revenue"] - out["cost"]
    return out


@pytest.mark.parametrize("seed", range(40))
def test_margin_by_any_column_matches_pandas(seed):
    df = random_orders(seed)
    rng = np.random.default_rng(1000 + seed)
    pool = ["Sub-Category", "origin", "category", "region", "product"]
    by = list(rng.choice(pool, int(rng.integers(1, 4)), replace=False))
    got = salesight.margin(df, by=by, cost="cost", quantity="quantity")
    want = reference(df, by)
    assert list(got.columns[:len(by)]) == by
    got = got.sort_values(by).reset_index(drop=True)
    want = want.sort_values(by).reset_index(drop=True)
    assert len(got) == len(want), (by, got, want)
    for c in by:
        assert list(got[c]) == list(want[c]), c
    np.testing.assert_array_equal(got["quantity"].to_numpy(), want["quantity"].to_numpy())
    for c in ("revenue", "cost", "margin"):
        np.testing.assert_allclose(got[c].to_numpy(), want[c].to_numpy(), atol=1e-6, err_msg=c)


def test_margin_by_attribute_hand_computed():
    df = pd.DataFrame({"Sub-Category": ["Chairs", "Paper", "Chairs", None],
                       "amount": [10.0, 5.0, 2.5, 1.0], "cost": [4.0, 1.0, 0.5, 1.0]})
    got = salesight.margin(df, by="Sub-Category", cost="cost")
    assert list(got["Sub-Category"]) == [salesight.MISSING, "Chairs", "Paper"]
    assert list(got["revenue"]) == [1.0, 12.5, 5.0]
    assert list(got["margin"]) == [0.0, 8.0, 4.0]
