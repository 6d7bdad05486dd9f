"""Missing members (NaN / None) of grouping columns form one group labelled
salesight.MISSING, the label the CLI prints for an empty field of the same
rows; its sums equal pandas' groupby(dropna=False)."""

import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight

EPOCH = pd.Timestamp("1970-01-01")
CLI = pathlib.Path(salesight.__file__).resolve().parents[2] / "bin" / "salesight"


def with_missing(rng, values, n, rate=0.1, missing=None):
    """`n` draws from `values`, about `rate` of them `missing` (None / NaN)."""
    out = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
    out[rng.random(n) < rate] = missing
    return out


def labels(series):
    """The pandas reference's group keys as the library labels them."""
    return series.astype(object).where(series.notna(), salesight.MISSING)


def random_pipeline(seed, n=600):
    rng = np.random.default_rng(seed)
    created = 19000 + rng.integers(0, 200, n)
    reached = rng.integers(1, 4, n)  # 1 = lead only, 2 = + quote, 3 = + won
    day = lambda k, gap: np.where(reached >= k, created + gap, -1)  # noqa: E731
    to_date = lambda d: pd.to_datetime(np.where(d >= 0, d, np.nan), unit="D")  # noqa: E731
    return pd.DataFrame({
        "opp": np.arange(n, dtype=np.int64),
        "lead_date": to_date(created),
        "quote_date": to_date(day(2, rng.integers(1, 30, n))),
        "won_date": to_date(day(3, 40 + rng.integers(0, 30, n))),
        "origin": with_missing(rng, ["Web", "Fair", "Partner", "Cold call"], n,
                               missing=None if seed % 2 else np.nan),
    })


@pytest.mark.parametrize("seed", range(6))
def test_funnel_missing_origin_is_one_group(seed):
    df = random_pipeline(seed)
    got = salesight.funnel(df, ["lead_date", "quote_date", "won_date"], id="opp", by="origin")
    want = df.groupby(labels(df["origin"]), dropna=False)[
        ["lead_date", "quote_date", "won_date"]].count()
    got = got.set_index("origin")
    assert sorted(got.index) == sorted(want.index) and salesight.MISSING in got.index
    for stage in ("lead", "quote", "won"):
        assert got[stage + "_count"].to_dict() == want[stage + "_date"].to_dict()


def random_orders(seed, n=800, missing=np.nan):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "order": np.arange(n, dtype=np.int64),
        "date": EPOCH + pd.to_timedelta(19000 + rng.integers(0, 400, n), unit="D"),
        "customer": ["C%02d" % c for c in rng.integers(0, 30, n)],
        "Region": with_missing(rng, ["North", "South", "East"], n, missing=missing),
        "salesperson": with_missing(rng, ["ann", "bob", "cy"], n, missing=missing),
        "amount": rng.integers(-500, 100000, n) / 100.0,
        "cost": rng.integers(0, 50000, n) / 100.0,
    })


@pytest.mark.parametrize("seed", range(6))
def test_margin_missing_region_is_one_group(seed):
    df = random_orders(seed, missing=None if seed % 2 else np.nan)
    got = salesight.margin(df, by="Region", cost="cost", money="minor").set_index("Region")
    cents = df.assign(a=np.round(df["amount"] * 100).astype(np.int64),
                      c=np.round(df["cost"] * 100).astype(np.int64))
    want = cents.groupby(labels(df["Region"]), dropna=False)[["a", "c"]].sum()
    assert salesight.MISSING in got.index
    assert got["revenue"].to_dict() == want["a"].to_dict()
    assert got["cost"].to_dict() == want["c"].to_dict()


@pytest.mark.parametrize("seed", range(6))
def test_aging_missing_region_is_one_group(seed):
    rng = np.random.default_rng(seed)
    n = 500
    invoice_day = 19000 + rng.integers(0, 300, n)
    invoices = pd.DataFrame({
        "invoice": np.arange(n, dtype=np.int64),
        "customer": ["C%02d" % c for c in rng.integers(0, 20, n)],
        "region": with_missing(rng, ["North", "South"], n),
        "invoice_date": EPOCH + pd.to_timedelta(invoice_day, unit="D"),
        "due_date": EPOCH + pd.to_timedelta(invoice_day + 30, unit="D"),
        "amount": rng.integers(1, 10 ** 6, n) / 100.0,
    })
    got = salesight.aging(invoices, as_of="2023-01-01", by="region", money="minor")
    want = (invoices["amount"] * 100).round().astype(np.int64).groupby(
        labels(invoices["region"]), dropna=False).sum()
    assert got.set_index("region")["total"].to_dict() == want.to_dict()
    # collection groups the same way
    col = salesight.collection(invoices, as_of="2023-01-01", by="region", money="minor")
    assert sorted(col["region"]) == sorted(want.index)


@pytest.mark.parametrize("seed", range(6))
def test_trend_missing_region_is_one_group(seed):
    df = random_orders(seed).rename(columns={"Region": "region"})
    got = salesight.trend(df, by="region", date="date", money="minor", compare="previous",
                          empty_periods=False)
    cents = (df["amount"] * 100).round().astype(np.int64)
    want = cents.groupby([df["date"].dt.strftime("%Y-%m"), labels(df["region"])],
                         dropna=False).sum()
    assert got.set_index(["period", "region"])["revenue"].to_dict() == want.to_dict()


