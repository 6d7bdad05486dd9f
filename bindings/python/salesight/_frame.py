"""The pandas layer: DataFrame columns in, library tables, results out.

Translation only: every definition (what recency is, how ties break, how
cost is found) lives in the C library and is stated in the README's
definitions table; the docstrings below repeat the defaults.
"""

import datetime as _dt
import re
import warnings

import numpy as np
import pandas as pd

from . import _declared, _fillers, _money, _salesight
from ._errors import (InvalidArgumentError, OutOfRangeError, SalesightError, TypeMismatchError,
                      UnknownColumnError, python_errors, python_message)
from ._problems import attach_problems

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

# A missing member (NaN / None) of an optional code column - a grouping
# column such as region, salesperson, channel or source - forms one group of
# its own, labelled as the CSV reader labels an empty optional code field
# (csv.hpp: the code ""), so the CLI and Python print the same group for the
# same rows. Codes the data model requires (the customer of an order line or
# invoice, the product of the product master, a target's key) stay errors.
MISSING = ""


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


def _require(series, role, missing=None):
    """An error naming the first missing member of a code the data model
    requires."""
    missing = series.isna().to_numpy() if missing is None else missing
    if missing.any():
        row = int(np.argmax(missing))
        raise InvalidArgumentError("%s column %r %s is missing; this code cannot be missing"
                                   % (role, series.name, _money.where(series, row)))


def _interned(series, num_threads):
    """(int32 codes, uniques) of a text column (object or pandas string dtype:
    str, None / NaN = code -1) as _canonical_factorize gives them, but
    interned by the library on num_threads threads (salesight_interned_*:
    pd.factorize was 3.0 s of a 3.6 s rfm call at 10^7 rows); None for any
    other column, a value that is not text or text the library's codes cannot
    hold (a NUL character): pandas factorizes those."""
    dtype = series.dtype
    if dtype == object:
        values = series.to_numpy()  # the column's own object array, no copy
    elif isinstance(dtype, pd.StringDtype):
        values = series.to_numpy(dtype=object, na_value=None)
    else:
        return None
    threads = int(num_threads) if isinstance(num_threads, (int, np.integer)) \
        and num_threads >= 0 else 1  # a wrong value is the options' error to report
    try:
        interned = _salesight.intern_strings(values, threads)
    except InvalidArgumentError:
        return None
    if interned is None:
        return None
    interned.canonical_order()
    uniques = pd.Index(interned.labels(),
                       dtype=dtype if isinstance(dtype, pd.StringDtype) else object)
    return interned.codes, uniques


def _factorize(series, role, nullable, num_threads=None):
    """pandas.factorize(sort=True), with the missing members (NaN / None) of
    a nullable column as the group MISSING (first: "" sorts first), else an
    error naming the first missing row. Codes in the library's canonical
    order (_canonical_factorize). With num_threads, text columns are interned
    by the library instead (_interned: int32 codes, read-only)."""
    found = _interned(series, num_threads) if num_threads is not None else None
    codes, uniques = found if found is not None else _canonical_factorize(series)
    missing = codes < 0
    if not missing.any():
        return codes, uniques
    if not nullable:
        _require(series, role, missing)
    if len(uniques) and isinstance(uniques[0], str) and uniques[0] == MISSING:
        # the rows' own "" and the missing ones are one group
        return np.where(missing, 0, codes).astype(codes.dtype, copy=False), uniques
    return codes + 1, pd.Index([MISSING] + list(uniques), dtype=object)


_INT64_MIN, _INT64_MAX = -2**63, 2**63 - 1
_INTEGER_CODE = re.compile(r"-?[0-9]+")  # what std::from_chars reads in full


def _canonical_factorize(values):
    """pd.factorize(sort=True) in the library's canonical code order
    (include/salesight/dictionary.hpp), so that ties broken by id agree with
    the CSV reader's: numbers (numeric dtypes) by value, text by code point
    (= UTF-8 bytes, Python's str order), and text codes that are ALL integers
    ("-?[0-9]+" within int64, e.g. read with dtype=str) by value, spellings of
    one value ("007", "7") by their text. pandas sorts those as text."""
    codes, uniques = pd.factorize(values, sort=True)
    texts = [u for u in uniques if isinstance(u, str)]
    if not texts or len(texts) != len(uniques):
        return codes, uniques
    numbers = []
    for u in texts:
        if not _INTEGER_CODE.fullmatch(u):
            return codes, uniques
        n = int(u)
        if n < _INT64_MIN or n > _INT64_MAX:
            return codes, uniques
        numbers.append(n)
    order = sorted(range(len(texts)), key=lambda i: (numbers[i], texts[i]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], codes)
    return codes, uniques.take(order)


class _IdColumn(tuple):
    """A build_table column spec made by _Codes.column: remembers its _Codes so
    that _build_table can factorize ids the library refused as they are."""

    def __new__(cls, spec, codes):
        out = super().__new__(cls, spec)
        out.codes = codes
        return out


class _Codes:
    """Ids for a code column and the way back: int32/int64 ids pass through
    unchanged (no copy, no Python pass over them: the library checks them while
    it narrows them, and _build_table factorizes if it refuses them as not
    dense or negative); anything else is factorized once with sort=True, so
    the library's "ties by id" order is the codes' sorted order either way."""

    def __init__(self, series, role, nullable=False, num_threads=1):
        self.series, self.role, self.nullable = series, role, nullable
        self.num_threads = num_threads  # text ids: interned by the library (_interned)
        values = series.to_numpy() if not pd.api.types.is_extension_array_dtype(
            series.dtype) else None
        n = len(series)
        self.uniques = None
        self.checked = True  # False: passed through, the library has not said yes yet
        if values is not None and values.dtype in (np.int64, np.int32) and values.ndim == 1:
            self.ids, self.dtype, self.checked = values, values.dtype, False
            return
        if values is not None and values.dtype.kind in "iu" and values.dtype.itemsize < 4 \
                and values.ndim == 1:
            # int8 / int16 / uint8 / uint16 (region, salesperson codes): widened
            # to int32 in one pass and checked by the library like int32 ids;
            # min + max + an int64 copy here took 39 ms against 5.6 ms at 10^7
            self.ids, self.dtype, self.checked = values.astype(np.int32), values.dtype, False
            return
        if values is not None and values.dtype.kind in "iu" and n > 0:
            lo, hi = values.min(), values.max()
            if lo >= 0 and hi < 2**31 - 1 and hi <= 4 * n + 1024:
                self.ids = values.astype(np.int64)
                self.dtype = values.dtype
                return
        self.factorize()

    def factorize(self):
        codes, uniques = _factorize(self.series, self.role, self.nullable, self.num_threads)
        # the library's int32 codes go to the builder as they are (INT32 ids)
        self.ids = codes if codes.dtype == np.int32 else codes.astype(np.int64, copy=False)
        self.uniques = uniques
        self.checked = True

    def column(self, name):
        code = _INT32 if self.ids.dtype == np.int32 else _INT64
        return _IdColumn((name, code, self.ids, None, None), self)

    def decode(self, ids):
        if self.uniques is None:
            return ids.astype(self.dtype, copy=False)
        return self.uniques.take(ids)


def _build_table(call, kind, columns, *args):
    """A table of `call` (a _money.Call): built with the others once the
    call's money scale is known. `args`: build_table's share, stages,
    invoices, target_level (a Pending is resolved to its table)."""
    return call.table(_build_now, kind, columns, args)


def _build_now(kind, columns, money_columns, scale, args, threads):
    """_salesight.build_table (its conversions on `threads` threads), and once
    more with factorized ids when the library refused int ids passed through
    as they are (negative, beyond int32, or too sparse for a dense id space):
    the same result either way. A refused row is named by its DataFrame
    column, position and index label."""
    try:
        try:
            table = _salesight.build_table(kind, columns, scale, *args, num_threads=int(threads))
        except (InvalidArgumentError, OutOfRangeError):
            unchecked = [c for c in columns
                         if isinstance(c, _IdColumn) and not c.codes.checked]
            if not unchecked:
                raise
            for c in unchecked:
                c.codes.factorize()
            columns = [c.codes.column(c[0]) if isinstance(c, _IdColumn) else c
                       for c in columns]
            table = _salesight.build_table(kind, columns, scale, *args,
                                           num_threads=int(threads))
    except SalesightError as e:
        message = _user_row(str(e), money_columns)
        if message == str(e):
            raise
        raise type(e)(message) from None
    for c in columns:
        if isinstance(c, _IdColumn):
            c.codes.checked = True  # accepted: a later table must see the same ids
    return table


_ROW = re.compile(r"^\w+ column '([^']*)' row (\d+)(.*)$", re.S)
_AMOUNT = re.compile(r"\bamount (-?[0-9][0-9.e+-]*|-?inf|nan)\b")


def _user_row(message, columns):
    """A builder message "orders column 'amount' row 5: ..." in the caller's
    terms: the DataFrame column, position and index label; python_message()
    for the rest."""
    m = _ROW.match(message)
    if m:
        for c in columns:
            series, role = None, None
            if isinstance(c, _money.MoneyColumn) and c.field == m.group(1):
                series, role = c.series, c.role
            elif isinstance(c, _IdColumn) and c[0] == m.group(1):
                series, role = c.codes.series, c.codes.role
            if series is not None:
                message = "%s column %r %s%s" % (role, series.name,
                                                _money.where(series, int(m.group(2))),
                                                m.group(3))
                # the value as Python prints it (repr), not the C's %.17g
                message = _AMOUNT.sub(lambda a: "amount %r" % float(a.group(1)), message)
                break
    return python_message(message)


def _key_column(df, column, role, n):
    """order / opportunity numbers: integers as they are, other keys factorized."""
    if column is None:
        return _fillers.row_numbers(n)
    series = _series(df, column, role)
    if series.dtype.kind == "i" and not pd.api.types.is_extension_array_dtype(series.dtype):
        return series.to_numpy().astype(np.int64, copy=False)  # int8..int32 keys widened
    return _Codes(series, role).ids.astype(np.int64, copy=False)


def _key_text_or_number(df, column, role, n, name):
    """A key column spec: integer numbers as they are, any other key as its
    text, so the library keeps the codes and names the ids as given."""
    if column is not None:
        series = _series(df, column, role)
        if series.dtype.kind != "i" or pd.api.types.is_extension_array_dtype(series.dtype):
            return (name, _STRING, [None if v is None or v != v else str(v)
                                    for v in series.astype(object)], None, None)
    return (name, _INT64, np.ascontiguousarray(_key_column(df, column, role, n)), None, None)


