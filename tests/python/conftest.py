"""Fixtures shared by the Python tests."""
import pytest


@pytest.fixture(scope="module")
def client():
    """A real distributed.LocalCluster (2 worker processes, 1 thread each) per
    test module, for the salesight.dask tests (they skip without distributed)."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()
