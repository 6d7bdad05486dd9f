"""pytest: the RFM segment tables reached from Python - segments="relative"
(the tiers with cuts from the data) and the note on empty segments."""

import numpy as np
import pandas as pd

import salesight

TIERS = ["high_value", "new", "potential", "churn_risk", "low_value", "regular"]


def orders(seed, customers=80, n=2000):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "c": rng.integers(0, customers, n).astype(np.int64),
        "d": rng.integers(19000, 19900, n).astype(np.int32),
        "amt": rng.integers(1, 500000, n) / 100.0,
    })


def test_relative_tiers_are_all_populated_on_random_data():
    for seed in range(5):
        df = orders(seed)
        got = salesight.rfm(df, customer="c", date="d", amount="amt", segments="relative")
        assert sorted(set(got["segment"])) == sorted(TIERS), seed
        summary = salesight.rfm(df, customer="c", date="d", amount="amt", segments="relative",
                                output="segments")
        assert summary["segment"].tolist() == TIERS
        assert summary["customers"].sum() == len(got)
        assert summary["note"].isna().all()


def test_empty_default_tier_says_which_threshold_no_customer_reached():
    # Two small customers: nobody buys more than 10 orders a year.
    df = pd.DataFrame({"c": ["A", "B", "A"], "d": np.array([19000, 19005, 19010], np.int32),
                       "amt": [10.5, 20.25, 1.0]})
    summary = salesight.rfm(df, customer="c", date="d", amount="amt", output="segments")
    note = summary.set_index("segment")["note"]
    assert note["high_value"] == "high_value: no customer has orders_per_year > 10 (largest: 2.00)"
    assert pd.isna(note["potential"])
