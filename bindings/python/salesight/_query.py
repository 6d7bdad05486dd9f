"""salesight.query: any question of a salesight.Dataset as keyword arguments.

The arguments build the library's JSON query spec (include/salesight/query/
spec.hpp, README "Query"), which the C ABI compiles and runs
(salesight_query_compile / salesight_query_run): the answer is the same as
the CLI's ``salesight query`` and the C++ RunQuery for the same spec.
"""
import json

import numpy as np

from . import _salesight
from ._errors import InvalidArgumentError
from ._frame import _money_mode, _to_frame

_OPS = {"equals", "notEquals", "in", "notIn", "gt", "gte", "lt", "lte", "between",
        "contains", "startsWith", "set", "notSet"}


def _value(v):
    if isinstance(v, (bool, np.bool_)):
        raise InvalidArgumentError("query: a filter value is a string or a number, got %r" % v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if hasattr(v, "strftime"):  # date, datetime, Timestamp
        return v.strftime("%Y-%m-%d")
    return v


def _filters(where):
    """where={member: value} (equals), {member: [v1, v2]} (in), {member: (op,
    value...)} ("gte", 100), or a list of spec filters passed as they are."""
    if where is None:
        return []
    if isinstance(where, (list, tuple)):
        return list(where)
    out = []
    for member, cond in where.items():
        if isinstance(cond, tuple) and cond and cond[0] in _OPS:
            out.append({"member": member, "op": cond[0], "values": [_value(v) for v in cond[1:]]})
        elif isinstance(cond, (list, set, frozenset, np.ndarray)):
            out.append({"member": member, "op": "in", "values": [_value(v) for v in cond]})
        elif cond is None:
            out.append({"member": member, "op": "notSet"})
        else:
            out.append({"member": member, "op": "equals", "values": [_value(cond)]})
    return out


def query_spec(measures, by=(), where=None, grain=None, time=None, range=None,
               compare=None, top=None, totals=None, order=None, limit=None, offset=None):
    """The JSON spec (a dict) that :func:`query` runs."""
    if isinstance(measures, str):
        measures = [measures]
    if isinstance(by, str):
        by = [by]
    spec = {"version": 1, "measures": list(measures), "dimensions": list(by)}
    filters = _filters(where)
    if filters:
        spec["filters"] = filters
    if grain is not None or time is not None or range is not None or compare is not None:
        t = {}
        if time is not None:
            t["dimension"] = time
        if grain is not None:
            t["grain"] = grain
        if range is not None:
            lo, hi = range
            t["range"] = [None if lo is None else _value(lo), None if hi is None else _value(hi)]
        if compare is not None:
            t["compare"] = compare
        spec["time"] = t
    if order is not None:
        items = [order] if isinstance(order, (str, dict)) else order
        spec["order"] = [o if isinstance(o, dict) else
                         ({"member": o[1:], "desc": True} if o.startswith("-") else {"member": o})
                         for o in items]
    if limit is not None:
        spec["limit"] = int(limit)
    if offset is not None:
        spec["offset"] = int(offset)
    if top is not None:
        spec["top"] = {"n": int(top)} if isinstance(top, (int, np.integer)) else dict(top)
    if totals is not None:
        spec["totals"] = totals
    return spec


def query(ds, measures, by=(), where=None, grain=None, time=None, range=None, compare=None,
          top=None, totals=None, order=None, limit=None, offset=None, money="float"):
    """Measures by dimensions of the dataset ``ds`` as a DataFrame.

    ``salesight.query(ds, measures=["revenue", "margin_pct"], by=["Region"],
    where={"Category": "Furniture"}, grain="month", compare="last-year",
    top=10, totals="grand")``

    measures: names of the README's query measures. by: dimensions (any
    field or attribute, a date, "order_date.quarter"). where: {member: value}
    (equals), {member: [values]} (in), {member: ("gte", 100)} (any op),
    {member: None} (notSet), or a list of spec filters; a measure as member
    filters groups. grain / time / range=(from, to) / compare ("previous",
    "last-year", "target"): the period column and comparison; time (the date member)
    defaults to "order_date". top: n or {"n", "by", "others"}. totals: "grand" or
    "subtotals". order: "revenue", "-revenue" (descending) or a list.
    money="float" (currency units) or "minor" (exact int64 minor units).
    The time column (with a grain) is named "<time>.<grain>"; compare adds
    <m>_previous / <m>_last_year, <m>_change, <m>_change_pct per measure
    (compare="target": revenue_target, revenue_change, revenue_change_pct).
    """
    if time is None and (grain is not None or range is not None or compare is not None):
        time = "order_date"
    spec = query_spec(measures, by, where, grain, time, range, compare, top, totals, order,
                      limit, offset)
    text = json.dumps(spec)
    frame = _frame(ds, _salesight.query_run(ds._handle, text), money)
    frame.attrs["query"] = text
    return frame


def drill_down(ds, frame, row, level=None, money="float"):
    """The query of ``frame`` (a :func:`query` result) one level down under
    its row ``row`` (0-based): the row's members become filters and
    ``level`` (a dimension or the time column; default the last dimension,
    else the time column) goes one level down its hierarchy (time
    year>quarter>month>week>day, product category>product, organisation
    department>salesperson, ...). The new frame's ``attrs["query"]`` is the
    drilled spec, so it drills again."""
    text, result = _salesight.query_drill(ds._handle, _spec_of(frame), int(row), level or "")
    out = _frame(ds, result, money)
    out.attrs["query"] = text
    return out


def cross_filter(ds, frame, rows, measures, money="float", **kwargs):
    """The query ``salesight.query(ds, measures, **kwargs)`` restricted to the
    members of rows ``rows`` (0-based) of ``frame`` (a :func:`query` result):
    the OR over the rows of the AND of each row's members (a dashboard's
    selection in one chart applied to another)."""
    target = json.dumps(query_spec(measures, **kwargs))
    text, result = _salesight.query_cross_filter(ds._handle, _spec_of(frame),
                                                 [int(r) for r in rows], target)
    out = _frame(ds, result, money)
    out.attrs["query"] = text
    return out


def drill_through(ds, frame, row, offset=0, limit=100, money="float"):
    """The order lines under row ``row`` of ``frame`` (a :func:`query`
    result), lines offset .. offset + limit - 1: row, order_id, order_date,
    customer, product, region, salesperson (as the data has them), quantity,
    amount."""
    result = _salesight.query_drill_through(ds._handle, _spec_of(frame), int(row), int(offset),
                                            int(limit))
    return _frame(ds, result, money)


def _spec_of(frame):
    if "query" not in frame.attrs:
        raise InvalidArgumentError("drill: the frame is not a salesight.query result "
                                   "(attrs['query'] holds its spec)")
    return frame.attrs["query"]


def _frame(ds, result, money):
    frame = _to_frame(result, money=_money_mode(money))
    # Ids the Dataset factorized (customer) back to the values given.
    for name, decode in ds._decoders.items():
        if name not in frame.columns:
            continue
        values = frame[name].to_numpy(dtype=object)
        ids = np.array([v.isdigit() if isinstance(v, str) else False for v in values], dtype=bool)
        if ids.any():
            decoded = decode(np.array([int(v) for v in values[ids]], dtype=np.int64))
            values[ids] = np.asarray(decoded, dtype=object)
            frame[name] = values
    return frame
