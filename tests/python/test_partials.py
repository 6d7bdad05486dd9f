"""Partial states of every aggregating calculator through Dataset.partial /
Dataset.finish (salesight_calculator_partial / salesight_partial_finish):
row ranges merged in random order, some through bytes, equal Dataset.run on
all the rows (C++: tests/unit/calculators/aggregator_test.cpp)."""
import random

import pandas as pd
import pytest

import salesight
from salesight import _salesight

N = 1000
pytestmark = pytest.mark.filterwarnings("ignore::salesight.SalesightDataWarning")

ORDERS_MAP = {"order": "order_id", "customer": "customer", "order_date": "order_date",
              "amount": "amount", "unit_cost": "unit_cost", "quantity": "quantity"}

CASES = [
    ("aging", "invoices", {"as_of": pd.Timestamp("2024-09-30"), "by": "customer"}),
    ("collection", "invoices", {"as_of": pd.Timestamp("2024-09-30"), "by": "salesperson"}),
    ("trend", "orders", {"grain": "month", "by": "region"}),
    ("contribution", "orders", {"by": "region"}),
    ("margin", "orders", {"by": "region"}),
    ("rfm", "orders", {"as_of": pd.Timestamp("2024-09-30")}),
    # the leaderboard's rows: the orders', then the invoices' (its tables one after another)
    ("leaderboard", "orders+invoices", {"as_of": pd.Timestamp("2024-09-30"),
                                        "rank_by": "collection_rate"}),
]


@pytest.fixture(scope="module")
def data():
    t = {k: salesight.sample(N, table=k) for k in ("orders", "invoices", "payments")}
    return t


@pytest.mark.parametrize("name,table,options", CASES, ids=[c[0] + "-" + c[1] for c in CASES])
def test_partials_equal_the_whole_run(data, name, table, options):
    ds = salesight.Dataset(data["orders"], orders_map=ORDERS_MAP,
                           attributes=["region", "salesperson", "channel"],
                           invoices=data["invoices"], payments=data["payments"],
                           payments_map={"invoice": None, "invoice_row": "invoice_row"})
    rows = sum(len(data[t]) for t in table.split("+"))
    rng = random.Random(name)
    cuts = sorted([0, rows] + [rng.randrange(rows + 1) for _ in range(3)])
    parts = [ds.partial(name, begin=b, end=e, **options) for b, e in zip(cuts, cuts[1:])]
    parts = [_salesight.partial_deserialize(p.serialize()) if i % 2 else p
             for i, p in enumerate(parts)]
    if name != "rfm":
        rng.shuffle(parts)
    while len(parts) > 1:
        i = rng.randrange(len(parts) - 1)
        parts[i].merge(parts.pop(i + 1))
    got = ds.finish(parts[0], name, **options)
    want = ds.run(name, **options)
    pd.testing.assert_frame_equal(got, want)
    assert len(want) > 0


def test_different_options_are_refused(data):
    ds = salesight.Dataset(data["orders"], orders_map=ORDERS_MAP, attributes=["region"])
    a = ds.partial("trend", begin=0, end=10, grain="month")
    b = ds.partial("trend", begin=10, end=20, grain="week")
    with pytest.raises(salesight.InvalidArgumentError, match="different options"):
        a.merge(b)
