"""Exceptions: one class per salesight status code, all subclasses of
SalesightError, each also a subclass of the matching built-in exception so
ordinary ``except TypeError`` / ``except KeyError`` code keeps working.
The message is the library's own (salesight_last_error()), put in the Python
layer's terms by python_message() (keywords instead of C names)."""


class SalesightError(Exception):
    """Base class of every error raised by salesight."""

    status = "SALESIGHT_ERR_INTERNAL"


class InvalidArgumentError(SalesightError, ValueError):
    status = "SALESIGHT_ERR_INVALID_ARGUMENT"


class TypeMismatchError(SalesightError, TypeError):
    """A column of the wrong dtype (never converted silently)."""

    status = "SALESIGHT_ERR_TYPE_MISMATCH"


class LengthMismatchError(SalesightError, ValueError):
    status = "SALESIGHT_ERR_LENGTH_MISMATCH"


class UnknownColumnError(SalesightError, KeyError):
    """A column that does not exist (in the DataFrame or in a result)."""

    status = "SALESIGHT_ERR_UNKNOWN_COLUMN"

    def __str__(self):  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class UnsupportedError(SalesightError, NotImplementedError):
    status = "SALESIGHT_ERR_UNSUPPORTED"


class OutOfMemoryError(SalesightError, MemoryError):
    status = "SALESIGHT_ERR_OUT_OF_MEMORY"


class OutOfRangeError(SalesightError, OverflowError):
    """Overflow of a money sum, an id or date out of range."""

    status = "SALESIGHT_ERR_OUT_OF_RANGE"


class SalesightIOError(SalesightError, OSError):
    status = "SALESIGHT_ERR_IO"


class InternalError(SalesightError, RuntimeError):
    status = "SALESIGHT_ERR_INTERNAL"


class SalesightDataWarning(UserWarning):
    """Data problems a calculator found and worked around (a stage date before
    an earlier stage's, an overpaid invoice, lines without a cost, ...): the
    message summarises them; the result's ``df.attrs["problems"]`` lists them
    (salesight_result_problems: one dict per kind with problem, count, amount,
    example_ids, example_rows, message)."""


def warn_problems(problems, stacklevel):
    """One SalesightDataWarning summarising `problems` (a list of dicts);
    nothing when it is empty."""
    if not problems:
        return
    import warnings

    warnings.warn("salesight found data problems: "
                  + " | ".join(p["message"] for p in problems),
                  SalesightDataWarning, stacklevel=stacklevel + 1)


# salesight.h status codes -> classes (-1: any code this version does not know).
BY_STATUS = {
    1: InvalidArgumentError,
    2: TypeMismatchError,
    3: LengthMismatchError,
    4: UnknownColumnError,
    5: UnsupportedError,
    6: OutOfMemoryError,
    7: OutOfRangeError,
    8: SalesightIOError,
    99: InternalError,
    -1: SalesightError,
}


# ------------------------------------------------------- C names -> Python names

import functools as _functools
import re as _re

# The C option struct fields whose Python keyword differs (the rest are
# spelled the same: k, window_days, num_threads, cutoffs, ...).
_PYTHON_KEYWORD = {
    "group_by": "by", "from": "start", "to": "end", "rank_metric": "rank_by", "rank_n": "top",
    "rank_bottom": "bottom", "mean_per_order": "aggregation", "age_basis": "basis",
    "overdue_top_n": "top", "compare_measure": "measure", "emit_empty_periods": "empty_periods",
    "fixed_recency_days": "fixed", "fixed_frequency": "fixed", "fixed_monetary": "fixed",
}
_REWRITES = (
    # the table builder's hint for a float with more decimals than the scale
    (_re.compile(r"; set a larger scale with salesight_table_builder_set_money_scale"),
     lambda m: "; pass a larger money_scale= (at most 6), or money_scale=None for the "
               "smallest exact one"),
    (_re.compile(r"option salesight_\w+?_options\.(\w+) = "),
     lambda m: "%s=" % _PYTHON_KEYWORD.get(m.group(1), m.group(1))),
    (_re.compile(r"salesight_\w+?_options\.(\w+)"),
     lambda m: "%s=" % _PYTHON_KEYWORD.get(m.group(1), m.group(1))),
    (_re.compile(r"salesight_(\w+?)_options\b"), lambda m: "%s options" % m.group(1)),
    # a function prefix "salesight_trend_compute: " -> "trend: "
    (_re.compile(r"\bsalesight_table_builder_\w+: "), lambda m: ""),
    (_re.compile(r"\bsalesight_([a-z]+)_\w+: "), lambda m: "%s: " % m.group(1)),
)


def python_message(message):
    """A library message in the Python layer's terms: keyword arguments
    (money_scale=, by=, start=) instead of the C functions and option
    structs it names (C callers keep the C message)."""
    for pattern, replace in _REWRITES:
        message = pattern.sub(replace, message)
    return message


def python_errors(function):
    """Decorator of the public functions: library errors carry
    python_message() of their message."""
    @_functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SalesightError as e:
            message = str(e)
            translated = python_message(message)
            if translated == message:
                raise
            raise type(e)(translated) from None
    return wrapper
