"""salesight: sales analytics over ERP data, from pandas.

A thin pandas layer over the salesight C library (``salesight.h``), through
the ``_salesight`` pybind11 module. Every function takes a DataFrame plus the
names of its columns and returns a DataFrame with the same columns as the
``salesight`` command line tool.

Inputs pass without copies where the types allow it: int64, float64 and
datetime64[ns] columns go to the library by pointer. Codes (customer,
product, region, ...) are factorized once, text by the library
(``salesight_interned_*``), other codes by ``pandas.factorize(sort=True)``,
in the codes' order either way (ties broken "by id" are broken by the
sorted codes), and mapped back on output; non-negative integer codes that are already dense pass through. A
missing member (NaN / None) of an optional code column (region, salesperson,
channel, source, ...) forms one group labelled :data:`MISSING` (``""``, the
label the CSV reader and the CLI give an empty field); required codes (an
order line's or invoice's customer) cannot be missing.
Money: float64 columns are currency units, never rounded silently; with
``money_scale=None`` (default) every money column of a call is converted at
the smallest scale (0..6 decimals) holding every value's shortest
round-trip decimal (``repr``) exactly, with ``money_scale=N`` at N decimals.
int64 columns are minor units: of ``money_scale=N``, or cents when the scale
is chosen. Results give money as float64 currency units, or int64 minor
units with ``money="minor"`` (``frame.attrs["money_scale"]`` decimals).

Errors are :class:`SalesightError` subclasses carrying the library's message
(``TypeMismatchError`` is also a ``TypeError``, ``UnknownColumnError`` a
``KeyError``, ...). The GIL is released while the library computes.

Beyond one machine: :mod:`salesight.dask` runs the same calculators on Dask
DataFrames, partition by partition.
"""

from . import _salesight
from ._errors import (
    BY_STATUS as _BY_STATUS,
    InternalError,
    InvalidArgumentError,
    LengthMismatchError,
    OutOfMemoryError,
    OutOfRangeError,
    SalesightDataWarning,
    SalesightError,
    SalesightIOError,
    TypeMismatchError,
    UnknownColumnError,
    UnsupportedError,
)

_salesight._register_errors(_BY_STATUS)


def _compatible(header, runtime):
    # The module was compiled against one header; the library that the
    # dynamic loader found must be the same major and at least that minor -
    # and while the major is 0 the same minor, because a 0.x minor may change
    # the ABI (README, ABI policy; 0.2.0 changed every options_init).
    if runtime // 1000000 != header // 1000000:
        return False
    if header // 1000000 == 0:
        return runtime // 1000 == header // 1000
    return runtime // 1000 >= header // 1000


def _check_version():
    header = _salesight.HEADER_VERSION_NUMBER
    runtime = _salesight.version_number()
    if not _compatible(header, runtime):
        raise ImportError(
            "salesight: the loaded libsalesight is version %s but the Python module was built "
            "for %s; rebuild or reinstall the package"
            % (_salesight.version_string(), _salesight.HEADER_VERSION_STRING))


_check_version()

__version__ = _salesight.version_string()

from ._frame import (  # noqa: E402  (after the version check)
    AUTO,
    MISSING,
    aging,
    collection,
    contribution,
    funnel,
    leaderboard,
    margin,
    quote_check,
    read_csv,
    rfm,
    sample,
    trend,
)

from ._dataset import Dataset, calculators  # noqa: E402
from ._query import cross_filter, drill_down, drill_through, query, query_spec  # noqa: E402
from ._dashboard import Dashboard, dashboard  # noqa: E402
from ._dataset import declared_functions as _declared_functions  # noqa: E402

__all__ = [
    "rfm", "funnel", "margin", "quote_check", "read_csv", "sample",
    "aging", "collection", "trend", "contribution", "leaderboard", "AUTO", "MISSING",
    "SalesightError", "InvalidArgumentError", "TypeMismatchError", "LengthMismatchError",
    "UnknownColumnError", "UnsupportedError", "OutOfMemoryError", "OutOfRangeError",
    "SalesightIOError", "InternalError", "SalesightDataWarning", "__version__",
    "Dataset", "calculators", "query", "query_spec", "drill_down", "drill_through", "cross_filter",
    "dashboard", "Dashboard",
]

# Every declared calculator the library has (salesight_calculators_json) is a
# function here, made from its declaration: e.g. salesight.new_customers.
for _name, _function in _declared_functions().items():
    if _name not in globals():
        globals()[_name] = _function
        __all__.append(_name)

# salesight.clv stays the declared calculator and also has .fit / .summary.
from ._clv import callable_clv as _callable_clv  # noqa: E402

clv = _callable_clv(clv)  # noqa: F821  (made by the loop above)
