"""The pandas layer: DataFrame columns in, library tables, results out.

Translation only: every definition (what recency is, how ties break, how
cost is found) lives in the C library and is stated in the README's
definitions table; the docstrings below repeat the defaults.
"""

import datetime as _dt

import numpy as np
import pandas as pd

from . import _salesight
from ._errors import InvalidArgumentError, TypeMismatchError, UnknownColumnError

# salesight.h constants (the header is the contract; these mirror it).
_INT32, _INT64, _FLOAT64, _STRING, _DATE, _MONEY, _TIMESTAMP_NS = 1, 2, 3, 4, 5, 6, 7
_ORDERS, _CUSTOMERS, _PRODUCTS, _PIPELINE, _INVOICES, _PAYMENTS, _TARGETS = 1, 2, 3, 4, 5, 6, 7
_NO_DATE = _salesight.NO_DATE
_KINDS = {"orders": _ORDERS, "customers": _CUSTOMERS, "products": _PRODUCTS,
          "pipeline": _PIPELINE, "invoices": _INVOICES, "payments": _PAYMENTS,
          "targets": _TARGETS}
_PERIODS = {None: 0, "none": 0, "day": 1, "week": 2, "month": 3, "quarter": 4, "year": 5}
_LANG = {"en": 0, "zh": 1}
_EPOCH = pd.Timestamp("1970-01-01")


def _choice(name, value, table):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise InvalidArgumentError("%s=%r is not one of %s" % (
            name, value, ", ".join(repr(k) for k in table if k is not None))) from None


def _day(value, name):
    """None -> no date; int -> days since 1970-01-01; anything pandas reads as a
    date ("2024-09-30", datetime.date, Timestamp) -> its day."""
    if value is None:
        return _NO_DATE
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InvalidArgumentError("%s=%r is not a date" % (name, value)) from None
    return int((ts.normalize().tz_localize(None) - _EPOCH).days)


def _series(df, column, role):
    if column not in df.columns:
        raise UnknownColumnError(
            "%s column %r is not in the DataFrame (columns: %s)"
            % (role, column, ", ".join(map(str, df.columns))))
    return df[column]


def _validity(series):
    """LSB-first validity bitmap for masked (nullable) extension arrays, else None."""
    if not pd.api.types.is_extension_array_dtype(series.dtype):
        return None
    mask = series.isna().to_numpy()
    if not mask.any():
        return None
    return np.packbits(~mask, bitorder="little")


def _numeric(series, role):
    """(type code, array, validity) for a numeric/date column, choosing the
    type by dtype only; the library rejects a type its column does not take
    (TypeMismatchError with its message)."""
    dtype = series.dtype
    validity = _validity(series)
    if pd.api.types.is_extension_array_dtype(dtype) and not isinstance(
            dtype, pd.DatetimeTZDtype):
        if pd.api.types.is_integer_dtype(dtype):
            values = series.to_numpy(dtype=np.int64, na_value=0)
            return _INT64, values, validity
        if pd.api.types.is_float_dtype(dtype):
            return _FLOAT64, series.to_numpy(dtype=np.float64, na_value=np.nan), None
        if pd.api.types.is_string_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
            return _STRING, series.astype(object).tolist(), None
    if isinstance(dtype, pd.DatetimeTZDtype):
        # Days in the timestamps' own time zone (what an ERP user reads).
        series = series.dt.tz_localize(None)
        dtype = series.dtype
    values = series.to_numpy()
    kind = values.dtype.kind
    if kind == "M":
        if values.dtype != np.dtype("datetime64[ns]"):
            values = values.astype("datetime64[ns]")
        return _TIMESTAMP_NS, values.view(np.int64), None
    if kind == "i" and values.dtype.itemsize == 8:
        return _INT64, values, None
    if kind == "i" and values.dtype.itemsize == 4:
        return _INT32, values, None
    if kind == "f" and values.dtype.itemsize == 8:
        return _FLOAT64, values, None
    if kind == "O" or kind == "U":
        return _STRING, list(values), None
    raise TypeMismatchError(
        "%s column %r has dtype %s, which salesight does not read; use int64, int32, "
        "float64, datetime64[ns] or strings" % (role, series.name, dtype))


