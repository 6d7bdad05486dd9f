"""Money columns of one call and the one money scale they share.

A call (salesight.margin, salesight.trend, ...) may build several library
tables whose money is summed or compared together, and the library refuses
to mix scales (payments vs invoices, targets vs orders, partials), so every
money column of every table of a call is converted at ONE scale:

* ``money_scale=None`` (the default): the smallest scale (0..6) that holds
  every float amount exactly, judged by each float's shortest round-trip
  decimal, ``repr(x)`` (1234.5 has 1 decimal, 0.1 has 1 - not the 55 of its
  binary value -, 12.3456 has 4, 0.1 + 0.2 = 0.30000000000000004 has 17), as
  the CSV reader's ``money_scale=-1`` does with text. A float needing more
  than 6 decimals is an error naming its column, row and value.
* ``money_scale=N``: the library converts floats at N decimals and refuses
  (naming the row) a float that is not a whole number of 1/10^N within
  1e-6 of a minor unit (float noise such as 59.970000000000006 passes).
* int64 money columns are minor units: of ``money_scale=N`` when it is given;
  cents (1/100, the scale the Python layer always used by default) when the
  scale is chosen - then the chosen scale is at least 2 and the column is
  multiplied by 10^(scale - 2).
* NaN / inf are errors naming the row (except in a nullable money column,
  e.g. a product's standard cost, where NaN means "none").
"""

import decimal

import numpy as np

from ._errors import InvalidArgumentError, OutOfRangeError

MAX_SCALE = 6  # salesight.h: money scales 0..6
AUTO_INT_SCALE = 2  # int64 money under the chosen scale: cents
_MAX_MINOR = 9_000_000_000_000_000  # salesight.h: |money| <= 9e15 minor units
# Below 2^51, fl(x * 10^s) is within 1/2 of the integer k with k / 10^s in x's
# rounding interval, so round() finds k; above it k may be one off.
_ONE_CANDIDATE = 2.0 ** 51
_TOO_MANY = MAX_SCALE + 1
# Values per step of column_decimals(): 256 KiB, so a chunk and its scaled
# copy stay in L2 across the four numpy passes, while numpy's per-call cost
# stays noise (2^15 measured fastest of 2^12..2^18 at 10^7 values).
_CHUNK = 1 << 15


def decimals(values):
    """Per float64 value: the decimals of its shortest round-trip decimal
    (repr) when that is at most 6, else 7 (also for NaN and inf).

    repr(x) has at most s decimals exactly when some k / 10^s (k whole) rounds
    to x: the shortest decimal in x's rounding interval is the coarsest one
    (all numbers of that tiny interval share their leading digit position,
    unless it holds a power of ten, which is then the answer). k / 10^s with
    k and 10^s exact floats is correctly rounded by IEEE division, so
    ``k / 10**s == x`` is that test without error. Exact while |x| x 10^d <
    2^53 (the money range is 9e15 minor units); beyond it the answer may be
    larger, never smaller. Vectorised: one numpy pass per scale over the
    values not yet placed."""
    x = np.asarray(values, dtype=np.float64)
    out = np.full(x.shape, _TOO_MANY, dtype=np.int8)
    finite = np.isfinite(x)
    v, todo = x, None  # the values not yet placed, and their positions (None: all)
    for s in range(MAX_SCALE + 1):
        unit = 10.0 ** s
        k = np.multiply(v, unit)
        near = np.abs(k) >= _ONE_CANDIDATE
        np.round(k, out=k)
        ok = np.divide(k, unit) == v
        near &= ~ok
        if near.any():
            at = np.flatnonzero(near)
            ok[at] = ((k[at] - 1) / unit == v[at]) | ((k[at] + 1) / unit == v[at])
        if todo is None:
            ok &= finite
            out[ok] = s
            todo = np.flatnonzero(finite & ~ok)
        else:
            out[todo[ok]] = s
            todo = todo[~ok]
        if todo.size == 0:
            break
        v = x[todo]
    return out


