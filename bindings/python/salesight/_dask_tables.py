"""``salesight.dask.run`` for the calculators whose partial reads several
tables: aging and collection (invoices + payments) and leaderboard (orders +
optional pipeline, invoices, payments, targets), equal to
``salesight.Dataset(...).run(name, ...)`` on the computed frames.

Payments must sit with their invoices: both frames are shuffled by the
invoice key's id in one global id space (the same hash, the same partition
count), so every partition's pair is self-contained. Partition i of every
table (a missing one is empty) becomes one dataset and one serialized
partial over all its rows (a leaderboard partial's rows are its orders,
pipeline, invoices and targets one after another); the blobs go through
dask.py's tree of merges and the client finishes the last one.

One id space across partitions, as ``salesight.Dataset`` builds it for the
whole data: customer (orders, invoices), salesperson (the orders' and
pipeline's column named ``salesperson``, the invoices', the targets' key),
region, the invoice key and the order key are factorized once over the
distinct values of every frame (``dask._GlobalCodes``), and results map the
ids back. One money scale over every money column of every table. The
default as_of (aging, collection: the latest invoice date; leaderboard: the
latest order, invoice or opportunity creation date) is computed over all the
data first and passed to every partition.

Not here (yet): aging's issues ``example_rows`` are row positions within a
partition (the counts and amounts are exact); ``by`` is a field (customer,
salesperson, region), not an attribute column; payments by invoice row; the
leaderboard's products table (standard costs); the orders' and pipeline's
salesperson is their column named ``salesperson`` (as ``attributes=`` names it).
"""

import numpy as np
import pandas as pd

from . import _dataset, _frame, _money, _salesight
from ._errors import InvalidArgumentError, UnsupportedError
from ._frame import (
    _INVOICE_DEFAULTS,
    _PAYMENT_DEFAULTS,
    _TARGET_DEFAULTS,
    _ORDERS,
    _PIPELINE,
    _build_table,
    _date_column,
    _mapping,
    _optional,
    _order_columns,
    _pipeline_columns,
    _receivables_tables,
    _targets_table,
    _to_frame,
)

KINDS = ("aging", "collection", "leaderboard")
# The invoice key's global id: the column both frames are shuffled on.
_KEY = "__salesight_invoice_id"
_ORDER_KEY = "__salesight_order_id"
_GROUPS = (None, "none", "customer", "salesperson", "region")


class _Part:
    """A global code space where _receivables_tables expects a _JointCodes:
    ``column(series, name)`` (the partition's series is the "part")."""

    def __init__(self, codes):
        self.codes = codes

    def column(self, series, name):
        return self.codes.column(name, series)

    def decode(self, ids):
        return self.codes.decode(ids)


def _money_need(pdf, columns):
    """dask._money_need, with an invoice's missing paid amount as 0 (as the
    Dataset reads it)."""
    call = _money.Call(None)
    need = [call.money(pdf[c].fillna(0) if fill else pdf[c], role, role)
            for c, role, fill in columns]
    return (max([m.max_decimals() for m in need if m.is_float], default=0),
            any(m.is_int for m in need))


def _max_day(pdf, column):
    """The latest day (days since 1970-01-01) of a date column of a partition
    (None when it has none): datetime64 by its calendar day, int32 as days,
    text through pandas' parser (ISO dates, as the library reads them)."""
    if len(pdf) == 0:
        return None
    series = pdf[column]
    code, values, validity = _date_column(series, column)
    if code == _frame._DATE:
        values = np.asarray(values)
        if validity is not None:
            values = values[np.asarray(validity, dtype=bool)]
        return int(values.max()) if len(values) else None
    if code != _frame._TIMESTAMP_NS:
        series = pd.to_datetime(series, errors="coerce")
    latest = series.max()
    if pd.isna(latest):
        return None
    if getattr(latest, "tzinfo", None) is not None:
        latest = latest.tz_localize(None)
    return int((latest.normalize() - pd.Timestamp("1970-01-01")).days)


