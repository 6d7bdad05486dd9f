"""salesight on Dask: the same calculators beyond one machine.

``salesight.dask.rfm / funnel / margin`` take a ``dask.dataframe.DataFrame``
and the same keyword options as ``salesight.rfm / funnel / margin``, and
return the same pandas DataFrame - equal to the single-machine result
exactly (integers, money and ratios bit for bit), because both finish the
same exact integer partial state.

How it runs:

1. A small pass over the columns that carry codes (customer, group columns,
   non-integer order ids) computes the sorted distinct codes (or, for dense
   non-negative integers, only min/max/count), plus the partitions' lengths.
   This is the ONE id space every partition uses: ``salesight.rfm``
   factorizes with ``pandas.factorize(sort=True)``, so both give every code
   the same id and break "by id" ties the same way.
2. On the workers, each partition becomes a library table and a partial
   state (``salesight_*_partial``), serialized to bytes (a few bytes per
   customer or group, never the rows). Empty partitions give no state.
3. A tree of merges (``split_every`` blobs per step, contiguous partitions
   only) combines the bytes on the workers; the client receives one blob,
   finishes it and maps ids back to codes. No worker ever holds all rows.

Partition requirements:

* RFM, ``frequency="orders"`` with an ``order`` column: distinct orders are
  counted exactly across partitions only when the partitions are split by
  order id - consecutive partitions may share at most their boundary order
  (true for data sorted by order, as ERP exports are). The layer checks
  this from each partition's min/max order id before computing; when it
  does not hold, ``unsorted="sort"`` (default) sorts the frame by order id
  first (``ddf.sort_values``, a distributed shuffle), ``unsorted="raise"``
  raises ``InvalidArgumentError``. Without ``order`` every line is an order
  (numbered by its global row position), which always holds.
* RFM, ``frequency="days"``: the same for order dates (sorted by date).
* Funnel and margin: none - any partitioning gives the same result.

Money: ``money_scale=None`` (default) chooses the one scale of all partitions
in the planning pass (each partition's largest decimals, as
``salesight.rfm``); an error names the value's index label and its position
within its partition. Missing group members (NaN / None) form the group
``salesight.MISSING`` as in ``salesight.funnel`` / ``salesight.margin``.

Not available here (they need all lines at once): RFM
``output="new_returning"``, margin ``output="quadrant"`` / ``"slow_movers"``.
Funnel issue examples carry partition-local row numbers (not in the
outputs returned here).
"""

import numpy as np
import pandas as pd

from . import _salesight
from ._errors import InvalidArgumentError, UnsupportedError
from ._frame import (
    _DATE, _FUNNEL_FIELDS, _INT32, _INT64, _MARGIN_FIELDS, _ORDERS, _PIPELINE, MISSING,
    _build_table, _date_column, _day, _funnel_options, _margin_options, _money_mode, _numeric,
    _rfm_options, _to_frame,
)
from . import _frame, _money
from ._errors import python_errors
from ._dask_query import query  # noqa: F401,E402  (salesight.dask.query)
from ._dask_aggregates import run  # noqa: F401 - every other kind with a partial state

__all__ = ["rfm", "funnel", "margin"]

_PERIOD_NAMES = ("day", "week", "month", "quarter", "year")


def _dask():
    try:
        import dask
        import dask.dataframe  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError("salesight.dask needs the dask package "
                          "(Debian: python3-dask python3-distributed)") from e
    return dask


def _check_column(ddf, column, role):
    if column not in ddf.columns:
        raise _frame.UnknownColumnError(
            "%s column %r is not in the DataFrame (columns: %s)"
            % (role, column, ", ".join(map(str, ddf.columns))))


# --------------------------------------------------------------------- id space

