"""aging / collection / contribution / trend by any DataFrame column: a column
that is no field of the table is sent as an attribute column (the funnel's
mechanism) and grouped by its own name. Checked against plain pandas
references on random data with missing members (NaN / None = the group
salesight.MISSING), and for row order: shuffled rows give identical frames."""

import numpy as np
import pandas as pd
import pytest

import salesight

AS_OF = pd.Timestamp("2024-06-30")
CUTOFFS = [0, 30, 60, 90]
BUCKETS = ["b_current", "b_1_30", "b_31_60", "b_61_90", "b_over_90"]


def with_missing(rng, values, n, rate=0.15):
    out = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
    out[rng.random(n) < rate] = None
    return out


def key(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return salesight.MISSING
    return value


def random_invoices(seed, n=300):
    rng = np.random.default_rng(seed)
    day = AS_OF.value // 86_400_000_000_000
    issued = day - rng.integers(-20, 200, n)  # some after as_of (unknown)
    due = issued + rng.integers(0, 60, n)
    cents = rng.integers(-2_000, 500_000, n)  # a few credit notes
    paid_cents = np.where((rng.random(n) < 0.5) & (cents > 0),
                          (cents * rng.random(n) * 1.1).astype(np.int64), 0)  # some overpaid
    paid_day = np.where(paid_cents != 0, issued + rng.integers(-5, 120, n), -1)
    to_date = lambda d: pd.to_datetime(np.where(d >= 0, d, np.nan), unit="D")  # noqa: E731
    return pd.DataFrame({
        "invoice": np.arange(n, dtype=np.int64),
        "customer": rng.choice(["C1", "C2", "C3", "C4", "C5"], n),
        "invoice_date": to_date(issued),
        "due_date": to_date(due),
        "amount": cents / 100.0,
        "paid": paid_cents / 100.0,
        "paid_date": to_date(paid_day),
        "Segment": with_missing(rng, ["Retail", "Wholesale", "Online", "政府"], n),
    })


def aging_reference(df, by):
    """Bucket sums (in cents) per group with outstanding > 0, as defined in
    receivables.hpp: known invoices, payments dated <= as_of, age from due."""
    rows = {}
    for r in df.itertuples(index=False):
        if r.invoice_date > AS_OF:
            continue
        paid = round(r.paid * 100) if pd.notna(r.paid_date) and r.paid_date <= AS_OF else 0
        out = round(r.amount * 100) - paid
        if out <= 0:
            continue
        age = (AS_OF - r.due_date).days
        bucket = sum(age > c for c in CUTOFFS)
        cells = rows.setdefault(key(getattr(r, by)), [0] * len(BUCKETS))
        cells[bucket] += out
    return rows


def aging_got(frame, by):
    return {key(row[by]): [round(row[b] * 100) for b in BUCKETS]
            for _, row in frame.iterrows()}


@pytest.mark.parametrize("seed", range(10))
def test_aging_by_attribute_against_reference(seed):
    df = random_invoices(seed)
    got = salesight.aging(df, as_of=AS_OF, by="Segment")
    assert list(got.columns) == ["Segment"] + BUCKETS + ["total"]
    assert aging_got(got, "Segment") == aging_reference(df, "Segment")
    # canonical order: the members' values, never the row order
    labels = [key(v) for v in got["Segment"]]
    assert labels == sorted(labels, key=lambda s: s.encode())


@pytest.mark.parametrize("seed", range(4))
def test_aging_and_collection_ignore_row_order(seed):
    df = random_invoices(100 + seed)
    shuffled = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    for output in ("aging", "collection"):
        a = salesight.aging(df, as_of=AS_OF, by="Segment", output=output)
        b = salesight.aging(shuffled, as_of=AS_OF, by="Segment", output=output)
        pd.testing.assert_frame_equal(a, b)


def test_collection_by_attribute_hand_computed():
    df = pd.DataFrame({
        "invoice": [1, 2, 3],
        "customer": ["C1", "C2", "C1"],
        "invoice_date": pd.to_datetime(["2024-05-01"] * 3),
        "due_date": pd.to_datetime(["2024-06-01"] * 3),
        "amount": [100.0, 50.0, 30.0],
        "paid": [100.0, 0.0, 15.0],
        "paid_date": pd.to_datetime(["2024-05-20", None, "2024-06-10"]),
        "Segment": ["B", None, "B"],
    })
    got = salesight.collection(df, as_of=AS_OF, by="Segment")
    assert list(got["Segment"]) == [salesight.MISSING, "B"]  # the missing member first
    assert list(got["billed"]) == [50.0, 130.0]
    assert list(got["collected"]) == [0.0, 115.0]


def random_orders(seed, n=400):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "order_date": pd.to_datetime(19700 + rng.integers(0, 300, n), unit="D"),
        "amount": rng.integers(-5_000, 90_000, n) / 100.0,
        "region": rng.choice(["N", "S", "E"], n),
        "Sub-Category": with_missing(rng, ["Chairs", "Desks", "Paper", "Binders"], n, 0.1),
        "tier": rng.integers(1, 4, n),
    })


def contribution_reference(df, by):
    sums = {}
    for values, amount in zip(zip(*(df[c] for c in by)), df["amount"]):
        k = tuple(key(v) for v in values)
        sums[k] = sums.get(k, 0) + round(amount * 100)
    return sums


@pytest.mark.parametrize("seed", range(10))
def test_contribution_by_attributes_against_reference(seed):
    df = random_orders(seed)
    by = [["Sub-Category"], ["Sub-Category", "region"], ["tier", "Sub-Category"]][seed % 3]
    got = salesight.contribution(df, by=by if len(by) > 1 else by[0])
    assert list(got.columns[:len(by)]) == by
    values = {tuple(key(v) for v in row[:len(by)]): round(row[-1] * 100)
              for row in got[by + ["value"]].itertuples(index=False)}
    assert values == contribution_reference(df, by)
    assert round(got["share_pct"].sum(), 6) == 100.0
    shuffled = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, salesight.contribution(shuffled, by=by if len(by) > 1
                                                              else by[0]))


def test_trend_by_attribute_matches_pandas():
    df = random_orders(7)
    got = salesight.trend(df, by="Sub-Category", empty_periods=False, with_margin=False,
                          count_orders=False)
    ref = df.assign(period=df["order_date"].dt.strftime("%Y-%m"),
                    g=df["Sub-Category"].map(key))
    want = {(g, p): round(v * 100) for (g, p), v in
            ref.groupby(["g", "period"])["amount"].sum().items()}
    have = {(key(g), p): round(v * 100)
            for g, p, v in got[["Sub-Category", "period", "revenue"]].itertuples(index=False)}
    assert have == want


def test_unknown_dimension_names_the_column():
    with pytest.raises(salesight.UnknownColumnError, match="Nope"):
        salesight.aging(random_invoices(1), as_of=AS_OF, by="Nope")
