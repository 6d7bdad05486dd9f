"""The calculators registered last (margin, aging, collection, trend,
contribution, leaderboard, overview) through salesight.Dataset(...).run give
the same frames as the typed wrappers on the same data (the same answer on
every surface; C and C++: tests/capi/c99_test.c, tests/unit/calculators), and
Dataset takes products=, invoices=, payments= through the wrappers' own
column builders."""
import numpy as np
import pandas as pd
import pytest

import salesight

N = 2000
pytestmark = pytest.mark.filterwarnings("ignore::salesight.SalesightDataWarning")


@pytest.fixture(scope="module")
def data():
    return {t: salesight.sample(N, table=t) for t in ("orders", "products", "invoices",
                                                      "payments", "targets", "customers")}


ORDERS_MAP = {"order": "order_id", "customer": "customer", "order_date": "order_date",
              "amount": "amount", "unit_cost": "unit_cost", "quantity": "quantity"}
AS_OF = pd.Timestamp("2024-09-30")


def dataset(data, **tables):
    return salesight.Dataset(data["orders"], orders_map=ORDERS_MAP,
                             attributes=["region", "salesperson", "channel"], **tables)


def same(a, b):
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False, check_categorical=False)
    assert len(a) > 0


def typed_margin(data, **kw):
    o = data["orders"]
    return salesight.margin(o, date="order_date", order="order_id", unit_cost="unit_cost",
                            quantity="quantity", **kw)


@pytest.mark.parametrize("kw", [dict(by="region"), dict(by=["region", "quarter"]),
                                dict(by="channel", margin_share="plain", start="2023-01-01")])
def test_margin_table(data, kw):
    run_kw = dict(kw)
    if isinstance(run_kw["by"], list):
        run_kw["by"] = ",".join(run_kw["by"])
    same(dataset(data).run("margin", **run_kw), typed_margin(data, **kw))


def test_margin_ranking_and_abc(data):
    ds = dataset(data)
    same(ds.run("margin", by="region", output="ranking", top=3, bottom=True, rank_by="revenue"),
         typed_margin(data, by="region", output="ranking", top=3, bottom=True,
                      rank_by="revenue"))
    same(ds.run("margin", by="salesperson", output="abc", abc="margin"),
         typed_margin(data, by="salesperson", output="abc", abc="margin"))


def test_margin_with_products(data):
    """products= through the same builder as salesight.margin(products=...):
    categories and standard costs come from the product master."""
    o = data["orders"][["order_id", "order_date", "customer", "product", "amount",
                        "quantity"]]
    ds = salesight.Dataset(o, orders_map={"order": "order_id", "quantity": "quantity",
                                          "product": "product"},
                           products=data["products"], invoices=data["invoices"],
                           payments=data["payments"],
                           payments_map={"invoice": None, "invoice_row": "invoice_row"})
    for by in ("category", "product"):
        typed = salesight.margin(o, by=by, date="order_date", order="order_id",
                                 quantity="quantity", products=data["products"])
        same(ds.run("margin", by=by), typed)
    # the same dataset answers aging, with the invoices' customers matched to the orders'
    typed = salesight.aging(data["invoices"], data["payments"], as_of=AS_OF,
                            payment_columns={"invoice": None, "invoice_row": "invoice_row"})
    same(ds.run("aging", as_of=AS_OF), typed)


@pytest.mark.parametrize("output,kw,typed_kw", [
    ("aging", dict(by="salesperson", cutoffs=[0, 15, 45]),
     dict(by="salesperson", cutoffs=[0, 15, 45])),
    ("aging", dict(basis="invoice"), dict(basis="invoice")),
    ("overdue", dict(top=7), dict(top=7)),
    ("issues", {}, {}),
])
def test_aging(data, output, kw, typed_kw):
    payments_map = {"invoice": None, "invoice_row": "invoice_row"}
    ds = salesight.Dataset(invoices=data["invoices"], payments=data["payments"],
                           payments_map=payments_map)
    typed = salesight.aging(data["invoices"], data["payments"], as_of=AS_OF, output=output,
                            payment_columns=payments_map, **typed_kw)
    if output == "issues" and len(typed) == 0:
        assert len(ds.run("aging", as_of=AS_OF, output=output)) == 0
        return
    same(ds.run("aging", as_of=AS_OF, output=output, **kw), typed)


def test_collection(data):
    ds = salesight.Dataset(invoices=data["invoices"])
    for kw in (dict(), dict(by="region", start="2024-06-01", days_to_pay="amount_weighted")):
        same(ds.run("collection", as_of=AS_OF, **kw),
             salesight.collection(data["invoices"], as_of=AS_OF, **kw))