def _date_column(series, role):
    code, values, validity = _numeric(series, role)
    if code == _INT32:
        code = _DATE  # int32 = days since 1970-01-01
    return code, values, validity


def _money_column(series, role):
    code, values, validity = _numeric(series, role)
    if code == _INT64:
        code = _MONEY  # int64 = minor units
    return code, values, validity


class _Codes:
    """Ids for a code column and the way back: dense non-negative integers pass
    through unchanged; anything else is factorized once with sort=True, so the
    library's "ties by id" order is the codes' sorted order."""

    def __init__(self, series, role):
        values = series.to_numpy() if not pd.api.types.is_extension_array_dtype(
            series.dtype) else None
        n = len(series)
        self.uniques = None
        if values is not None and values.dtype.kind in "iu" and n > 0:
            lo, hi = values.min(), values.max()
            if lo >= 0 and hi < 2**31 - 1 and hi <= 4 * n + 1024:
                self.ids = values if values.dtype.kind == "i" else values.astype(np.int64)
                self.dtype = values.dtype
                return
        codes, uniques = pd.factorize(series, sort=True)
        if n and codes.min() < 0:
            row = int(np.argmax(codes < 0))
            raise InvalidArgumentError(
                "%s column %r row %d is missing; codes cannot be null" % (role, series.name, row))
        self.ids = codes.astype(np.int64, copy=False)
        self.uniques = uniques

    def column(self, name):
        code = _INT32 if self.ids.dtype == np.int32 else _INT64
        return (name, code, self.ids, None, None)

    def decode(self, ids):
        if self.uniques is None:
            return ids.astype(self.dtype, copy=False)
        return self.uniques.take(ids)


def _key_column(df, column, role, n):
    """order / opportunity numbers: integers as they are, other keys factorized."""
    if column is None:
        return np.arange(n, dtype=np.int64)
    series = _series(df, column, role)
    if series.dtype.kind == "i" and not pd.api.types.is_extension_array_dtype(series.dtype):
        return series.to_numpy()
    return _Codes(series, role).ids


def _to_frame(result, decoders=None, categorical=(), money="float"):
    decoders = decoders or {}
    data = {}
    for i in range(result.num_columns):
        name = result.column_name(i)
        ctype = result.column_type(i)
        valid = result.column_validity(i)
        if ctype == _STRING:
            if name in decoders:
                data[name] = decoders[name](result.column_parse_int64(i))
            elif name in categorical:
                codes, labels = result.column_codes(i)
                data[name] = pd.Categorical.from_codes(codes, labels)
            else:
                values = np.array(result.column(i), dtype=object)
                if valid is not None:
                    values[~valid] = None
                data[name] = values
            continue
        values = result.column(i)  # read-only, keeps the result alive
        if ctype == _FLOAT64:
            data[name] = values if valid is None else np.where(valid, values, np.nan)
        elif ctype == _DATE:
            dates = (values * 86_400_000_000_000).view("datetime64[ns]")
            data[name] = dates if valid is None else np.where(valid, dates, np.datetime64("NaT"))
        elif ctype == _MONEY and money == "float":
            scaled = values / float(10 ** result.column_money_scale(i))
            data[name] = scaled if valid is None else np.where(valid, scaled, np.nan)
        else:  # INT64, or MONEY as minor units
            data[name] = values if valid is None else pd.arrays.IntegerArray(
                np.ascontiguousarray(values), ~valid)
    return pd.DataFrame(data, copy=False)


def _money_mode(money):
    if money not in ("float", "minor"):
        raise InvalidArgumentError("money=%r is not 'float' or 'minor'" % (money,))
    return money


# --------------------------------------------------------------------------- rfm

_RFM_OUTPUT = {"customers": 0, "detail": 1, "segments": 2, "pareto": 3, "new_returning": 4}