class _GlobalCodes:
    """The id space of one code column over ALL partitions, decided exactly as
    ``_frame._Codes`` decides it for the whole frame: dense non-negative
    integers pass through, anything else gets the id of its position in the
    sorted distinct codes (``_frame._factorize``: pandas.factorize(sort=True)
    in the library's code order)."""

    def __init__(self, column, role, dtype, stats, nullable=False):
        self.name, self.role, self.dtype = column, role, dtype
        self.uniques = None
        self.passthrough = stats.get("passthrough", False)
        if not self.passthrough:
            values = stats["uniques"]
            if pd.isna(values).any() and not nullable:
                raise InvalidArgumentError(
                    "%s column %r has missing values; codes cannot be null" % (role, column))
            # missing members: the group MISSING, as _frame._Codes does it
            _, self.uniques = _frame._factorize(pd.Series(values, dtype=dtype, name=column),
                                                role, nullable)
            self.index = pd.Index(self.uniques)

    def ids(self, series):
        if self.passthrough:
            values = series.to_numpy()
            return values if values.dtype.kind == "i" else values.astype(np.int64)
        ids = self.index.get_indexer(series)
        missing = series.isna().to_numpy()
        if missing.any():
            ids[missing] = self.index.get_loc(MISSING)
        return ids.astype(np.int64, copy=False)

    def column(self, name, series):
        ids = self.ids(series)
        return (name, _INT32 if ids.dtype == np.int32 else _INT64, np.ascontiguousarray(ids),
                None, None)

    def decode(self, ids):
        if self.uniques is None:
            return ids.astype(self.dtype, copy=False)
        return self.uniques.take(ids)


def _is_plain_int(dtype):
    return not pd.api.types.is_extension_array_dtype(dtype) and np.dtype(dtype).kind in "iu"


def _money_need(pdf, columns):
    """(largest decimals of the partition's float money, any int64 money?)
    of the given money columns; an error names a value needing more than 6."""
    call = _money.Call(None)
    need = [call.money(pdf[c], role, role) for c, role in columns]
    return (max([m.max_decimals() for m in need if m.is_float], default=0),
            any(m.is_int for m in need))


def _plan(ddf, code_columns, order_column, check_column, money=None):
    """One small dask pass: the partitions' lengths, per code column either
    min/max (dense integer candidates) or the distinct values, per partition
    the min/max of `check_column` (RFM's split requirement), and with
    `money` ([(column, role)] and the money_scale argument) the one money
    scale of all partitions: stats["money"] = (scale, int64 scale)."""
    dask = _dask()
    parts = ddf.to_delayed()
    lengths = [dask.delayed(len)(p) for p in parts]
    todo = {"lengths": lengths}
    money_columns, money_scale = money if money is not None else ([], 2)
    money_scale = _money.check_scale(money_scale)
    if money_scale is None:
        todo["money"] = [dask.delayed(_money_need)(p, money_columns) for p in parts]
    for column in code_columns:
        s = ddf[column]
        if _is_plain_int(s.dtype):
            todo["minmax:" + column] = (s.min(), s.max())
        else:
            todo["unique:" + column] = s.drop_duplicates()
    if check_column is not None:
        def bounds(pdf):
            col = pdf[check_column]
            if len(col) == 0:
                return None
            return (col.min(), col.max())
        todo["bounds"] = [dask.delayed(bounds)(p) for p in parts]
    (done,) = dask.compute(todo)
    n = int(sum(done["lengths"]))
    stats = {}
    for column in code_columns:
        if "minmax:" + column in done:
            lo, hi = done["minmax:" + column]
            if n > 0 and lo >= 0 and hi < 2**31 - 1 and hi <= 4 * n + 1024:
                stats[column] = {"passthrough": True}
                continue
            todo2 = ddf[column].drop_duplicates()
            (u,) = dask.compute(todo2)
            stats[column] = {"uniques": u.to_numpy()}
        else:
            u = done["unique:" + column]
            stats[column] = {"uniques": u.to_numpy() if hasattr(u, "to_numpy") else np.asarray(u)}
    if money_scale is not None:
        stats["money"] = (money_scale, money_scale)
    else:
        need = done["money"]
        stats["money"] = (_money.choose_scale([d for d, _ in need], any(i for _, i in need)),
                          _money.AUTO_INT_SCALE)
    offsets = np.concatenate([[0], np.cumsum(np.asarray(done["lengths"], dtype=np.int64))])
    return parts, offsets, stats, done.get("bounds")


def _split_ok(bounds):
    """Consecutive non-empty partitions share at most their boundary value."""
    prev = None
    for b in bounds:
        if b is None:
            continue
        if prev is not None and not (prev[1] <= b[0]):
            return False
        prev = b
    return True


# ------------------------------------------------------------------ reduction

