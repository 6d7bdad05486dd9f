"""salesight.dask.query: salesight.query over a dask.dataframe of order lines.

``salesight.dask.query(ddf, measures, by=..., where=..., grain=..., ...)``
takes the keyword arguments of :func:`salesight.query` plus the
:class:`salesight.Dataset` ones of the orders (``orders_map``,
``attributes``) and returns the same pandas DataFrame as
``salesight.query(salesight.Dataset(ddf.compute(), ...), ...)`` - equal
exactly, distinct counts included.

How it runs (include/salesight/query/partial.hpp):

1. One small pass: the money scale of all partitions and, for the order,
   customer and product columns when they are not dense integers, their
   sorted distinct values - the one id space every partition uses (their
   ids are what a partial records; attributes are matched by their labels).
2. Each partition becomes a Dataset and a query partial
   (``salesight_query_partial``): per group its members, exact sums and the
   sets of distinct order and customer ids - bytes, never the rows.
3. A tree of merges (``split_every`` at a time, any order) on the workers;
   the client finishes the one partial left (``salesight_query_partial_finish``:
   measure filters, order, top, totals, compare) and maps the ids back.

Not here (they need every line at once): new_customers and
returning_customers, compare with a range start; the other tables' measures
(a dask frame is order lines). They raise ``UnsupportedError``.
"""
import json

import numpy as np
import pandas as pd

from . import _salesight
from ._dataset import Dataset
from ._errors import UnsupportedError, python_errors
from ._frame import _money_mode, _to_frame
from ._query import query_spec

__all__ = ["query"]

# The orders fields whose ids a partial records (so every partition must
# number them alike), with their default columns; the customer's ids come
# from a master of all customers (_partition).
_CODED = {"order": None, "product": None}
# Fields the Dataset numbers per frame without labels (shared with other
# tables): a partition's ids would not be another's.
_NUMBERED = ("region", "salesperson")


def _merge(blobs):
    out = blobs[0]
    for b in blobs[1:]:
        out = _salesight.query_partial_merge(out, b)
    return out


def _partition(pdf, text, coded, customers, orders_map, attributes, money_scale):
    if len(pdf) == 0:
        return None
    pdf = pdf.copy()
    for column, uniques in coded.items():
        pdf[column] = pd.Categorical(pdf[column], categories=uniques).codes.astype(np.int64)
    # Every customer in a master table: the Dataset numbers customers over
    # the master and the lines together (sorted), so every partition gives a
    # customer the same id - its position among all the customers.
    column = orders_map.get("customer", "customer")
    ds = Dataset(pdf, orders_map=orders_map, attributes=attributes, money_scale=money_scale,
                 customers=pd.DataFrame({column: customers}), customers_map={"customer": column})
    return _salesight.query_partial(ds._handle, text)


@python_errors
def query(ddf, measures, by=(), where=None, grain=None, time=None, range=None, compare=None,
          top=None, totals=None, order=None, limit=None, offset=None, money="float", *,
          orders_map=None, attributes=None, money_scale=None, split_every=8):
    """:func:`salesight.query` over the order lines of the dask DataFrame
    ``ddf`` (see the module's doc): the same DataFrame as the single-machine
    call on ``ddf.compute()``."""
    from .dask import _dask, _plan  # dask.py imports this module

    dask = _dask()
    mapping = dict(orders_map or {})
    attributes = list(attributes or [])
    amount = mapping.get("amount", "amount")
    money_columns = [(amount, "amount")] + [(mapping[f], f) for f in ("cost", "margin", "unit_cost")
                                            if mapping.get(f) is not None]
    fields = {f: mapping.get(f, default) for f, default in _CODED.items()}
    fields = {f: c for f, c in fields.items() if c is not None and c in ddf.columns}
    for name in _NUMBERED:
        if name in attributes:
            raise UnsupportedError(
                "salesight.dask.query: the attribute %r is a field the Dataset numbers per frame; "
                "rename the column (e.g. %r) to query it over partitions" % (name, name.title()))
    customer = mapping.get("customer", "customer")
    parts, _, stats, _ = _plan(ddf, list(fields.values()) + [customer], None, None,
                               money=(money_columns, money_scale))
    coded = {c: np.sort(stats[c]["uniques"]) for c in fields.values()
             if not stats[c].get("passthrough")}
    if stats[customer].get("passthrough"):
        (customers,) = dask.compute(ddf[customer].drop_duplicates())
        customers = customers.to_numpy()
    else:
        customers = stats[customer]["uniques"]
    customers = np.sort(pd.Series(customers).dropna().to_numpy())
    coded_by_field = {f: coded[c] for f, c in fields.items() if c in coded}
    coded_by_field["customer"] = customers
    if time is None and (grain is not None or range is not None or compare is not None):
        time = "order_date"
    spec = query_spec(measures, by, where, grain, time, range,
                      compare, top, totals, order, limit, offset)
    text = json.dumps(spec)
    scale = stats["money"][0]
    blobs = [dask.delayed(_partition, pure=True)(p, text, coded, customers, mapping, attributes,
                                                 scale)
             for p in parts]
    blobs = dask.compute(*blobs)
    blobs = [b for b in blobs if b is not None]
    if not blobs:
        frame = ddf._meta if hasattr(ddf, "_meta") else ddf.head(0)
        from ._query import query as local_query
        return local_query(Dataset(frame, orders_map=mapping, attributes=attributes), measures,
                           by, where, grain, time, range, compare, top, totals, order, limit,
                           offset, money)
    split_every = max(2, int(split_every))
    level = [dask.delayed(_merge, pure=True)(blobs[i:i + split_every])
             for i in np.arange(0, len(blobs), split_every)]
    while len(level) > 1:
        level = [dask.delayed(_merge, pure=True)(level[i:i + split_every])
                 for i in np.arange(0, len(level), split_every)]
    (final,) = dask.compute(level[0])
    result = _salesight.query_partial_finish(text, final)
    frame = _to_frame(result, money=_money_mode(money))
    # Ids of the coded fields back to the values given.
    for field, uniques in coded_by_field.items():
        if field not in frame.columns:
            continue
        values = frame[field].to_numpy(dtype=object)
        ids = np.array([isinstance(v, str) and v.isdigit() for v in values], dtype=bool)
        values[ids] = uniques[np.array([int(v) for v in values[ids]], dtype=np.int64)]
        frame[field] = values
    frame.attrs["query"] = text
    return frame