def rfm(df, customer="customer", date="order_date", amount="amount", order=None, *, cost=None,
        unit_cost=None, quantity=None, as_of=None, window_days=0, frequency="orders",
        monetary="revenue", aggregation="sum", all_lines_are_purchases=False,
        scoring="quantile", k=5, segments="tiers", rules=None, fixed=None, language="en",
        output="customers", money="float", money_scale=2, num_threads=1):
    """Recency, frequency, monetary value, scores and segments per customer.

    Columns out (``output="customers"``, as ``salesight rfm``): customer,
    recency_days, frequency, monetary, r, f, m, segment.

    Definitions (defaults): as_of = the day after the last order (a purchase
    on as_of - 1 has recency 1); lines after as_of are ignored; recency_days =
    as_of - last purchase day; a purchase is a line with amount >= 0 (returns,
    amount < 0, reduce monetary but are not purchases); frequency = distinct
    ``order`` values (without ``order`` every line is an order; "days" =
    distinct purchase days); monetary = net sum of amount (``monetary="margin"``
    = amount - cost, needs ``cost`` or ``unit_cost`` + ``quantity``;
    ``aggregation="mean"`` = per order). Scores 1..k (recency reversed, most
    recent = k): ``quantile`` (default; equal values share a score), ``ntile``
    (SQL NTILE, customer code breaks ties; with ``segments="workload"`` and
    ``all_lines_are_purchases=True`` it is WORKLOADS.md (a)), ``fixed`` (a
    dict of k-1 thresholds: recency_days, frequency, monetary). Segments:
    ``tiers`` (high_value, new, potential, churn_risk, low_value, regular;
    first match wins), ``classic``, ``workload``, or ``rules`` text.
    """
    n = len(df)
    cust = _Codes(_series(df, customer, "customer"), "customer")
    columns = [
        ("order_id", _INT64, np.ascontiguousarray(_key_column(df, order, "order", n)), None, None),
        cust.column("customer"),
        ("order_date",) + _date_column(_series(df, date, "date"), "date") + (None,),
        ("amount",) + _money_column(_series(df, amount, "amount"), "amount") + (None,),
    ]
    if cost is not None:
        columns.append(("cost",) + _money_column(_series(df, cost, "cost"), "cost") + (None,))
    if unit_cost is not None:
        columns.append(("unit_cost",) + _money_column(_series(df, unit_cost, "unit_cost"),
                                                      "unit_cost") + (None,))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(_series(df, quantity, "quantity"),
                                                "quantity") + (None,))
    table = _salesight.build_table(_ORDERS, columns, money_scale)
    options = {
        "as_of": _day(as_of, "as_of"),
        "window_days": int(window_days),
        "frequency": _choice("frequency", frequency, {"orders": 0, "days": 1}),
        "monetary": _choice("monetary", monetary, {"revenue": 0, "margin": 1}),
        "mean_per_order": _choice("aggregation", aggregation, {"sum": 0, "mean": 1}),
        "all_lines_are_purchases": int(bool(all_lines_are_purchases)),
        "scoring": _choice("scoring", scoring, {"quantile": 0, "ntile": 1, "fixed": 2}),
        "k": int(k),
        "segments": _choice("segments", "custom" if rules is not None else segments,
                            {"tiers": 0, "classic": 1, "workload": 2, "custom": 3}),
        "language": _choice("language", language, _LANG),
        "num_threads": int(num_threads),
        "output": _choice("output", output, _RFM_OUTPUT),
    }
    if rules is not None:
        options["rules"] = rules
    if fixed is not None:
        options["fixed_recency_days"] = np.asarray(fixed["recency_days"], dtype=np.int32)
        options["fixed_frequency"] = np.asarray(fixed["frequency"], dtype=np.int32)
        options["fixed_monetary"] = np.asarray(fixed["monetary"], dtype=np.float64)
    result = _salesight.rfm(table, options)
    decoders = {"customer": cust.decode} if options["output"] <= 1 else {}
    return _to_frame(result, decoders, categorical=("segment",), money=_money_mode(money))


# ------------------------------------------------------------------------ funnel

