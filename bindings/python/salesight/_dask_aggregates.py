"""``salesight.dask.run(name, ddf, ...)``: a declared calculator with a partial
state (salesight_calculator_partial) on a Dask DataFrame of order lines, equal
to ``salesight.Dataset(df, ...).run(name, ...)`` on all the rows.

It reuses dask.py's one id space (``_plan``: the sorted distinct codes of the
group column, and of the order column when given, computed once; every
partition's table uses those ids, with the same attribute labels) and its tree
of merges. Each partition becomes an orders table in a dataset of its own and a
serialized partial; the client finishes the last blob without context and maps
the ids back to the column's values.

Kinds: the calculators whose partial reads the order lines only (trend without
collections or targets, contribution) here; aging, collection and leaderboard
(several tables) in _dask_tables. rfm, funnel and margin have their own
functions in salesight.dask.
"""

import numpy as np

from . import _dask_tables, _dataset, _frame, _money, _salesight
from ._errors import InvalidArgumentError, UnsupportedError, python_errors
from ._frame import _DATE, _INT32, _INT64, _ORDERS, _build_table, _date_column, _to_frame

# Calculators whose partial state reads only the order lines.
_ORDER_KINDS = ("trend", "contribution")
# Order-line fields a group column may be (anything else is an attribute).
_FIELDS = ("customer", "region", "salesperson", "channel", "product")


def _partition(pdf, offset, dims, order_codes, order, date, amount, money, name, settings):
    n = len(pdf)
    if n == 0:
        return None
    call = _money.Call(money[0], int_scale=money[1])
    if order is None:
        order_ids = np.arange(offset, offset + n, dtype=np.int64)
    else:
        order_ids = np.ascontiguousarray(order_codes.ids(pdf[order]))
    columns = [("order_id", _INT64, order_ids, None, None),
               ("order_date",) + _date_column(pdf[date], "date") + (None,),
               call.money(pdf[amount], "amount")]
    if not any(field == "customer" for field, _, _ in dims):
        columns.append(("customer", _INT32, np.zeros(n, dtype=np.int32), None, None))
    for field, column, codes in dims:
        columns.append(codes.column(field, pdf[column]))
    table = _build_table(call, _ORDERS, columns).get()
    ds = _salesight.dataset()
    ds.add(table)
    return _salesight.calculator_partial(ds, name, settings, 0, n).serialize()


@python_errors
def run(name, ddf=None, *, by=None, date="order_date", amount="amount", order=None,
        output=None, money="float", money_scale=None, split_every=8, **options):
    """``salesight.Dataset(ddf.compute(), ...).run(name, by=..., **options)`` on
    Dask DataFrames.

    trend, contribution: ``ddf`` the order lines; ``by``: one column (a field
    or an attribute); ``order``: the order id column (trend's distinct orders;
    default every line is an order).

    aging, collection: ``invoices=`` and ``payments=`` Dask DataFrames with
    ``invoices_map=`` / ``payments_map=`` as ``salesight.Dataset`` (payments
    by invoice key); ``by``: customer, salesperson, region or none.
    leaderboard: ``ddf`` the order lines (a column named salesperson; ``date``,
    ``amount``, ``order`` and ``orders_map=`` cost/margin/unit_cost/quantity)
    and optional ``pipeline=`` (+ ``stages=``, ``pipeline_map=``, a column
    named salesperson), ``invoices=``, ``payments=``, ``targets=`` (per
    salesperson, ``targets_map=``). See _dask_tables."""
    from . import dask as sdask  # the id space and the merge tree live there
    if name in _dask_tables.KINDS:
        if by is not None:
            options["by"] = by
        if ddf is not None:
            given = dict(options.pop("orders_map", None) or {})
            given.setdefault("order_date", date)
            given.setdefault("amount", amount)
            given.setdefault("order", order)
            options["orders_map"] = given
        return _dask_tables.run(name, ddf, output=output, money=money, money_scale=money_scale,
                                split_every=split_every, **options)
    dask = sdask._dask()
    if ddf is None:
        raise InvalidArgumentError("salesight.dask.run(%r): the order lines are the second "
                                   "argument" % name)
    if name not in _ORDER_KINDS:
        raise UnsupportedError("salesight.dask.run(%r): only %s here (rfm, funnel, margin: "
                               "salesight.dask.%s)" % (name, ", ".join(_ORDER_KINDS +
                                                                       _dask_tables.KINDS),
                                                       "rfm / funnel / margin"))
    for col, role in [(date, "date"), (amount, "amount"), (order, "order"), (by, "by")]:
        if col is not None:
            sdask._check_column(ddf, col, role)
    if "by" in options:
        raise InvalidArgumentError("salesight.dask.run: give the group column as by=")
    dims = sdask._dimensions(by, _FIELDS, "%s by" % name)
    code_columns = [c for _, c, _ in dims] + ([order] if order is not None else [])
    parts, offsets, stats, _ = sdask._plan(ddf, code_columns, None, None,
                                           ([(amount, "amount")], money_scale))
    groups = sdask._group_codes(dask, ddf, dims, stats)
    order_codes = None
    if order is not None:
        order_codes = sdask._GlobalCodes(order, "order", ddf[order].dtype, stats[order])
    if groups:
        options["by"] = groups[0][0]
    settings = _dataset._settings(_dataset._spec(name), options)
    dims_d = dask.delayed(groups, pure=True)
    blobs = [dask.delayed(_partition, pure=True)(
        p, int(offsets[i]), dims_d, order_codes, order, date, amount, stats["money"], name,
        settings) for i, p in enumerate(parts)]
    blob = sdask._finish(dask, blobs, split_every)
    if blob is None:
        raise InvalidArgumentError("salesight.dask.run(%r): the DataFrame has no rows" % name)
    result = _salesight.partial_finish(_salesight.partial_deserialize(blob), None, settings,
                                       output)
    decoders = {field: codes.decode for field, _, codes in groups}
    frame = _to_frame(result, decoders, money=_frame._money_mode(money))
    return frame.rename(columns={field: column for field, column, _ in groups
                                 if field != column})
