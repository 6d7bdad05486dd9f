"""The CLI and Python give the same scores (ARCHITECTURE.md, value types: ties
use the id's value, never first-seen order). ``salesight rfm --orders f.csv``
reads codes through the CSV ingest; ``salesight.rfm(pd.read_csv(f.csv))``
factorizes them in pandas. With NTILE scoring, tied frequencies and amounts
are split by customer code, so both must order codes the same way: text
bytewise, integers by value (also integer codes read as text)."""

import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import salesight

# The CLI beside the Python package in the build tree (<build>/python/salesight).
CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")


def export(rng, codes, n_orders=120):
    """An order export with many ties: 1-2 orders per customer, 3 amounts,
    6 dates. Rows in first-seen order that is not the code order."""
    rows = []
    for o in range(n_orders):
        customer = codes[rng.integers(len(codes))]
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(6)) * 20)
        for _ in range(int(rng.integers(1, 3))):
            rows.append({"Order ID": "SO-%d" % (997 - o * 7 % 991),
                         "Order Date": day.strftime("%Y-%m-%d"),
                         "Customer ID": customer,
                         "Sales": [10.0, 20.0, 30.0][rng.integers(3)]})
    return pd.DataFrame(rows)


def cli_scores(path, tmp_path):
    out = tmp_path / "rfm_cli.csv"
    subprocess.run([CLI, "rfm", "--orders", str(path), "--map",
                    "order=Order ID,date=Order Date,customer=Customer ID,amount=Sales",
                    "--scoring", "ntile", "--out", str(out)],
                   check=True, capture_output=True)
    return pd.read_csv(out, dtype={"customer": str}).set_index("customer")[["r", "f", "m"]]


def python_scores(path, dtype=None):
    df = pd.read_csv(path, parse_dates=["Order Date"], dtype=dtype)
    got = salesight.rfm(df, customer="Customer ID", date="Order Date", amount="Sales",
                        order="Order ID", scoring="ntile")
    got["customer"] = got["customer"].astype(str)
    return got.set_index("customer")[["r", "f", "m"]]


CODE_SETS = {
    # text codes whose text order differs from the order of their numbers
    "text": ["C-%d" % n for n in (7, 12, 100, 3, 25, 1, 250, 30, 9, 77, 8, 40)]
            + ["\u534e\u4e1c", "b", "B", "a"],
    # integer codes: numeric order ("9" before "10"); pandas reads them as int64
    "integers": [str(n) for n in (7, 12, 100, 3, 25, 1, 250, 30, 9, 77, 8, 40, -5)],
}


@pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")
@pytest.mark.parametrize("kind", sorted(CODE_SETS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cli_and_python_give_the_same_rfm_scores(kind, seed, tmp_path):
    rng = np.random.default_rng(seed)
    df = export(rng, CODE_SETS[kind])
    path = tmp_path / "orders.csv"
    df.to_csv(path, index=False)
    cli = cli_scores(path, tmp_path)
    # ties really are there: NTILE splits equal frequencies
    assert cli["f"].nunique() > 1 and (df.groupby("Customer ID")["Order ID"].nunique()
                                       .value_counts().max() > 1)
    py = python_scores(path)
    assert sorted(py.index) == sorted(cli.index)
    pd.testing.assert_frame_equal(py.loc[cli.index], cli, check_dtype=False)
    if kind == "integers":
        # the same integer codes read as text follow the same (numeric) order
        as_text = python_scores(path, dtype={"Customer ID": str})
        pd.testing.assert_frame_equal(as_text.loc[cli.index], cli, check_dtype=False)
    # shuffled rows: the CLI's ids no longer come in first-seen order of the file
    shuffled = tmp_path / "shuffled.csv"
    df.sample(frac=1, random_state=seed).to_csv(shuffled, index=False)
    pd.testing.assert_frame_equal(cli_scores(shuffled, tmp_path).loc[cli.index], cli)