def _reduce(dask, blobs, split_every):
    """Tree of merges over contiguous runs of `split_every` blobs (contiguous,
    so RFM's neighbouring order-id ranges stay neighbours at every level)."""
    split_every = max(2, int(split_every))
    level = list(blobs)
    while len(level) > 1:
        level = [dask.delayed(_merge_step, pure=True)(level[i:i + split_every])
                 for i in range(0, len(level), split_every)]
    return level[0] if level else None


def _merge_step(blobs):
    return _salesight.merge_serialized(list(blobs))


def _finish(dask, blobs, split_every):
    final = _reduce(dask, blobs, split_every)
    if final is None:
        return None
    (blob,) = dask.compute(final)
    return blob


# ------------------------------------------------------------------------ rfm

def _rfm_partition(pdf, offset, customer_codes, order_codes, customer, date, amount, order, cost,
                   unit_cost, quantity, money, options):
    n = len(pdf)
    if n == 0:
        return None
    call = _money.Call(money[0], int_scale=money[1])
    if order is None:
        order_ids = np.arange(offset, offset + n, dtype=np.int64)
    elif order_codes is None:
        order_ids = np.ascontiguousarray(pdf[order].to_numpy())
    else:
        order_ids = np.ascontiguousarray(order_codes.ids(pdf[order]))
    columns = [
        ("order_id", _INT64, order_ids, None, None),
        customer_codes.column("customer", pdf[customer]),
        ("order_date",) + _date_column(pdf[date], "date") + (None,),
        call.money(pdf[amount], "amount"),
    ]
    if cost is not None:
        columns.append(call.money(pdf[cost], "cost"))
    if unit_cost is not None:
        columns.append(call.money(pdf[unit_cost], "unit_cost"))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(pdf[quantity], "quantity") + (None,))
    table = _build_table(call, _ORDERS, columns).get()
    return _salesight.rfm_partial(table, 0, n, options).serialize()


@python_errors
def rfm(ddf, customer="customer", date="order_date", amount="amount", order=None, *, cost=None,
        unit_cost=None, quantity=None, as_of=None, window_days=0, frequency="orders",
        monetary="revenue", aggregation="sum", all_lines_are_purchases=False,
        scoring="quantile", k=5, segments="tiers", rules=None, fixed=None, language="en",
        output="customers", money="float", money_scale=None, num_threads=1, split_every=8,
        unsorted="sort"):
    """``salesight.rfm`` on a Dask DataFrame; the same options, columns and
    definitions (see ``salesight.rfm``): recency_days = as_of - last purchase
    day (as_of default: the day after the last order over ALL partitions),
    frequency = distinct ``order`` values (or distinct days), monetary = net
    amount; scores 1..k and segments as in the single-machine function.

    Partition requirement (``frequency="orders"`` with ``order``; ``"days"``
    with dates): consecutive partitions share at most their boundary order id
    (date). Checked before computing; ``unsorted="sort"`` sorts by it when the
    check fails, ``"raise"`` raises InvalidArgumentError. ``split_every``:
    blobs merged per reduction step. Outputs: customers, detail, segments,
    pareto (new_returning needs all lines: UnsupportedError).
    """
    dask = _dask()
    for col, role in ((customer, "customer"), (date, "date"), (amount, "amount"),
                      (order, "order"), (cost, "cost"), (unit_cost, "unit_cost"),
                      (quantity, "quantity")):
        if col is not None:
            _check_column(ddf, col, role)
    if unsorted not in ("sort", "raise"):
        raise InvalidArgumentError("unsorted=%r is not 'sort' or 'raise'" % (unsorted,))
    if output == "new_returning":
        raise UnsupportedError("salesight.dask.rfm: output='new_returning' needs all lines on "
                               "one machine; use salesight.rfm")
    options = _rfm_options(as_of, window_days, frequency, monetary, aggregation,
                           all_lines_are_purchases, scoring, k, segments, rules, fixed, language,
                           num_threads, output)
    money = _money_mode(money)

    # The column whose ranges must not overlap across partitions.
    split_col = None
    if options["frequency"] == 1:
        split_col = date
    elif order is not None:
        split_col = order
    order_is_int = order is not None and _is_plain_int(ddf[order].dtype) and \
        np.dtype(ddf[order].dtype).kind == "i"
    code_columns = [customer] + ([order] if order is not None and not order_is_int else [])
    money_plan = ([(c, role) for c, role in ((amount, "amount"), (cost, "cost"),
                                             (unit_cost, "unit_cost")) if c is not None],
                  money_scale)
    parts, offsets, stats, bounds = _plan(ddf, code_columns, order, split_col, money_plan)
    if split_col is not None and not _split_ok(bounds):
        if unsorted == "raise":
            raise InvalidArgumentError(
                "salesight.dask.rfm: the partitions are not split by %r (consecutive partitions "
                "may share at most their boundary value); sort the frame by it (e.g. "
                "ddf.sort_values(%r)) or pass unsorted='sort'" % (split_col, split_col))
        ddf = ddf.sort_values(split_col)
        parts, offsets, stats, bounds = _plan(ddf, code_columns, order, split_col, money_plan)
    customer_codes = _GlobalCodes(customer, "customer", ddf[customer].dtype, stats[customer])
    order_codes = None
    if order is not None and not order_is_int:
        order_codes = _GlobalCodes(order, "order", ddf[order].dtype, stats[order])

    if options["window_days"] > 0 and options["as_of"] == _salesight.NO_DATE:
        # The default as_of (the day after the last order) of all partitions.
        (last,) = dask.compute(ddf[date].max())
        options["as_of"] = _last_day(last, date) + 1

    # Shipped once per worker, not once per task.
    cust_d = dask.delayed(customer_codes, pure=True)
    order_d = dask.delayed(order_codes, pure=True)
    blobs = [dask.delayed(_rfm_partition, pure=True)(
        p, int(offsets[i]), cust_d, order_d, customer, date, amount, order, cost, unit_cost,
        quantity, stats["money"], options) for i, p in enumerate(parts)]
    blob = _finish(dask, blobs, split_every)
    if blob is None:
        return _frame.rfm(ddf._meta, customer, date, amount, order, cost=cost,
                          unit_cost=unit_cost, quantity=quantity, as_of=as_of,
                          window_days=window_days, frequency=frequency, monetary=monetary,
                          aggregation=aggregation,
                          all_lines_are_purchases=all_lines_are_purchases, scoring=scoring,
                          k=k, segments=segments, rules=rules, fixed=fixed, language=language,
                          output=output, money=money, money_scale=money_scale)
    result = _salesight.rfm_finish(_salesight.partial_deserialize(blob), options)
    decoders = {"customer": customer_codes.decode} if options["output"] <= 1 else {}
    return _to_frame(result, decoders, categorical=("segment",), money=money)