# The CategoricalDtype of a label list (segment, abc: a few fixed lists):
# pandas checks a new dtype's categories (unique, no NaN) each time it is made,
# 0.1 ms of a 1 ms call at 10^4 lines, so each list is made a dtype once.
_CATEGORIES = {}


def _categorical(codes, labels):
    key = tuple(labels)
    dtype = _CATEGORIES.get(key)
    if dtype is None:
        if len(_CATEGORIES) >= 256:  # label lists a caller's own rules made: bounded
            _CATEGORIES.clear()
        dtype = _CATEGORIES[key] = pd.CategoricalDtype(list(key))
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _renamed(frame, columns):
    """`frame` (made by this call, so no one else holds it) with the columns
    renamed in place: DataFrame.rename copies every column, even with nothing
    to rename (a quarter of a funnel or margin call's Python time at 10^4
    lines)."""
    columns = {k: v for k, v in columns.items() if k != v}
    if columns:
        frame.rename(columns=columns, inplace=True)
    return frame


def _output_keywords(outputs, allowed, role):
    """[(name, keywords)] of outputs= (see _each_output), checked: [(None,
    {})] without it."""
    if outputs is None:
        return [(None, {})]
    if not isinstance(outputs, dict) or not outputs:
        raise InvalidArgumentError("%s: outputs=%r is not a non-empty dict {name: {keyword: "
                                   "value}}" % (role, outputs))
    plan = []
    for name, keywords in outputs.items():
        if not isinstance(keywords, dict):
            raise InvalidArgumentError("%s: outputs[%r]=%r is not a dict of keywords"
                                       % (role, name, keywords))
        unknown = [k for k in keywords if k not in allowed]
        if unknown:
            raise InvalidArgumentError(
                "%s: outputs[%r] sets %s, which the outputs of one call share; an output "
                "may set %s" % (role, name, ", ".join(map(repr, unknown)),
                                ", ".join(allowed)))
        plan.append((name, keywords))
    return plan


def _each_output(outputs, one, role):
    """The call's own output, ``one()``; or, with ``outputs`` = {name:
    {keyword: value}}, {name: one(**keywords)} in the order given: several
    outputs from the call's tables, built once (a DataFrame's columns are
    converted once, not once per output). An output's keywords are those of
    ``one`` (the options that leave the tables as they are); the others are
    the call's."""
    if outputs is None:
        return one()
    code = one.__code__
    return {name: one(**keywords) for name, keywords in
            _output_keywords(outputs, code.co_varnames[:code.co_argcount], role)}


def _to_frame(result, decoders=None, categorical=(), money="float"):
    decoders = decoders or {}
    data = {}
    scale = None
    for i in range(result.num_columns):
        name = result.column_name(i)
        ctype = result.column_type(i)
        valid = result.column_validity(i)
        if ctype == _STRING:
            if name in decoders:
                data[name] = decoders[name](result.column_parse_int64(i))
            elif name in categorical:
                codes, labels = result.column_codes(i)
                data[name] = _categorical(codes, labels)
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
            scale = result.column_money_scale(i)
            scaled = values / float(10 ** scale)
            data[name] = scaled if valid is None else np.where(valid, scaled, np.nan)
        else:  # INT64, or MONEY as minor units
            if ctype == _MONEY:
                scale = result.column_money_scale(i)
            data[name] = values if valid is None else pd.arrays.IntegerArray(
                np.ascontiguousarray(values), ~valid)
    frame = pd.DataFrame(data, copy=False)
    if scale is not None:
        frame.attrs["money_scale"] = scale  # the decimals of money="minor" values
    attach_problems(frame, result, money, stacklevel=3)  # the caller of the public function
    return frame


def _money_mode(money):
    if money not in ("float", "minor"):
        raise InvalidArgumentError("money=%r is not 'float' or 'minor'" % (money,))
    return money


# --------------------------------------------------------------------------- rfm

_RFM_OUTPUT = {"customers": 0, "detail": 1, "segments": 2, "pareto": 3, "new_returning": 4}
# The orders' group fields a by= column named like them is (any other column
# is an attribute).
_RFM_FIELDS = ("region", "salesperson", "channel", "department", "product")


# The C ABI's numbering of the declared choices (salesight.h is the contract).
_RFM_C = {"frequency": {"orders": 0, "days": 1}, "monetary": {"revenue": 0, "margin": 1},
          "aggregation": {"sum": 0, "mean": 1},
          "scoring": {"quantile": 0, "ntile": 1, "fixed": 2},
          "segments": {"tiers": 0, "classic": 1, "workload": 2, "custom": 3, "relative": 4},
          "language": _LANG, "by_scope": {"lines": 0, "customer": 1},
          "clv_model": {"none": 0, "bgnbd": 1, "pareto-nbd": 2},
          "clv_time_unit": {"day": 0, "week": 1, "month": 2},
          "value_measure": {"monetary": 0, "clv": 1}}


def _rfm_options(as_of, window_days, frequency, monetary, aggregation, all_lines_are_purchases,
                 scoring, k, segments, rules, fixed, language, num_threads, output,
                 fixed_recency=None, fixed_frequency=None, fixed_monetary=None, by="",
                 by_scope="lines", clv=None):
    """The C ABI options dict of salesight.rfm (shared with salesight.dask.rfm),
    checked and converted by the declaration; `by` is the library's dimension
    list (the wrapper turns columns into it); `clv`: the CLV keywords (dict)."""
    clv = clv or {}
    if fixed is not None:  # the older shorthand: one dict of the three lists
        fixed_recency = fixed["recency_days"]
        fixed_frequency = fixed["frequency"]
        fixed_monetary = fixed["monetary"]
    v = _declared.options("rfm", dict(
        as_of=as_of, window_days=window_days, frequency=frequency, monetary=monetary,
        aggregation=aggregation, all_lines_are_purchases=all_lines_are_purchases,
        scoring=scoring, k=k, segments="custom" if rules is not None else segments,
        rules=rules, language=language, num_threads=num_threads, fixed_recency=fixed_recency,
        fixed_frequency=fixed_frequency, fixed_monetary=fixed_monetary, by_scope=by_scope,
        **clv), _day)
    options = {
        "as_of": _NO_DATE if v["as_of"] is None else v["as_of"],
        "window_days": v["window_days"],
        "mean_per_order": _RFM_C["aggregation"][v["aggregation"]],
        "all_lines_are_purchases": int(v["all_lines_are_purchases"]),
        "k": v["k"],
        "num_threads": v["num_threads"],
        "output": _choice("output", output, _RFM_OUTPUT),
    }
    for name in ("frequency", "monetary", "scoring", "segments", "language", "by_scope"):
        options[name] = _RFM_C[name][v[name]]
    for name in ("clv_model", "clv_time_unit", "value_measure"):
        if v.get(name) is not None:
            options[name] = _RFM_C[name][v[name]]
    for name in ("clv_horizon", "clv_discount", "clv_margin"):
        if v.get(name) is not None:
            options[name] = v[name]
    if by:
        options["by"] = by
    if v["rules"] is not None:
        options["rules"] = v["rules"]
    for key, name in (("fixed_recency_days", "fixed_recency"), ("fixed_frequency", "fixed_frequency"),
                      ("fixed_monetary", "fixed_monetary")):
        if v[name] is not None:
            options[key] = v[name]
    return options


_CUSTOMER_ID = re.compile(r"customer '(\d+)'")


def _name_customers(message, cust):
    """A library message naming customer ids ("customer '3'") in the caller's
    codes, when they were factorized here."""
    if cust.uniques is None:
        return message
    return _CUSTOMER_ID.sub(
        lambda m: "customer %r" % (cust.decode(np.array([int(m.group(1))]))[0],), message)


@_declared.add_doc("rfm")
@python_errors
def rfm(df, customer="customer", date="order_date", amount="amount", order=None, *, cost=None,
        unit_cost=None, quantity=None, as_of=None, window_days=0, frequency="orders",
        monetary="revenue", aggregation="sum", all_lines_are_purchases=False,
        scoring="quantile", k=5, fixed_recency=None, fixed_frequency=None, fixed_monetary=None,
        segments="tiers", rules=None, fixed=None, language="en", by=None, by_scope="lines",
        clv_model="none", clv_time_unit="week", clv_horizon=12, clv_discount=0, clv_margin=1,
        value_measure="monetary", output="customers", money="float", money_scale=None,
        num_threads=1):
    """Recency, frequency, monetary value, scores and segments per customer.

    The options (as_of ... num_threads) are the library's declared RFM options,
    with the same names, defaults and allowed values on every surface (README,
    "Options, declared once"; ``salesight options rfm``).

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
    ``all_lines_are_purchases=True`` it is WORKLOADS.md (a)), ``fixed``
    (k-1 thresholds each in ``fixed_recency``, ``fixed_frequency``,
    ``fixed_monetary``; or the older ``fixed`` dict of the three). Segments:
    ``tiers`` (high_value, new, potential, churn_risk, low_value, regular;
    first match wins), ``relative`` (the same tiers, cuts from the data's
    quantiles), ``classic``, ``workload``, or ``rules`` text.

    ``by``: one column of ``df`` to compute RFM per member of (a column named
    region, salesperson, channel, department or product is that orders field,
    any other column an attribute, as in ``funnel(by=)``; NaN / None = the
    group ``salesight.MISSING``). The customers and segments outputs then
    start with that column (``by_<name>`` when the output has a column of
    the name), members in canonical order. ``by_scope``: ``lines`` (default:
    each member's lines scored among that member's customers; a customer who
    bought in two regions is in both) or ``customer`` (one scoring over all
    customers; the column must hold one value per customer, else an error).

    ``clv_model`` (``"bgnbd"`` or ``"pareto-nbd"``): adds p_alive,
    expected_purchases and clv per customer, from that model (with Gamma-Gamma
    spend) fitted on the same lines at as_of, times in ``clv_time_unit``, over
    ``clv_horizon`` units at ``clv_discount`` per unit, keeping ``clv_margin``
    of the spend (as :func:`salesight.clv`). ``value_measure="clv"``: the M
    score, and so the value tiers, rank customers by clv instead of monetary.
    """
    n = len(df)
    call = _money.Call(money_scale, num_threads)
    cust = _Codes(_series(df, customer, "customer"), "customer", num_threads=num_threads)
    columns = [
        # text order numbers as text, so that messages name them as given
        _key_text_or_number(df, order, "order", n, "order_id"),
        cust.column("customer"),
        ("order_date",) + _date_column(_series(df, date, "date"), "date") + (None,),
        _money_spec(call, df, amount, "amount"),
    ]
    if cost is not None:
        columns.append(_money_spec(call, df, cost, "cost"))
    if unit_cost is not None:
        columns.append(_money_spec(call, df, unit_cost, "unit_cost"))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(_series(df, quantity, "quantity"),
                                                "quantity") + (None,))
    if isinstance(by, (list, tuple)):
        if len(by) != 1:
            raise InvalidArgumentError("rfm: by takes one column, got %d" % len(by))
        by = by[0]
    groups = _dimension_columns(df, by, _RFM_FIELDS, "rfm by")
    columns += [spec for _, _, spec, _ in groups]
    # The table serves this call only: int64 ids and datetime64[ns] dates are
    # scanned where they are, not narrowed into copies (salesight.h,
    # salesight_table_builder_set_keep_wide), when the scan is the only reader.
    keep_wide = not groups and clv_model == "none"
    table = _build_table(call, _ORDERS, columns, None, None, None, -1, keep_wide)
    options = _rfm_options(as_of, window_days, frequency, monetary, aggregation,
                           all_lines_are_purchases, scoring, k, segments, rules, fixed, language,
                           num_threads, output, fixed_recency, fixed_frequency, fixed_monetary,
                           by=groups[0][0] if groups else "", by_scope=by_scope,
                           clv=dict(clv_model=clv_model, clv_time_unit=clv_time_unit,
                                    clv_horizon=clv_horizon, clv_discount=clv_discount,
                                    clv_margin=clv_margin, value_measure=value_measure))
    try:
        result = _salesight.rfm(table.get(), options)
    except SalesightError as e:
        message = _name_customers(str(e), cust)
        if message == str(e):
            raise
        raise type(e)(message) from None
    decoders = {"customer": cust.decode} if options["output"] <= 1 else {}
    frame = _to_frame(result, decoders, categorical=("segment",), money=_money_mode(money))
    for name, column, _, decode in groups:
        # the group column: named like the dimension, or by_<name> where the
        # output has a column of that name (rfm.hpp RfmGroupColumnName)
        label = name if frame.columns[0] == name else "by_" + name
        if frame.columns[0] != label:
            continue
        if isinstance(decode, _Attribute):
            frame[label] = decode.decode(frame[label].to_numpy())
        else:  # a field: the library's labels are the ids in decimal
            frame[label] = decode(frame[label].astype(np.int64).to_numpy())
        if label == name and column != name and column not in frame.columns:
            frame = _renamed(frame, {name: column})
    return frame


