"""drivers, declared once: salesight.drivers(ds, measure=..., period=...,
compare=..., dims=[...]) on a Dataset and on a DataFrame, a hand-computed
single-slice drop, and a plain pandas reference of every combination's
before / after / change."""
import itertools

import numpy as np
import pandas as pd
import pytest

import salesight


def orders(seed=None):
    """Feb and Mar 2024, one line of 100.00 per (area, kind) and month; in
    March east & a sells 40.00. With a seed: random lines instead."""
    if seed is None:
        rows = []
        for month in ("2024-02-10", "2024-03-10"):
            for area in ("east", "west"):
                for kind in ("a", "b"):
                    amount = 40.0 if (month.startswith("2024-03") and area == "east"
                                      and kind == "a") else 100.0
                    rows.append((month, area, kind, amount))
        df = pd.DataFrame(rows, columns=["order_date", "area", "kind", "amount"])
    else:
        rng = np.random.default_rng(seed)
        n = 200
        df = pd.DataFrame({
            "order_date": pd.Timestamp("2024-02-01")
            + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "area": rng.choice(["east", "west", "north"], n),
            "kind": rng.choice(["a", "b", "c", "d"], n),
            "amount": rng.integers(-500, 20000, n) / 100.0,
        })
    df["order_date"] = pd.to_datetime(df["order_date"])
    df["customer"] = "C1"
    df["order"] = range(len(df))
    return df


def dataset(df):
    return salesight.Dataset(df, orders_map={"order": "order", "customer": "customer",
                                             "order_date": "order_date", "amount": "amount"},
                             attributes=["area", "kind"])


def test_single_slice_drop_on_a_dataset():
    ds = dataset(orders())
    got = salesight.drivers(ds, measure="revenue", period="2024-03", compare="previous",
                            dims=["area", "kind"])
    top = got.iloc[0]
    assert top["combination"] == "area=east&kind=a"
    assert (top["before"], top["after"], top["change"]) == (100.0, 40.0, -60.0)
    assert top["share"] == 1.0 and top["depth"] == 2
    summary = salesight.drivers(ds, measure="revenue", period="2024-03", dims=["area", "kind"],
                                output="summary")
    assert summary.iloc[0]["sentence"] == (
        "Revenue fell 60 (-15%) vs the previous period (2024-02); east × a explains 100% of "
        "the fall (-60% there).")
    # The same through a DataFrame, dims as text.
    same = salesight.drivers(orders(), order="order", attributes=["area", "kind"],
                             period="2024-03", dims="area,kind")
    pd.testing.assert_frame_equal(same, got)


def test_bad_options_name_the_value():
    ds = dataset(orders())
    with pytest.raises(salesight.InvalidArgumentError, match="2024-3"):
        salesight.drivers(ds, period="2024-3", dims=["area"])
    with pytest.raises(salesight.InvalidArgumentError, match="compare"):
        salesight.drivers(ds, compare="yesterday", dims=["area"])


@pytest.mark.parametrize("seed", range(1, 6))
def test_every_combination_matches_pandas(seed):
    df = orders(seed)
    got = salesight.drivers(dataset(df), period="2024-03", dims=["area", "kind"], max_depth=0,
                            min_share=-1e9, top=1000)
    df["side"] = np.where(df["order_date"] >= "2024-03-01", "after", "before")
    expected = {}
    for k in (1, 2):
        for dims in itertools.combinations(["area", "kind"], k):
            sums = df.groupby(list(dims) + ["side"])["amount"].sum().unstack(fill_value=0.0)
            for members, row in sums.iterrows():
                members = members if isinstance(members, tuple) else (members,)
                name = "&".join("%s=%s" % (d, m) for d, m in zip(dims, members))
                before, after = row.get("before", 0.0), row.get("after", 0.0)
                if round(before, 2) != round(after, 2):
                    expected[name] = (round(before, 2), round(after, 2))
    assert sorted(got["combination"]) == sorted(expected)
    for _, row in got.iterrows():
        assert (row["before"], row["after"]) == pytest.approx(expected[row["combination"]])