def _last_day(value, column):
    if isinstance(value, (int, np.integer)):
        return int(value)
    return _day(value, column)


# --------------------------------------------------------------------- funnel

def _funnel_partition(pdf, offset, id_codes, group_codes, id, created_col, stage_items, amount,
                      lost, money, options):
    n = len(pdf)
    if n == 0:
        return None
    call = _money.Call(money[0], int_scale=money[1])
    if id is None:
        ids = np.arange(offset, offset + n, dtype=np.int64)
    elif id_codes is None:
        ids = np.ascontiguousarray(pdf[id].to_numpy())
    else:
        ids = np.ascontiguousarray(id_codes.ids(pdf[id]))
    columns = [("opportunity", _INT64, ids, None, None),
               ("created",) + _date_column(pdf[created_col], "created") + (None,)]
    for name, column in stage_items:
        columns.append(("stage:" + name,) + _date_column(pdf[column], "stage") + (None,))
    for field, column, codes in group_codes:
        columns.append(codes.column(field, pdf[column]))
    if amount is not None:
        columns.append(call.money(pdf[amount], "amount"))
    if lost is not None:
        columns.append(("lost_date",) + _date_column(pdf[lost], "lost") + (None,))
    table = _build_table(call, _PIPELINE, columns).get()
    return _salesight.funnel_partial(table, 0, n, options).serialize()