class _Plan:
    """The one pass over all frames: money scale, distinct codes, latest days."""

    def __init__(self, dask, codes, money, dates, money_scale):
        from .dask import _GlobalCodes
        todo = {"codes": {field: [ddf[col].drop_duplicates() for ddf, col in parts]
                          for field, parts in codes.items()}}
        scale = _money.check_scale(money_scale)
        if scale is None:
            todo["money"] = [dask.delayed(_money_need)(p, cols)
                             for ddf, cols in money for p in ddf.to_delayed()]
        todo["dates"] = [dask.delayed(_max_day)(p, col)
                         for ddf, col in dates for p in ddf.to_delayed()]
        (done,) = dask.compute(todo)
        self.codes = {}
        for field, parts in done["codes"].items():
            values = [np.asarray(u.to_numpy() if hasattr(u, "to_numpy") else u, dtype=object)
                      for u in parts]
            uniques = pd.unique(np.concatenate(values)) if values else np.array([], object)
            dtypes = {ddf[col].dtype for ddf, col in codes[field]}
            dtype = dtypes.pop() if len(dtypes) == 1 else object
            self.codes[field] = _GlobalCodes(field, field, dtype, {"uniques": uniques},
                                             nullable=field not in ("customer", "invoice",
                                                                    "order"))
        if scale is not None:
            self.money = (scale, scale)
        else:
            need = done["money"]
            self.money = (_money.choose_scale([d for d, _ in need], any(i for _, i in need)),
                          _money.AUTO_INT_SCALE)
        days = [d for d in done["dates"] if d is not None]
        self.latest = max(days) if days else None


def _with_ids(pdf, codes, column, out, role, payments=False):
    """`pdf` with `out` = the global id of `column`; a payment whose invoice
    is not among the invoices is an error naming the key as given."""
    ids = codes.index.get_indexer(pdf[column])
    if (ids < 0).any():
        bad = pdf[column].to_numpy()[int(np.argmax(ids < 0))]
        if payments:
            raise InvalidArgumentError("payments: invoice %r is not in the invoices" % (bad,))
        raise InvalidArgumentError("%s %r has no id (a missing key?)" % (role, bad))
    return pdf.assign(**{out: ids.astype(np.int64)})


def _id_meta(ddf, column):
    return ddf._meta.assign(**{column: np.array([], dtype=np.int64)})


def _partial(parts, spec):
    """One partition's serialized partial (None when all its frames are empty)."""
    if all(p is None or len(p) == 0 for p in parts.values()):
        return None
    meta = spec["meta"]
    frame = {k: (parts.get(k) if parts.get(k) is not None else meta[k]) for k in meta}
    call = _money.Call(spec["money"][0], int_scale=spec["money"][1])
    codes = spec["codes"]
    pending = []
    rows = 0
    if "orders" in frame:
        m = spec["orders_map"]
        pdf = frame["orders"]
        columns = _order_columns(call, pdf, order=_ORDER_KEY, date=m["order_date"],
                                 amount=m["amount"], cost=m["cost"], margin=m["margin"],
                                 unit_cost=m["unit_cost"], quantity=m["quantity"], role="orders")
        columns.insert(1, codes["customer"].column("customer", pdf[m["customer"]]))
        columns.append(codes["salesperson"].column("salesperson", pdf["salesperson"]))
        pending.append(_build_table(call, _ORDERS, columns))
        rows += len(pdf)
    if "invoices" in frame:
        icols = dict(spec["invoices_map"], invoice=_KEY)
        pcols = dict(_PAYMENT_DEFAULTS, invoice=_KEY, date=spec["payments_map"]["date"],
                     amount=spec["payments_map"]["amount"])
        joint = {f: (_Part(codes[f]), frame["invoices"][spec["invoices_map"][f]])
                 for f in ("customer", "salesperson", "region")
                 if spec["invoices_map"].get(f) is not None}
        itable, ptable, _ = _receivables_tables(call, frame["invoices"], frame.get("payments"),
                                                icols, pcols, joint=joint)
        pending.append(itable)
        if ptable is not None:
            pending.append(ptable)
        rows += len(frame["invoices"])
    if "targets" in frame:
        pdf = frame["targets"]
        key = codes["salesperson"].column("key", pdf[spec["targets_map"]["key"]])
        pending.append(_targets_table(call, pdf, spec["targets_map"], key, 0))
        rows += len(pdf)
    if "pipeline" in frame:
        pdf = frame["pipeline"]
        p = spec["pipeline_map"]
        columns, _ = _pipeline_columns(call, pdf, spec["stages"], by=[], id=None,
                                       created=p["created"], amount=p["amount"], lost=p["lost"])
        columns.append(codes["salesperson"].column("salesperson", pdf["salesperson"]))
        pending.append(_build_table(call, _PIPELINE, columns))
        rows += len(pdf)
    ds = _salesight.dataset()
    for table in pending:
        ds.add(table.get())
    return _salesight.calculator_partial(ds, spec["name"], spec["settings"], 0, rows).serialize()