def test_trend(data):
    o = data["orders"]
    ds = dataset(data)
    for kw in (dict(), dict(grain="quarter", compare="previous", by="region"),
               dict(grain="week", start="2024-01-01", end="2024-06-30", empty_periods=False)):
        typed = salesight.trend(o, date="order_date", order="order_id", unit_cost="unit_cost",
                                quantity="quantity", **kw)
        same(ds.run("trend", **kw), typed)
    typed = salesight.trend(o, date="order_date", order="order_id", as_of=AS_OF,
                            unit_cost="unit_cost", quantity="quantity", output="to_date")
    same(ds.run("trend", as_of=AS_OF, output="to_date"), typed)


def test_contribution(data):
    o = data["orders"]
    ds = dataset(data)
    for kw in (dict(), dict(by="channel", measure="margin", decimals=2),
               dict(by=["region", "channel"], start="2024-01-01")):
        typed = salesight.contribution(o, date="order_date", order="order_id",
                                       unit_cost="unit_cost", quantity="quantity", **kw)
        run_kw = dict(kw)
        if isinstance(run_kw.get("by"), list):
            run_kw["by"] = ",".join(run_kw["by"])
        same(ds.run("contribution", **run_kw), typed)


def test_shared_codes_across_tables(data):
    """Salespeople of the orders, invoices and targets in one code space: the
    leaderboard's collection rate and attainment, and the trend against the
    targets, as the typed wrappers (which join them the same way)."""
    o, inv, targets = data["orders"], data["invoices"], data["targets"]
    # a salesperson only the targets know, and one only the invoices know
    targets = pd.concat([targets, pd.DataFrame({"key": ["Zed"], "month": [202401],
                                                "amount": [5.0]})], ignore_index=True)
    inv = inv.copy()
    inv.loc[inv.index[:3], "salesperson"] = "Aaron"
    ds = salesight.Dataset(o, orders_map=ORDERS_MAP, attributes=["salesperson"], invoices=inv,
                           targets=targets)
    typed = salesight.leaderboard(o, invoices=inv, targets=targets, order="order_id",
                                  unit_cost="unit_cost", quantity="quantity",
                                  rank_by="attainment", start="2024-01-01", end=AS_OF)
    got = ds.run("leaderboard", rank_by="attainment", start="2024-01-01", end=AS_OF)
    same(got, typed)
    assert got["collection_rate"].notna().any() and got["attainment"].notna().any()
    typed = salesight.trend(o, by="salesperson", compare="target", targets=targets,
                            invoices=inv, date="order_date", order="order_id", unit_cost="unit_cost",
                            quantity="quantity", start="2024-01-01", end=AS_OF)
    same(ds.run("trend", by="salesperson", compare="target", start="2024-01-01", end=AS_OF),
         typed)
    with pytest.raises(salesight.InvalidArgumentError, match="targets_level='team'"):
        salesight.Dataset(o, targets=targets, targets_level="team")


def test_customers_master_reaches_the_lines(data):
    """customers=: a line's region and a customer attribute come through its
    customer; = the typed wrappers on the orders joined with the master."""
    o = data["orders"][["order_id", "order_date", "customer", "amount", "unit_cost",
                        "quantity"]]
    c = data["customers"].copy()
    c["Tier"] = np.where(np.arange(len(c)) % 3 == 0, "gold", "silver")
    # a customer no order has (kept out of every group)
    c = pd.concat([c, c.iloc[:1].assign(customer="C-999999", region="Mars")],
                  ignore_index=True)
    ds = salesight.Dataset(o, orders_map=ORDERS_MAP, customers=c, customers_attributes=["Tier"])
    joined = o.merge(c[["customer", "region", "Tier"]], on="customer", how="left")
    assert joined["region"].notna().all()
    same(ds.run("margin", by="region"), typed_margin({"orders": joined}, by="region"))
    typed = salesight.contribution(joined, by="Tier", date="order_date", order="order_id")
    same(ds.run("contribution", by="Tier"), typed)
    assert "Mars" not in set(ds.run("margin", by="region")["region"])


def test_leaderboard(data):
    o = data["orders"]
    ds = dataset(data)
    for rank_by in ("revenue", "margin", "orders"):
        typed = salesight.leaderboard(o, order="order_id", unit_cost="unit_cost",
                                      quantity="quantity", rank_by=rank_by, start="2024-01-01",
                                      end=AS_OF)
        same(ds.run("leaderboard", rank_by=rank_by, start="2024-01-01", end=AS_OF), typed)


