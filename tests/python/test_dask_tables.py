"""salesight.dask.run for aging, collection and leaderboard on a 2-worker
distributed.LocalCluster: random datasets (text codes, multi-line orders split
between salespeople, partial payments), every frame shuffled and cut into
random partitions, some empty; every output table equals
salesight.Dataset(...).run on the whole frames exactly (money as minor units)
(bindings/python/salesight/_dask_tables.py)."""
import os

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import salesight  # noqa: E402
import salesight.dask as sdask  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::salesight.SalesightDataWarning")

# Random datasets per case; SALESIGHT_DASK_SEEDS=N for a longer run.
SEEDS = list(range(1, 1 + int(os.environ.get("SALESIGHT_DASK_SEEDS", "2"))))
SALESPEOPLE = ["ann", "Ann", "bob", "s-1", "\u738b"]
STAGES = ["lead_date", "won_date"]
PIPELINE_MAP = {"lost": "lost_date", "amount": "amount"}


def _days(rng, n, lo="2024-01-01", span=270):
    return pd.Timestamp(lo) + pd.to_timedelta(rng.integers(0, span, n), unit="D")


def _money(rng, n, hi=500):
    return rng.integers(1, hi * 100, n) / 100.0


def make_data(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(80, 240))
    customers = np.array(["C-%03d" % i for i in range(25)])
    orders = pd.DataFrame({
        "order_id": rng.integers(0, n // 2, n) * 7 + 1000,  # several lines per order
        "customer": rng.choice(customers, n),
        "order_date": _days(rng, n),
        "amount": _money(rng, n),
        "salesperson": rng.choice(SALESPEOPLE[:4], n),  # the 5th only in targets
    })
    orders["cost"] = np.round(orders["amount"] * rng.uniform(0.2, 0.9, n), 2)
    m = int(rng.integers(20, 60))
    lead = _days(rng, m, span=200)
    won = lead + pd.to_timedelta(rng.integers(0, 60, m), unit="D")
    won = won.where(rng.random(m) < 0.4, pd.NaT)
    lost = (lead + pd.to_timedelta(rng.integers(0, 60, m), unit="D")).where(
        rng.random(m) < 0.4, pd.NaT)
    pipeline = pd.DataFrame({"salesperson": rng.choice(SALESPEOPLE[:4], m), "lead_date": lead,
                             "won_date": won, "lost_date": lost, "amount": _money(rng, m)})
    k = int(rng.integers(30, 90))
    keys = np.array(["INV-%04d" % i for i in rng.permutation(5000)[:k]])
    invoice_date = _days(rng, k, span=240)
    invoices = pd.DataFrame({
        "invoice": keys, "customer": rng.choice(customers, k),
        "salesperson": rng.choice(SALESPEOPLE[:4] + ["zoe"], k),  # zoe: invoices only
        "region": rng.choice(["East", "West", "\u534e\u4e1c"], k),
        "invoice_date": invoice_date,
        "due_date": invoice_date + pd.to_timedelta(rng.choice([0, 15, 30, 60], k), unit="D"),
        "amount": _money(rng, k, 2000)})
    j = int(rng.integers(10, 2 * k))
    paid_of = rng.integers(0, k, j)
    payments = pd.DataFrame({
        "invoice": keys[paid_of],
        "date": invoices["invoice_date"].to_numpy()[paid_of] +
        pd.to_timedelta(rng.integers(-3, 90, j), unit="D").to_numpy(),
        "amount": np.round(invoices["amount"].to_numpy()[paid_of] * rng.uniform(0.1, 0.7, j), 2)})
    months = [202401 + i for i in range(9)]
    targets = pd.DataFrame([(sp, mo, float(rng.integers(100, 3000)))
                            for sp in SALESPEOPLE for mo in months if rng.random() < 0.7],
                           columns=["key", "month", "amount"])
    return {"orders": orders, "pipeline": pipeline, "invoices": invoices,
            "payments": payments, "targets": targets}


def partitions(df, rng):
    """The rows shuffled and cut at random points into 1..6 partitions, some
    of them empty."""
    df = df.sample(frac=1, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)
    k = int(rng.integers(1, 7))
    cuts = sorted([0, len(df)] + list(rng.integers(0, len(df) + 1, k - 1)))
    if k > 2:
        cuts[1] = cuts[2]  # at least one empty partition
    parts = [df.iloc[a:b] for a, b in zip(cuts[:-1], cuts[1:])]
    return dd.from_delayed([dask.delayed(p) for p in parts], meta=df.iloc[:0])


def check_equal(got, want):
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_exact=True, check_dtype=False)