def column_decimals(values, nan_is_zero=False):
    """(max of decimals(values), position of the first value with more than
    6 or -1), 0 for no value; with nan_is_zero a NaN counts 0 decimals.

    The call's scale needs only the maximum, so instead of placing every
    value this tests one candidate scale s over the column in chunks: a chunk
    whose every value v has round(v x 10^s) / 10^s == v (decimals() <= s)
    costs one cheap pass; a chunk with a value that does not fit gets
    decimals() per value, and s becomes the chunk's maximum. So s only ever
    takes values of decimals(), every value is at most s, and the result is
    exactly the maximum of decimals() - a 2-decimal column costs one pass at
    s = 2 after one chunk placed value by value."""
    x = np.asarray(values, dtype=np.float64).ravel()
    scale = 0
    scaled = np.empty(min(x.size, _CHUNK))
    fits = np.empty(scaled.size, dtype=bool)
    for start in range(0, x.size, _CHUNK):
        v = x[start:start + _CHUNK]
        k, same = scaled[:v.size], fits[:v.size]
        unit = 10.0 ** scale
        np.multiply(v, unit, out=k)
        np.rint(k, out=k)  # round() to whole numbers, as decimals() does
        np.divide(k, unit, out=k)
        np.equal(k, v, out=same)
        if same.all():
            continue
        d = decimals(v)
        if nan_is_zero:
            d[np.isnan(v)] = 0
        top = int(d.max())
        if top > MAX_SCALE:  # earlier chunks had none: the column's first
            return top, start + int(np.argmax(d > MAX_SCALE))
        scale = max(scale, top)
    return scale, -1


def repr_decimals(x):
    """The decimals of repr(x) for one float (the plain reference of
    decimals(); normalize() drops the ".0" of whole numbers)."""
    return max(0, -decimal.Decimal(repr(float(x))).normalize().as_tuple().exponent)


def where(series, position):
    """'row <position> (index <label>)' of a DataFrame column."""
    return "row %d (index %r)" % (position, series.index[position])


def check_scale(money_scale):
    """None, or money_scale as an int 0..6."""
    if money_scale is None:
        return None
    if isinstance(money_scale, (int, np.integer)) and not isinstance(money_scale, bool) \
            and 0 <= money_scale <= MAX_SCALE:
        return int(money_scale)
    raise InvalidArgumentError("money_scale=%r is not None (the smallest exact scale) or a "
                               "whole number 0..%d" % (money_scale, MAX_SCALE))


def choose_scale(float_decimals, any_int):
    """The chosen scale: the largest decimals of the float columns, and at
    least AUTO_INT_SCALE when an int64 money column (cents) takes part."""
    scale = max(float_decimals, default=0)
    return max(scale, AUTO_INT_SCALE) if any_int else scale


class MoneyColumn:
    """One money column of a call: the DataFrame column (for messages) and
    its values, float64 currency units or int64 minor units."""

    def __init__(self, series, field, role, nullable=False):
        from ._frame import _FLOAT64, _INT64, _numeric  # the one dtype reader
        self.series, self.field, self.role, self.nullable = series, field, role, nullable
        self.code, self.values, self.validity = _numeric(series, role)
        self.is_float = self.code == _FLOAT64
        self.is_int = self.code == _INT64
        if self.is_float:
            self._check_finite()

    def _check_finite(self):
        bad = ~np.isfinite(self.values)
        if self.nullable:
            bad &= ~np.isnan(self.values)  # NaN = none (a product without standard cost)
        if bad.any():
            i = int(np.argmax(bad))
            value = self.values[i]
            cls = InvalidArgumentError if np.isnan(value) else OutOfRangeError
            raise cls("%s column %r %s: %r is not an amount (money cannot be NaN or infinite)"
                      % (self.role, self.series.name, where(self.series, i), float(value)))

    def max_decimals(self):
        """The largest decimals() of the column's values (NaN counting 0 in a
        nullable column), or an error naming the first value needing more
        than 6."""
        top, i = column_decimals(self.values, nan_is_zero=self.nullable)
        if top <= MAX_SCALE:
            return top
        value = float(self.values[i])
        exact = repr_decimals(value)
        if exact <= MAX_SCALE:  # k / 10^exact is beyond +-9e15 minor units
            raise OutOfRangeError(
                "%s column %r %s: %r needs %d decimals, and at that scale it is beyond "
                "+-9e15 minor units" % (self.role, self.series.name, where(self.series, i),
                                         value, exact))
        raise InvalidArgumentError(
            "%s column %r %s: %r has %d decimals; money keeps at most %d. Round the column "
            "(e.g. df[%r].round(2)), or pass money_scale=N to accept values within 1e-6 of "
            "a 1/10^N unit" % (self.role, self.series.name, where(self.series, i), value,
                               exact, MAX_SCALE, self.series.name))

    def spec(self, scale, int_scale):
        """The build_table column spec at `scale`; int64 values are minor
        units at `int_scale` and are rescaled when it is smaller."""
        from ._frame import _MONEY
        values = self.values
        if self.is_int and scale > int_scale:
            factor = 10 ** (scale - int_scale)
            limit = _MAX_MINOR // factor
            over = np.abs(values) > limit
            if self.validity is not None:
                over &= ~self.series.isna().to_numpy()
            if over.any():
                i = int(np.argmax(over))
                raise OutOfRangeError(
                    "%s column %r %s: %d cents is beyond +-9e15 minor units at money scale "
                    "%d" % (self.role, self.series.name, where(self.series, i), values[i],
                            scale))
            values = values * factor
        code = _MONEY if self.is_int else self.code
        return (self.field, code, values, self.validity, None)