# ------------------------------------------------------------------------ funnel

_FUNNEL_KEYS = ("region", "salesperson", "source")
# The pipeline's id fields a group-by column named like them is (any other
# column is an attribute).
_FUNNEL_FIELDS = _FUNNEL_KEYS + ("customer", "lost_reason")
_FUNNEL_OUTPUT = {"table": 0, "detailed": 1, "bottlenecks": 2, "workload_overall": 3,
                  "workload_group": 4}


_ATTR_PREFIX = "attr:"  # an unmapped column of the C table builder (salesight.h)


def _label(value):
    """An attribute member's text: whole floats (an int column with NaN) as
    integers, so the library orders them by value, as it does int codes."""
    if isinstance(value, str):
        return value
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


class _Attribute:
    """A group-by column that is no field: sent as the attribute column
    "attr:<name>" (codes factorized once, in canonical order, NaN / None =
    the member MISSING), grouped by its own name, and its labels (text in the
    result) turned back into the column's values."""

    def __init__(self, series, name):
        codes, uniques = _factorize(series, "group", nullable=True)
        self.name = name
        self.codes = np.ascontiguousarray(codes, dtype=np.int64)
        self.labels = [_label(u) for u in uniques]
        self.back = None
        if any(not isinstance(u, str) for u in uniques):
            self.back = dict(zip(self.labels, uniques))
        # A numeric column without missing values keeps its dtype in the result.
        self.dtype = series.dtype if (series.dtype.kind in "iub"
                                      and not series.isna().any()) else None

    def column(self):
        return (_ATTR_PREFIX + self.name, _INT64, self.codes, None, self.labels)

    def decode(self, labels):
        if self.back is None:
            return labels
        values = pd.Series(labels).map(self.back)
        if self.dtype is not None and not values.isna().any():
            return values.to_numpy(dtype=self.dtype)
        return values.to_numpy(dtype=object)


def _dimension_columns(df, by, fields, role, reserved=(), required=()):
    """The user's group-by columns as dimensions: a column named like one of
    `fields` is that field (_Codes); every other column an attribute named
    like the column (any number, up to the library's limit) - or, when the
    library reads that name otherwise (`reserved`: margin's order, category,
    periods), named "column:<name>" and renamed back by the caller. A field in
    `required` cannot be missing (an order line's customer). Returns
    [(dimension name, column, build_table column spec, decode or None)]."""
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, (list, tuple)):
        by = [by]
    out = []
    for column in by:
        series = _series(df, column, "group")
        if column in fields:
            codes = _Codes(series, "group", nullable=column not in required)
            out.append((column, column, codes.column(column), codes.decode))
            continue
        name = str(column)
        if "," in name:
            raise InvalidArgumentError("%s: the group column name %r contains ','; rename it"
                                       % (role, column))
        if name in reserved:
            name = "column:" + name
        attr = _Attribute(series, name)
        out.append((name, column, attr.column(), attr))
    return out


_FUNNEL_C = {"mode": {"cohort": 0, "activity": 1, "snapshot": 2},
             "compare": {"none": 0, "previous": 1, "last_year": 2}}


def _funnel_options(mode, start, end, as_of, period, compare, implied_reached,
                    include_backwards_gaps, group_by, won_stage, num_threads, output, **more):
    """The C ABI options dict of salesight.funnel (shared with salesight.dask.funnel),
    checked and converted by the declaration; ``group_by``: the library fields,
    comma-separated; ``more``: the other declared options (compute_outcomes, ...)."""
    v = _declared.options("funnel", dict(
        mode=mode, start=start, end=end, as_of=as_of, compare=compare,
        implied_reached=implied_reached, include_backwards_gaps=include_backwards_gaps,
        won_stage=won_stage, num_threads=num_threads, **more), _day)
    options = {
        "mode": _FUNNEL_C["mode"][v["mode"]],
        # the C struct's period is SALESIGHT_PERIOD_* (no fiscal year)
        "period": _choice("period", period, _PERIODS),
        "compare": _FUNNEL_C["compare"][v["compare"]],
        "group_by": group_by,
        "output": _choice("output", output, _FUNNEL_OUTPUT),
    }
    for c_name, name in (("from", "start"), ("to", "end"), ("as_of", "as_of")):
        options[c_name] = _NO_DATE if v[name] is None else v[name]
    for name in ("implied_reached", "include_backwards_gaps", "compute_outcomes",
                 "compute_bottlenecks"):
        if name in v:
            options[name] = int(v[name])
    for name in ("won_stage", "qualified_stage", "bottleneck_margin", "bottleneck_min_sample",
                 "num_threads"):
        if name in v:
            options[name] = v[name]
    return options


def _pipeline_columns(call, df, stages, *, id=None, created=None, by=None, amount=None,
                      lost=None):
    """The PIPELINE table's columns (of salesight.funnel and salesight.Dataset):
    id, created, one date per stage in funnel order, the group columns `by`
    (fields or attributes: _dimension_columns), amount, lost date. Returns
    (columns, groups)."""
    n = len(df)
    if isinstance(stages, dict):
        stage_items = list(stages.items())
    else:
        # a column "quote_date" is the stage "quote"
        stage_items = [(str(c)[:-5] if str(c).endswith("_date") and len(str(c)) > 5 else str(c),
                        c) for c in stages]
    if not stage_items:
        raise InvalidArgumentError("funnel: at least one stage column is needed")
    columns = [_key_text_or_number(df, id, "id", n, "opportunity")]
    created_col = created if created is not None else stage_items[0][1]
    columns.append(("created",) + _date_column(_series(df, created_col, "created"), "created")
                   + (None,))
    for name, column in stage_items:
        columns.append(("stage:" + name,) + _date_column(_series(df, column, "stage"), "stage")
                       + (None,))
    groups = _dimension_columns(df, by, _FUNNEL_FIELDS, "funnel by")
    columns += [spec for _, _, spec, _ in groups]
    if amount is not None:
        columns.append(_money_spec(call, df, amount, "amount"))
    if lost is not None:
        columns.append(("lost_date",) + _date_column(_series(df, lost, "lost"), "lost") + (None,))
    return columns, groups


@_declared.add_doc("funnel")
@python_errors
def funnel(df, stages, *, id=None, created=None, by=None, period=None, amount=None, lost=None,
           mode="cohort", start=None, end=None, as_of=None, compare=None, implied_reached=True,
           include_backwards_gaps=False, compute_outcomes=True, compute_bottlenecks=True,
           won_stage=None, qualified_stage=None, bottleneck_margin=0.2,
           bottleneck_min_sample=30, output="table", outputs=None, money_scale=None,
           num_threads=1):
    """Stage counts, step and cumulative conversion, days between stages.

    ``stages``: the stage date columns in funnel order (a list: the stage is
    named like its column, without a "_date" suffix; or a dict {stage name:
    column}); missing dates
    (NaT/None) = not reached. ``by``: group columns, any number up to the
    library's limit: a column named region, salesperson, source, customer or
    lost_reason is that pipeline field, any other column is grouped as it is
    (an attribute column, named like it; NaN / None = the group
    ``salesight.MISSING``); ``period``:
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

    ``outputs``: {name: {keyword: value}} gives {name: DataFrame}, each
    output the call's keywords with its own (output, period, mode, start,
    end, as_of, compare and the other options after ``lost``), from one
    table built once; e.g. ``outputs={"all": {"output": "workload_overall"},
    "by": {"output": "workload_group"}}``.
    """
    call = _money.Call(money_scale, num_threads)
    columns, groups = _pipeline_columns(call, df, stages, id=id, created=created, by=by,
                                        amount=amount, lost=lost)
    table = _build_table(call, _PIPELINE, columns)

    def one(output=output, period=period, mode=mode, start=start, end=end, as_of=as_of,
            compare=compare, implied_reached=implied_reached,
            include_backwards_gaps=include_backwards_gaps, compute_outcomes=compute_outcomes,
            compute_bottlenecks=compute_bottlenecks, won_stage=won_stage,
            qualified_stage=qualified_stage, bottleneck_margin=bottleneck_margin,
            bottleneck_min_sample=bottleneck_min_sample):
        options = _funnel_options(mode, start, end, as_of, period, compare, implied_reached,
                                  include_backwards_gaps,
                                  ",".join(name for name, _, _, _ in groups), won_stage,
                                  num_threads, output, compute_outcomes=compute_outcomes,
                                  compute_bottlenecks=compute_bottlenecks,
                                  qualified_stage=qualified_stage,
                                  bottleneck_margin=bottleneck_margin,
                                  bottleneck_min_sample=bottleneck_min_sample)
        result = _salesight.funnel(table.get(), options)
        table_output = options["output"] == 0
        frame = _to_frame(result, {name: decode for name, _, _, decode in groups
                                   if table_output and not isinstance(decode, _Attribute)})
        for name, _, _, decode in groups:
            if table_output and isinstance(decode, _Attribute) and name in frame.columns:
                frame[name] = decode.decode(frame[name].to_numpy())
        return _renamed(frame, {name: column for name, column, _, _ in groups})
    return _each_output(outputs, one, "funnel")


