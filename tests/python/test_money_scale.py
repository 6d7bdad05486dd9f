"""Money scale of the Python layer: money_scale=None chooses the smallest
exact scale (0..6) from each float's shortest round-trip decimal, one scale
for every money column of every table of a call; errors name the DataFrame
column, position, index label and value, and Python keywords - never C
functions."""

import decimal

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _money

EPOCH = pd.Timestamp("1970-01-01")


def reference_decimals(x):
    """Plainly: the exponent of Decimal(repr(x)), whole numbers' ".0" dropped;
    7 = more than 6 (or not finite)."""
    if not np.isfinite(x):
        return 7
    exponent = decimal.Decimal(repr(float(x))).normalize().as_tuple().exponent
    return min(max(0, -exponent), 7)


def random_values(seed, n=4000):
    rng = np.random.default_rng(seed)
    parts = []
    for k in range(9):  # whole numbers of 1/10^k, small and large magnitudes
        for top in (10 ** 3, 10 ** 9, 9 * 10 ** 15 // 10 ** k * 10 ** k):
            parts.append(rng.integers(-top, top, n // 60) / 10.0 ** k)
    parts.append(rng.uniform(-1e6, 1e6, n // 10))  # ~16 decimals
    parts.append(rng.uniform(-1, 1, n // 10) * 10.0 ** rng.integers(-12, 17, n // 10))
    parts.append(rng.integers(-10 ** 6, 10 ** 6, n // 10) / 100.0 + rng.integers(0, 3, n // 10)
                 * 0.1)  # sums with float noise, e.g. 0.1 + 0.2
    special = [0.0, -0.0, 0.1, 0.1 + 0.2, 1 / 3, 1234.5, 12.3456, 1e15 + 0.5, 2.0 ** 53,
               9e15, 8999999.999999, 5e-7, 1e-6, 123456.789012, -0.000001, 1e22, 2.0 ** 51 / 10]
    return np.concatenate(parts + [np.array(special)])


@pytest.mark.parametrize("seed", range(8))
def test_decimals_match_the_repr_reference(seed):
    values = random_values(seed)
    got = _money.decimals(values)
    want = np.array([reference_decimals(x) for x in values])
    # exact wherever the scale is in the money range (|x| x 10^d < 2^53);
    # beyond it the amount is out of range at any scale that holds it
    in_range = np.abs(values) * 10.0 ** np.minimum(want, 6) < 2.0 ** 53
    assert in_range.mean() > 0.8
    bad = np.flatnonzero(in_range & (got != want))
    assert bad.size == 0, [(repr(values[i]), got[i], want[i]) for i in bad[:5]]
    assert (got >= want).all()  # never fewer decimals than the value has


def test_decimals_hand_cases():
    values = [1234.5, 0.1, 12.3456, 0.1 + 0.2, 1 / 3, 100.0, 0.0, -2.25, float("nan"),
              float("inf"), 1e14 + 0.5]
    assert _money.decimals(values).tolist() == [1, 1, 4, 7, 7, 0, 0, 2, 7, 7, 1]
    # 1e15 + 0.5 has 1 decimal, but 1e16 minor units are beyond the money range
    # (9e15) at any scale that holds it; decimals() may then say more, never less
    assert _money.decimals([1e15 + 0.5])[0] >= 1


def per_value_column_decimals(values, nan_is_zero):
    """The plain path column_decimals() replaces: decimals() of every value,
    the maximum, and the first position above 6."""
    d = _money.decimals(values)
    if nan_is_zero:
        d[np.isnan(values)] = 0
    if d.size == 0:
        return 0, -1
    too_many = np.flatnonzero(d > 6)
    return int(d.max()), int(too_many[0]) if too_many.size else -1


def random_column(rng):
    """Amounts with 0..6 decimals (each column its own mix), small and large
    magnitudes, sometimes NaN and a few values with more than 6 decimals."""
    n = int(rng.integers(0, 3000))
    most = int(rng.integers(0, 7))
    d = rng.integers(0, most + 1, n)
    if rng.random() < 0.5:  # mostly whole numbers of 1/10^most, a few finer
        d = np.where(rng.random(n) < 0.99, min(most, 2), d)
    top = 10.0 ** rng.integers(1, 16 - most, n)
    values = np.round(rng.uniform(-1, 1, n) * top * 10.0 ** d) / 10.0 ** d
    if n and rng.random() < 0.3:
        at = rng.integers(0, n, int(rng.integers(1, 4)))
        values[at] = rng.uniform(-1e4, 1e4, at.size)  # ~12 decimals
    if n and rng.random() < 0.3:
        values[rng.integers(0, n, int(rng.integers(1, 20)))] = np.nan
    return values


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 15])
def test_column_decimals_is_the_max_of_per_value_decimals(monkeypatch, chunk):
    # small chunks: many chunk boundaries, a scale raised in any chunk
    monkeypatch.setattr(_money, "_CHUNK", chunk)
    for seed in range(300 if chunk > 1 else 40):
        rng = np.random.default_rng(seed)
        values = random_column(rng)
        for nan_is_zero in (False, True):
            want = per_value_column_decimals(values, nan_is_zero)
            assert _money.column_decimals(values, nan_is_zero) == want, (seed, nan_is_zero)
        # and the Decimal(repr(x)) reference, wherever it is in the money range
        finite = values[np.isfinite(values)]
        ref = np.array([reference_decimals(x) for x in finite], dtype=int)
        if finite.size and (np.abs(finite) * 10.0 ** np.minimum(ref, 6) < 2.0 ** 53).all():
            top = _money.column_decimals(finite)[0]
            assert top == ref.max(), (seed, top, ref.max())


def test_column_decimals_hand_cases():
    assert _money.column_decimals([]) == (0, -1)
    assert _money.column_decimals([3.0, 1234.5, 12.25]) == (2, -1)
    assert _money.column_decimals([1.5, 0.1 + 0.2, 2.0, 1 / 3]) == (7, 1)
    assert _money.column_decimals([1.5, float("nan"), 12.3456], nan_is_zero=True) == (4, -1)
    assert _money.column_decimals([1.5, float("nan")]) == (7, 1)


def orders(amounts, **extra):
    n = len(amounts)
    return pd.DataFrame(dict({
        "Customer": ["C%d" % (i % 3) for i in range(n)],
        "Order Date": EPOCH + pd.to_timedelta(19000 + np.arange(n) % 300, unit="D"),
        "Sales": amounts,
    }, **extra))


def test_four_decimal_amounts_work_by_default():
    df = orders([1234.5, 12.3456, 0.1, 7.0])
    got = salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales",
                        money="minor")
    assert got.attrs["money_scale"] == 4
    # C0: 1234.5 + 7.0, C1: 12.3456, C2: 0.1 (in 1/10^4)
    assert got.set_index("customer")["monetary"].to_dict() == {
        "C0": 12415000, "C1": 123456, "C2": 1000}
    as_float = salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales")
    assert as_float.set_index("customer")["monetary"].to_dict() == {
        "C0": 1241.5, "C1": 12.3456, "C2": 0.1}
    # whole amounts: scale 0
    whole = salesight.rfm(orders([3.0, 5.0]), customer="Customer", date="Order Date",
                          amount="Sales", money="minor")
    assert whole.attrs["money_scale"] == 0


@pytest.mark.parametrize("seed", range(5))
def test_chosen_scale_sums_match_decimal_reference(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(0, 7))
    n = 500
    amounts = rng.integers(-10 ** 9, 10 ** 9, n) / 10.0 ** k
    df = orders(amounts)
    got = salesight.margin(df, by="Customer", amount="Sales", money="minor")
    want_scale = max(reference_decimals(x) for x in amounts)
    assert got.attrs["money_scale"] == want_scale
    unit = decimal.Decimal(10) ** want_scale
    for customer, group in df.groupby("Customer"):
        exact = sum(decimal.Decimal(repr(x)) for x in group["Sales"])
        row = got[got["Customer"] == customer].iloc[0]
        assert int(row["revenue"]) == int(exact * unit)


def test_more_than_six_decimals_names_column_row_label_and_value():
    df = orders([1.0, 1 / 3, 2.0]).set_axis(["a", "b", "c"])
    with pytest.raises(salesight.InvalidArgumentError) as e:
        salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales")
    message = str(e.value)
    assert "'Sales'" in message and "row 1" in message and "'b'" in message
    assert "0.3333333333333333" in message and "money_scale=" in message
    assert "salesight_" not in message
    with pytest.raises(salesight.InvalidArgumentError, match=r"0\.30000000000000004"):
        salesight.rfm(orders([0.1 + 0.2]), customer="Customer", date="Order Date",
                      amount="Sales")
    # an explicit scale accepts float noise within 1e-6 of a minor unit (the library's rule)
    got = salesight.rfm(orders([0.1 + 0.2]), customer="Customer", date="Order Date",
                        amount="Sales", money_scale=2, money="minor")
    assert got["monetary"].tolist() == [30]


@pytest.mark.parametrize("value,error", [(float("nan"), salesight.InvalidArgumentError),
                                         (float("inf"), salesight.OutOfRangeError),
                                         (float("-inf"), salesight.OutOfRangeError)])
@pytest.mark.parametrize("money_scale", [None, 2])
def test_nan_and_inf_money_name_column_row_and_value(value, error, money_scale):
    df = orders([1.0, 2.0, value]).set_axis([10, 20, 30])
    with pytest.raises(error) as e:
        salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales",
                      money_scale=money_scale)
    message = str(e.value)
    assert "'Sales'" in message and "row 2 (index 30)" in message
    assert repr(value) in message and "salesight_" not in message


def test_nullable_money_takes_nan_but_not_inf():
    orders = pd.DataFrame({"product": ["P1", "P2"], "amount": [10.0, 5.0], "quantity": [1, 2]})
    products = pd.DataFrame({"product": ["P1", "P2"], "standard_cost": [2.125, np.nan]})
    got = salesight.margin(orders, products=products, quantity="quantity", money="minor")
    assert got.attrs["money_scale"] == 3 and got["cost"].tolist()[0] == 2125
    with pytest.raises(salesight.OutOfRangeError, match=r"'standard_cost' row 1 \(index 1\)"):
        salesight.margin(orders, products=products.assign(standard_cost=[1.0, np.inf]),
                         quantity="quantity")


def test_explicit_scale_refuses_more_decimals_in_python_terms():
    df = orders([1.0, 12.3456]).set_axis(["x", "y"])
    with pytest.raises(salesight.InvalidArgumentError) as e:
        salesight.margin(df, by="Customer", amount="Sales", money_scale=2)
    message = str(e.value)
    assert "'Sales'" in message and "row 1 (index 'y')" in message
    assert "12.3456" in message and "money_scale=" in message
    assert "salesight_" not in message
    got = salesight.margin(df, by="Customer", amount="Sales", money_scale=5, money="minor")
    assert got.attrs["money_scale"] == 5 and got["revenue"].sum() == 1334560
    for bad in (7, -1, 2.5, "2", True):
        with pytest.raises(salesight.InvalidArgumentError, match="money_scale="):
            salesight.margin(df, by="Customer", amount="Sales", money_scale=bad)


def test_int64_money_is_cents_by_default_and_minor_units_of_an_explicit_scale():
    cents = orders(np.array([1050, 2025, -100], dtype=np.int64))
    got = salesight.margin(cents, by="Customer", amount="Sales")
    assert got["revenue"].tolist() == [10.5, 20.25, -1.0]
    assert salesight.margin(cents, by="Customer", amount="Sales", money_scale=3)[
        "revenue"].tolist() == [1.05, 2.025, -0.1]
    # cents with a 3-decimal float cost: the call's scale is 3, the cents rescaled
    mixed = cents.assign(Cost=[1.125, 0.5, 0.25])
    got = salesight.margin(mixed, by="Customer", amount="Sales", cost="Cost", money="minor")
    assert got.attrs["money_scale"] == 3
    assert got["revenue"].tolist() == [10500, 20250, -1000]
    assert got["cost"].tolist() == [1125, 500, 250]


def test_one_scale_for_every_table_of_a_call():
    # invoices in cents, payments with 3 decimals: both at scale 3
    invoices = pd.DataFrame({
        "invoice": [1, 2, 3], "customer": ["A", "B", "A"],
        "invoice_date": pd.to_datetime(["2024-01-01"] * 3),
        "due_date": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]),
        "amount": [100.25, 50.5, 10.0]})
    payments = pd.DataFrame({"invoice": [1, 2], "date": pd.to_datetime(["2024-02-01"] * 2),
                             "amount": [0.125, 50.5]})
    got = salesight.aging(invoices, payments, as_of="2024-04-30", money="minor")
    assert got.attrs["money_scale"] == 3
    assert got.set_index("customer")["total"].to_dict() == {"A": 110125}
    # orders with 1 decimal, targets with 4: trend compares them at scale 4
    o = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-05", "2024-02-05"]),
                      "amount": [10.5, 20.0]})
    targets = pd.DataFrame({"key": ["all", "all"], "month": [202401, 202402],
                            "amount": [10.1234, 40.0]})
    t = salesight.trend(o, compare="target", targets=targets, target_level="company",
                        money="minor")
    assert t.attrs["money_scale"] == 4
    assert t["revenue"].tolist() == [105000, 200000]
    assert t["revenue_compare"].tolist() == [101234, 400000]


