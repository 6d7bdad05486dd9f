"""pytest for the salesight Python package (pandas layer -> pybind11 module ->
C ABI). Reference implementations are written plainly in pandas here."""

import threading

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _salesight

EPOCH = pd.Timestamp("1970-01-01")


def random_orders(seed, n=400, customers=40, string_ids=False):
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, customers, n)
    days = rng.integers(19000, 19400, n).astype("int64")
    df = pd.DataFrame({
        "Customer": ["C%04d" % c for c in cust] if string_ids else cust.astype(np.int64),
        "Order Date": EPOCH + pd.to_timedelta(days, unit="D"),
        # whole cents as float currency units, some returns
        "Sales": rng.integers(-500, 100000, n) / 100.0,
        "Order": np.arange(n, dtype=np.int64) // 2,  # two lines per order
    })
    return df


def ntile(order_keys, n_buckets=5):
    """SQL NTILE over rows already sorted: bucket per position."""
    n = len(order_keys)
    base, extra = divmod(n, n_buckets)
    out = np.empty(n, dtype=np.int64)
    pos = 0
    for b in range(n_buckets):
        size = base + (1 if b < extra else 0)
        out[pos:pos + size] = b + 1
        pos += size
    return out


def reference_workload_rfm(df, as_of_day):
    """WORKLOADS.md (a) written plainly: every line a purchase, NTILE(5) with
    customer code breaking ties, the workload segment rules."""
    days = ((df["Order Date"] - EPOCH).dt.days).to_numpy()
    d = df.assign(day=days, cents=np.round(df["Sales"].to_numpy() * 100).astype(np.int64))
    d = d[d["day"] <= as_of_day]
    g = d.groupby("Customer").agg(last=("day", "max"), frequency=("Order", "nunique"),
                                  monetary=("cents", "sum")).reset_index()
    g["recency_days"] = as_of_day - g["last"]
    g = g.sort_values("Customer", kind="mergesort").reset_index(drop=True)
    for score, key, asc in (("r", "recency_days", False), ("f", "frequency", True),
                            ("m", "monetary", True)):
        ordered = g.sort_values([key, "Customer"], ascending=[asc, True], kind="mergesort")
        g.loc[ordered.index, score] = ntile(ordered.index)
    g[["r", "f", "m"]] = g[["r", "f", "m"]].astype(np.int64)

    def segment(row):
        r, f, m = row.r, row.f, row.m
        if r >= 4 and f >= 4 and m >= 4:
            return "champions"
        if r >= 3 and f >= 3:
            return "loyal"
        if r >= 4 and f <= 2:
            return "new"
        if r <= 2 and f >= 4:
            return "cant_lose"
        if r <= 2 and f >= 2:
            return "at_risk"
        if r <= 2:
            return "lost"
        return "need_attention"

    g["segment"] = g.apply(segment, axis=1)
    return g


def test_version_checked_at_import():
    assert salesight.__version__ == _salesight.version_string()
    assert _salesight.version_number() // 1000 == _salesight.HEADER_VERSION_NUMBER // 1000


def test_version_rule_0x_minor_must_match():
    ok = salesight._compatible
    assert ok(2000, 2000) and ok(2000, 2003)        # 0.2.0 module: 0.2.x library
    assert not ok(2000, 1000) and not ok(1000, 2000)  # a 0.x minor may change the ABI
    assert ok(1002000, 1003000) and not ok(1003000, 1002000)  # from 1.0: newer minor is fine
    assert not ok(1000000, 2000000)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_rfm_matches_plain_pandas_reference(seed, threads):
    df = random_orders(seed, string_ids=seed % 2 == 1)
    as_of = 19300
    got = salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales",
                        order="Order", as_of=as_of, scoring="ntile", segments="workload",
                        all_lines_are_purchases=True, money="minor", num_threads=threads)
    want = reference_workload_rfm(df, as_of)
    assert list(got.columns) == ["customer", "recency_days", "frequency", "monetary", "r", "f",
                                 "m", "segment"]
    got = got.sort_values("customer", kind="mergesort").reset_index(drop=True)
    assert got["customer"].tolist() == want["Customer"].tolist()
    for col in ("recency_days", "frequency", "monetary", "r", "f", "m"):
        assert got[col].to_numpy().tolist() == want[col].to_numpy().tolist(), col
    assert got["segment"].astype(str).tolist() == want["segment"].tolist()


def test_rfm_string_and_integer_codes_agree():
    a = random_orders(5, string_ids=False)
    b = a.assign(Customer=["C%04d" % c for c in a["Customer"]])
    kw = dict(customer="Customer", date="Order Date", amount="Sales", order="Order",
              as_of="2022-11-01")
    ra = salesight.rfm(a, **kw)
    rb = salesight.rfm(b, **kw)
    assert ["C%04d" % c for c in ra["customer"]] == rb["customer"].tolist()
    pd.testing.assert_frame_equal(ra.drop(columns="customer"), rb.drop(columns="customer"))