# ------------------------------------------------------------------------ margin

_MARGIN_FIELDS = ("product", "region", "salesperson", "channel", "department", "customer")
_MARGIN_OUTPUT = {"table": 0, "ranking": 1, "abc": 2, "quadrant": 3, "slow_movers": 4}
_METRIC = {"revenue": 0, "quantity": 1, "margin": 2, "margin_pct": 3}


_MARGIN_C = {"abc": {None: 0, "revenue": 1, "margin": 3},
             "unknown_cost": {"exclude": 0, "error": 1},
             "margin_share": {"sign_of_group": 0, "plain": 1}}


def _margin_options(start, end, group_by, num_threads, abc, output, rank_by, bottom, top,
                    **more):
    """The C ABI options dict of salesight.margin (shared with salesight.dask.margin),
    checked and converted by the declaration; ``group_by``: the library's
    dimension names, comma-separated; ``more``: the other declared options
    (tier_cost_first, unknown_cost, margin_share, quadrant, language)."""
    v = _declared.options("margin", dict(start=start, end=end, num_threads=num_threads, abc=abc,
                                         rank_by=rank_by, bottom=bottom, top=top, **more), _day)
    options = {
        "from": _NO_DATE if v["start"] is None else v["start"],
        "to": _NO_DATE if v["end"] is None else v["end"],
        "group_by": group_by,
        "num_threads": v["num_threads"],
        "abc": _MARGIN_C["abc"][v["abc"]],
        "output": _choice("output", output, _MARGIN_OUTPUT),
        "rank_metric": _METRIC[v["rank_by"]],
        "rank_bottom": int(v["bottom"]),
        "rank_n": v["top"],
    }
    if "tier_cost_first" in v:
        options["tier_cost_first"] = int(v["tier_cost_first"])
    if "quadrant" in v:
        options["quadrant"] = int(v["quadrant"])
    if "language" in v:
        options["language"] = _LANG[v["language"]]
    if "unknown_cost" in v:
        options["unknown_cost_error"] = _MARGIN_C["unknown_cost"][v["unknown_cost"]]
    if "margin_share" in v:
        options["plain_margin_share"] = _MARGIN_C["margin_share"][v["margin_share"]]
    return options


# Names the library reads as something other than a column (plan.cpp): a
# DataFrame column named so is sent as the attribute "column:<name>".
_MARGIN_RESERVED = ("order", "category", "day", "week", "month", "quarter", "year",
                    "fiscal_year")


@_declared.add_doc("margin")
@python_errors
def margin(df, by="product", *, amount="amount", cost=None, margin=None, unit_cost=None,
           quantity=None, date=None, order=None, start=None, end=None, abc=None,
           output="table", top=10, rank_by="margin", bottom=False, tier_cost_first=False,
           unknown_cost="exclude", margin_share="sign_of_group", quadrant=False,
           language="en", products=None, product="product", product_columns=None,
           cost_tiers=None, tier_columns=None, outputs=None, money="float", money_scale=None,
           num_threads=1):
    """Revenue, cost, gross margin and shares per group.

    ``by``: group columns of ``df`` (any column: one named product, region,
    salesperson, channel, department or customer is that field, every other
    column is grouped as it is, an attribute named like it; NaN / None = the
    group ``salesight.MISSING``) and/or a period (day, week, month, quarter,
    year of ``date``). Cost per line, in order of availability:
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

    Product master: ``products`` (one row per product; ``product_columns``
    maps the fields product, standard_cost, category, name to its columns,
    each optional but product) and ``cost_tiers`` (product, min_quantity,
    unit_cost; ``tier_columns``). A line with none of the cost columns above
    then costs quantity x the product's standard cost (NaN = none), else
    quantity x the unit cost of the largest tier with min_quantity <=
    |quantity| (needs ``quantity``). ``by`` may then name "category" (the product's category;
    a NaN category is the group ``salesight.MISSING``, lines whose product is
    not in ``products`` a null group, None). ``product`` is the orders'
    product column, matched to the products by value.

    ``outputs``: {name: {keyword: value}} gives {name: DataFrame}, each
    output the call's keywords with its own (by, output, top, rank_by,
    bottom, abc, start, end and the options after them), from one table
    built once (it carries the group columns of every output); e.g.
    ``outputs={"product": {}, "top": {"output": "ranking", "top": 20},
    "region_month": {"by": ["region", "month"]}}`` with ``date=``.
    """
    n = len(df)
    call = _money.Call(money_scale, num_threads)
    plan = _output_keywords(outputs, _MARGIN_PER_OUTPUT, "margin")
    # per output: (periods, by category, the group columns of df)
    wanted = [_margin_by(df, k.get("by", by), products, product) for _, k in plan]
    product_codes, ptable = None, None
    if products is not None:
        product_codes, ptable = _products_table(call, df, product, products, product_columns,
                                                cost_tiers, tier_columns)
    group_cols = []  # of every output, once
    for _, _, cols_of in wanted:
        group_cols += [c for c in cols_of if c not in group_cols]
    free_fields = tuple(f for f in _MARGIN_FIELDS if products is None or f != "product")
    all_groups = _dimension_columns(df, group_cols, free_fields, "margin by", _MARGIN_RESERVED,
                                    required=("customer",))
    by_column = dict(zip(group_cols, all_groups))
    product_group = None
    if products is not None:
        product_group = ("product", product, product_codes.column("product"),
                         product_codes.decode)
    columns = [("order_id", _INT64, np.ascontiguousarray(_key_column(df, order, "order", n)),
                None, None)]
    if date is not None:
        columns.append(("order_date",) + _date_column(_series(df, date, "date"), "date")
                       + (None,))
    else:
        if any(periods for periods, _, _ in wanted):
            raise InvalidArgumentError("margin: grouping by a period needs date=")
        columns.append(("order_date", _DATE, _fillers.zeros_int32(n), None, None))
    if not any(name == "customer" for name, _, _, _ in all_groups):
        columns.append(("customer", _INT32, _fillers.zeros_int32(n), None, None))
    columns += [spec for _, _, spec, _ in all_groups]
    if products is not None:
        columns.append(product_group[2])
    columns.append(_money_spec(call, df, amount, "amount"))
    if sum(x is not None for x in (cost, margin, unit_cost)) > 1:
        raise InvalidArgumentError("margin: give one of cost=, margin=, unit_cost=")
    if cost is not None:
        columns.append(_money_spec(call, df, cost, "cost"))
    if margin is not None:
        columns.append(_money_spec(call, df, margin, "margin"))
    if unit_cost is not None:
        columns.append(_money_spec(call, df, unit_cost, "unit_cost"))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(_series(df, quantity, "quantity"), "quantity")
                       + (None,))
    table = _build_table(call, _ORDERS, columns)
    wanted_of = iter(wanted)  # one() is called once per output, in plan order

    def one(by=by, output=output, top=top, rank_by=rank_by, bottom=bottom, abc=abc,
            start=start, end=end, tier_cost_first=tier_cost_first, unknown_cost=unknown_cost,
            margin_share=margin_share, quadrant=quadrant, language=language):
        periods, by_category, cols_of = next(wanted_of)
        groups = [by_column[c] for c in cols_of]
        if products is not None and product in _listed(by):
            groups.insert(0, product_group)
        dims = [name for name, _, _, _ in groups] + (["category"] if by_category else []) \
            + periods
        options = _margin_options(start, end, ",".join(dims), num_threads, abc, output, rank_by,
                                  bottom, top, tier_cost_first=tier_cost_first,
                                  unknown_cost=unknown_cost, margin_share=margin_share,
                                  quadrant=quadrant, language=language)
        result = _salesight.margin(table.get(), _money.handle(ptable), options)
        grouped = options["output"] <= 2
        frame = _to_frame(result, {name: decode for name, _, _, decode in groups
                                   if grouped and not isinstance(decode, _Attribute)},
                          categorical=("abc",), money=_money_mode(money))
        for name, _, _, decode in groups:
            if grouped and isinstance(decode, _Attribute) and name in frame.columns:
                frame[name] = decode.decode(frame[name].to_numpy())
        return _renamed(frame, {name: column for name, column, _, _ in groups})
    return _each_output(outputs, one, "margin")


# The keywords of margin() an output of outputs= may set (its one()'s parameters).
_MARGIN_PER_OUTPUT = ("by", "output", "top", "rank_by", "bottom", "abc", "start", "end",
                      "tier_cost_first", "unknown_cost", "margin_share", "quadrant", "language")


def _listed(by):
    """margin's by as a list."""
    return [by] if isinstance(by, str) else list(by or [])


def _margin_by(df, by, products, product):
    """(periods, by category, the group columns of df) of margin's `by`."""
    by = _listed(by)
    periods = [b for b in by if b in ("day", "week", "month", "quarter", "year")
               and b not in df.columns]
    by_category = products is not None and "category" in by and "category" not in df.columns
    if "category" in by and products is None and "category" not in df.columns:
        raise InvalidArgumentError("margin: by='category' needs products= (the product master)")
    group_cols = [b for b in by if b not in periods and not (by_category and b == "category")
                  and not (products is not None and b == product)]
    return periods, by_category, group_cols


# ------------------------------------------------------------------- quote check