class _GlobalAttribute:
    """A group column that is no field, over ALL partitions, as
    ``_frame._Attribute`` does it for a whole frame: the attribute column
    "attr:<name>" with codes in the canonical order of the distinct values of
    every partition (NaN / None = the member MISSING) and the same labels in
    every partition's table, so that the partial states merge. A finished
    partial state names members by code (the serialized state keeps no
    labels), so the result's codes are turned back into the column's values."""

    def __init__(self, name, column, dtype, uniques):
        _, uniques = _frame._factorize(pd.Series(uniques, dtype=dtype, name=column), "group",
                                       nullable=True)
        self.name = name
        # Codes in the canonical order of the LABELS (the C builder's order for
        # the attribute's dictionary, e.g. text order once "" joins numbers),
        # so that no partition's table reorders them and a code means one
        # member in every partial state.
        labels = [_frame._label(u) for u in uniques]
        value_of = dict(zip(labels, uniques))
        _, canonical = _frame._canonical_factorize(pd.Series(labels, dtype=object))
        self.labels = list(canonical)
        self.index = pd.Index([value_of[label] for label in self.labels], dtype=object)
        # As _frame._Attribute: a numeric column without missing values keeps
        # its dtype in the result.
        self.dtype = dtype if (np.dtype(dtype).kind in "iub"
                               and not pd.isna(pd.Series(uniques)).any()) else None

    def column(self, name, series):
        ids = self.index.get_indexer(series)
        missing = series.isna().to_numpy()
        if missing.any():
            ids[missing] = self.index.get_loc(MISSING)
        return (_frame._ATTR_PREFIX + self.name, _INT64,
                np.ascontiguousarray(ids, dtype=np.int64), None, self.labels)

    def decode(self, ids):
        return self.index.take(ids).to_numpy(dtype=self.dtype or object)


def _label_detailed(frame, group_codes):
    """The detailed output names members as the library labels them (text,
    not decoded, as salesight.funnel's): an attribute's codes, which the
    merged partial states name members by, become its labels, in its own
    column and in the "group" text ("a / b", one part per dimension)."""
    attrs = {d: codes for d, (name, _, codes) in enumerate(group_codes)
             if isinstance(codes, _GlobalAttribute)}
    if not attrs:
        return

    def label(codes, text):
        return codes.labels[int(text)] if isinstance(text, str) and text.isdigit() else text

    for d, codes in attrs.items():
        name = group_codes[d][0]
        if name in frame.columns:
            frame[name] = [label(codes, v) for v in frame[name]]
    if "group" in frame.columns:
        def group(text):
            parts = text.split(" / ") if isinstance(text, str) else []
            if len(parts) != len(group_codes):
                return text
            return " / ".join(label(attrs[d], p) if d in attrs else p for d, p in enumerate(parts))
        frame["group"] = [group(v) for v in frame["group"]]


def _dimensions(by, fields, role):
    """The group-by columns as dimension names, as ``_frame._dimension_columns``:
    a column named like one of `fields` is that field, any other column an
    attribute named like it. Returns [(dimension name, column, is a field)]."""
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, (list, tuple)):
        by = [by]
    out = []
    for column in by:
        if column in fields:
            out.append((column, column, True))
            continue
        name = str(column)
        if "," in name:
            raise InvalidArgumentError("%s: the group column name %r contains ','; rename it"
                                       % (role, column))
        out.append((name, column, False))
    return out


def _group_codes(dask, ddf, dims, stats):
    """[(dimension name, column, codes)]: a field's _GlobalCodes, an
    attribute's _GlobalAttribute (its distinct values even when they are
    dense integers, which _plan passes through)."""
    out = []
    for name, column, is_field in dims:
        dtype = ddf[column].dtype
        if is_field:
            out.append((name, column, _GlobalCodes(column, "group", dtype, stats[column],
                                                   nullable=True)))
            continue
        uniques = stats[column].get("uniques")
        if uniques is None:
            (u,) = dask.compute(ddf[column].drop_duplicates())
            uniques = u.to_numpy()
        out.append((name, column, _GlobalAttribute(name, column, dtype, uniques)))
    return out


def _assign_fields(by, fields, role):
    """The group-by columns' library fields: a column named like a field takes
    it, the others the free fields in order."""
    if by is None:
        return []
    if isinstance(by, str):
        by = [by]
    free = [f for f in fields if f not in by]
    out = []
    for column in by:
        if column in fields:
            field = column
        elif free:
            field = free.pop(0)
        else:
            raise InvalidArgumentError("%s: at most %d group columns" % (role, len(fields)))
        out.append((field, column))
    return out


