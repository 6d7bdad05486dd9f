"""salesight.rfm(df, by=<column>): RFM per member of any column (rfm.hpp, "by
a dimension"). Checked against a plain per-member, per-customer reference of
the documented definitions (recency, distinct orders, net monetary, quantile
scores), on many random seeds with missing members; the by_scope=customer
rule; and the CLI on the same file giving the same table."""

import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight
from salesight import InvalidArgumentError

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


def random_orders(seed, n_orders=None):
    rng = np.random.default_rng(seed)
    n_orders = n_orders or int(rng.integers(1, 250))
    n_customers = int(rng.integers(1, 30))
    rows = []
    day0 = pd.Timestamp("2024-01-01")
    for o in range(n_orders):
        customer = "C-%d" % int(n_customers * rng.random() ** 2)
        day = day0 + pd.Timedelta(days=int(rng.integers(0, 400)))
        for _ in range(int(rng.integers(1, 3))):
            amount = float(rng.choice([0.0, 5.0, 12.5, 40.0, 99.99, -7.5]))
            region = rng.choice(["East", "West", "华东", "North", None], p=[.3, .3, .2, .1, .1])
            rows.append({"order": 1000 + o, "date": day, "customer": customer,
                         "amount": amount, "Region": region})
    return pd.DataFrame(rows)


def ntile_start(p, n, k):
    """NTILE bucket (1-based) of sorted position p (0-based), n rows, k buckets."""
    q, rem = divmod(n, k)
    s = 0
    for b in range(1, k + 1):
        s += q + (1 if b <= rem else 0)
        if p < s:
            return b
    return k


def quantile_scores(values, k):
    """Score per index: the NTILE bucket of the first of its tie group, values
    ascending (rfm.hpp, kQuantile)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    first = {}
    for p, i in enumerate(order):
        first.setdefault(values[i], p)
    return [ntile_start(first[v], len(values), k) for v in values]


def reference(df, by, k=5):
    """Per member (missing = MISSING), per customer: recency, frequency
    (distinct orders among lines with amount >= 0), monetary (net sum of all
    lines, cents), r/f/m. as_of = the day after the whole table's last order."""
    as_of = df["date"].max() + pd.Timedelta(days=1)
    out = {}
    members = df[by].map(lambda v: salesight.MISSING if v is None or v != v else v)
    for member in sorted(set(members)):
        part = df[members == member]
        rows = []
        for customer in sorted(set(part["customer"])):
            lines = part[part["customer"] == customer]
            buys = lines[lines["amount"] >= 0]
            if buys.empty:
                continue
            rows.append({"customer": customer,
                         "last": buys["date"].max(),
                         "recency_days": (as_of - buys["date"].max()).days,
                         "frequency": buys["order"].nunique(),
                         "cents": int(round(lines["amount"].sum() * 100))})
        r = quantile_scores([x["last"] for x in rows], k)
        f = quantile_scores([x["frequency"] for x in rows], k)
        m = quantile_scores([x["cents"] for x in rows], k)
        for i, x in enumerate(rows):
            out[(member, x["customer"])] = (x["recency_days"], x["frequency"], x["cents"],
                                            r[i], f[i], m[i])
    return out


def got_rows(frame, by):
    return {(g, c): (int(rd), int(fr), int(round(mo * 100)), int(r), int(f), int(m))
            for g, c, rd, fr, mo, r, f, m in zip(
                frame[by], frame["customer"], frame["recency_days"], frame["frequency"],
                frame["monetary"], frame["r"], frame["f"], frame["m"])}


@pytest.mark.parametrize("seed", range(40))
def test_by_attribute_matches_reference(seed):
    df = random_orders(seed)
    got = salesight.rfm(df, order="order", date="date", by="Region",
                        num_threads=1 + seed % 2)
    assert list(got.columns[:2]) == ["Region", "customer"]
    assert got_rows(got, "Region") == reference(df, "Region")
    # groups in canonical order (label bytes), customers by code within each
    keys = list(zip(got["Region"], got["customer"]))
    assert keys == sorted(keys, key=lambda gc: (gc[0].encode(), gc[1].encode()))


