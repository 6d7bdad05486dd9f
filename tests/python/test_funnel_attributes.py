"""salesight.funnel(by=<any columns>): every group column that is no pipeline
field is sent as an attribute column and grouped by its own name, so any
number of them (up to the library's limit of 5 keys) and the output columns
are the DataFrame's. Counts equal pandas' groupby(dropna=False) with missing
members (NaN / None, and the text "") as one group salesight.MISSING."""

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import InvalidArgumentError

STAGES = ["lead_date", "quote_date", "won_date"]


def with_missing(rng, values, n, rate=0.15, missing=None):
    out = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
    out[rng.random(n) < rate] = missing
    return out


def random_pipeline(seed, n=500):
    rng = np.random.default_rng(seed)
    created = 19000 + rng.integers(0, 100, n)
    reached = rng.integers(1, 4, n)  # 1 = lead only, 2 = + quote, 3 = + won
    to_date = lambda d: pd.to_datetime(np.where(d >= 0, d, np.nan), unit="D")  # noqa: E731
    tier = rng.integers(1, 12, n).astype(float)  # numbers with NaN: 1.0 .. 11.0
    tier[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame({
        "opp": np.arange(n, dtype=np.int64),
        "lead_date": to_date(created),
        "quote_date": to_date(np.where(reached >= 2, created + 3, -1)),
        "won_date": to_date(np.where(reached >= 3, created + 9, -1)),
        "origin": with_missing(rng, ["Web", "Fair", "Partner", "华东"], n),
        "campaign": with_missing(rng, ["spring", "", "autumn"], n, missing=np.nan),
        "tier": tier,
        "Sub Category": with_missing(rng, ["b", "a", "c"], n, rate=0.05),
        "region": with_missing(rng, ["N", "S"], n, rate=0.05),
    })


def key(value):
    """A group key as the library labels it: missing members are MISSING."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return salesight.MISSING
    return value


def reference(df, by):
    """Stage counts per group with a later stage implying the earlier ones."""
    reached = pd.DataFrame({
        "lead": df[STAGES].notna().any(axis=1),
        "quote": df[["quote_date", "won_date"]].notna().any(axis=1),
        "won": df["won_date"].notna(),
    })
    keys = [df[c].map(key) for c in by]
    counts = reached.groupby(keys, dropna=False).sum()
    return {(k if isinstance(k, tuple) else (k,)): tuple(int(v) for v in row)
            for k, row in zip(counts.index, counts.to_numpy())}


@pytest.mark.parametrize("seed", range(8))
def test_any_columns_against_pandas(seed):
    df = random_pipeline(seed)
    rng = np.random.default_rng(1000 + seed)
    pool = ["origin", "campaign", "tier", "Sub Category", "region"]
    by = [pool[i] for i in rng.permutation(len(pool))[:2 + seed % 3]]  # 2..4 columns
    got = salesight.funnel(df, STAGES, id="opp", by=by)
    assert list(got.columns[:len(by)]) == by  # named like the DataFrame's columns
    got_counts = {tuple(key(v) for v in row[:len(by)]): tuple(int(v) for v in row[len(by):])
                  for row in got[by + ["lead_count", "quote_count", "won_count"]].itertuples(
                      index=False)}
    assert got_counts == reference(df, by)
    assert len(got) == len(got_counts)


def test_hand_computed_missing_group_and_values_back():
    day = pd.Timestamp("2024-01-01")
    df = pd.DataFrame({
        "lead": [day] * 5,
        "won": [day, pd.NaT, day, pd.NaT, pd.NaT],
        "origin": ["web", None, "fair", "web", ""],
        "size": [3, 1, np.nan, 3, 10],
    })
    got = salesight.funnel(df, ["lead", "won"], by="origin")
    # "" and None are one group, labelled MISSING and sorted first
    assert got["origin"].tolist() == [salesight.MISSING, "fair", "web"]
    assert got["lead_count"].tolist() == [2, 1, 2]
    assert got["won_count"].tolist() == [0, 1, 1]
    got = salesight.funnel(df, ["lead", "won"], by=["size"])
    # back as the column's values, the missing one as MISSING; the member ""
    # makes the codes text, so they sort as text (dictionary.hpp)
    assert got["size"].tolist() == [salesight.MISSING, 1.0, 10.0, 3.0]
    assert got["lead_count"].tolist() == [1, 1, 1, 2]
    # without a missing member whole numbers sort by value
    got = salesight.funnel(df.fillna({"size": 2.0}), ["lead", "won"], by=["size"])
    assert got["size"].tolist() == [1.0, 2.0, 3.0, 10.0]
    assert got["lead_count"].tolist() == [1, 1, 2, 1]


def test_limits_and_field_names():
    df = random_pipeline(0, n=50)
    df["a"], df["b"], df["c"] = df["origin"], df["campaign"], df["tier"]
    by = ["origin", "campaign", "tier", "a", "b", "c"]
    with pytest.raises(InvalidArgumentError, match="too many"):
        salesight.funnel(df, STAGES, by=by)
    df["x,y"] = df["origin"]
    with pytest.raises(InvalidArgumentError, match="x,y"):
        salesight.funnel(df, STAGES, by="x,y")
    # a column named like a non-group pipeline field cannot be an attribute
    df["amount"] = df["origin"]
    with pytest.raises(InvalidArgumentError, match="amount"):
        salesight.funnel(df, STAGES, by="amount")