def _day_text(day):
    return str(np.datetime64(int(day), "D"))


def run(name, ddf, *, invoices=None, payments=None, invoices_map=None, payments_map=None,
        pipeline=None, stages=None, pipeline_map=None, targets=None, targets_map=None,
        orders_map=None, output=None, money="float", money_scale=None, split_every=8,
        **options):
    """See salesight.dask.run: `ddf` the orders (leaderboard; None for aging
    and collection), the other tables as Dask DataFrames with the mappings of
    ``salesight.Dataset``."""
    from . import dask as sdask  # the id space and the merge tree live there
    dask = sdask._dask()
    if name in ("aging", "collection"):
        if invoices is None:
            raise InvalidArgumentError("salesight.dask.run(%r): give invoices= (and payments=)"
                                       % name)
        if ddf is not None or pipeline is not None or targets is not None:
            raise InvalidArgumentError("salesight.dask.run(%r) reads invoices= and payments= "
                                       "only" % name)
        if options.get("by") not in _GROUPS:
            raise UnsupportedError("salesight.dask.run(%r, by=%r): in Dask by is one of %s"
                                   % (name, options.get("by"),
                                      ", ".join(g for g in _GROUPS if g)))
    elif ddf is None:
        raise InvalidArgumentError("salesight.dask.run('leaderboard'): the orders DataFrame is "
                                   "the second argument")
    if payments is not None and invoices is None:
        raise InvalidArgumentError("salesight.dask.run: payments belong to invoices=")
    frames = {}
    codes = {"customer": [], "salesperson": [], "region": []}
    money_cols = []
    dates = {}
    spec = {"name": name}
    if ddf is not None:
        m = _mapping(orders_map, _dataset._ORDER_DEFAULTS, "orders")
        for field in ("product",):
            if m[field] is not None:
                raise UnsupportedError("salesight.dask.run: orders_map %s= is not read in Dask"
                                       % field)
        for col in [m["order_date"], m["amount"], m["customer"], "salesperson"]:
            sdask._check_column(ddf, col, "orders")
        if m["order"] is not None:
            codes["order"] = [(ddf, m["order"])]
        codes["customer"].append((ddf, m["customer"]))
        codes["salesperson"].append((ddf, "salesperson"))
        money_cols.append((ddf, [(m[f], f, False) for f in ("amount", "cost", "margin", "unit_cost")
                            if m[f] is not None]))
        dates["orders"] = (ddf, m["order_date"])
        frames["orders"] = ddf
        spec["orders_map"] = m
    if invoices is not None:
        icols = _mapping(invoices_map, _INVOICE_DEFAULTS, "invoices")
        for f in ("salesperson", "region", "paid", "paid_date"):
            icols[f] = _optional(invoices, icols[f], f)
        if icols["invoice"] is None:
            raise UnsupportedError("salesight.dask.run: the invoices need a key column "
                                   "(invoices_map invoice=) to sit with their payments")
        codes["invoice"] = [(invoices, icols["invoice"])]
        codes["customer"].append((invoices, icols["customer"]))
        for f in ("salesperson", "region"):
            if icols[f] is not None:
                codes[f].append((invoices, icols[f]))
        money_cols.append((invoices, [(icols["amount"], "amount", False)] +
                      ([(icols["paid"], "paid", True)] if icols["paid"] else [])))
        dates["invoices"] = (invoices, icols["invoice_date"])
        spec["invoices_map"] = icols
        pcols = _mapping(payments_map, _PAYMENT_DEFAULTS, "payments")
        if pcols["invoice_row"] is not None:
            raise UnsupportedError("salesight.dask.run: payments refer to invoices by key in "
                                   "Dask (row positions are not global); map invoice=")
        spec["payments_map"] = pcols
        if payments is not None:
            money_cols.append((payments, [(pcols["amount"], "payment amount", False)]))
    if targets is not None:
        tcols = _mapping(targets_map, _TARGET_DEFAULTS, "targets")
        codes["salesperson"].append((targets, tcols["key"]))
        money_cols.append((targets, [(tcols["amount"], "target amount", False)]))
        spec["targets_map"] = tcols
        frames["targets"] = targets
    if pipeline is not None:
        if stages is None:
            raise InvalidArgumentError("salesight.dask.run(pipeline=...): stages= names the "
                                       "stage date columns in funnel order")
        p = _mapping(pipeline_map, _dataset._PIPELINE_DEFAULTS, "pipeline")
        sdask._check_column(pipeline, "salesperson", "pipeline")
        codes["salesperson"].append((pipeline, "salesperson"))
        if p["amount"] is not None:
            money_cols.append((pipeline, [(p["amount"], "amount", False)]))
        first = stages[0] if not isinstance(stages, dict) else list(stages.values())[0]
        dates["pipeline"] = (pipeline, p["created"] if p["created"] is not None else first)
        spec["pipeline_map"] = p
        spec["stages"] = stages
        frames["pipeline"] = pipeline
    codes = {f: parts for f, parts in codes.items() if parts}
    # The default as_of from ALL the data (a partition knows only its own).
    need_latest = (options.get("as_of") is None and
                   (name != "leaderboard" or
                    (options.get("end") is None and (pipeline is not None or
                                                     invoices is not None))))
    date_parts = [dates["invoices"]] if name != "leaderboard" else list(dates.values())
    plan = _Plan(dask, codes, money_cols, date_parts if need_latest else [], money_scale)
    if need_latest and plan.latest is not None:
        options["as_of"] = _day_text(plan.latest)
    spec["settings"] = _dataset._settings(_dataset._spec(name), options)
    spec["money"] = plan.money
    spec["codes"] = plan.codes

    # Every frame as partitions; invoices and payments co-partitioned by key.
    if invoices is not None:
        inv_codes = plan.codes["invoice"]
        n = invoices.npartitions
        inv = invoices.map_partitions(_with_ids, inv_codes, icols["invoice"], _KEY, "invoice",
                                      meta=_id_meta(invoices, _KEY))
        frames["invoices"] = inv.shuffle(_KEY, npartitions=n)
        if payments is not None:
            pay = payments.map_partitions(_with_ids, inv_codes, pcols["invoice"], _KEY,
                                          "invoice", True, meta=_id_meta(payments, _KEY))
            frames["payments"] = pay.shuffle(_KEY, npartitions=n)
    if ddf is not None:
        m = spec["orders_map"]
        if m["order"] is None:
            # every line its own order: its global row number
            lengths = [int(x) for x in dask.compute(*[dask.delayed(len)(p)
                                                      for p in ddf.to_delayed()])]
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            parts = [dask.delayed(lambda pdf, at: pdf.assign(
                **{_ORDER_KEY: np.arange(at, at + len(pdf), dtype=np.int64)}))(p, int(offsets[i]))
                for i, p in enumerate(ddf.to_delayed())]
        else:
            parts = [dask.delayed(_with_ids)(p, plan.codes["order"], m["order"], _ORDER_KEY,
                                             "order") for p in ddf.to_delayed()]
        frames["orders"] = parts
    spec["meta"] = {k: (f._meta if hasattr(f, "_meta") else _id_meta(ddf, _ORDER_KEY))
                    for k, f in frames.items()}
    if "invoices" in frames and "payments" not in frames:
        spec["meta"]["payments"] = None
    delayed = {k: (f if isinstance(f, list) else f.to_delayed()) for k, f in frames.items()}
    count = max(len(v) for v in delayed.values())
    spec_d = dask.delayed(spec, pure=True)
    blobs = [dask.delayed(_partial, pure=True)(
        {k: (v[i] if i < len(v) else None) for k, v in delayed.items()}, spec_d)
        for i in range(count)]
    blob = sdask._finish(dask, blobs, split_every)
    if blob is None:
        raise InvalidArgumentError("salesight.dask.run(%r): the DataFrames have no rows" % name)
    result = _salesight.partial_finish(_salesight.partial_deserialize(blob), None,
                                       spec["settings"], output)
    decoders = {f: c.decode for f, c in plan.codes.items()}
    frame = _to_frame(result, decoders, money=_frame._money_mode(money))
    for column in frame.columns:
        # ids the library printed as numbers (integer keys): back to the values
        if column in decoders and column not in ("order",) and frame[column].dtype.kind == "i":
            frame[column] = decoders[column](frame[column].to_numpy())
    return frame