@pytest.mark.parametrize("mapping", ["negative", "sparse", "beyond_int32", "int32"])
def test_rfm_integer_ids_the_library_refuses_are_factorized(mapping):
    """Int ids pass through unchecked; when the library refuses them (negative,
    too sparse for a dense id space, beyond int32) salesight.rfm factorizes
    them and the result still carries the caller's ids, in the same order."""
    a = random_orders(7)
    ids = a["Customer"].to_numpy()
    mapped = {"negative": ids - 20,                       # some < 0
              "sparse": ids * 50_000_000 + 3,             # max >> 16 x rows
              "beyond_int32": ids + 2**40,                # not int32 at all
              "int32": ids.astype(np.int32)}[mapping]     # accepted as is
    b = a.assign(Customer=mapped)
    kw = dict(customer="Customer", date="Order Date", amount="Sales", order="Order",
              as_of="2022-11-01", scoring="ntile")
    ra = salesight.rfm(a, **kw)
    rb = salesight.rfm(b, **kw)
    order = {c: m for c, m in zip(ids.tolist(), mapped.tolist())}
    assert rb["customer"].tolist() == [order[c] for c in ra["customer"].tolist()]
    assert rb["customer"].dtype == mapped.dtype
    pd.testing.assert_frame_equal(ra.drop(columns="customer"), rb.drop(columns="customer"))


def test_rfm_hand_case_and_money():
    # A buys on days 19000 (10.50) and 19010 (1.00); B on 19005 (20.25).
    # as_of defaults to the day after the last order: 19011.
    # A: recency 19011-19010 = 1, frequency 2, monetary 11.50; B: 6, 1, 20.25.
    df = pd.DataFrame({"c": ["A", "B", "A"], "d": np.array([19000, 19005, 19010], np.int32),
                       "amt": [10.5, 20.25, 1.0]})
    got = salesight.rfm(df, customer="c", date="d", amount="amt")
    assert got["customer"].tolist() == ["A", "B"]
    assert got["recency_days"].tolist() == [1, 6]
    assert got["frequency"].tolist() == [2, 1]
    assert got["monetary"].tolist() == [11.5, 20.25]
    minor = salesight.rfm(df, customer="c", date="d", amount="amt", money="minor")
    assert minor["monetary"].tolist() == [1150, 2025]
    # numeric result columns are zero-copy, read-only views of the result
    assert not minor["frequency"].to_numpy().flags.writeable


def test_errors_are_salesight_errors_with_the_library_message():
    df = pd.DataFrame({"c": ["A"], "d": [1.5], "amt": [1.0]})
    with pytest.raises(salesight.TypeMismatchError) as e:
        salesight.rfm(df, customer="c", date="d", amount="amt")
    assert isinstance(e.value, TypeError) and isinstance(e.value, salesight.SalesightError)
    assert "order_date" in str(e.value)
    df = pd.DataFrame({"c": ["A"], "d": pd.to_datetime(["2024-01-01"]), "amt": [1.005]})
    with pytest.raises(salesight.InvalidArgumentError, match="decimals"):
        salesight.rfm(df, customer="c", date="d", amount="amt", money_scale=2)
    with pytest.raises(salesight.UnknownColumnError) as e:
        salesight.rfm(df, customer="nope", date="d", amount="amt")
    assert isinstance(e.value, KeyError) and "nope" in str(e.value)
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.rfm(df, customer="c", date="d", amount="amt", scoring="magic")
    with pytest.raises(salesight.TypeMismatchError):
        salesight.rfm(df.assign(amt=np.array([1], dtype=np.int8)), customer="c", date="d",
                      amount="amt")


def test_funnel_hand_case():
    # 4 opportunities: all leads, 2 quoted, 1 won; region N has opps 1 and 3.
    df = pd.DataFrame({
        "lead": pd.to_datetime(["2022-01-08", "2022-01-09", "2022-01-10", "2022-01-11"]),
        "quote": pd.to_datetime(["2022-01-13", "2022-01-16", None, None]),
        "won": pd.to_datetime(["2022-01-20", None, None, None]),
        "Region": ["N", "S", "N", "S"],
    })
    overall = salesight.funnel(df, stages=["lead", "quote", "won"])
    assert overall.loc[0, "lead_count"] == 4
    assert overall.loc[0, "quote_count"] == 2
    assert overall.loc[0, "won_count"] == 1
    assert overall.loc[0, "quote_step_conv"] == 0.5  # 2 / 4
    # median of lead->quote gaps 5 and 7 days = 6
    assert overall.loc[0, "quote_median_days"] == 6.0
    by = salesight.funnel(df, stages=["lead", "quote", "won"], by="Region")
    assert by["Region"].tolist() == ["N", "S"]
    assert by["quote_count"].tolist() == [1, 1]
    assert by["won_count"].tolist() == [1, 0]


def test_funnel_data_problems_warn_and_name_the_lead_id():
    # The second lead is won before its lead date: a data problem (2 backwards
    # dates: won < lead, won < created), left out of the day statistics, and
    # reported by a SalesightDataWarning and df.attrs["problems"] naming the
    # lead id as the DataFrame spells it - never the internal dense id.
    ids = ["0f3a9c2e7b1d4e5f8a6b7c9d0e1f2a3b", "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b",
           "b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1"]
    df = pd.DataFrame({
        "lead_id": ids,
        "lead": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-03"]),
        "won": pd.to_datetime(["2024-01-09", "2024-01-02", None]),
    })
    with pytest.warns(salesight.SalesightDataWarning, match=ids[1]) as caught:
        out = salesight.funnel(df, stages=["lead", "won"], id="lead_id")
    assert len(caught) == 1
    assert out.loc[0, "won_count"] == 2
    problems = out.attrs["problems"]
    assert [p["problem"] for p in problems] == ["backwards_dates"]
    p = problems[0]
    assert p["count"] == 2
    assert p["example_ids"] == [ids[1], ids[1]]
    assert p["example_rows"] == [1, 1]
    assert p["amount"] is None
    assert "opportunity '%s': won 2024-01-02 is before lead 2024-01-05" % ids[1] in p["message"]
    assert "opportunity '1'" not in p["message"]
    # Integer ids are named as the numbers they are.
    df2 = df.assign(lead_id=[900001, 6357, 42])
    with pytest.warns(salesight.SalesightDataWarning, match="opportunity '6357'"):
        out2 = salesight.funnel(df2, stages=["lead", "won"], id="lead_id")
    assert out2.attrs["problems"][0]["example_ids"] == ["6357", "6357"]


