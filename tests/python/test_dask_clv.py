"""salesight.dask.clv_fit on a distributed.LocalCluster (2 worker processes):
the parameters equal the single-machine salesight.clv.fit to 1e-9 relative
(in fact bit for bit: the same summary rows in the same order)."""

import os

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import salesight  # noqa: E402
import salesight.dask as sdask  # noqa: E402

CDNOW = os.path.join(os.path.dirname(__file__), "..", "data", "cdnow")


@pytest.fixture(scope="module")
def orders():
    df = pd.read_csv(os.path.join(CDNOW, "CDNOW_sample.txt"), sep=r"\s+", header=None,
                     names=["customer", "id2", "date", "quantity", "amount"], dtype={"date": str})
    df["order_date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    df["customer"] = df["customer"].map("C-{:05d}".format)  # string codes: the factorized path
    return df[["customer", "order_date", "amount"]]


def same_params(got, want):
    assert list(got) == list(want)
    for name in want:
        assert abs(got[name] - want[name]) <= 1e-9 * abs(want[name]), name


def test_clv_fit_equals_single_machine(client, orders):
    # Lines in date order: every customer's lines spread over the partitions.
    ddf = dd.from_pandas(orders.sort_values("order_date", kind="stable"), npartitions=6,
                         sort=False)
    # Default calibration_end: the last order date over all partitions.
    got = sdask.clv_fit(ddf, model="bgnbd")
    want = salesight.clv.fit(orders)
    same_params(got.params, want.params)
    same_params(got.spend_params, want.spend_params)
    assert got.log_likelihood == pytest.approx(want.log_likelihood, rel=1e-12)
    # The merged summary is the single-machine summary, row for row (so is any fit on it).
    kw = dict(calibration_end="1997-09-30", time_unit="day")
    pd.testing.assert_frame_equal(sdask.clv_summary(ddf, **kw),
                                  salesight.clv.summary(orders, **kw), check_exact=True)


def test_clv_fit_on_a_summary_frame(client):
    summary = pd.read_csv(os.path.join(CDNOW, "cdnow_customers_summary_with_transactions.csv"))
    summary = summary.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
    got = sdask.clv_fit(dd.from_pandas(summary, npartitions=4))
    same_params(got.params, salesight.clv.fit(summary).params)
    assert abs(got.params["r"] - 0.243) < 5e-4


def test_customers_split_without_shuffle_is_an_error(client, orders):
    ddf = dd.from_pandas(orders.sort_values("order_date", kind="stable"), npartitions=4,
                         sort=False)
    with pytest.raises(salesight.InvalidArgumentError, match="has lines in two partitions"):
        sdask.clv_summary(ddf, partitioned_by_customer=True)