@python_errors
def funnel(ddf, stages, *, id=None, created=None, by=None, period=None, amount=None, lost=None,
           mode="cohort", start=None, end=None, as_of=None, compare=None, implied_reached=True,
           include_backwards_gaps=False, won_stage=None, output="table", money_scale=None,
           num_threads=1, split_every=8):
    """``salesight.funnel`` on a Dask DataFrame; the same options, columns and
    definitions (see ``salesight.funnel``): stage counts, step and cumulative
    conversion (null when the denominator is 0), median days between
    consecutive stages (mean of the two middle values for an even count; from
    mergeable exact histograms), win rate and cycle. Any partitioning gives the
    same result. Outputs: table, detailed, bottlenecks (the workload outputs:
    use salesight.funnel).
    """
    dask = _dask()
    if isinstance(stages, dict):
        stage_items = list(stages.items())
    else:
        stage_items = [(str(c)[:-5] if str(c).endswith("_date") and len(str(c)) > 5 else str(c),
                        c) for c in stages]
    if not stage_items:
        raise InvalidArgumentError("funnel: at least one stage column is needed")
    created_col = created if created is not None else stage_items[0][1]
    for col, role in [(id, "id"), (created_col, "created"), (amount, "amount"),
                      (lost, "lost")] + [(c, "stage") for _, c in stage_items]:
        if col is not None:
            _check_column(ddf, col, role)
    dims = _dimensions(by, _FUNNEL_FIELDS, "funnel by")
    for _, column, _ in dims:
        _check_column(ddf, column, "group")
    options = _funnel_options(mode, start, end, as_of, period, compare, implied_reached,
                              include_backwards_gaps, ",".join(name for name, _, _ in dims),
                              won_stage, num_threads, output)
    if options["output"] >= 3:
        raise UnsupportedError("salesight.dask.funnel: the workload outputs use fixed options; "
                               "use salesight.funnel")
    id_is_int = id is not None and _is_plain_int(ddf[id].dtype) and \
        np.dtype(ddf[id].dtype).kind == "i"
    code_columns = [c for _, c, _ in dims] + ([id] if id is not None and not id_is_int else [])
    parts, offsets, stats, _ = _plan(ddf, code_columns, None, None,
                                     ([(amount, "amount")] if amount is not None else [],
                                      money_scale))
    group_codes = _group_codes(dask, ddf, dims, stats)
    id_codes = None
    if id is not None and not id_is_int:
        id_codes = _GlobalCodes(id, "id", ddf[id].dtype, stats[id])
    groups_d = dask.delayed(group_codes, pure=True)
    id_d = dask.delayed(id_codes, pure=True)
    blobs = [dask.delayed(_funnel_partition, pure=True)(
        p, int(offsets[i]), id_d, groups_d, id, created_col, stage_items, amount, lost,
        stats["money"], options) for i, p in enumerate(parts)]
    blob = _finish(dask, blobs, split_every)
    if blob is None:
        return _frame.funnel(ddf._meta, stages, id=id, created=created, by=by, period=period,
                             amount=amount, lost=lost, mode=mode, start=start, end=end,
                             as_of=as_of, compare=compare, implied_reached=implied_reached,
                             include_backwards_gaps=include_backwards_gaps, won_stage=won_stage,
                             output=output, money_scale=money_scale)
    result = _salesight.funnel_finish(_salesight.partial_deserialize(blob), options)
    decoders = {name: codes.decode for name, _, codes in group_codes}
    frame = _to_frame(result, decoders if options["output"] == 0 else {})
    if options["output"] == 1:
        _label_detailed(frame, group_codes)
    return frame.rename(columns={name: column for name, column, _ in group_codes
                                 if name != column})


# --------------------------------------------------------------------- margin

def _margin_partition(pdf, offset, group_codes, date, amount, cost, margin, unit_cost, quantity,
                      money, options):
    n = len(pdf)
    if n == 0:
        return None
    call = _money.Call(money[0], int_scale=money[1])
    columns = [("order_id", _INT64, np.arange(offset, offset + n, dtype=np.int64), None, None)]
    if date is not None:
        columns.append(("order_date",) + _date_column(pdf[date], "date") + (None,))
    else:
        columns.append(("order_date", _DATE, np.zeros(n, dtype=np.int32), None, None))
    if not any(field == "customer" for field, _, _ in group_codes):
        columns.append(("customer", _INT32, np.zeros(n, dtype=np.int32), None, None))
    for field, column, codes in group_codes:
        columns.append(codes.column(field, pdf[column]))
    columns.append(call.money(pdf[amount], "amount"))
    if cost is not None:
        columns.append(call.money(pdf[cost], "cost"))
    if margin is not None:
        columns.append(call.money(pdf[margin], "margin"))
    if unit_cost is not None:
        columns.append(call.money(pdf[unit_cost], "unit_cost"))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(pdf[quantity], "quantity") + (None,))
    table = _build_table(call, _ORDERS, columns).get()
    return _salesight.margin_partial(table, None, 0, n, options).serialize()