def test_leaderboard_and_contribution_missing_members():
    df = random_orders(3)
    board = salesight.leaderboard(df, date="date", start="2022-01-01", end="2023-12-31",
                                  money="minor")
    cents = (df["amount"] * 100).round().astype(np.int64)
    want = cents.groupby(labels(df["salesperson"]), dropna=False).sum()
    assert board.set_index("salesperson")["revenue"].to_dict() == want.to_dict()
    share = salesight.contribution(df.rename(columns={"Region": "region"}), by="region",
                                   money="minor")
    assert share.set_index("region")["value"].to_dict() == cents.groupby(
        labels(df["Region"]), dropna=False).sum().to_dict()


@pytest.mark.parametrize("column", [
    pd.Series(["N", None, "", "S"], dtype=object),         # "" and None: one group
    pd.Series(["N", pd.NA, "", "S"], dtype="string"),
    pd.Series(["N", np.nan, "", "S"], dtype="category"),
])
def test_missing_and_empty_text_are_one_group(column):
    df = pd.DataFrame({"g": column, "amount": [1.0, 2.0, 4.0, 8.0]})
    got = salesight.margin(df, by="g").set_index("g")["revenue"]
    assert got.to_dict() == {"": 6.0, "N": 1.0, "S": 8.0}


def test_numeric_codes_with_missing_members():
    df = pd.DataFrame({"g": [2.0, np.nan, 1.0, 2.0], "amount": [1.0, 2.0, 4.0, 8.0]})
    got = salesight.margin(df, by="g")
    assert got["g"].tolist() == [salesight.MISSING, 1.0, 2.0]
    assert got["revenue"].tolist() == [2.0, 4.0, 9.0]
    nullable = df.assign(g=pd.array([2, None, 1, 2], dtype="Int64"))
    assert salesight.margin(nullable, by="g")["revenue"].tolist() == [2.0, 4.0, 9.0]


def test_required_codes_still_name_the_missing_row():
    df = random_orders(1).head(5)
    df.loc[3, "customer"] = None
    with pytest.raises(salesight.InvalidArgumentError, match=r"'customer' row 3 \(index 3\)"):
        salesight.rfm(df, customer="customer", date="date", amount="amount")
    with pytest.raises(salesight.InvalidArgumentError, match="row 3"):
        salesight.margin(df, by="customer")


def run_cli(*args):
    if not CLI.exists():
        pytest.skip("no salesight CLI beside the build's python directory")
    done = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done


def test_funnel_label_is_what_the_cli_prints(tmp_path):
    df = random_pipeline(7)
    path = tmp_path / "pipeline.csv"
    df.to_csv(path, index=False, date_format="%Y-%m-%d")  # NaN / None -> empty field
    out = tmp_path / "funnel.csv"
    run_cli("funnel", "--pipeline", path, "--map", "id=opp,created=lead_date,source=origin",
            "--stages", "lead=lead_date,quote=quote_date,won=won_date", "--by", "source",
            "--threads", "1",
            "--out", out)
    cli = pd.read_csv(out, keep_default_na=False, dtype={"source": str}).set_index("source")
    got = salesight.funnel(df, ["lead_date", "quote_date", "won_date"], id="opp",
                           by="origin").set_index("origin")
    assert sorted(cli.index) == sorted(got.index) and salesight.MISSING in cli.index
    for stage in ("lead", "quote", "won"):
        assert cli[stage + "_count"].to_dict() == got[stage + "_count"].to_dict()


def test_margin_label_is_what_the_cli_prints(tmp_path):
    df = random_orders(8)
    path = tmp_path / "orders.csv"
    df.to_csv(path, index=False, date_format="%Y-%m-%d")
    out = tmp_path / "margin.csv"
    run_cli("margin", "--orders", path, "--map",
            "order=order,date=date,customer=customer,region=Region,amount=amount,cost=cost",
            "--by", "region", "--threads", "1", "--out", out)
    cli = pd.read_csv(out, keep_default_na=False, dtype={"region": str}).set_index("region")
    got = salesight.margin(df, by="Region", cost="cost").set_index("Region")
    assert sorted(cli.index) == sorted(got.index) and salesight.MISSING in cli.index
    assert cli["revenue"].round(2).to_dict() == got["revenue"].round(2).to_dict()


def test_product_master_without_category_is_the_missing_group():
    orders = pd.DataFrame({"product": ["P1", "P3", "P2", "P1", "P9"],
                           "amount": [10.0, 5.0, 3.0, 1.0, 2.0], "quantity": [1, 2, 1, 1, 1]})
    products = pd.DataFrame({"product": ["P1", "P2", "P3"], "standard_cost": [2.5, 1.0, 0.5],
                             "category": ["Tools", None, np.nan]})
    got = salesight.margin(orders, by="category", products=products, quantity="quantity")
    # P2, P3: no category -> MISSING; P9 is not in the master: its category is unknown (None)
    assert dict(zip(got["category"], got["revenue"])) == {
        "Tools": 11.0, salesight.MISSING: 8.0, None: 2.0}