def test_overview_is_the_plain_sums(data):
    o = data["orders"]
    got = salesight.overview(o, order="order_id")
    assert list(got.columns) == ["lines", "orders", "customers", "products", "return_lines",
                                 "first_day", "last_day", "sales", "returns", "net_revenue"]
    row = got.iloc[0]
    assert row["lines"] == len(o) and row["orders"] == o["order_id"].nunique()
    assert row["customers"] == o["customer"].nunique() and row["products"] == 0
    assert row["return_lines"] == (o["amount"] < 0).sum()
    assert row["first_day"] == o["order_date"].min() and row["last_day"] == o["order_date"].max()
    assert row["sales"] == pytest.approx(o["amount"][o["amount"] > 0].sum(), abs=0.005)
    assert row["net_revenue"] == pytest.approx(o["amount"].sum(), abs=0.005)


def test_row_permutation_gives_the_same_frames(data):
    """Shuffled input rows give identical outputs through Dataset.run."""
    rng = np.random.default_rng(7)
    o = data["orders"]
    shuffled = o.iloc[rng.permutation(len(o))].reset_index(drop=True)
    inv = data["invoices"]
    inv_shuffled = inv.iloc[rng.permutation(len(inv))].reset_index(drop=True)
    a = salesight.Dataset(o, orders_map=ORDERS_MAP, attributes=["region", "channel"],
                          invoices=inv)
    b = salesight.Dataset(shuffled, orders_map=ORDERS_MAP, attributes=["region", "channel"],
                          invoices=inv_shuffled)
    for name, kw in (("margin", dict(by="region,channel")), ("trend", dict(by="region")),
                     ("contribution", dict(by="channel")), ("overview", {}),
                     ("aging", dict(as_of=AS_OF)), ("collection", dict(as_of=AS_OF)),
                     ("margin", dict(output="abc", by="customer"))):
        pd.testing.assert_frame_equal(a.run(name, **kw), b.run(name, **kw), obj=name)


def test_dataset_table_errors_name_the_argument(data):
    with pytest.raises(salesight.InvalidArgumentError, match="payments belong to invoices="):
        salesight.Dataset(payments=data["payments"])
    with pytest.raises(salesight.InvalidArgumentError, match="products describe the orders="):
        salesight.Dataset(products=data["products"])
    with pytest.raises(salesight.InvalidArgumentError, match="targets are compared with the "):
        salesight.Dataset(targets=data["targets"])
    with pytest.raises(salesight.InvalidArgumentError, match="'bogus' is not a field"):
        salesight.Dataset(invoices=data["invoices"], invoices_map={"bogus": "x"})


def test_aging_age_from_is_the_earlier_name_of_basis(data):
    kw = dict(as_of=AS_OF, payment_columns={"invoice": None, "invoice_row": "invoice_row"})
    with pytest.warns(DeprecationWarning, match="basis="):
        old = salesight.aging(data["invoices"], data["payments"], age_from="invoice_date", **kw)
    same(old, salesight.aging(data["invoices"], data["payments"], basis="invoice", **kw))
    with pytest.raises(salesight.InvalidArgumentError, match="not both"):
        salesight.aging(data["invoices"], data["payments"], basis="invoice",
                        age_from="invoice_date", **kw)


def test_pipeline_salespeople_share_the_orders_codes(data):
    """Dataset(pipeline=..., pipeline_attributes=["salesperson"]): the
    pipeline's salespeople are the orders' (one code space), so the
    leaderboard's won / lost / win rate land on the right rows, as the typed
    wrapper (which joins them the same way). A salesperson only the pipeline
    knows gets a row of their own."""
    o = data["orders"]
    pl = salesight.sample(N, table="pipeline")
    won = pl.index[(pl["won_date"] >= "2023-01-01") & (pl["won_date"] <= AS_OF)]
    pl.loc[won[:2], "salesperson"] = "Zora"  # only in the pipeline, with won deals
    stages = {"lead": "created", "won": "won_date"}
    ds = salesight.Dataset(o, orders_map=ORDERS_MAP, attributes=["salesperson"], pipeline=pl,
                           stages=stages, pipeline_map={"id": "opportunity", "lost": "lost_date"},
                           pipeline_attributes=["salesperson"])
    typed = salesight.leaderboard(o, pipeline=pl, order="order_id", unit_cost="unit_cost",
                                  quantity="quantity", start="2023-01-01", end=AS_OF)
    got = ds.run("leaderboard", start="2023-01-01", end=AS_OF)
    same(got, typed)
    assert got["won"].sum() > 0 and "Zora" in set(got["salesperson"])