_FUNNEL_KEYS = ("region", "salesperson", "source")
_FUNNEL_OUTPUT = {"table": 0, "detailed": 1, "bottlenecks": 2, "workload_overall": 3,
                  "workload_group": 4}


def _group_columns(df, by, fields, role):
    """Assigns the user's group-by columns to the library's group fields in
    order (a column already named like a field takes that field). Returns
    [(field, column name, _Codes)]."""
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
        out.append((field, column, _Codes(_series(df, column, "group"), "group")))
    return out


def funnel(df, stages, *, id=None, created=None, by=None, period=None, amount=None, lost=None,
           mode="cohort", start=None, end=None, as_of=None, compare=None, implied_reached=True,
           include_backwards_gaps=False, won_stage=None, output="table", money_scale=2,
           num_threads=1):
    """Stage counts, step and cumulative conversion, days between stages.

    ``stages``: the stage date columns in funnel order (a list: the stage is
    named like its column, without a "_date" suffix; or a dict {stage name:
    column}); missing dates
    (NaT/None) = not reached. ``by``: up to three group columns; ``period``:
    day, week (ISO), month, quarter or year of ``created`` (default: the first
    stage's column).

    Columns out (as ``salesight funnel``): the group columns, then per stage
    <stage>_count, <stage>_step_conv, <stage>_cum_conv, <stage>_median_days,
    then win_rate, cycle_days.

    Definitions (defaults): a later stage implies the earlier ones
    (``implied_reached``); step conversion = n_stage / n_previous, cumulative
    = n_stage / n_first, null (NaN) when the denominator is 0; median days
    between consecutive stages over opportunities with both dates (mean of the
    two middle values for an even count); dates going backwards are excluded
    from the day statistics and reported; win_rate = won / (won + lost);
    cohort mode counts opportunities created in [start, end].
    """
    n = len(df)
    if isinstance(stages, dict):
        stage_items = list(stages.items())
    else:
        # a column "quote_date" is the stage "quote"
        stage_items = [(str(c)[:-5] if str(c).endswith("_date") and len(str(c)) > 5 else str(c),
                        c) for c in stages]
    if not stage_items:
        raise InvalidArgumentError("funnel: at least one stage column is needed")
    columns = [("opportunity", _INT64, np.ascontiguousarray(_key_column(df, id, "id", n)),
                None, None)]
    created_col = created if created is not None else stage_items[0][1]
    columns.append(("created",) + _date_column(_series(df, created_col, "created"), "created")
                   + (None,))
    for name, column in stage_items:
        columns.append(("stage:" + name,) + _date_column(_series(df, column, "stage"), "stage")
                       + (None,))
    groups = _group_columns(df, by, _FUNNEL_KEYS, "funnel by")
    for field, _, codes in groups:
        columns.append(codes.column(field))
    if amount is not None:
        columns.append(("amount",) + _money_column(_series(df, amount, "amount"), "amount")
                       + (None,))
    if lost is not None:
        columns.append(("lost_date",) + _date_column(_series(df, lost, "lost"), "lost") + (None,))
    table = _salesight.build_table(_PIPELINE, columns, money_scale)
    options = {
        "mode": _choice("mode", mode, {"cohort": 0, "activity": 1, "snapshot": 2}),
        "from": _day(start, "start"),
        "to": _day(end, "end"),
        "as_of": _day(as_of, "as_of"),
        "period": _choice("period", period, _PERIODS),
        "compare": _choice("compare", compare, {None: 0, "previous": 1, "last_year": 2}),
        "implied_reached": int(bool(implied_reached)),
        "include_backwards_gaps": int(bool(include_backwards_gaps)),
        "group_by": ",".join(field for field, _, _ in groups),
        "won_stage": won_stage,
        "num_threads": int(num_threads),
        "output": _choice("output", output, _FUNNEL_OUTPUT),
    }
    result = _salesight.funnel(table, options)
    decoders = {field: codes.decode for field, _, codes in groups}
    frame = _to_frame(result, decoders if options["output"] == 0 else {})
    return frame.rename(columns={field: column for field, column, _ in groups if field != column})