@python_errors
def margin(ddf, by="product", *, amount="amount", cost=None, margin=None, unit_cost=None,
           quantity=None, date=None, order=None, start=None, end=None, abc=None,
           output="table", top=10, rank_by="margin", bottom=False, money="float",
           money_scale=None, num_threads=1, split_every=8):
    """``salesight.margin`` on a Dask DataFrame; the same options, columns and
    definitions (see ``salesight.margin``): per group revenue, cost (the
    ``cost`` column, else amount - ``margin``, else quantity x unit_cost;
    without any the line's cost is unknown and left out of cost and margin),
    margin = revenue - cost over costed lines, margin_pct, shares, optional ABC
    class; exact integer sums, so any partitioning gives the same result.
    Outputs: table, ranking, abc (quadrant and slow_movers: use
    salesight.margin).
    """
    dask = _dask()
    if isinstance(by, str):
        by = [by]
    by = list(by or [])
    periods = [b for b in by if b in _PERIOD_NAMES and b not in ddf.columns]
    group_cols = [b for b in by if b not in periods]
    fields = _assign_fields(group_cols, _MARGIN_FIELDS, "margin by")
    for col, role in [(amount, "amount"), (cost, "cost"), (margin, "margin"),
                      (unit_cost, "unit_cost"), (quantity, "quantity"), (date, "date")] + \
            [(c, "group") for _, c in fields]:
        if col is not None:
            _check_column(ddf, col, role)
    if date is None and periods:
        raise InvalidArgumentError("margin: grouping by a period needs date=")
    if sum(x is not None for x in (cost, margin, unit_cost)) > 1:
        raise InvalidArgumentError("margin: give one of cost=, margin=, unit_cost=")
    options = _margin_options(start, end, ",".join([field for field, _ in fields] + periods),
                              num_threads, abc, output, rank_by, bottom, top)
    if options["output"] > 2:
        raise UnsupportedError("salesight.dask.margin: output=%r needs all lines on one "
                               "machine; use salesight.margin" % (output,))
    money = _money_mode(money)
    money_plan = ([(c, role) for c, role in ((amount, "amount"), (cost, "cost"),
                                             (margin, "margin"), (unit_cost, "unit_cost"))
                   if c is not None], money_scale)
    parts, offsets, stats, _ = _plan(ddf, [c for _, c in fields], None, None, money_plan)
    # an order line's customer is required, the other group codes are optional
    group_codes = [(field, column, _GlobalCodes(column, "group", ddf[column].dtype, stats[column],
                                                nullable=field != "customer"))
                   for field, column in fields]
    groups_d = dask.delayed(group_codes, pure=True)
    blobs = [dask.delayed(_margin_partition, pure=True)(
        p, int(offsets[i]), groups_d, date, amount, cost, margin, unit_cost, quantity,
        stats["money"], options) for i, p in enumerate(parts)]
    blob = _finish(dask, blobs, split_every)
    if blob is None:
        return _frame.margin(ddf._meta, by, amount=amount, cost=cost, margin=margin,
                             unit_cost=unit_cost, quantity=quantity, date=date, order=order,
                             start=start, end=end, abc=abc, output=output, top=top,
                             rank_by=rank_by, bottom=bottom, money=money,
                             money_scale=money_scale)
    result = _salesight.margin_finish(_salesight.partial_deserialize(blob), options)
    decoders = {field: codes.decode for field, _, codes in group_codes}
    frame = _to_frame(result, decoders if options["output"] <= 2 else {}, categorical=("abc",),
                      money=money)
    return frame.rename(columns={field: column for field, column, _ in group_codes
                                 if field != column})


for _f in (rfm, funnel, margin):
    _f.__doc__ += _frame._MONEY_DOC
for _f in (funnel, margin):
    _f.__doc__ += _frame._GROUP_DOC

# CLV: fitted on per-partition customer summaries (_dask_clv.py).
from ._dask_clv import clv_fit, clv_summary  # noqa: E402,F401
__all__ += ["clv_fit", "clv_summary"]
