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
        salesight.rfm(df, customer="c", date="d", amount="amt")
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