# ------------------------------------------------------------------------ margin

_MARGIN_FIELDS = ("product", "region", "salesperson", "channel", "department", "customer")
_MARGIN_OUTPUT = {"table": 0, "ranking": 1, "abc": 2, "quadrant": 3, "slow_movers": 4}
_METRIC = {"revenue": 0, "quantity": 1, "margin": 2, "margin_pct": 3}


def margin(df, by="product", *, amount="amount", cost=None, margin=None, unit_cost=None,
           quantity=None, date=None, order=None, start=None, end=None, abc=None,
           output="table", top=10, rank_by="margin", bottom=False, money="float",
           money_scale=2, num_threads=1):
    """Revenue, cost, gross margin and shares per group.

    ``by``: group columns of ``df`` and/or a period (day, week, month,
    quarter, year of ``date``). Cost per line, in order of availability:
    ``cost``; ``amount - margin`` (``margin=``, as exports that carry profit);
    ``quantity x unit_cost``. Without any, every line is "cost unknown":
    counted in revenue, left out of cost and margin (never a silent zero).

    Columns out (as ``salesight margin``): the group columns, quantity,
    revenue, cost, margin, margin_pct, revenue_share, margin_share [, abc].
    Definitions: margin = revenue - cost over costed lines; margin_pct =
    100 x margin / revenue (NaN when revenue is 0); revenue_share = revenue /
    total revenue; margin_share = margin / |total margin|. ``abc="revenue"``
    or ``"margin"`` adds the ABC class (A up to 80% cumulative, B up to 95%,
    C the rest; the item crossing a boundary falls into the lower class;
    negative items are N).
    """
    n = len(df)
    if isinstance(by, str):
        by = [by]
    by = list(by or [])
    periods = [b for b in by if b in ("day", "week", "month", "quarter", "year")
               and b not in df.columns]
    group_cols = [b for b in by if b not in periods]
    groups = _group_columns(df, group_cols, _MARGIN_FIELDS, "margin by")
    columns = [("order_id", _INT64, np.ascontiguousarray(_key_column(df, order, "order", n)),
                None, None)]
    if date is not None:
        columns.append(("order_date",) + _date_column(_series(df, date, "date"), "date")
                       + (None,))
    else:
        if periods:
            raise InvalidArgumentError("margin: grouping by a period needs date=")
        columns.append(("order_date", _DATE, np.zeros(n, dtype=np.int32), None, None))
    if not any(field == "customer" for field, _, _ in groups):
        columns.append(("customer", _INT32, np.zeros(n, dtype=np.int32), None, None))
    for field, _, codes in groups:
        columns.append(codes.column(field))
    columns.append(("amount",) + _money_column(_series(df, amount, "amount"), "amount") + (None,))
    if sum(x is not None for x in (cost, margin, unit_cost)) > 1:
        raise InvalidArgumentError("margin: give one of cost=, margin=, unit_cost=")
    if cost is not None:
        columns.append(("cost",) + _money_column(_series(df, cost, "cost"), "cost") + (None,))
    if margin is not None:
        columns.append(("margin",) + _money_column(_series(df, margin, "margin"), "margin")
                       + (None,))
    if unit_cost is not None:
        columns.append(("unit_cost",) + _money_column(_series(df, unit_cost, "unit_cost"),
                                                      "unit_cost") + (None,))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(_series(df, quantity, "quantity"), "quantity")
                       + (None,))
    table = _salesight.build_table(_ORDERS, columns, money_scale)
    options = {
        "from": _day(start, "start"),
        "to": _day(end, "end"),
        "group_by": ",".join([field for field, _, _ in groups] + periods),
        "num_threads": int(num_threads),
        "abc": _choice("abc", abc, {None: 0, "revenue": 1, "margin": 3}),
        "output": _choice("output", output, _MARGIN_OUTPUT),
        "rank_metric": _choice("rank_by", rank_by, _METRIC),
        "rank_bottom": int(bool(bottom)),
        "rank_n": int(top),
    }
    result = _salesight.margin(table, None, options)
    decoders = {field: codes.decode for field, _, codes in groups}
    frame = _to_frame(result, decoders if options["output"] <= 2 else {}, categorical=("abc",),
                      money=_money_mode(money))
    return frame.rename(columns={field: column for field, column, _ in groups if field != column})


