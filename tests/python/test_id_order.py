"""Ids follow the codes' order wherever the library interns codes (the C table
builder's STRING columns, salesight_csv_read), so ties broken by id do not
depend on the row order; a table sharing another table's codes may only add
codes that sort after them (README, Definitions: ids)."""

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import _frame, _salesight

CODES = ["C-9", "C-10", "\u534e", "a", "B", "C-100"]  # first-seen order, not code order


def orders_table(customers):
    n = len(customers)
    return _salesight.build_table(_frame._ORDERS, [
        ("order_id", _frame._INT64, np.arange(n, dtype=np.int64), None, None),
        ("customer", _frame._STRING, list(customers), None, None),
        ("order_date", _frame._DATE, np.full(n, 19700, dtype=np.int32), None, None),
        ("amount", _frame._MONEY, np.full(n, 1000, dtype=np.int64), None, None),
    ])


def rfm_rows(table):
    options = _frame._rfm_options(None, 0, "orders", "revenue", "sum", False, "ntile", 3,
                                  "tiers", None, None, "en", 1, "customers")
    return _frame._to_frame(_salesight.rfm(table, options))


def test_builder_string_ids_follow_the_codes_not_the_rows():
    got = rfm_rows(orders_table(CODES))
    # every customer ties on r, f and m: NTILE splits them by id = code order
    assert got["customer"].tolist() == sorted(CODES, key=lambda c: c.encode())
    assert got["f"].tolist() == [1, 1, 2, 2, 3, 3]
    for seed in range(3):
        shuffled = list(np.random.default_rng(seed).permutation(CODES))
        pd.testing.assert_frame_equal(rfm_rows(orders_table(shuffled)), got)


def test_builder_integer_text_codes_are_ordered_as_numbers():
    got = rfm_rows(orders_table(["10", "9", "-1", "09"]))
    assert got["customer"].tolist() == ["-1", "09", "9", "10"]


def test_shared_dictionary_may_only_add_codes_after_the_shared_ones():
    orders = orders_table(["B", "C"])

    def customers(codes):
        return _salesight.build_table(_frame._CUSTOMERS, [
            ("customer", _frame._STRING, codes, None, None)], share=orders)

    customers(["C", "B", "D"])  # D sorts after every shared code
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"row 1, column 'customer': code 'A' .*sorts before the shared code 'C'"):
        customers(["C", "A"])


def test_csv_read_sharing_codes_refuses_a_code_before_the_shared_ones(tmp_path):
    (tmp_path / "customers.csv").write_text("customer\nB\nC\n")
    (tmp_path / "orders.csv").write_text(
        "order,date,customer,amount\n1,2024-01-01,C,1\n2,2024-01-01,A,1\n")
    customers = _salesight.read_csv(_frame._CUSTOMERS, str(tmp_path / "customers.csv"))[0]
    with pytest.raises(salesight.InvalidArgumentError, match="code 'A'"):
        _salesight.read_csv(_frame._ORDERS, str(tmp_path / "orders.csv"), share=customers)


def test_quote_check_with_invoices_of_customers_missing_from_the_master():
    products = pd.DataFrame({"product": ["P1"], "standard_cost": [8.0]})
    customers = pd.DataFrame({"customer": ["M", "Z"], "credit_limit": [100.0, 100.0]})
    invoices = pd.DataFrame({"customer": ["A", "M"], "amount": [50.0, 80.0], "paid": [0.0, 0.0],
                             "invoice_date": pd.to_datetime(["2024-01-01"] * 2),
                             "due_date": pd.to_datetime(["2024-02-01"] * 2),
                             "paid_date": pd.to_datetime([None, None])})
    quotes = pd.DataFrame({"customer": ["M"], "product": ["P1"], "quantity": [1],
                           "unit_price": [30.0]})
    got = salesight.quote_check(quotes, products, customers, invoices=invoices)
    assert got.loc[0, "open_receivables"] == 80.0
    assert "over_credit_limit" in got.loc[0, "warnings"]