def test_clean_data_has_no_problems_and_no_warning():
    import warnings
    df = pd.DataFrame({
        "lead": pd.to_datetime(["2024-01-01", "2024-01-05"]),
        "won": pd.to_datetime(["2024-01-09", None]),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("error", salesight.SalesightDataWarning)
        out = salesight.funnel(df, stages=["lead", "won"])
    assert out.attrs["problems"] == []


def test_aging_data_problems_reach_python():
    # Invoice 11 is overpaid by 30.00: one overpaid_invoices problem.
    inv = pd.DataFrame({
        "invoice": [10, 11],
        "customer": ["C1", "C2"],
        "invoice_date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        "due_date": pd.to_datetime(["2024-01-31", "2024-02-01"]),
        "amount": [100.0, 50.0],
        "paid": [0.0, 80.0],
        "paid_date": pd.to_datetime([None, "2024-01-20"]),
    })
    with pytest.warns(salesight.SalesightDataWarning, match="overpaid"):
        out = salesight.aging(inv, as_of="2024-03-01")
    problems = out.attrs["problems"]
    assert [p["problem"] for p in problems] == ["overpaid_invoices"]
    assert problems[0]["count"] == 1
    assert problems[0]["amount"] == 30.0
    assert problems[0]["example_ids"] == ["11"]
    assert problems[0]["example_rows"] == [1]
    # Text invoice numbers are named as given, in the problems and the overdue list.
    text = inv.assign(invoice=["INV-0007", "INV-0042"])
    with pytest.warns(salesight.SalesightDataWarning, match="invoice 'INV-0042'"):
        out = salesight.aging(text, as_of="2024-03-01")
    assert out.attrs["problems"][0]["example_ids"] == ["INV-0042"]
    with pytest.warns(salesight.SalesightDataWarning):
        overdue = salesight.aging(text, as_of="2024-03-01", output="overdue")
    assert overdue["invoice"].tolist() == ["INV-0007"]


def test_margin_hand_case():
    # P-1: revenue 10.50 + 1.00 + 5.00 = 16.50, cost 3 x 5.00 = 15.00, margin 1.50
    # P-2: revenue 20.25 + 0.10 + 99.99 = 120.34, cost 6 x 8.00 = 48.00, margin 72.34
    df = pd.DataFrame({
        "Product": ["P-1", "P-2", "P-1", "P-2", "P-2", "P-1"],
        "Sales": [10.5, 20.25, 1.0, 0.1, 99.99, 5.0],
        "Qty": np.array([1, 2, 1, 1, 3, 1], np.int32),
        "UnitCost": [5.0, 8.0, 5.0, 8.0, 8.0, 5.0],
    })
    got = salesight.margin(df, by="Product", amount="Sales", unit_cost="UnitCost",
                           quantity="Qty")
    assert got["Product"].tolist() == ["P-1", "P-2"]
    assert got["revenue"].tolist() == [16.5, 120.34]
    assert got["cost"].tolist() == [15.0, 48.0]
    assert got["margin"].round(2).tolist() == [1.5, 72.34]
    # margin column instead of cost: cost = amount - margin
    m = df.assign(Profit=[0.5, 4.25, -4.0, -7.9, 75.99, 0.0])
    got2 = salesight.margin(m, by="Product", amount="Sales", margin="Profit", money="minor")
    # P-1 cost = 1650 - (50 - 400 + 0) = 2000; P-2 cost = 12034 - (425 - 790 + 7599) = 4800
    assert got2["cost"].tolist() == [2000, 4800]


def test_read_csv_reports_every_rejected_row(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order,Day,Who,Sales\n1,01/02/2024,A,10.50\n2,13/01/2024,B,3\n"
                    "3,01/03/2024,C,abc\n4,01/04/2024,A,\"1,000.00\"\n")
    df = salesight.read_csv(path, {"order": "Order", "date": "Day", "customer": "Who",
                                   "amount": "Sales"}, date_format="%m/%d/%Y",
                            thousands_separator=",")
    report = df.attrs["report"]
    assert (report["data_lines"], report["accepted"], report["rejected"]) == (4, 2, 2)
    assert df.attrs["rejects"]["line"].tolist() == [3, 4]
    assert df["customer"].tolist() == ["A", "A"]
    assert df["amount"].tolist() == [10.5, 1000.0]
    with pytest.raises(salesight.SalesightIOError):
        salesight.read_csv(tmp_path / "missing.csv", "order=Order")


def test_sample_and_rfm_on_it():
    orders = salesight.sample(2000)
    assert len(orders) == 2000
    assert {"order_id", "order_date", "customer", "amount"} <= set(orders.columns)
    res = salesight.rfm(orders, customer="customer", date="order_date", amount="amount",
                        order="order_id", as_of=orders.attrs["as_of"])
    assert res["frequency"].sum() <= 2000
    assert set(res["segment"].astype(str)) <= {"high_value", "new", "potential", "churn_risk",
                                                "low_value", "regular"}
    pipeline = salesight.sample(2000, "pipeline")
    stages = ["lead_date", "opportunity_date", "quote_date", "contract_date", "won_date",
              "paid_date"]
    f = salesight.funnel(pipeline, stages=stages, created="created")
    assert list(f.columns[:4]) == ["lead_count", "lead_step_conv", "lead_cum_conv",
                                   "lead_median_days"]
    assert f.loc[0, "lead_count"] == len(pipeline)


def test_quote_check():
    products = pd.DataFrame({"product": ["P1", "P2"], "standard_cost": [8.0, 2.0]})
    tiers = pd.DataFrame({"product": ["P1"], "min_quantity": np.array([10], np.int32),
                          "unit_cost": [7.0]})
    customers = pd.DataFrame({"customer": ["A", "B"], "credit_limit": [100.0, 1000.0]})
    quotes = pd.DataFrame({"customer": ["A", "B"], "product": ["P1", "P1"],
                           "quantity": [5, 10], "unit_price": [7.5, 7.5]})
    got = salesight.quote_check(quotes, products, customers, tiers=tiers, date=None)
    # A: 5 x 8.00 standard cost (below the 10-unit tier) > 7.50: below cost;
    #    exposure 37.50 <= 100.
    # B: tier cost 7.00, margin 10 x 0.50 = 5.00 = 6.67% < 10% floor.
    assert got["unit_cost"].tolist() == [8.0, 7.0]
    assert "below_cost" in got.loc[0, "warnings"]
    assert "below_margin_floor" in got.loc[1, "warnings"]
    assert "over_credit_limit" not in got.loc[0, "warnings"]
    with pytest.raises(salesight.InvalidArgumentError, match="ZZ"):
        salesight.quote_check(quotes.assign(customer=["ZZ", "A"]), products, customers)


def test_threads_share_tables_with_gil_released():
    df = random_orders(3, n=20000, customers=2000)
    kw = dict(customer="Customer", date="Order Date", amount="Sales", order="Order")
    want = salesight.rfm(df, **kw)
    results = [None] * 4

    def run(i):
        results[i] = salesight.rfm(df, **kw)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        pd.testing.assert_frame_equal(r, want)


# ------------------------------------------------------------------ dashboard
# aging / collection / trend / contribution against plain pandas references
# on the generated sample (salesight.sample), money as int64 cents.

D = pd.Timestamp("2024-09-30")  # WORKLOADS.md's as-of date (day 19996)


@pytest.fixture(scope="module")
def dash():
    return salesight.sample(20000, "all", money="minor")


def reference_ar_customer(inv, as_of, paid_by=None):
    """WORKLOADS.md (d) ar_customer; paid_by (per invoice row) replaces the
    invoices' paid / paid_date when given."""
    d = inv[inv["invoice_date"] <= as_of].copy()
    if paid_by is None:
        known = d["paid_date"].notna() & (d["paid_date"] <= as_of)
        d["collected"] = np.where(known, d["paid"], 0)
    else:
        d["collected"] = paid_by.reindex(d.index, fill_value=0).to_numpy()
    d["outstanding"] = d["amount"] - d["collected"]
    d["dpd"] = (as_of - d["due_date"]).dt.days
    d = d[d["outstanding"] > 0]
    bucket = np.select([d["dpd"] <= 0, d["dpd"] <= 30, d["dpd"] <= 60, d["dpd"] <= 90],
                       ["b_current", "b_1_30", "b_31_60", "b_61_90"], "b_over_90")
    t = d.assign(bucket=bucket).pivot_table(index="customer", columns="bucket",
                                            values="outstanding", aggfunc="sum", fill_value=0)
    for b in ("b_current", "b_1_30", "b_31_60", "b_61_90", "b_over_90"):
        if b not in t.columns:
            t[b] = 0
    t = t[["b_current", "b_1_30", "b_31_60", "b_61_90", "b_over_90"]].astype(np.int64)
    t["total"] = t.sum(axis=1)
    return t.sort_index()


def test_aging_matches_workload_d_ar_customer(dash):
    inv = dash["invoices"]
    got = salesight.aging(inv, as_of=D, money="minor").set_index("customer")
    want = reference_ar_customer(inv, D)
    assert list(got.columns) == list(want.columns)
    assert got.index.tolist() == want.index.tolist()
    assert (got.to_numpy() == want.to_numpy()).all()
    assert len(got) > 100


def test_aging_with_payments_table_and_threads(dash):
    inv, pay = dash["invoices"], dash["payments"]
    known = pay[pay["date"] <= D]
    paid_by = known.groupby("invoice_row")["amount"].sum()
    want = reference_ar_customer(inv, D, paid_by)
    for threads in (1, 3):
        got = salesight.aging(inv, pay, as_of=D, payment_columns={"invoice_row": "invoice_row"},
                              money="minor", num_threads=threads).set_index("customer")
        assert got.index.tolist() == want.index.tolist()
        assert (got.to_numpy() == want.to_numpy()).all()
    # payments referring to invoices by key give the same table
    by_key = pay.assign(invoice=inv["invoice"].to_numpy()[pay["invoice_row"].to_numpy()])
    got = salesight.aging(inv, by_key.drop(columns="invoice_row"), as_of=D, money="minor")
    assert (got.set_index("customer").to_numpy() == want.to_numpy()).all()


def test_collection_matches_workload_d_ar_salesperson(dash):
    inv = dash["invoices"]
    got = salesight.collection(inv, as_of=D, rate_only=True, money="minor")
    d = inv[(inv["invoice_date"] <= D) & (inv["due_date"] <= D)]
    known = d["paid_date"].notna() & (d["paid_date"] <= D)
    d = d.assign(collected=np.where(known, d["paid"], 0))
    want = d.groupby("salesperson").agg(billed=("amount", "sum"),
                                        collected=("collected", "sum")).sort_index()
    want["collection_rate"] = want["collected"] / want["billed"]
    got = got.set_index("salesperson")
    assert got.index.tolist() == want.index.tolist()
    assert (got["billed"].to_numpy() == want["billed"].to_numpy()).all()
    assert (got["collected"].to_numpy() == want["collected"].to_numpy()).all()
    np.testing.assert_allclose(got["collection_rate"], want["collection_rate"], rtol=1e-12)


def test_aging_overdue_issues_cutoffs_and_groups(dash):
    inv = dash["invoices"]
    d = inv[inv["invoice_date"] <= D]
    known = d["paid_date"].notna() & (d["paid_date"] <= D)
    out = d["amount"] - np.where(known, d["paid"], 0)
    dpd = (D - d["due_date"]).dt.days
    over = d.assign(outstanding=out, dpd=dpd, row=np.arange(len(inv))[inv["invoice_date"] <= D])
    over = over[(over["dpd"] > 0) & (over["outstanding"] > 0)]
    over = over.assign(key=over["outstanding"] * over["dpd"]).sort_values(
        ["key", "row"], ascending=[False, True], kind="mergesort")
    got = salesight.aging(inv, as_of=D, output="overdue", top=25, money="minor")
    assert got["invoice"].tolist() == over["invoice"].head(25).tolist()
    assert got["days_past_due"].tolist() == over["dpd"].head(25).tolist()
    assert len(salesight.aging(inv, as_of=D, output="overdue", top=None)) == len(over)

    issues = salesight.aging(inv, as_of=D, output="issues", money="minor").set_index("issue")
    assert issues.loc["invoices_after_as_of", "count"] == int((inv["invoice_date"] > D).sum())
    assert issues.loc["overpaid_invoices", "count"] == int((out < 0).sum())

    # custom cut-offs, one total row, by region
    got = salesight.aging(inv, as_of=D, cutoffs=[0, 45], by=None, money="minor")
    assert list(got.columns) == ["b_current", "b_1_45", "b_over_45", "total"]
    open_ = out > 0
    assert got["total"].iloc[0] == int(out[open_].sum())
    assert got["b_over_45"].iloc[0] == int(out[open_ & (dpd > 45)].sum())
    by_region = salesight.aging(inv, as_of=D, by="region", money="minor")
    assert by_region["total"].sum() == got["total"].iloc[0]


def iso_label(ts):
    iso = ts.dt.isocalendar()
    return iso["year"].astype(int), iso["week"].astype(int)


def test_trend_matches_workload_e(dash):
    o = dash["orders"]
    opts = dict(order="order_id", compare="last-year", empty_periods=False, with_margin=False,
                count_orders=False, money="minor")
    # trend_month
    got = salesight.trend(o, grain="month", **opts)
    m = o.assign(month=o["order_date"].dt.year * 100 + o["order_date"].dt.month)
    rev = m.groupby("month")["amount"].sum()
    ly = rev.reindex(rev.index - 100).to_numpy()
    assert got["period"].tolist() == ["%d-%02d" % (k // 100, k % 100) for k in rev.index]
    assert got["revenue"].tolist() == rev.tolist()
    np.testing.assert_array_equal(got["revenue_compare"].astype("float64").to_numpy(), ly)
    yoy = np.where((ly != 0) & ~np.isnan(ly), (rev.to_numpy() - ly) / np.where(ly == 0, 1, ly),
                   np.nan)
    np.testing.assert_allclose(got["growth_pct"].to_numpy() / 100.0, yoy, rtol=1e-12)
    # trend_week: (iso_year - 1, same week); week 53 has no base
    got = salesight.trend(o, grain="week", **opts)
    year, week = iso_label(o["order_date"])
    w = o.assign(iso_year=year, iso_week=week).groupby(["iso_year", "iso_week"])["amount"].sum()
    keys = list(w.index)
    base = {k: v for k, v in w.items()}
    ly = np.array([np.nan if wk == 53 else base.get((yr - 1, wk), np.nan) for yr, wk in keys])
    assert got["period"].tolist() == ["%d-W%02d" % k for k in keys]
    assert got["revenue"].tolist() == w.tolist()
    np.testing.assert_array_equal(got["revenue_compare"].astype("float64").to_numpy(), ly)
    assert got["revenue_compare"].isna().sum() >= 52  # the first year has no base


def test_trend_previous_margin_orders_and_targets(dash):
    o, targets = dash["orders"], dash["targets"]
    got = salesight.trend(o, grain="quarter", compare="previous", order="order_id",
                          unit_cost="unit_cost", quantity="quantity", money="minor")
    q = o.assign(q=o["order_date"].dt.year * 4 + o["order_date"].dt.quarter - 1)
    # an order counts once, in the period of its first line
    first = q.groupby("order_id")["q"].min()
    orders_per_q = first.value_counts().sort_index()
    rev = q.groupby("q")["amount"].sum()
    cost = (q["quantity"] * q["unit_cost"]).groupby(q["q"]).sum()
    assert got["revenue"].tolist() == rev.tolist()
    assert got["orders"].tolist() == orders_per_q.reindex(rev.index, fill_value=0).tolist()
    assert got["margin"].tolist() == (rev - cost).tolist()
    assert pd.isna(got["revenue_compare"].iloc[0])
    assert got["revenue_compare"].iloc[1:].tolist() == rev.iloc[:-1].tolist()

    # by salesperson against monthly targets (level salesperson)
    got = salesight.trend(o, by="salesperson", targets=targets, compare="target",
                          with_margin=False, count_orders=False, money="minor")
    want = targets.assign(period=targets["month"].map(lambda m: "%d-%02d" % (m // 100, m % 100)))
    want = want.groupby(["key", "period"])["amount"].sum()
    merged = got.set_index(["salesperson", "period"])["target"]
    common = merged.index.intersection(want.index)
    assert len(common) > 100
    assert (merged.loc[common].to_numpy() == want.loc[common].to_numpy()).all()
    assert (merged.drop(common) == 0).all()


def test_trend_to_date(dash):
    o = dash["orders"]
    got = salesight.trend(o, output="to_date", as_of="2024-03-01", money="minor")
    assert got["kind"].tolist() == ["MTD", "QTD", "YTD"]
    day = o["order_date"]
    ytd = o.loc[(day >= "2024-01-01") & (day <= "2024-03-01"), "amount"].sum()
    # 61 elapsed days: last year's window is 2023-01-01..2023-03-02
    ly = o.loc[(day >= "2023-01-01") & (day <= "2023-03-02"), "amount"].sum()
    assert got["revenue"].iloc[2] == ytd
    assert got["revenue_ly"].iloc[2] == ly


def largest_remainder(values, decimals):
    total = sum(values)
    scale = 100 * 10 ** decimals
    floors = [v * scale // total for v in values]  # exact integers, floor
    rems = [v * scale - f * total for v, f in zip(values, floors)]
    missing = scale - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-rems[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


@pytest.mark.parametrize("by,decimals", [("region", 1), ("channel", 0), ("salesperson", 2),
                                          (["region", "channel"], 1)])
def test_contribution_shares_sum_to_exactly_100(dash, by, decimals):
    o = dash["orders"]
    got = salesight.contribution(o, by=by, decimals=decimals, money="minor")
    keys = [by] if isinstance(by, str) else by
    want = o.groupby(keys)["amount"].sum().sort_index()
    assert got["value"].tolist() == want.tolist()
    assert int(got["share_pct"].sum()) == 100 * 10 ** decimals  # minor = units
    assert got["share_pct"].tolist() == largest_remainder([int(v) for v in want], decimals)
    np.testing.assert_allclose(got["share"], want / want.sum(), rtol=1e-12)
    as_float = salesight.contribution(o, by=by, decimals=decimals)
    assert round(float(as_float["share_pct"].sum()), 6) == 100.0


def test_contribution_margin_and_range(dash):
    o = dash["orders"]
    got = salesight.contribution(o, by="region", measure="margin", unit_cost="unit_cost",
                                 quantity="quantity", date="order_date", start="2024-01-01",
                                 money="minor")
    d = o[o["order_date"] >= "2024-01-01"]
    want = (d["amount"] - d["quantity"] * d["unit_cost"]).groupby(d["region"]).sum()
    assert got["value"].tolist() == want.tolist()
    assert int(got["share_pct"].sum()) == 1000


def test_dashboard_errors(dash):
    inv, o = dash["invoices"], dash["orders"]
    with pytest.raises(salesight.UnknownColumnError, match="due_date"):
        salesight.aging(inv.drop(columns="due_date"), as_of=D)
    with pytest.raises(KeyError):
        salesight.trend(o, date="Order Date")
    with pytest.raises(salesight.UnknownColumnError):
        salesight.contribution(o.drop(columns="region"))
    with pytest.raises(salesight.TypeMismatchError):
        salesight.aging(inv.assign(amount=inv["amount"].astype(bool)), as_of=D)
    with pytest.raises(TypeError):
        salesight.trend(o.assign(amount=o["amount"].astype("complex128")))
    with pytest.raises(salesight.TypeMismatchError):
        salesight.contribution(o.assign(amount=o["amount"].astype(np.int8)))
    with pytest.raises(salesight.InvalidArgumentError, match="as_of"):
        salesight.aging(inv, as_of=None)
    # by= any column: one the DataFrame lacks is an unknown column
    with pytest.raises(salesight.UnknownColumnError, match="planet"):
        salesight.aging(inv, as_of=D, by="planet")
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.aging(inv, as_of=D, cutoffs=[30, 0])  # not ascending: the library says so
    with pytest.raises(salesight.InvalidArgumentError, match="after as_of"):
        salesight.collection(inv, as_of=D, end="2024-10-31")
    with pytest.raises(salesight.InvalidArgumentError, match="grain"):
        salesight.trend(o, grain="fortnight")
    with pytest.raises(salesight.InvalidArgumentError, match="target"):
        salesight.trend(o, compare="target")
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.trend(o, output="to_date")  # needs as_of
    with pytest.raises(salesight.InvalidArgumentError, match="decimals"):
        salesight.contribution(o, decimals=9)
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.contribution(o, by=["region", "channel", "salesperson"])
    with pytest.raises(salesight.InvalidArgumentError, match="not in the invoices"):
        salesight.aging(inv, pd.DataFrame({"invoice": [-5], "date": [D], "amount": [1.0]}),
                        as_of=D)
    with pytest.raises(salesight.InvalidArgumentError, match="unknown option"):
        _salesight.aging(_salesight.sample(1000, 1)["invoices"], None,
                         {"as_of": 19996, "colour": 2})


def test_leaderboard_against_pandas(dash):
    o, p, inv, pay, tg = (dash[k] for k in ("orders", "pipeline", "invoices", "payments",
                                            "targets"))
    s, e = pd.Timestamp("2024-01-01"), D
    got = salesight.leaderboard(o, pipeline=p, invoices=inv, payments=pay, targets=tg, start=s,
                                end=e, payment_columns={"invoice_row": "invoice_row"},
                                money="minor", num_threads=2)
    lines = o[(o["order_date"] >= s) & (o["order_date"] <= e)]
    rev = lines.groupby("salesperson")["amount"].sum()
    n_orders = lines.groupby("salesperson")["order_id"].nunique()
    won_mask = p["won_date"].between(s, e)
    won = p[won_mask].groupby("salesperson").size()
    lost_mask = p["lost_date"].between(s, e) & ~(p["won_date"].notna() & (p["won_date"] <= e))
    lost = p[lost_mask].groupby("salesperson").size()
    paid = pay[pay["date"] <= e].groupby("invoice_row")["amount"].sum()
    due = inv.assign(collected=paid.reindex(np.arange(len(inv)), fill_value=0).to_numpy())
    due = due[due["due_date"].between(s, e)]
    billed = due.groupby("salesperson")["amount"].sum()
    collected = due.groupby("salesperson")["collected"].sum()
    target = tg[tg["month"].between(202401, 202409)].groupby("key")["amount"].sum()
    people = sorted(set(rev.index) | set(won.index) | set(lost.index) | set(billed.index)
                    | set(target.index))
    g = got.set_index("salesperson")
    assert sorted(g.index) == people
    assert (g["revenue"] == rev.reindex(g.index, fill_value=0)).all()
    assert (g["orders"] == n_orders.reindex(g.index, fill_value=0)).all()
    w = won.reindex(g.index, fill_value=0)
    lo = lost.reindex(g.index, fill_value=0)
    assert (g["won"] == w).all() and (g["lost"] == lo).all()
    assert w.sum() > 0 and lo.sum() > 0 and len(g) > 10
    np.testing.assert_allclose(g["win_rate"], (w / (w + lo)).where(w + lo > 0), rtol=1e-12)
    rate = (collected / billed).reindex(g.index)
    np.testing.assert_allclose(g["collection_rate"], rate, rtol=1e-12)
    t = target.reindex(g.index)
    np.testing.assert_allclose(g["target"].astype("float64"), t, rtol=0)
    np.testing.assert_allclose(g["attainment"], g["revenue"] / t.where(t != 0), rtol=1e-12)
    # ranked by revenue descending, ties by code; ranks are 1..n
    assert got["rank"].tolist() == list(range(1, len(got) + 1))
    key = list(zip(-got["revenue"].to_numpy(), got["salesperson"]))
    assert key == sorted(key)
    by_orders = salesight.leaderboard(o, start=s, end=e, rank_by="orders")
    assert by_orders["orders"].is_monotonic_decreasing
    assert by_orders["win_rate"].isna().all()  # no pipeline given
    with pytest.raises(salesight.UnknownColumnError):
        salesight.leaderboard(o.drop(columns="salesperson"))
    with pytest.raises(salesight.InvalidArgumentError, match="rank_by"):
        salesight.leaderboard(o, rank_by="charm")
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.leaderboard(o, invoices=inv, end=e, as_of=e - pd.Timedelta(days=1))


# ------------------------------------------------------------ product master

def random_product_orders(seed, n=300):
    rng = np.random.default_rng(seed)
    codes = ["P%02d" % i for i in range(12)]
    orders = pd.DataFrame({
        "product": rng.choice(codes + ["P99"], n),           # P99: not in the master
        "quantity": rng.integers(-3, 20, n),                  # some returns, some 0
        "amount": rng.integers(-2000, 50000, n) / 100.0,
    })
    products = pd.DataFrame({
        "product": codes,
        "category": rng.choice(["Tools", "Food", "家具"], len(codes)),
        "standard_cost": rng.integers(0, 900, len(codes)) / 100.0,
    })
    tiers = pd.DataFrame({
        "product": rng.choice(codes, 15),
        "min_quantity": rng.integers(0, 12, 15),
        "unit_cost": rng.integers(50, 800, 15) / 100.0,
    }).drop_duplicates(["product", "min_quantity"])
    return orders, products, tiers


def reference_line_costs(orders, products, tiers, standard):
    """Cost in cents per line, or None: quantity x standard cost when the
    master has one (standard=True), else x the unit cost of the largest tier
    with min_quantity <= |quantity|; unlisted products are unknown."""
    listed = set(products["product"])
    std = dict(zip(products["product"], np.round(products["standard_cost"] * 100).astype(int)))
    out = []
    for p, q in zip(orders["product"], orders["quantity"]):
        if p not in listed:
            out.append(None)
        elif standard:
            out.append(int(q) * std[p])
        else:
            fit = tiers[(tiers["product"] == p) & (tiers["min_quantity"] <= abs(q))]
            if len(fit) == 0:
                out.append(None)
            else:
                unit = fit.sort_values("min_quantity")["unit_cost"].iloc[-1]
                out.append(int(q) * int(round(unit * 100)))
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("standard", [True, False])
def test_margin_with_products_matches_pandas(seed, standard):
    orders, products, tiers = random_product_orders(seed)
    master = products if standard else products.drop(columns="standard_cost")
    got = salesight.margin(orders, by="product", quantity="quantity", products=master,
                           cost_tiers=tiers, money="minor")
    cost = reference_line_costs(orders, products, tiers, standard)
    d = orders.assign(cents=np.round(orders["amount"] * 100).astype(int),
                      cost=[c if c is not None else 0 for c in cost],
                      known=[c is not None for c in cost])
    for _, row in got.iterrows():
        g = d[d["product"] == row["product"]]
        assert row["revenue"] == g["cents"].sum()
        assert row["cost"] == g.loc[g["known"], "cost"].sum()
        assert row["margin"] == g.loc[g["known"], "cents"].sum() - g.loc[g["known"], "cost"].sum()
        assert row["cost_unknown_lines"] == (~g["known"]).sum()
    assert sorted(got["product"]) == sorted(d["product"].unique())

    # by category: the master's category of each line's product (P99: none)
    by_cat = salesight.margin(orders, by="category", quantity="quantity", products=master,
                              cost_tiers=tiers, money="minor")
    cat = dict(zip(products["product"], products["category"]))
    d["category"] = [cat.get(p) for p in d["product"]]
    want = d.groupby(d["category"].fillna("<none>"))["cents"].sum()
    got_rev = dict(zip(by_cat["category"].fillna("<none>"), by_cat["revenue"]))
    assert got_rev == want.to_dict()


def test_contribution_by_category_with_products():
    orders, products, tiers = random_product_orders(3)
    got = salesight.contribution(orders, by="category", products=products, decimals=1)
    cat = dict(zip(products["product"], products["category"]))
    d = orders.assign(category=[cat.get(p, "<none>") for p in orders["product"]],
                      cents=np.round(orders["amount"] * 100).astype(int))
    want = d.groupby("category")["cents"].sum() / 100.0
    got_values = dict(zip(got["category"].fillna("<none>"), got["value"]))
    assert got_values == pytest.approx(want.to_dict())
    assert round(got["share_pct"].sum(), 6) == 100.0
    with pytest.raises(salesight.InvalidArgumentError, match="needs products"):
        salesight.contribution(orders, by="category")


@pytest.mark.parametrize("seed", range(4))
def test_margin_products_without_a_standard_cost_take_the_tier(seed):
    """A product master with gaps: NaN standard cost = none, so the line
    takes its tier cost (or is unknown without a fitting tier)."""
    orders, products, tiers = random_product_orders(seed)
    gaps = products.assign(standard_cost=products["standard_cost"].where(
        products.index % 3 != 1, np.nan))
    got = salesight.margin(orders, by="product", quantity="quantity", products=gaps,
                           cost_tiers=tiers, money="minor")
    with_std = reference_line_costs(orders, products, tiers, True)
    with_tier = reference_line_costs(orders, products, tiers, False)
    missing = set(gaps.loc[gaps["standard_cost"].isna(), "product"])
    cost = [t if p in missing else s for p, s, t in zip(orders["product"], with_std, with_tier)]
    d = orders.assign(cost=[c if c is not None else 0 for c in cost],
                      known=[c is not None for c in cost])
    for _, row in got.iterrows():
        g = d[d["product"] == row["product"]]
        assert row["cost"] == g.loc[g["known"], "cost"].sum(), row["product"]
        assert row["cost_unknown_lines"] == (~g["known"]).sum()


def test_products_errors_name_the_row():
    orders, products, tiers = random_product_orders(1)
    bad = products.assign(standard_cost=products["standard_cost"].where(
        products.index != 4, -0.05))
    with pytest.raises(salesight.SalesightError, match="standard_cost.*-5 is negative"):
        salesight.margin(orders, by="product", quantity="quantity", products=bad)
    with pytest.raises(salesight.SalesightError, match="listed twice"):
        salesight.margin(orders, by="product", quantity="quantity",
                         products=pd.concat([products, products.iloc[:1]]))


def test_read_csv_keeps_text_opportunity_ids(tmp_path):
    # A pipeline export with text lead ids: the frame (salesight_table_columns)
    # shows the ids as the file spells them, not the internal dense ids.
    path = tmp_path / "pipeline.csv"
    path.write_text("id,lead_date,won_date\n"
                    "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b,2024-01-01,2024-01-09\n"
                    "b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1,2024-01-05,\n")
    df = salesight.read_csv(str(path), "id=id", table="pipeline",
                            stages={"lead": "lead_date", "won": "won_date"})
    assert df["opportunity"].tolist() == ["a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b",
                                          "b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1"]