# ------------------------------------------------------------------- quote check

def _minor_units(value, scale, what):
    scaled = float(value) * 10 ** scale
    rounded = round(scaled)
    if abs(scaled - rounded) > 1e-6 + abs(scaled) * 1e-13:
        raise InvalidArgumentError("%s %r has more than %d decimals" % (what, value, scale))
    return int(rounded)


def quote_check(quotes, products, customers, *, invoices=None, customer="customer",
                product="product", quantity="quantity", unit_price="unit_price", date=None,
                product_code="product", standard_cost="standard_cost", tiers=None,
                customer_code="customer", credit_limit="credit_limit", margin_floor_pct=10.0,
                tier_cost_first=True, money="float", money_scale=2):
    """Deal-desk check of quotes against cost tiers, margin floor and credit.

    ``quotes``: one row per quote (customer and product codes, quantity,
    unit_price in currency units, optional date). ``products``: code and
    standard cost; ``tiers``: optional DataFrame (product, min_quantity,
    unit_cost); ``customers``: code and credit limit; ``invoices``: optional
    open receivables (customer, invoice_date, due_date, amount, paid,
    paid_date).

    Columns out: customer, product, quantity, unit_price, date, unit_cost,
    cost_source, tier_min_quantity, revenue, cost, margin, margin_pct,
    open_receivables, exposure, credit_limit, credit_headroom, warnings.
    Definitions: unit cost = the cost tier with the largest min_quantity <=
    quantity, else the standard cost (``tier_cost_first=False`` swaps them);
    below_cost when unit_price < unit_cost; below_margin_floor when margin % <
    the floor; over_credit_limit when open receivables + this quote > limit.
    Unknown customer or product codes raise InvalidArgumentError.
    """
    def strings(frame, column, role):
        return _series(frame, column, role).astype(str).tolist()

    pcols = [("product", _STRING, strings(products, product_code, "product"), None, None),
             ("standard_cost",) + _money_column(_series(products, standard_cost,
                                                         "standard_cost"), "standard_cost")
             + (None,)]
    if tiers is not None:
        pcols += [("tier_product", _STRING, strings(tiers, "product", "tier product"), None, None),
                  ("tier_min_quantity",) + _numeric(_series(tiers, "min_quantity", "tier"),
                                                    "tier") + (None,),
                  ("tier_unit_cost",) + _money_column(_series(tiers, "unit_cost", "tier"),
                                                      "tier") + (None,)]
    ccols = [("customer", _STRING, strings(customers, customer_code, "customer"), None, None)]
    if credit_limit is not None and credit_limit in customers.columns:
        ccols.append(("credit_limit",) + _money_column(customers[credit_limit], "credit_limit")
                     + (None,))
    ctable = _salesight.build_table(_CUSTOMERS, ccols, money_scale)
    ptable = _salesight.build_table(_PRODUCTS, pcols, money_scale, ctable)
    itable = None
    if invoices is not None:
        icols = [("invoice", _INT64, np.arange(len(invoices), dtype=np.int64), None, None),
                 ("customer", _STRING, strings(invoices, "customer", "invoice customer"), None,
                  None)]
        for field in ("invoice_date", "due_date", "paid_date"):
            if field in invoices.columns:
                icols.append((field,) + _date_column(invoices[field], field) + (None,))
        for field in ("amount", "paid"):
            if field in invoices.columns:
                icols.append((field,) + _money_column(invoices[field], field) + (None,))
        itable = _salesight.build_table(_INVOICES, icols, money_scale, ctable)
    index = _salesight.quote_index(ptable, ctable, itable, None, {
        "tier_cost_first": int(bool(tier_cost_first)),
        "margin_floor_pct": float(margin_floor_pct)})
    scale = index.money_scale
    frames = []
    qcust = strings(quotes, customer, "customer")
    qprod = strings(quotes, product, "product")
    qqty = _series(quotes, quantity, "quantity").to_numpy()
    qprice = _series(quotes, unit_price, "unit_price").to_numpy()
    qdate = quotes[date] if date is not None else None
    for i in range(len(quotes)):
        price = qprice[i]
        price_minor = int(price) if np.issubdtype(qprice.dtype, np.integer) else _minor_units(
            price, scale, "unit_price")
        day = _day(qdate.iloc[i], "date") if qdate is not None else _day(_dt.date.today(), "date")
        frames.append(_to_frame(index.check(qcust[i], qprod[i], int(qqty[i]), price_minor, day),
                                money=_money_mode(money)))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------- CSV, sample