def test_quote_unit_prices_share_the_scale():
    products = pd.DataFrame({"product": ["P"], "standard_cost": [1.125]})
    customers = pd.DataFrame({"customer": ["C"], "credit_limit": [1000.0]})
    quotes = pd.DataFrame({"customer": ["C"], "product": ["P"], "quantity": [4],
                           "unit_price": [1.1875]})
    got = salesight.quote_check(quotes, products, customers, date=None, money="minor")
    assert got.attrs["money_scale"] == 4
    assert got["revenue"].tolist() == [47500] and got["cost"].tolist() == [45000]


def test_scale_choice_is_vectorised(monkeypatch):
    # the per-value reference is only for the message of a refused value
    monkeypatch.setattr(_money, "repr_decimals", lambda x: pytest.fail("per-value Python"))
    rng = np.random.default_rng(1)
    df = orders(rng.integers(0, 10 ** 8, 200_000) / 1000.0)
    got = salesight.margin(df, by="Customer", amount="Sales", money="minor")
    assert got.attrs["money_scale"] == 3


def test_messages_name_python_keywords_never_c_functions():
    df = orders([1.0, 2.5])
    calls = [
        lambda: salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales", k=0),
        lambda: salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales",
                              window_days=-1),
        lambda: salesight.margin(df, by="Customer", amount="Sales", top=-1),
        lambda: salesight.margin(df.assign(d=df["Order Date"]), by=["month", "year"],
                                 amount="Sales", date="d"),
        lambda: salesight.trend(df, date="Order Date", amount="Sales", output="to_date"),
        lambda: salesight.rfm(df, customer="Customer", date="Order Date", amount="Sales",
                              money_scale=9),
    ]
    for call in calls:
        with pytest.raises(salesight.SalesightError) as e:
            call()
        assert "salesight_" not in str(e.value), str(e.value)
    with pytest.raises(salesight.InvalidArgumentError, match=r"\bk=0\b"):
        calls[0]()
    with pytest.raises(salesight.InvalidArgumentError, match=r"\btop=-1\b"):
        calls[2]()
    with pytest.raises(salesight.SalesightError, match=r"\bas_of="):
        calls[4]()


def test_python_message_rewrites():
    m = salesight._errors.python_message
    assert m("option salesight_margin_options.group_by = 3 is not a valid value") == \
        "by=3 is not a valid value"
    assert m("salesight_trend_compute: output TO_DATE needs salesight_trend_options.as_of") == \
        "trend: output TO_DATE needs as_of="
    assert "salesight_" not in m("orders column 'amount' row 1: amount 1.005 has more than 2 "
                                 "decimals (the money scale); set a larger scale with "
                                 "salesight_table_builder_set_money_scale")