class Call:
    """The tables of one call: money columns and tables are declared first
    (money(), table()); the first table asked for (Pending.get) fixes the
    money scale from every money column of the call and builds all tables,
    in the order they were declared."""

    def __init__(self, money_scale, threads=1, int_scale=None):
        self.requested = check_scale(money_scale)
        self.threads = threads
        # int64 money: minor units of the given scale, cents when it is chosen
        self.int_scale = int_scale if int_scale is not None else (
            self.requested if self.requested is not None else AUTO_INT_SCALE)
        self.columns = []
        self.tables = []
        self.scale = None

    def money(self, series, field, role=None, nullable=False):
        if self.scale is not None:
            raise RuntimeError("salesight: a money column was added after the tables were built")
        column = MoneyColumn(series, field, role or field, nullable)
        self.columns.append(column)
        return column

    def resolve(self):
        """The call's money scale (fixed at the first call)."""
        if self.scale is None:
            if self.requested is not None:
                self.scale = self.requested
            else:
                self.scale = choose_scale([c.max_decimals() for c in self.columns if c.is_float],
                                          any(c.is_int for c in self.columns))
        return self.scale

    def table(self, build, kind, columns, args):
        pending = Pending(self, build, kind, columns, args)
        self.tables.append(pending)
        return pending

    def build(self):
        scale = self.resolve()
        for t in self.tables:
            t.build(scale)

    def minor_units(self, column):
        """int64 minor units at the call's scale of a money column read in
        Python (quote unit prices)."""
        scale = self.resolve()
        values = column.spec(scale, self.int_scale)[2]
        if not column.is_float:
            return np.asarray(values, dtype=np.int64)
        scaled = values * float(10 ** scale)
        rounded = np.round(scaled)
        # the same acceptance as the library's FLOAT64 money columns
        bad = np.abs(scaled - rounded) > 1e-6 + np.abs(scaled) * 1e-13
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidArgumentError(
                "%s column %r %s: %r has more than %d decimals (the money scale); pass a "
                "larger money_scale= (at most %d), or money_scale=None for the smallest exact "
                "one" % (column.role, column.series.name, where(column.series, i),
                         float(values[i]), scale, MAX_SCALE))
        return rounded.astype(np.int64)


class Pending:
    """A table of a Call, built by Call.build."""

    def __init__(self, call, build, kind, columns, args):
        self.call, self._build, self.kind, self.columns, self.args = \
            call, build, kind, columns, args
        self.handle = None

    def build(self, scale):
        if self.handle is not None:
            return
        columns = [c.spec(scale, self.call.int_scale) if isinstance(c, MoneyColumn) else c
                   for c in self.columns]
        args = [a.get() if isinstance(a, Pending) else a for a in self.args]
        self.handle = self._build(self.kind, columns, money_columns=self.columns, scale=scale,
                                  args=args, threads=self.call.threads)

    def get(self):
        if self.handle is None:
            self.call.build()
        return self.handle


def handle(table):
    """The library table of a Pending (None stays None)."""
    return None if table is None else table.get()

