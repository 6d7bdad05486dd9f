"""salesight.Dataset, and every declared calculator as a Python function.

A calculator declared in the library (``salesight_calculators_json``: its
name, inputs, options with types, defaults and allowed values, outputs) is
a function of this package with no Python written for it: its keyword
arguments are its options, checked against the declaration, and its
docstring is made from it. ``salesight.new_customers(df, period="quarter")``
is one; ``salesight.calculators()`` lists them all.
"""

import datetime
import json

import numpy as np

from . import _money, _salesight
from ._errors import InvalidArgumentError
from ._frame import (
    _ORDERS,
    _Attribute,
    _Codes,
    _build_table,
    _mapping,
    _money_mode,
    _order_columns,
    _series,
    _to_frame,
)

# The orders fields a DataFrame column can be mapped to (None = absent).
_ORDER_DEFAULTS = {"order": None, "customer": "customer", "order_date": "order_date",
                   "amount": "amount", "cost": None, "margin": None, "unit_cost": None,
                   "quantity": None}


class Dataset:
    """The tables of one computation, with their relations resolved once.

    ``Dataset(orders=df, orders_map={"customer": "Customer ID", "order_date":
    "Order Date", "amount": "Sales"}, attributes=["Region", "Segment"])``

    ``orders_map`` maps the orders fields (order, customer, order_date, amount,
    cost, margin, unit_cost, quantity) to DataFrame columns; unmapped fields
    take their default column names (customer, order_date, amount) or are
    absent. ``attributes``: further columns kept as dimensions (any
    calculator can group by them). Money and ``money_scale`` /
    ``num_threads`` as in the rest of the package.

    ``ds.run("new_customers", period="quarter")`` runs a declared calculator;
    ``output=`` picks one of its named outputs (default the first).
    """

    def __init__(self, orders=None, *, orders_map=None, attributes=None, money_scale=None,
                 num_threads=1):
        self._handle = _salesight.dataset()
        self._decoders = {}
        call = _money.Call(money_scale, num_threads)
        pending = []
        if orders is not None:
            m = _mapping(orders_map, _ORDER_DEFAULTS, "orders")
            customer = _Codes(_series(orders, m["customer"], "customer"), "customer")
            columns = _order_columns(call, orders, order=m["order"], date=m["order_date"],
                                     amount=m["amount"], cost=m["cost"], margin=m["margin"],
                                     unit_cost=m["unit_cost"], quantity=m["quantity"],
                                     role="orders")
            columns.insert(1, customer.column("customer"))
            for name in attributes or ():
                columns.append(_Attribute(_series(orders, name, "attribute"), str(name)).column())
            self._decoders["customer"] = customer.decode
            pending.append(_build_table(call, _ORDERS, columns))
        for table in pending:
            self._handle.add(table.get())

    def run(self, calculator, *, output=None, money="float", **options):
        """Runs the declared calculator `calculator` (see
        :func:`salesight.calculators`) and returns its output as a DataFrame
        (with ``attrs["problems"]`` as every function of the package)."""
        spec = _spec(calculator)
        settings = [(name, _option_text(spec, name, value)) for name, value in options.items()]
        mode = _money_mode(money)
        try:
            result = _salesight.calculator_run(self._handle, calculator, settings, output)
        except InvalidArgumentError as e:
            # "option NAME: ..." -> "calculator(NAME=value): ...": the caller's words.
            text = str(e)
            for name, value in options.items():
                prefix = "option %s: " % name
                if text.startswith(prefix):
                    raise InvalidArgumentError("%s(%s=%r): %s" % (calculator, name, value,
                                                                  text[len(prefix):])) from None
            raise
        return _to_frame(result, self._decoders, money=mode)


# ------------------------------------------------------------- declarations

_SPECS = None


def calculators():
    """Every declared calculator: a dict of name -> its description (doc,
    inputs, outputs, options with type, default, allowed values and doc)."""
    global _SPECS
    if _SPECS is None:
        _SPECS = {c["name"]: c for c in json.loads(_salesight.calculators_json())}
    return _SPECS


def _spec(name):
    specs = calculators()
    if name not in specs:
        raise InvalidArgumentError("%r is not a calculator; the calculators are %s"
                                   % (name, ", ".join(sorted(specs))))
    return specs[name]


def _option_text(spec, name, value):
    """The text form the library reads, after the Python-side type check (the
    library checks ranges and choices and names the option)."""
    options = {o["name"]: o for o in spec["options"]}
    if name not in options:
        raise InvalidArgumentError("%s(%s=...): not an option; the options are %s"
                                   % (spec["name"], name, ", ".join(options)))
    kind = options[name]["type"]
    bad = "%s(%s=%r): expected %s" % (spec["name"], name, value, kind)
    if kind == "bool":
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidArgumentError(bad)
        return "true" if value else "false"
    if kind == "int":
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise InvalidArgumentError(bad)
        return str(int(value))
    if kind == "double":
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            raise InvalidArgumentError(bad)
        return repr(float(value))
    if kind == "date":
        if isinstance(value, str):
            return value
        if hasattr(value, "date") and callable(value.date):  # Timestamp, datetime
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise InvalidArgumentError(bad + " (a date or YYYY-MM-DD)")
    if kind in ("int_list", "double_list"):
        if isinstance(value, str):
            return value
        return ",".join(str(v) for v in value)
    if not isinstance(value, str):
        raise InvalidArgumentError(bad + " (text)")
    return value


def _docstring(spec):
    lines = [spec["doc"], "",
             "Declared in the library (``salesight options %s --markdown``); the same options "
             "on every surface." % spec["name"], "", "Options:"]
    for o in spec["options"]:
        allowed = " (%s)" % o["allowed"].replace("|", ", ") if o["allowed"] else ""
        default = o["default"] if o["default"] != "" else "none"
        lines.append("    %s : %s, default %s%s" % (o["name"], o["type"], default, allowed))
        lines.append("        %s" % o["doc"])
    lines += ["", "Outputs (``output=``): %s." % ", ".join(spec["outputs"])]
    return "\n".join(lines)


def _orders_function(spec):
    """salesight.NAME(df, customer=..., order_date=..., amount=..., order=...,
    ..., **options) for a calculator whose main input is the orders table."""
    def function(df, customer="customer", date="order_date", amount="amount", order=None, *,
                 cost=None, margin=None, unit_cost=None, quantity=None, attributes=None,
                 output=None, money="float", money_scale=None, num_threads=1, **options):
        mapping = {"customer": customer, "order_date": date, "amount": amount, "order": order,
                   "cost": cost, "margin": margin, "unit_cost": unit_cost, "quantity": quantity}
        ds = Dataset(df, orders_map=mapping, attributes=attributes, money_scale=money_scale,
                     num_threads=num_threads)
        return ds.run(spec["name"], output=output, money=money, **options)

    function.__name__ = function.__qualname__ = spec["name"]
    function.__doc__ = _docstring(spec) + (
        "\n\nData: ``df`` is the orders table; customer, date, amount, order name its "
        "columns (as in :func:`salesight.rfm`).")
    return function


def declared_functions():
    """{name: function} for every declared calculator reading orders."""
    out = {}
    for name, spec in calculators().items():
        if spec["inputs"] and spec["inputs"][0]["table"] == "orders":
            out[name] = _orders_function(spec)
    return out