@python_errors
def quote_check(quotes, products, customers, *, invoices=None, customer="customer",
                product="product", quantity="quantity", unit_price="unit_price", date=None,
                product_code="product", standard_cost="standard_cost", tiers=None,
                customer_code="customer", credit_limit="credit_limit", margin_floor_pct=10.0,
                tier_cost_first=True, money="float", money_scale=None):
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

    call = _money.Call(money_scale)
    pcols = [("product", _STRING, strings(products, product_code, "product"), None, None),
             # NaN = this product has no standard cost (its quotes take the tier cost)
             _money_spec(call, products, standard_cost, "standard_cost", nullable=True)]
    if tiers is not None:
        pcols += [("tier_product", _STRING, strings(tiers, "product", "tier product"), None, None),
                  ("tier_min_quantity",) + _numeric(_series(tiers, "min_quantity", "tier"),
                                                    "tier") + (None,),
                  _money_spec(call, tiers, "unit_cost", "tier_unit_cost", "tier")]
    # The customers table carries every customer code of the customers and the
    # invoices (sorted), so the invoices can share it without adding codes
    # (a shared dictionary may only grow in code order).
    known = strings(customers, customer_code, "customer")
    if invoices is not None:
        known = known + strings(invoices, "customer", "invoice customer")
    ccols = [("customer", _STRING, strings(customers, customer_code, "customer"), None,
              _canonical_factorize(pd.Series(known, dtype=object))[1].tolist())]
    if credit_limit is not None and credit_limit in customers.columns:
        ccols.append(_money_spec(call, customers, credit_limit, "credit_limit"))
    ctable = _build_table(call, _CUSTOMERS, ccols)
    ptable = _build_table(call, _PRODUCTS, pcols, ctable)
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
                icols.append(_money_spec(call, invoices, field, field))
        itable = _build_table(call, _INVOICES, icols, ctable)
    # the unit prices share the call's money scale (they are compared with costs)
    prices = call.money(_series(quotes, unit_price, "unit_price"), "unit_price")
    index = _salesight.quote_index(ptable.get(), ctable.get(), _money.handle(itable), None, {
        "tier_cost_first": int(bool(tier_cost_first)),
        "margin_floor_pct": float(margin_floor_pct)})
    price_minor = call.minor_units(prices)
    frames = []
    qcust = strings(quotes, customer, "customer")
    qprod = strings(quotes, product, "product")
    qqty = _series(quotes, quantity, "quantity").to_numpy()
    qdate = quotes[date] if date is not None else None
    for i in range(len(quotes)):
        day = _day(qdate.iloc[i], "date") if qdate is not None else _day(_dt.date.today(), "date")
        frames.append(_to_frame(index.check(qcust[i], qprod[i], int(qqty[i]),
                                            int(price_minor[i]), day),
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
    return _renamed(frame, {c: c[6:] + "_date" for c in frame.columns if c.startswith("stage:")})


@python_errors
def read_csv(path, mapping=None, table="orders", *, date_format=None, delimiter=",",
             thousands_separator=None, decimal_point=".", money_scale=-1,
             stop_on_first_error=False, stages=None, money="float", encoding=None,
             excel_dates=False, fill_down=None, document_total=None, preset=None,
             num_threads=0):
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
    "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y", "%m/%d/%y",
    "%d/%m/%y" or "auto" (which never guesses day-first or two-digit years).
    ``encoding``: "utf-8", "gb18030" ("gbk" reads as gb18030), "utf-16" or
    None/"auto" (UTF-16 by its byte order mark, else UTF-8; a GB18030 file
    raises an error showing its header both ways). Dates also read
    "2024年1月7日" and full-width digits; ``excel_dates=True`` reads 1..5-digit
    numbers in date columns as Excel serial dates (1900 system). Amounts also
    read "¥1,234.50", "1,234.50元", "1,234.50-" and full-width digits.

    ``preset``: "kingdee", "yonyou", "odoo", "erpnext", "sap_b1" or a preset
    JSON file: the ERP's column captions for the table's fields (README
    "Export presets"); ``mapping`` wins field by field.

    Document-style exports: ``fill_down`` (a list or "COL,...") carries a
    document's header fields down to its lines; total rows (合计, 小计, 总计,
    Total) are kept out of the data and checked against the lines they close;
    ``document_total`` names a column holding a document's amount on its first
    line, checked against its lines and never added. The report then also has
    total_rows (accepted + total_rows + rejected == data_lines), filled_down and
    total_mismatches, and ``df.attrs["notes"]`` lists the total rows, filled-down
    rows and document mismatches (line, column, value, reason).

    ``num_threads``: threads reading an orders file (0 = one per core); the
    result is the same for any value (README "Parallel reading").
    """
    if isinstance(mapping, dict):
        mapping = ",".join('%s="%s"' % (k, str(v).replace('"', '""'))
                           for k, v in mapping.items())
    if isinstance(stages, dict):
        stages = ",".join('%s="%s"' % (k, str(v).replace('"', '""')) for k, v in stages.items())
    options = {"mapping": mapping, "date_format": date_format, "delimiter": delimiter,
               "thousands_separator": thousands_separator, "decimal_point": decimal_point,
               "money_scale": int(money_scale),
               "stop_on_first_error": int(bool(stop_on_first_error)), "stages": stages,
               "encoding": encoding, "excel_dates": int(bool(excel_dates)),
               "fill_down": fill_down if fill_down is None or isinstance(fill_down, str)
               else ",".join(fill_down),
               "document_total": document_total,
               "preset": None if preset is None else str(preset),
               "num_threads": int(num_threads)}
    t, report, rejects = _salesight.read_csv(_choice("table", table, _KINDS), str(path), options)
    frame = _table_frame(t, _money_mode(money))
    notes = report.pop("notes")
    frame.attrs["report"] = report
    frame.attrs["rejects"] = _to_frame(rejects)
    frame.attrs["notes"] = _to_frame(notes)
    return frame


@python_errors
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


# ------------------------------------------------------------- dashboard helpers

class _Auto:
    """Default of an optional column: used when the DataFrame has a column of
    that name, left out when it has not. Pass a name to require the column,
    None to leave it out."""

    def __repr__(self):
        return "AUTO"


AUTO = _Auto()


def _optional(df, column, field):
    """The column name to use for an optional field, or None."""
    if column is AUTO:
        return field if field in df.columns else None
    return column


class _JointCodes:
    """One id space for a code domain that appears in several DataFrames
    (e.g. the salesperson of orders, invoices and targets), so that the same
    code gets the same id everywhere: factorized once over all of them
    (sort=True) and mapped back on output."""

    def __init__(self, parts, role, required=()):
        """`required`: the parts (positions) whose codes cannot be missing."""
        self.role = role
        sizes = [len(s) for s in parts]
        for i in required:
            _require(parts[i], role)
        joined = pd.concat([s.reset_index(drop=True) for s in parts], ignore_index=True) \
            if parts else pd.Series([], dtype=object)
        codes, self.uniques = _factorize(joined, role, True)
        codes = codes.astype(np.int32, copy=False)
        self.ids = []
        at = 0
        for n in sizes:
            self.ids.append(np.ascontiguousarray(codes[at:at + n]))
            at += n

    def column(self, part, name):
        return (name, _INT32, self.ids[part], None, None)

    def decode(self, ids):
        return self.uniques.take(ids)


class _JointPart:
    """One DataFrame's share of a _JointCodes, used like a _Codes."""

    def __init__(self, joint, part):
        self.joint, self.part = joint, part

    def column(self, name):
        return self.joint.column(self.part, name)

    def decode(self, ids):
        return self.joint.decode(ids)


_PRODUCT_FIELDS = {"product": "product", "standard_cost": "standard_cost", "category": "category",
                   "name": "name"}
_TIER_FIELDS = {"product": "product", "min_quantity": "min_quantity", "unit_cost": "unit_cost"}


def _products_table(call, orders, product, products, product_columns, cost_tiers, tier_columns):
    """The PRODUCTS table for a product master DataFrame (one row per product:
    standard_cost, category and name when those columns exist) and optional
    quantity cost tiers, with one id space for the product codes of the
    orders, the products and the tiers. Returns (_JointPart for the orders'
    product column, table)."""
    pc = dict(_PRODUCT_FIELDS, **(product_columns or {}))
    tc = dict(_TIER_FIELDS, **(tier_columns or {}))
    parts = [_series(orders, product, "product"),
             _series(products, pc["product"], "products product")]
    if cost_tiers is not None:
        parts.append(_series(cost_tiers, tc["product"], "cost tier product"))
    # an order line's product is optional (MISSING), the master's and tiers' are not
    joint = _JointCodes(parts, "product", required=range(1, len(parts)))
    columns = [joint.column(1, "product")]
    if pc["standard_cost"] in products.columns:
        # NaN / NA = this product has no standard cost (its lines take the tier cost).
        columns.append(_money_spec(call, products, pc["standard_cost"], "standard_cost",
                                   nullable=True))
    # Category labels and names as text (the library interns the labels and
    # prints them back); a NaN / None category is the group MISSING (as the
    # CSV reader's empty category field), a NaN / None name stays null.
    for field, missing in (("category", MISSING), ("name", None)):
        if pc[field] in products.columns:
            values = _series(products, pc[field], field).tolist()
            columns.append((field, _STRING, [missing if v is None or v != v else str(v)
                                             for v in values], None, None))
    if cost_tiers is not None:
        columns.append(joint.column(2, "tier_product"))
        columns.append(("tier_min_quantity",) + _numeric(
            _series(cost_tiers, tc["min_quantity"], "tier min_quantity"), "tier min_quantity")
            + (None,))
        columns.append(_money_spec(call, cost_tiers, tc["unit_cost"], "tier_unit_cost"))
    return _JointPart(joint, 0), _build_table(call, _PRODUCTS, columns)


def _date_spec(df, column, field, role=None):
    return (field,) + _date_column(_series(df, column, role or field), role or field) + (None,)


def _money_spec(call, df, column, field, role=None, nullable=False):
    """The money column `field` of a table of `call` (see _money)."""
    return call.money(_series(df, column, role or field), field, role or field, nullable)


def _order_columns(call, df, *, order, date, amount, cost, margin, unit_cost, quantity, role):
    """The ORDERS columns every dashboard calculator needs: order key, date,
    a placeholder customer when the frame has none, amount and the cost
    source (at most one of cost=, margin=, unit_cost=)."""
    n = len(df)
    columns = [("order_id", _INT64, np.ascontiguousarray(_key_column(df, order, "order", n)),
                None, None),
               _date_spec(df, date, "order_date", "date")]
    columns.append(_money_spec(call, df, amount, "amount"))
    if sum(x is not None for x in (cost, margin, unit_cost)) > 1:
        raise InvalidArgumentError("%s: give one of cost=, margin=, unit_cost=" % role)
    if cost is not None:
        columns.append(_money_spec(call, df, cost, "cost"))
    if margin is not None:
        columns.append(_money_spec(call, df, margin, "margin"))
    if unit_cost is not None:
        columns.append(_money_spec(call, df, unit_cost, "unit_cost"))
    if quantity is not None:
        columns.append(("quantity",) + _numeric(_series(df, quantity, "quantity"), "quantity")
                       + (None,))
    return columns


_INVOICE_FIELDS = ("invoice", "customer", "salesperson", "region", "invoice_date", "due_date",
                   "amount", "paid", "paid_date")
_INVOICE_DEFAULTS = {"invoice": "invoice", "customer": "customer", "salesperson": AUTO,
                     "region": AUTO, "invoice_date": "invoice_date", "due_date": "due_date",
                     "amount": "amount", "paid": AUTO, "paid_date": AUTO}
_PAYMENT_DEFAULTS = {"invoice": "invoice", "invoice_row": None, "date": "date",
                     "amount": "amount"}


def _mapping(given, defaults, role):
    out = dict(defaults)
    for key, value in (given or {}).items():
        if key not in defaults:
            raise InvalidArgumentError("%s: %r is not a field (fields: %s)"
                                       % (role, key, ", ".join(defaults)))
        out[key] = value
    return out


def _receivables_tables(call, invoices, payments, cols, pcols, joint=None, extra=()):
    """(invoices table, payments table or None, decoders) for INVOICES and
    PAYMENTS DataFrames. Payments refer to invoices by the invoice key
    (pcols["invoice"], matched against the invoices' key) or by row position
    (pcols["invoice_row"]). `joint` maps a group field to (_JointCodes, part)
    when its ids must agree with another table's; `extra`: more column specs
    (attribute columns, from _dimension_columns)."""
    n = len(invoices)
    decoders = {}
    key_col = cols["invoice"]
    if key_col is None:
        keys = pd.Series(np.arange(n, dtype=np.int64))
    else:
        keys = _series(invoices, key_col, "invoice")
    # text keys go as text: the library keeps them and names invoices as given
    columns = [_key_text_or_number(invoices, key_col, "invoice", n, "invoice")]
    if joint and "customer" in joint:  # one customer id space with the orders (Dataset)
        codes, part = joint["customer"]
        customer = _JointPart(codes, part)
    else:
        customer = _Codes(_series(invoices, cols["customer"], "customer"), "customer")
    columns.append(customer.column("customer"))
    decoders["customer"] = customer.decode
    for field in ("salesperson", "region"):
        column = _optional(invoices, cols[field], field)
        if column is None:
            continue
        if joint and field in joint:
            codes, part = joint[field]
            columns.append(codes.column(part, field))
        else:
            codes = _Codes(_series(invoices, column, field), field, nullable=True)
            columns.append(codes.column(field))
        decoders[field] = codes.decode
    columns.append(_date_spec(invoices, cols["invoice_date"], "invoice_date"))
    columns.append(_date_spec(invoices, cols["due_date"], "due_date"))
    columns.append(_money_spec(call, invoices, cols["amount"], "amount"))
    paid = _optional(invoices, cols["paid"], "paid")
    paid_date = _optional(invoices, cols["paid_date"], "paid_date")
    if (paid is None) != (paid_date is None):
        raise InvalidArgumentError("invoices: paid and paid_date go together (got %r, %r)"
                                   % (paid, paid_date))
    if paid is not None:
        # an unpaid invoice: paid NaN / NA counts as 0 with paid_date NaT
        amounts = _series(invoices, paid, "paid")
        # a numpy integer column holds no NaN: no isna pass (a Series per call)
        if not (isinstance(amounts.dtype, np.dtype) and amounts.dtype.kind in "iu") \
                and amounts.isna().any():
            amounts = amounts.fillna(0)
        columns.append(call.money(amounts, "paid"))
        columns.append(_date_spec(invoices, paid_date, "paid_date"))
    columns += list(extra)
    itable = _build_table(call, _INVOICES, columns)
    ptable = None
    if payments is not None:
        if pcols["invoice_row"] is not None:
            rows = _series(payments, pcols["invoice_row"], "payment invoice_row").to_numpy()
            if rows.dtype.kind not in "iu":
                raise TypeMismatchError("payments invoice_row column %r has dtype %s; use "
                                        "integers" % (pcols["invoice_row"], rows.dtype))
            rows = rows.astype(np.int64, copy=False)
        else:
            pkeys = _series(payments, pcols["invoice"], "payment invoice")
            index = pd.Index(keys)
            if not index.is_unique:
                raise InvalidArgumentError("invoices: the invoice keys are not unique, so "
                                           "payments cannot refer to them; give "
                                           "payment_columns={'invoice_row': ...}")
            rows = index.get_indexer(pkeys).astype(np.int64)
            if len(rows) and rows.min() < 0:
                bad = int(np.argmax(rows < 0))
                raise InvalidArgumentError("payments row %d: invoice %r is not in the invoices"
                                           % (bad, pkeys.iloc[bad]))
        pcolumns = [("invoice_row", _INT64, np.ascontiguousarray(rows), None, None),
                    _date_spec(payments, pcols["date"], "date", "payment date"),
                    _money_spec(call, payments, pcols["amount"], "amount", "payment amount")]
        ptable = _build_table(call, _PAYMENTS, pcolumns, None, None, itable)
    return itable, ptable, decoders


_TARGET_DEFAULTS = {"key": "key", "month": "month", "amount": "amount"}


def _targets_table(call, targets, tcols, key, level):
    """The TARGETS table of a targets DataFrame (month as yyyymm, amount;
    tcols maps them) at `level` (_TARGET_LEVEL), `key` the column spec of its
    key (None at the company level): its ids must agree with the grouped
    table's, so the caller makes it."""
    columns = [("month",) + _numeric(_series(targets, tcols["month"], "target month"),
                                     "target month") + (None,),
               _money_spec(call, targets, tcols["amount"], "amount", "target amount")]
    if key is not None:
        columns.append(key)
    return _build_table(call, _TARGETS, columns, None, None, None, level)


# -------------------------------------------------------------------- aging

_AGING_OUTPUT = {"aging": 0, "overdue": 1, "issues": 2, "collection": 3}
_INVOICE_GROUP_FIELDS = ("customer", "salesperson", "region")
_AGE_BASIS = {"due": 0, "invoice": 1}
# age_from= is the earlier spelling of the declared option basis=.
_AGE_FROM = {"due_date": "due", "invoice_date": "invoice"}
_DAYS_TO_PAY = {"plain": 0, "amount_weighted": 1}


@_declared.add_doc("aging")
@python_errors
def aging(invoices, payments=None, *, as_of, by=AUTO, output="aging", cutoffs=None,
          basis="due", age_from=None, top=100, max_examples=5, start=None, end=None,
          days_to_pay="plain", rate_only=False, columns=None, payment_columns=None,
          outputs=None, money="float", money_scale=None, num_threads=1):
    """Receivables as of ``as_of``: aging buckets, the overdue list, data
    issues, or collection metrics (``output="collection"``).

    ``invoices``: one row per invoice; ``columns`` maps the fields invoice,
    customer, salesperson, region, invoice_date, due_date, amount, paid,
    paid_date to its column names (defaults: the field names; salesperson,
    region, paid, paid_date are used when present). ``payments`` (optional):
    one row per payment with fields invoice (the invoice key) or invoice_row
    (row position in ``invoices``), date, amount (``payment_columns``). Given
    payments are the only payment source; else paid / paid_date.

    Outputs and columns (as ``salesight aging``):

    * ``"aging"``: <by>, b_current, b_1_30, b_31_60, b_61_90, b_over_90,
      total. outstanding = amount - payments dated <= as_of; invoices dated
      after as_of are unknown (excluded); age = as_of - due_date
      (``basis="invoice"``: - invoice_date); with cut-offs c (default
      [0, 30, 60, 90]) bucket 0 is age <= c0, bucket j is c(j-1) < age <= cj,
      the last age > c(k-1). Only open invoices (outstanding > 0) are aged;
      overpaid ones and prepayments are reported in ``"issues"``.
    * ``"overdue"``: invoice, customer, due_date, amount, outstanding,
      days_past_due: open invoices past due, by outstanding x days past due
      descending (ties by invoice row), at most ``top`` (None = all).
    * ``"issues"``: issue, count, amount, example_rows.
    * ``"collection"``: <by>, invoices_due, billed, collected,
      collection_rate, credit_sales, ar_beginning, ar_ending,
      ar_ending_current, dso, cei, avg_days_to_pay, on_time_rate over the
      invoices due in [start, end] (end defaults to as_of). collection_rate =
      collected / billed (payments up to as_of, overpayments included); DSO =
      ending AR / credit sales x days (needs ``start``); CEI = (beginning +
      credit sales - ending) / (beginning + credit sales - ending current) x
      100; average days to pay over fully paid invoices (``days_to_pay=
      "amount_weighted"`` weights by amount); on_time_rate = paid in full by
      the due date / invoices due. Null (NaN) for a zero denominator.

    ``by``: "customer" (aging default), "salesperson" (collection default),
    "region" (the invoice fields), any other column of ``invoices`` (grouped
    as it is, an attribute column named like it; NaN / None = the group
    ``salesight.MISSING``), or None for one total row. Groups come out in the
    order of their values. With ``rate_only=True``, ``start`` None and
    ``by="salesperson"`` the collection table is WORKLOADS.md (d)'s
    ar_salesperson.

    ``outputs``: {name: {keyword: value}} gives {name: DataFrame}, each
    output the call's keywords with its own (output, by, cutoffs, basis, top,
    max_examples, start, end, days_to_pay, rate_only), from one invoices
    table built once (it carries the group columns of every output); e.g.
    ``outputs={"aging": {}, "rate": {"output": "collection", "rate_only":
    True}}``.
    """
    cols = _mapping(columns, _INVOICE_DEFAULTS, "aging columns")
    pcols = _mapping(payment_columns, _PAYMENT_DEFAULTS, "aging payment_columns")
    plan = _output_keywords(outputs, _AGING_PER_OUTPUT, "aging")
    outs = [_choice("output", k.get("output", output), _AGING_OUTPUT) for _, k in plan]
    if age_from is not None:
        if basis != "due":
            raise InvalidArgumentError("aging: give basis= or age_from= (its earlier name), not both")
        warnings.warn("aging: age_from= is now basis= (due | invoice), the declared option's name",
                      DeprecationWarning, stacklevel=3)
        basis = _choice("age_from", age_from, _AGE_FROM)
    attrs = {}  # by a column that is no invoice field: an attribute column, by its name
    groupings = []  # per output: (group, field, attribute entry or None)
    for (_, keywords), out in zip(plan, outs):
        group_by = keywords.get("by", by)
        attr = None
        if group_by is AUTO:
            group = None  # the library's default for the output
            field = "salesperson" if out == 3 else "customer"
        elif group_by is None:
            group, field = "", None
        elif isinstance(group_by, str) and group_by in _INVOICE_GROUP_FIELDS:
            group = field = group_by
        else:
            found = _dimension_columns(invoices, group_by, (), "aging by")
            if len(found) != 1:
                raise InvalidArgumentError("aging: by names one column, got %d" % len(found))
            attr = attrs.setdefault(found[0][0], found[0])
            group = field = attr[0]
        if field in ("salesperson", "region") and cols[field] is AUTO:
            cols[field] = field  # required now: a clear error when it is missing
        groupings.append((group, field, attr))
    call = _money.Call(money_scale, num_threads)
    itable, ptable, decoders = _receivables_tables(call, invoices, payments, cols, pcols,
                                                   extra=[spec for _, _, spec, _ in
                                                          attrs.values()])
    grouping_of = iter(groupings)  # one() is called once per output, in plan order

    def one(output=output, by=by, cutoffs=cutoffs, basis=basis, top=top,
            max_examples=max_examples, start=start, end=end, days_to_pay=days_to_pay,
            rate_only=rate_only):
        group, field, attr = next(grouping_of)
        out = _choice("output", output, _AGING_OUTPUT)
        options = {
            "as_of": _day(as_of, "as_of"),
            "age_basis": _choice("basis", basis, _AGE_BASIS),
            "overdue_top_n": -1 if top is None else int(top),
            "max_examples": int(max_examples),
            "num_threads": int(num_threads),
            "output": out,
            "from": _day(start, "start"),
            "to": _day(end, "end"),
            "days_to_pay": _choice("days_to_pay", days_to_pay, _DAYS_TO_PAY),
            "rate_only": int(bool(rate_only)),
        }
        if options["as_of"] == _NO_DATE:
            raise InvalidArgumentError("aging: as_of is required")
        if group is not None:
            options["group_by"] = group
        if cutoffs is not None:
            options["cutoffs"] = np.asarray(list(cutoffs), dtype=np.int32)
        result = _salesight.aging(itable.get(), _money.handle(ptable), options)
        if out == 2:
            use = {}
        elif out == 1:
            use = {k: v for k, v in decoders.items() if k in ("invoice", "customer")}
        else:
            use = {field: decoders[field]} if field in decoders else {}
        frame = _to_frame(result, use, money=_money_mode(money))
        if out in (0, 3) and attr is not None:
            name, column, _, decode = attr
            if name in frame.columns:
                frame[name] = decode.decode(frame[name].to_numpy())
            return _renamed(frame, {name: column})
        if out in (0, 3) and field is not None and cols.get(field) not in (None, AUTO, field):
            frame = _renamed(frame, {field: cols[field]})
        return frame
    return _each_output(outputs, one, "aging")


# The keywords of aging() an output of outputs= may set (its one()'s parameters).
_AGING_PER_OUTPUT = ("output", "by", "cutoffs", "basis", "top", "max_examples", "start", "end",
                     "days_to_pay", "rate_only")


@_declared.add_doc("collection")
@python_errors
def collection(invoices, payments=None, *, as_of, by="salesperson", **kwargs):
    """``aging(..., output="collection")``: collection rate, DSO, CEI, average
    days to pay and on-time rate per ``by`` (see :func:`aging`)."""
    return aging(invoices, payments, as_of=as_of, by=by, output="collection", **kwargs)


# -------------------------------------------------------------------- trend

_TREND_GRAIN = {"day": 1, "week": 2, "month": 3, "quarter": 4, "year": 5}
_TREND_COMPARE = {"previous": 1, "last-year": 2, "last_year": 2, "target": 3}
_TREND_MEASURE = {"revenue": 0, "margin": 2, "orders": 4, "collections": 5}
_TREND_OUTPUT = {"table": 0, "to_date": 1}
_TARGET_LEVEL = {"salesperson": 0, "region": 1, "company": 2}


@_declared.add_doc("trend")
@python_errors
def trend(orders, *, grain="month", compare="last-year", measure="revenue", by=None,
          targets=None, invoices=None, payments=None, date="order_date", amount="amount",
          order=None, cost=None, margin=None, unit_cost=None, quantity=None, start=None,
          end=None, as_of=None, output="table", empty_periods=True, with_margin=True,
          count_orders=True, target_level=None, target_columns=None, invoice_columns=None,
          payment_columns=None, outputs=None, money="float", money_scale=None, num_threads=1):
    """Revenue, margin, orders and collections per period, compared with the
    previous period, the same period last year or the target.

    ``orders``: order lines (``date``, ``amount``, optional ``order`` key -
    without it every line is an order - and a cost source ``cost`` /
    ``margin`` / ``unit_cost`` + ``quantity`` for the margin column).
    ``by``: None, "region", "salesperson" or "channel" (a column of
    ``orders`` of that name, also of ``invoices`` for collections and the
    targets' key), or any other column of ``orders`` (grouped as it is, an
    attribute column named like it; NaN / None = the group
    ``salesight.MISSING``; not with ``invoices`` or per-key targets).
    ``targets``: DataFrame (key, month as yyyymm, amount;
    ``target_columns``) at ``target_level`` (default: ``by`` when it is
    salesperson or region, else company). ``invoices`` / ``payments``: the
    collections by payment date (as in :func:`aging`).

    Columns out (``output="table"``, as ``salesight trend``): period,
    [<by>,] revenue, margin, orders, revenue_compare, growth_pct,
    growth_diff, growth_ratio, [target,] [collections,] lines. Periods are
    "2019-03-05", "2019-W05" (ISO week), "2019-03", "2019-Q1", "2019".
    Definitions: lines with date in [start, end]; the base is the previous
    period, the same period last year (month - 12; ISO week: same week of
    iso_year - 1, week 53 has none; Feb 29 has none) or the target (monthly
    targets spread to days by calendar days); growth_pct = 100 x (cur -
    base) / base, growth_ratio = cur / base, NaN where the base is missing
    or 0; with ``empty_periods`` every period between the first and last is
    a row (zero-filled), else only periods with data (workload (e)). An
    order counts once, in the period of its first line. ``output="to_date"``
    (needs ``as_of``): MTD, QTD, YTD against last year's same number of
    elapsed days.

    ``outputs``: {name: {keyword: value}} gives {name: DataFrame}, each
    output the call's keywords with its own (grain, compare, measure, start,
    end, as_of, output, empty_periods, with_margin, count_orders), from
    tables built once; e.g. ``outputs={"month": {}, "week": {"grain":
    "week"}}``.
    """
    attrs = []  # by a column that is no order-line field: an attribute column
    by_field = None
    if isinstance(by, str) and by in ("region", "salesperson", "channel"):
        by_field = by
    elif by is not None:
        attrs = _dimension_columns(orders, by, (), "trend by")
        if len(attrs) != 1:
            raise InvalidArgumentError("trend: by names one column, got %d" % len(attrs))
        if invoices is not None:
            raise InvalidArgumentError("trend: by=%r is no invoice field; collections "
                                       "(invoices=) group by region or salesperson" % (by,))
    icols = _mapping(invoice_columns, _INVOICE_DEFAULTS, "trend invoice_columns")
    pcols = _mapping(payment_columns, _PAYMENT_DEFAULTS, "trend payment_columns")
    tcols = _mapping(target_columns, _TARGET_DEFAULTS, "trend target_columns")
    if target_level is None:
        target_level = by_field if by_field in ("salesperson", "region") else "company"
    level = _choice("target_level", target_level, _TARGET_LEVEL)
    call = _money.Call(money_scale, num_threads)
    # One id space for the group codes of orders, invoices and targets.
    joint = None
    parts = []
    if by_field is not None:
        parts.append(_series(orders, by_field, "by"))
        if invoices is not None and by_field != "channel":
            icols[by_field] = icols[by_field] if icols[by_field] is not AUTO else by_field
            parts.append(_series(invoices, icols[by_field], by_field))
        required = []
        if targets is not None and level != 2 and by_field != "channel":
            required.append(len(parts))  # a target's key is required
            parts.append(_series(targets, tcols["key"], "target key"))
        joint = _JointCodes(parts, by_field, required)
    columns = _order_columns(call, orders, order=order, date=date, amount=amount, cost=cost,
                             margin=margin, unit_cost=unit_cost, quantity=quantity, role="trend")
    columns.append(("customer", _INT32, _fillers.zeros_int32(len(orders)), None, None))
    if joint is not None:
        columns.append(joint.column(0, by_field))
    columns += [spec for _, _, spec, _ in attrs]
    otable = _build_table(call, _ORDERS, columns)
    itable = ptable = ttable = None
    if invoices is not None:
        jmap = {by_field: (joint, 1)} if joint is not None and by_field != "channel" else None
        itable, ptable, _ = _receivables_tables(call, invoices, payments, icols, pcols, jmap)
    elif payments is not None:
        raise InvalidArgumentError("trend: payments need invoices=")
    if targets is not None:
        key = None
        if level != 2:
            if joint is not None and by_field != "channel":
                key = joint.column(len(parts) - 1, "key")
            else:
                key = _Codes(_series(targets, tcols["key"], "target key"),
                             "target key").column("key")
        ttable = _targets_table(call, targets, tcols, key, level)
    def one(grain=grain, compare=compare, measure=measure, start=start, end=end, as_of=as_of,
            output=output, empty_periods=empty_periods, with_margin=with_margin,
            count_orders=count_orders):
        options = {
            "grain": _choice("grain", grain, _TREND_GRAIN),
            "compare": _choice("compare", compare, _TREND_COMPARE),
            "compare_measure": _choice("measure", measure, _TREND_MEASURE),
            "group_by": by_field or (attrs[0][0] if attrs else ""),
            "from": _day(start, "start"),
            "to": _day(end, "end"),
            "as_of": _day(as_of, "as_of"),
            "emit_empty_periods": int(bool(empty_periods)),
            "with_margin": int(bool(with_margin)),
            "count_orders": int(bool(count_orders)),
            "num_threads": int(num_threads),
            "output": _choice("output", output, _TREND_OUTPUT),
        }
        result = _salesight.trend(otable.get(), None, _money.handle(itable),
                                  _money.handle(ptable), _money.handle(ttable), options)
        decoders = {by_field: joint.decode} if joint is not None else {}
        frame = _to_frame(result, decoders, money=_money_mode(money))
        if attrs:
            name, column, _, attr = attrs[0]
            if name in frame.columns:
                frame[name] = attr.decode(frame[name].to_numpy())
            return _renamed(frame, {name: column})
        if by_field is not None and by != by_field:
            frame = _renamed(frame, {by_field: by})
        return frame
    return _each_output(outputs, one, "trend")


# ------------------------------------------------------------- contribution

_CONTRIBUTION_DIMS = ("region", "department", "channel", "salesperson", "customer")
_CONTRIBUTION_MEASURE = {"revenue": 0, "margin": 2}


@_declared.add_doc("contribution")
@python_errors
def contribution(orders, *, by="region", measure="revenue", decimals=1, date=None,
                 amount="amount", order=None, cost=None, margin=None, unit_cost=None,
                 quantity=None, start=None, end=None, products=None, product="product",
                 product_columns=None, cost_tiers=None, tier_columns=None, money="float",
                 money_scale=None, num_threads=1):
    """Each group's share of total revenue or margin.

    ``by``: one or two columns of ``orders``: "region", "department",
    "channel", "salesperson", "customer" are those order-line fields, any
    other column is grouped as it is (an attribute column named like it; NaN
    / None = the group ``salesight.MISSING``); or "category" with
    ``products`` (the product master, as in salesight.margin, which also gives
    standard costs and ``cost_tiers``). Groups come out in the order of their
    values. ``measure="margin"`` needs a cost
    source (``cost`` / ``margin`` / ``unit_cost`` + ``quantity``, or the
    products'; lines without a cost are left out).

    Columns out (as ``salesight contribution``): <by>[, <by2>], value, share,
    share_pct. Definitions: lines dated in [start, end] (needs ``date``);
    value = the group's revenue (or margin); share = value / total (exact
    sums; a negative total makes loss-makers' shares positive; total 0 gives
    NaN); share_pct = percent rounded to ``decimals`` places by the largest
    remainder method (floor each exact percent, give the missing units to the
    largest remainders, ties to the smaller key) so the column sums to
    exactly 100.
    """
    fields = [by] if isinstance(by, str) else list(by)
    if not 1 <= len(fields) <= 2:
        raise InvalidArgumentError("contribution: by names %d columns; give one or two"
                                   % len(fields))
    if "category" in fields and products is None:
        raise InvalidArgumentError("contribution: by='category' needs products= (the product "
                                   "master)")
    n = len(orders)
    call = _money.Call(money_scale, num_threads)
    if date is None:
        if start is not None or end is not None:
            raise InvalidArgumentError("contribution: start / end need date=")
        columns = [("order_id", _INT64, np.ascontiguousarray(_key_column(orders, order, "order",
                                                                          n)), None, None),
                   ("order_date", _DATE, _fillers.zeros_int32(n), None, None),
                   _money_spec(call, orders, amount, "amount")]
        if sum(x is not None for x in (cost, margin, unit_cost)) > 1:
            raise InvalidArgumentError("contribution: give one of cost=, margin=, unit_cost=")
        for field, column in (("cost", cost), ("margin", margin), ("unit_cost", unit_cost)):
            if column is not None:
                columns.append(_money_spec(call, orders, column, field))
        if quantity is not None:
            columns.append(("quantity",) + _numeric(_series(orders, quantity, "quantity"),
                                                    "quantity") + (None,))
    else:
        columns = _order_columns(call, orders, order=order, date=date, amount=amount, cost=cost,
                                 margin=margin, unit_cost=unit_cost, quantity=quantity,
                                 role="contribution")
    decoders = {}
    by_category = products is not None and "category" in fields
    attrs = _dimension_columns(orders, [f for f in fields if f not in _CONTRIBUTION_DIMS
                                        and not (by_category and f == "category")],
                               (), "contribution by")
    names = []  # the library's dimension names, in the order of by
    for f in fields:
        if f in _CONTRIBUTION_DIMS:
            codes = _Codes(_series(orders, f, "by"), f, nullable=f != "customer")
            columns.append(codes.column(f))
            decoders[f] = codes.decode
            names.append(f)
        elif by_category and f == "category":
            names.append(f)  # the products' category of each line's product
        else:
            names.append(str(f))
    columns += [spec for _, _, spec, _ in attrs]
    if "customer" not in fields:
        columns.append(("customer", _INT32, _fillers.zeros_int32(n), None, None))
    ptable = None
    if products is not None:
        product_codes, ptable = _products_table(call, orders, product, products, product_columns,
                                                cost_tiers, tier_columns)
        columns.append(product_codes.column("product"))
    table = _build_table(call, _ORDERS, columns)
    options = {
        "measure": _choice("measure", measure, _CONTRIBUTION_MEASURE),
        "by": ",".join(names),
        "from": _day(start, "start"),
        "to": _day(end, "end"),
        "decimals": int(decimals),
        "num_threads": int(num_threads),
    }
    result = _salesight.contribution(table.get(), _money.handle(ptable), options)
    frame = _to_frame(result, decoders, money=_money_mode(money))
    for name, _, _, attr in attrs:
        if name in frame.columns:
            frame[name] = attr.decode(frame[name].to_numpy())
    return _renamed(frame, {name: column for name, column, _, _ in attrs})


# -------------------------------------------------------------- leaderboard

_LEADERBOARD_RANK = {"revenue": 0, "margin": 2, "orders": 4, "won": 6, "win_rate": 7,
                     "collection_rate": 8, "attainment": 9, "target_attainment": 9}
_PIPELINE_DEFAULTS = {"opportunity": "opportunity", "salesperson": "salesperson",
                      "created": "created", "won": "won_date", "lost": "lost_date"}


@_declared.add_doc("leaderboard")
@python_errors
def leaderboard(orders, *, pipeline=None, invoices=None, payments=None, targets=None,
                rank_by="revenue", start=None, end=None, as_of=None, salesperson="salesperson",
                date="order_date", amount="amount", order=None, cost=None, margin=None,
                unit_cost=None, quantity=None, pipeline_columns=None, invoice_columns=None,
                payment_columns=None, target_columns=None, money="float", money_scale=None,
                num_threads=1):
    """Per salesperson over [start, end]: revenue, margin, orders, won and lost
    deals, win rate, collection rate, target and attainment, ranked.

    ``orders``: order lines with a ``salesperson`` column (and a cost source
    for margin). Optional: ``pipeline`` (opportunity, salesperson, created,
    won and lost date columns, ``pipeline_columns``), ``invoices`` /
    ``payments`` (as in :func:`aging`), ``targets`` (key = salesperson, month
    yyyymm, amount). A missing input leaves its columns null (NaN).

    Columns out (as ``salesight leaderboard``): rank, salesperson, revenue,
    margin, orders, won, lost, win_rate, collection_rate, target, attainment.
    Definitions: revenue = net line amounts dated in the period; orders =
    distinct orders; won = won date in the period and <= as_of; lost = lost
    date in the period, not won by as_of; win_rate = won / (won + lost);
    collection_rate = collected / billed over invoices due in the period,
    payments up to as_of; target = the salesperson's targets of the calendar
    months overlapping the period; attainment = revenue / target. as_of
    defaults to ``end`` (needed with a pipeline or invoices). Ranked by
    ``rank_by`` descending, nulls last, ties by salesperson code; ranks are
    row numbers 1..n.
    """
    pcols = _mapping(pipeline_columns, _PIPELINE_DEFAULTS, "leaderboard pipeline_columns")
    icols = _mapping(invoice_columns, _INVOICE_DEFAULTS, "leaderboard invoice_columns")
    paycols = _mapping(payment_columns, _PAYMENT_DEFAULTS, "leaderboard payment_columns")
    tcols = _mapping(target_columns, _TARGET_DEFAULTS, "leaderboard target_columns")
    call = _money.Call(money_scale, num_threads)
    # one id space for the salespeople of every input
    parts = [_series(orders, salesperson, "salesperson")]
    at = {}
    if pipeline is not None:
        at["pipeline"] = len(parts)
        parts.append(_series(pipeline, pcols["salesperson"], "pipeline salesperson"))
    if invoices is not None:
        if icols["salesperson"] is AUTO:
            icols["salesperson"] = "salesperson"
        at["invoices"] = len(parts)
        parts.append(_series(invoices, icols["salesperson"], "invoice salesperson"))
    if targets is not None:
        at["targets"] = len(parts)
        parts.append(_series(targets, tcols["key"], "target key"))
    people = _JointCodes(parts, "salesperson", [at["targets"]] if "targets" in at else [])
    columns = _order_columns(call, orders, order=order, date=date, amount=amount, cost=cost,
                             margin=margin, unit_cost=unit_cost, quantity=quantity,
                             role="leaderboard")
    columns.append(("customer", _INT32, _fillers.zeros_int32(len(orders)), None, None))
    columns.append(people.column(0, "salesperson"))
    otable = _build_table(call, _ORDERS, columns)
    ptable = itable = paytable = ttable = None
    if pipeline is not None:
        n = len(pipeline)
        pc = [("opportunity", _INT64,
               np.ascontiguousarray(_key_column(pipeline, pcols["opportunity"], "opportunity",
                                                n)), None, None),
              _date_spec(pipeline, pcols["created"], "created"),
              _date_spec(pipeline, pcols["won"], "stage:won", "won"),
              people.column(at["pipeline"], "salesperson")]
        if pcols["lost"] is not None:
            pc.append(_date_spec(pipeline, pcols["lost"], "lost_date", "lost"))
        ptable = _build_table(call, _PIPELINE, pc)
    if invoices is not None:
        itable, paytable, _ = _receivables_tables(
            call, invoices, payments, icols, paycols, {"salesperson": (people, at["invoices"])})
    elif payments is not None:
        raise InvalidArgumentError("leaderboard: payments need invoices=")
    if targets is not None:
        ttable = _targets_table(call, targets, tcols, people.column(at["targets"], "key"), 0)
    options = {
        "from": _day(start, "start"),
        "to": _day(end, "end"),
        "as_of": _day(as_of, "as_of"),
        "rank_by": _choice("rank_by", rank_by, _LEADERBOARD_RANK),
        "num_threads": int(num_threads),
    }
    result = _salesight.leaderboard(otable.get(), None, _money.handle(ptable),
                                    _money.handle(itable), _money.handle(paytable),
                                    _money.handle(ttable), options)
    frame = _to_frame(result, {"salesperson": people.decode}, money=_money_mode(money))
    if salesperson != "salesperson":
        frame = _renamed(frame, {"salesperson": salesperson})
    return frame


# ------------------------------------------------------------- shared docs

_MONEY_DOC = """
    Money: float64 columns are currency units, int64 columns minor units.
    ``money_scale=None`` (default) converts every money column of the call at
    one scale, the smallest (0..6 decimals) holding each float's shortest
    decimal (repr) exactly - a value needing more (1/3) is an error naming the
    column, row and value - and int64 money as cents; ``money_scale=N``
    converts floats at N decimals (within 1e-6 of a minor unit) and int64 as
    1/10^N units. ``money="minor"`` results carry their scale in
    ``frame.attrs["money_scale"]``.
"""
_GROUP_DOC = """
    Missing members (NaN / None) of a grouping column form one group labelled
    ``salesight.MISSING`` (``""``, what the CLI prints for an empty field);
    a missing customer of an order line or invoice is an error naming the row.
"""
for _f in (rfm, funnel, margin, quote_check, aging, collection, trend, contribution,
           leaderboard):
    _f.__doc__ += _MONEY_DOC
for _f in (funnel, margin, aging, collection, trend, contribution, leaderboard):
    _f.__doc__ += _GROUP_DOC