def test_rows_in_any_order_give_the_same_table():
    df = random_orders(7, 200)
    a = salesight.rfm(df, order="order", date="date", by="Region")
    b = salesight.rfm(df.sample(frac=1, random_state=3), order="order", date="date", by="Region",
                      num_threads=2)
    pd.testing.assert_frame_equal(a, b)


def test_a_field_column_and_the_segments_output():
    df = random_orders(11, 150).rename(columns={"Region": "region"})
    got = salesight.rfm(df, order="order", date="date", by="region")
    assert got_rows(got, "region") == reference(df, "region")
    seg = salesight.rfm(df, order="order", date="date", by="region", output="segments")
    assert list(seg.columns[:2]) == ["region", "segment"]
    per_member = seg.groupby("region")["customers"].sum().to_dict()
    assert per_member == got.groupby("region").size().to_dict()


def test_customer_scope():
    df = random_orders(5, 120)
    # A region per customer: the scores are the unpartitioned ones.
    tier = {c: ("gold" if i % 3 == 0 else "silver")
            for i, c in enumerate(sorted(set(df["customer"])))}
    df["Tier"] = df["customer"].map(tier)
    whole = salesight.rfm(df, order="order", date="date").set_index("customer")
    got = salesight.rfm(df, order="order", date="date", by="Tier", by_scope="customer")
    assert (got["Tier"] == got["customer"].map(tier)).all()
    got = got.set_index("customer").drop(columns="Tier").loc[whole.index]
    pd.testing.assert_frame_equal(got, whole, check_categorical=False)
    # A customer with lines in two members is an error naming it and both.
    two = pd.DataFrame({"order": [1, 2], "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                        "customer": ["K-9", "K-9"], "amount": [1.0, 2.0],
                        "Region": ["West", "East"]})
    with pytest.raises(InvalidArgumentError, match="customer 'K-9' has lines in 'East' and 'West'"):
        salesight.rfm(two, order="order", date="date", by="Region", by_scope="customer")
    with pytest.raises(InvalidArgumentError):
        salesight.rfm(two, order="order", date="date", by="Region", by_scope="rows")


@pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")
def test_cli_and_python_agree_on_the_same_file(tmp_path):
    df = random_orders(23, 200)
    df["Region"] = df["Region"].fillna("")  # an empty cell: the member MISSING ("") on both
    path = tmp_path / "orders.csv"
    df.assign(date=df["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    out = tmp_path / "rfm_by.csv"
    subprocess.run([CLI, "rfm", "--orders", str(path), "--map",
                    "order=order,date=date,customer=customer,amount=amount",
                    "--by", "Region", "--out", str(out)], check=True, capture_output=True)
    cli = pd.read_csv(out, dtype={"Region": str, "customer": str}, keep_default_na=False)
    back = pd.read_csv(path, parse_dates=["date"], dtype={"Region": str}, keep_default_na=False)
    py = salesight.rfm(back, order="order", date="date", by="Region")
    assert list(cli.columns) == list(py.columns)
    assert list(cli["Region"]) == list(py["Region"])
    assert list(cli["customer"]) == list(py["customer"])
    for column in ("recency_days", "frequency", "r", "f", "m"):
        assert list(cli[column]) == list(py[column]), column
    assert np.allclose(cli["monetary"], py["monetary"])
    assert list(cli["segment"]) == list(py["segment"].astype(str))


def test_by_takes_one_column_and_names_it():
    df = random_orders(3, 20)
    with pytest.raises(InvalidArgumentError, match="one column"):
        salesight.rfm(df, order="order", date="date", by=["Region", "customer"])
    with pytest.raises(KeyError if False else Exception):
        salesight.rfm(df, order="order", date="date", by="Regio")
