"""salesight.dask.run on a distributed.LocalCluster: trend and contribution
from partial states of >= 8 partitions equal Dataset.run on the whole frame
exactly (bindings/python/salesight/_dask_aggregates.py)."""
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import salesight  # noqa: E402
import salesight.dask as sdask  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::salesight.SalesightDataWarning")


@pytest.fixture(scope="module")
def orders():
    return salesight.sample(3000)[["order_id", "customer", "order_date", "amount", "region",
                                   "salesperson"]]


CASES = [
    ("trend", "region", {"grain": "month"}),
    ("trend", None, {"grain": "quarter", "compare": "previous"}),
    ("contribution", "salesperson", {}),
    ("contribution", "customer", {"decimals": 2}),
]


@pytest.mark.parametrize("name,by,options", CASES,
                         ids=["%s-%s" % (c[0], c[1]) for c in CASES])
def test_run_equals_the_whole_frame(client, orders, name, by, options):
    ddf = dd.from_pandas(orders, npartitions=8)
    got = sdask.run(name, ddf, by=by, order="order_id", **options)
    attributes = [c for c in ("region", "salesperson") if c == by]
    ds = salesight.Dataset(orders, orders_map={"order": "order_id"}, attributes=attributes)
    want = ds.run(name, by=by, **options) if by else ds.run(name, **options)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_exact=True, check_dtype=False)


def test_other_kinds_are_refused(client, orders):
    with pytest.raises(salesight.UnsupportedError):
        sdask.run("rfm", dd.from_pandas(orders, npartitions=2))
