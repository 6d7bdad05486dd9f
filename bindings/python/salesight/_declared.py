"""The library's declared options (``salesight_options_describe``): read once
at import for every registered calculator, they check and convert the
keyword arguments of salesight.rfm, funnel, margin, ... and write the
options part of their docstrings, so Python,
the CLI's flags and the README's tables say one thing (include/salesight/
options.hpp). Errors name the Python argument: ``margin(top=-1): must be in
[0, 1000000000]``."""

import datetime
import json
import math

import numpy as np

from . import _salesight
from ._errors import InvalidArgumentError

# The registered calculators (salesight_calculators_json: inputs, outputs,
# options), each a function of the package made from its declaration
# (_dataset.py), and the options of every calculator by name.
CALCULATORS = {c["name"]: c for c in json.loads(_salesight.calculators_json())}
DECLARED = {name: json.loads(_salesight.options_describe(name)) for name in CALCULATORS}


def _bad(calculator, name, value, what):
    return InvalidArgumentError("%s(%s=%r): %s" % (calculator, name, value, what))


def _same_choice(a, b):
    return a.replace("-", "_") == b.replace("-", "_")


def _choices(allowed):
    items = allowed.split("|")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _range_text(o):
    lo, hi = o["min"], o["max"]
    if o["type"] in ("int", "int list") and lo > -2**63 and hi < 2**63 - 1:
        return "must be in [%d, %d]" % (lo, hi)
    if lo is not None and hi is not None:
        return "must be in [%g, %g]" % (lo, hi)
    return "must be >= %g" % lo if lo is not None else "must be <= %g" % hi


def _number(calculator, o, value, whole):
    name = o["name"]
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        raise _bad(calculator, name, value, "must be a %s" % ("whole number" if whole else
                                                                "number"))
    if whole:
        if isinstance(value, (float, np.floating)) and not float(value).is_integer():
            raise _bad(calculator, name, value, "must be a whole number")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise _bad(calculator, name, value, "must be a finite number")
    lo, hi = o["min"], o["max"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _bad(calculator, name, value, _range_text(o))
    return value


def convert(calculator, o, value, day):
    """`value` of the declared option `o` checked and converted: int, float,
    bool, the declared spelling of a choice, str, a day (via `day`), a numpy
    array for lists; None = the declared default (None when that is none)."""
    name, kind = o["name"], o["type"]
    if value is None:
        if o["default"] == "":
            return None
        value = {"int": int, "double": float, "bool": lambda t: t == "true"}.get(
            kind, str)(o["default"])
    if kind == "int":
        return _number(calculator, o, value, True)
    if kind == "double":
        return _number(calculator, o, value, False)
    if kind == "bool":
        if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer))
                                                  and value in (0, 1)):
            return bool(value)
        raise _bad(calculator, name, value, "must be True or False")
    if kind == "date":
        try:
            return day(value, name)
        except InvalidArgumentError:
            raise _bad(calculator, name, value, "is not a date") from None
    if kind == "choice":
        for c in o["allowed"].split("|"):
            if isinstance(value, str) and _same_choice(value, c):
                return c
        raise _bad(calculator, name, value, "must be %s" % _choices(o["allowed"]))
    if kind == "text":
        # A list option written as text ("DIM,...") also takes a list of str.
        if (isinstance(value, (list, tuple)) and o["allowed"].endswith(",...")
                and all(isinstance(v, str) for v in value)):
            return ",".join(value)
        if not isinstance(value, str):
            raise _bad(calculator, name, value, "must be a str")
        return value
    if kind in ("int list", "double list"):
        whole = kind == "int list"
        try:
            items = list(value)
        except TypeError:
            raise _bad(calculator, name, value, "must be a list of numbers") from None
        checked = [_number(calculator, o, v, whole) for v in items]
        return np.asarray(checked, dtype=np.int32 if whole else np.float64)
    raise _bad(calculator, name, value, "has the unknown declared type %r" % kind)


def text(o, value):
    """A converted value in the declaration's text form (what the library's
    salesight_calculator_run reads)."""
    kind = o["type"]
    if kind == "bool":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind == "date":
        return (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(value))).isoformat()
    if kind in ("int list", "double list"):
        return ",".join(repr(float(v)) if kind == "double list" else str(int(v)) for v in value)
    return str(value)


# Converted option values by (calculator, option, type, value, day): a call
# passes the same few dozen values again and again, and checking each against
# its declaration was a tenth of a 1 ms call at 10^4 lines. Only immutable
# results are kept (the lists' numpy arrays are not); errors are not cached.
_CONVERTED = {}
_CONVERTED_MAX = 4096  # values nothing equals (NaN) must not grow it forever


def convert_cached(calculator, o, value, day):
    if o["type"] in ("int list", "double list"):
        return convert(calculator, o, value, day)
    key = (calculator, o["name"], type(value), value, day)
    try:
        return _CONVERTED[key]
    except KeyError:
        pass
    except TypeError:  # unhashable (a list of str for a text option)
        return convert(calculator, o, value, day)
    out = convert(calculator, o, value, day)
    if len(_CONVERTED) >= _CONVERTED_MAX:
        _CONVERTED.clear()
    _CONVERTED[key] = out
    return out


def options(calculator, values, day, skip=()):
    """{name: converted value} for every declared option of `calculator` in
    `values` (the keyword arguments by name), except those in `skip` (handled
    by the wrapper, such as ``by`` = columns)."""
    out = {}
    for o in DECLARED[calculator]:
        if o["name"] in values and o["name"] not in skip:
            out[o["name"]] = convert_cached(calculator, o, values[o["name"]], day)
    return out


def doc(calculator):
    """The options part of a docstring: one entry per declared option."""
    lines = ["Options (declared once in the library; ``salesight options %s``):" % calculator,
             ""]
    for o in DECLARED[calculator]:
        default = o["default"] if o["default"] != "" else "None"
        allowed = ""
        if o["type"] == "choice":
            allowed = "; one of " + ", ".join(repr(c) for c in o["allowed"].split("|"))
        elif o["min"] is not None and o["type"] in ("int", "double", "int list", "double list"):
            allowed = "; " + _range_text(o)
        lines.append("    %s (%s, default %s%s): %s" % (o["name"], o["type"], default,
                                                       allowed, o["doc"]))
    return "\n".join(lines) + "\n"


def add_doc(calculator):
    """Decorator: appends the declared options to the function's docstring."""
    def wrap(fn):
        fn.__doc__ = (fn.__doc__ or "").rstrip() + "\n\n    " + \
            doc(calculator).replace("\n", "\n    ").rstrip() + "\n"
        return fn
    return wrap