def _table_frame(table, money):
    frame = _to_frame(table.columns(), categorical=(), money=money)
    # pipeline stage columns come as "stage:<name>": "<name>_date", as in the
    # sample's CSV export (a stage may share its name with a column, e.g.
    # the stage "opportunity" and the opportunity number)
    return frame.rename(columns={c: c[6:] + "_date" for c in frame.columns
                                 if c.startswith("stage:")})


def read_csv(path, mapping=None, table="orders", *, date_format=None, delimiter=",",
             thousands_separator=None, decimal_point=".", money_scale=-1,
             stop_on_first_error=False, stages=None, money="float"):
    """Reads an ERP export with the library's CSV reader and returns its table
    as a DataFrame (columns named by model field: order_id, order_date,
    customer, product, ..., amount; codes as strings, money as float64
    currency units or int64 minor units with ``money="minor"``, dates as
    datetime64). ``df.attrs["report"]`` holds the counts (data_lines,
    accepted, rejected, summary) and ``df.attrs["rejects"]`` a DataFrame
    (line, column, value, reason) of the rejected rows: accepted + rejected
    == data_lines, always; a bad row never fails the call unless
    ``stop_on_first_error``.

    ``mapping``: "customer=Customer ID,date=Order Date,amount=Sales" or a dict
    {field: column}. Money is exact decimal text; ``money_scale=-1`` picks the
    smallest number of decimals (<= 6) holding every amount. ``date_format``:
    "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d" or "auto".
    """
    if isinstance(mapping, dict):
        mapping = ",".join('%s="%s"' % (k, str(v).replace('"', '""'))
                           for k, v in mapping.items())
    if isinstance(stages, dict):
        stages = ",".join('%s="%s"' % (k, str(v).replace('"', '""')) for k, v in stages.items())
    options = {"mapping": mapping, "date_format": date_format, "delimiter": delimiter,
               "thousands_separator": thousands_separator, "decimal_point": decimal_point,
               "money_scale": int(money_scale),
               "stop_on_first_error": int(bool(stop_on_first_error)), "stages": stages}
    t, report, rejects = _salesight.read_csv(_choice("table", table, _KINDS), str(path), options)
    frame = _table_frame(t, _money_mode(money))
    frame.attrs["report"] = report
    frame.attrs["rejects"] = _to_frame(rejects)
    return frame


def sample(n=20000, table="orders", *, seed=20240930, money="float"):
    """The bundled deterministic sample ERP data set with ``n`` order lines
    (1000..10^8; the same n and seed give the same data everywhere) as a
    DataFrame of ``table`` (orders, customers, products, pipeline, invoices,
    payments, targets), or a dict of all of them with ``table="all"``.
    ``frame.attrs["as_of"]`` is the sample's analysis date (2024-09-30)."""
    tables = _salesight.sample(int(n), int(seed))
    as_of = pd.Timestamp("1970-01-01") + pd.Timedelta(days=tables.pop("as_of"))
    names = list(_KINDS) if table == "all" else [table]
    for name in names:
        _choice("table", name, _KINDS)
    frames = {}
    for name in names:
        frames[name] = _table_frame(tables[name], _money_mode(money))
        frames[name].attrs["as_of"] = as_of
    return frames if table == "all" else frames[table]