RECEIVABLES = [
    ("aging", {"as_of": "2024-08-15", "by": "customer"}, ("aging", "overdue", "issues")),
    ("aging", {"by": "salesperson", "top": 5}, ("aging", "overdue", "issues")),
    ("aging", {"by": "region", "basis": "invoice", "as_of": "2024-06-30"}, ("aging",)),
    ("collection", {"by": "salesperson"}, ("collection",)),
    ("collection", {"by": "none", "start": "2024-03-01", "as_of": "2024-07-31"},
     ("collection",)),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,options,outputs", RECEIVABLES,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(RECEIVABLES)])
def test_receivables_equal_the_whole_frames(client, seed, name, options, outputs):
    data = make_data(seed)
    rng = np.random.default_rng(seed * 31)
    ds = salesight.Dataset(invoices=data["invoices"], payments=data["payments"])
    inv, pay = partitions(data["invoices"], rng), partitions(data["payments"], rng)
    for output in outputs:
        want = ds.run(name, output=output, money="minor", **options)
        got = sdask.run(name, invoices=inv, payments=pay, output=output, money="minor",
                        **options)
        if output != "issues":
            assert len(want) > 0, output
        else:
            # example rows are row positions within a partition in Dask (the
            # counts and amounts are exact)
            got, want = got.drop(columns="example_rows"), want.drop(columns="example_rows")
        check_equal(got, want)


LEADERBOARD = [
    {},  # as_of: the latest date of all the data, computed before the partitions
    {"start": "2024-03-01", "end": "2024-07-31", "rank_by": "win_rate", "top": 3},
    {"end": "2024-06-30", "rank_by": "attainment"},
    {"as_of": "2024-09-30", "rank_by": "margin"},
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("options", LEADERBOARD, ids=["case%d" % i for i in range(4)])
def test_leaderboard_equals_the_whole_frames(client, seed, options):
    data = make_data(seed)
    rng = np.random.default_rng(seed * 17)
    ds = salesight.Dataset(data["orders"], orders_map={"order": "order_id", "cost": "cost"},
                           attributes=["salesperson"], pipeline=data["pipeline"], stages=STAGES,
                           pipeline_map=PIPELINE_MAP, pipeline_attributes=["salesperson"],
                           invoices=data["invoices"], payments=data["payments"],
                           targets=data["targets"])
    want = ds.run("leaderboard", money="minor", **options)
    assert len(want) > 0
    assert want["won"].notna().all() and want["collection_rate"].notna().any()
    frames = {k: partitions(v, rng) for k, v in data.items()}
    got = sdask.run("leaderboard", frames["orders"], order="order_id",
                    orders_map={"cost": "cost"}, pipeline=frames["pipeline"], stages=STAGES,
                    pipeline_map=PIPELINE_MAP, invoices=frames["invoices"],
                    payments=frames["payments"], targets=frames["targets"], money="minor",
                    **options)
    check_equal(got, want)


@pytest.mark.parametrize("seed", [s + 100 for s in SEEDS])
def test_leaderboard_of_orders_only(client, seed):
    data = make_data(seed)
    rng = np.random.default_rng(seed)
    ds = salesight.Dataset(data["orders"], orders_map={"order": "order_id"},
                           attributes=["salesperson"])
    want = ds.run("leaderboard", money="minor", rank_by="orders")
    got = sdask.run("leaderboard", partitions(data["orders"], rng), order="order_id",
                    money="minor", rank_by="orders")
    check_equal(got, want)


def test_a_payment_without_its_invoice_is_an_error(client):
    data = make_data(6)
    pay = data["payments"].copy()
    pay.loc[len(pay)] = ["INV-none", pd.Timestamp("2024-05-01"), 10.0]
    with pytest.raises(salesight.InvalidArgumentError, match="INV-none.*not in the invoices"):
        sdask.run("aging", invoices=dd.from_pandas(data["invoices"], npartitions=2),
                  payments=dd.from_pandas(pay, npartitions=3), as_of="2024-09-30")
    with pytest.raises(salesight.InvalidArgumentError, match="not in the invoices"):
        salesight.Dataset(invoices=data["invoices"], payments=pay)
