"""salesight.Dataset, and every declared calculator as a Python function.

A calculator declared in the library (``salesight_calculators_json``: its
name, inputs, options with types, defaults and allowed values, outputs) is
a function of this package with no Python written for it: its keyword
arguments are its options, checked against the declaration, and its
docstring is made from it. ``salesight.new_customers(df, period="quarter")``
is one; ``salesight.calculators()`` lists them all.
"""

import numpy as np

from . import _declared, _money, _salesight
from ._errors import InvalidArgumentError
from ._frame import (
    _INT32,
    AUTO,
    _CUSTOMERS,
    _INVOICE_DEFAULTS,
    _ORDERS,
    _PAYMENT_DEFAULTS,
    _PIPELINE,
    _TARGET_DEFAULTS,
    _TARGET_LEVEL,
    _Attribute,
    _Codes,
    _JointCodes,
    _build_table,
    _choice,
    _date_spec,
    _dimension_columns,
    _day,
    _factorize,
    _mapping,
    _money_mode,
    _money_spec,
    _optional,
    _order_columns,
    _pipeline_columns,
    _products_table,
    _receivables_tables,
    _series,
    _targets_table,
    _to_frame,
)

# The pipeline's mappable fields besides its stages (None = absent / derived).
_PIPELINE_DEFAULTS = {"id": None, "created": None, "amount": None, "lost": None}
# The customers fields (AUTO: used when the DataFrame has a column of that name).
_CUSTOMER_DEFAULTS = {"customer": "customer", "region": AUTO, "owner": AUTO,
                      "credit_limit": AUTO, "created": AUTO}
# Order-line fields an attributes= column named like them becomes (codes, not attributes).
_ORDER_CODE_FIELDS = ("region", "salesperson", "channel", "department")
# The orders fields a DataFrame column can be mapped to (None = absent).
_ORDER_DEFAULTS = {"order": None, "customer": "customer", "order_date": "order_date",
                   "amount": "amount", "cost": None, "margin": None, "unit_cost": None,
                   "quantity": None, "product": None}


# Codes several tables carry, in one id space so that the library's joins and
# groups agree: customer (customers, orders, invoices), salesperson and region
# (the customers' owner and region, the orders' attribute of that name, the
# invoices' column, the targets' key at that level).
_SHARED_FIELDS = ("salesperson", "region")


def _shared_codes(orders, m, attributes, invoices, icols, targets, tcols, level, customers,
                  ccols, pipeline, pipeline_attributes):
    """{field: (_JointCodes, {table: part})} for the shared codes present: one
    code space per field across every table that has it, so that a
    salesperson or region of the pipeline, the invoices and the targets is the
    orders' member of the same value."""
    parts = {"customer": [], "salesperson": [], "region": []}
    if customers is not None:
        parts["customer"].append(("customers", _series(customers, ccols["customer"],
                                                       "customers customer")))
        for field, key in (("region", "region"), ("salesperson", "owner")):
            column = _optional(customers, ccols[key], key)
            if column is not None:
                ccols[key] = column
                parts[field].append(("customers", _series(customers, column, key)))
    if orders is not None:
        parts["customer"].append(("orders", _series(orders, m["customer"], "customer")))
        for f in _SHARED_FIELDS:
            if f in attributes:
                parts[f].append(("orders", _series(orders, f, f)))
    if invoices is not None:
        parts["customer"].append(("invoices", _series(invoices, icols["customer"], "customer")))
        for f in _SHARED_FIELDS:
            column = _optional(invoices, icols[f], f)
            if column is not None:
                icols[f] = column
                parts[f].append(("invoices", _series(invoices, column, f)))
    if pipeline is not None:
        for f in _SHARED_FIELDS:
            if f in pipeline_attributes:
                parts[f].append(("pipeline", _series(pipeline, f, f)))
    if targets is not None and level != 2:
        field = _SHARED_FIELDS[level]
        parts[field].append(("targets", _series(targets, tcols["key"], "target key")))
    out = {}
    for field, tables in parts.items():
        if tables:
            required = [i for i, (t, _) in enumerate(tables) if field == "customer" or
                        t == "targets"]  # a customer, a target's key: never missing
            codes = _JointCodes([series for _, series in tables], field, required)
            out[field] = (codes, {t: i for i, (t, _) in enumerate(tables)})
    return out


class Dataset:
    """The tables of one computation, with their relations resolved once.

    ``Dataset(orders=df, orders_map={"customer": "Customer ID", "order_date":
    "Order Date", "amount": "Sales"}, attributes=["Region", "Segment"])``

    ``Dataset(pipeline=leads, stages=["lead_date", "won_date"], pipeline_map={"id": "mql_id"},
    pipeline_attributes=["origin"])``: the opportunities, as :func:`salesight.funnel` reads
    them (``pipeline_map``: id, created, amount, lost).

    ``orders_map`` maps the orders fields (order, customer, order_date, amount,
    cost, margin, unit_cost, quantity, product) to DataFrame columns; unmapped
    fields take their default column names (customer, order_date, amount) or
    are absent (product: "product" when ``products`` is given).

    ``products``: the product master, as :func:`salesight.margin` reads it
    (``products_map``: product, standard_cost, category, name); the orders'
    product codes are matched to it by value. ``invoices`` / ``payments``:
    receivables, as :func:`salesight.aging` reads them (``invoices_map``:
    invoice, customer, salesperson, region, invoice_date, due_date, amount,
    paid, paid_date; ``payments_map``: invoice or invoice_row, date, amount);
    an invoice's customer is the orders' customer of the same code.
    ``targets``: monthly targets (``targets_map``: key, month as yyyymm,
    amount) per ``targets_level`` ("salesperson", "region" or "company"), as
    :func:`salesight.trend` / :func:`salesight.leaderboard` read them. The
    tables go through the same column builders as those functions; a
    salesperson or region shared by the orders (``attributes``), the invoices
    and the targets is one code space. ``customers``: the customer master
    (``customers_map``: customer, region, owner, credit_limit, created, each
    but customer used when present; ``customers_attributes``: further columns
    as dimensions); the orders' and invoices' customers are matched to it by
    code, so a line's region or customer attribute comes through its customer.

    ``attributes``: further columns kept as dimensions (any calculator can
    group by them); one named region, salesperson, channel or department is
    that order-line field. Money and ``money_scale`` /
    ``num_threads`` as in the rest of the package.

    ``ds.run("new_customers", period="quarter")`` runs a declared calculator;
    ``output=`` picks one of its named outputs (default the first).
    """

    def __init__(self, orders=None, *, orders_map=None, attributes=None, pipeline=None,
                 stages=None, pipeline_map=None, pipeline_attributes=None, products=None,
                 products_map=None, invoices=None, invoices_map=None, payments=None,
                 payments_map=None, targets=None, targets_map=None,
                 targets_level="salesperson", customers=None, customers_map=None,
                 customers_attributes=None, money_scale=None, num_threads=1):
        self._handle = _salesight.dataset()
        self._decoders = {}
        call = _money.Call(money_scale, num_threads)
        pending = []
        m = _mapping(orders_map, _ORDER_DEFAULTS, "orders")
        icols = _mapping(invoices_map, _INVOICE_DEFAULTS, "invoices")
        tcols = _mapping(targets_map, _TARGET_DEFAULTS, "targets")
        level = _choice("targets_level", targets_level, _TARGET_LEVEL)
        for given, needs, why in ((payments, invoices, "payments belong to invoices="),
                                  (products, orders, "products describe the orders="),
                                  (targets, orders, "targets are compared with the orders=")):
            if given is not None and needs is None:
                raise InvalidArgumentError("Dataset(%s): %s" % (why.split()[0] + "=...", why))
        attributes = list(attributes or ())
        ccols = _mapping(customers_map, _CUSTOMER_DEFAULTS, "customers")
        pipeline_attributes = list(pipeline_attributes or ())
        shared = _shared_codes(orders, m, attributes, invoices, icols, targets, tcols, level,
                               customers, ccols, pipeline, pipeline_attributes)
        for field, (codes, _) in shared.items():
            self._decoders[field] = codes.decode

        def part(field, table, name=None):
            codes, at = shared[field]
            return codes.column(at[table], name or field)

        # What append() needs to code more lines as these orders: their mapping,
        # attributes, money scale and the id spaces of their code columns.
        self._orders = None
        order_codes = {}

        if customers is not None:
            columns = [part("customer", "customers")]
            if "region" in shared and "customers" in shared["region"][1]:
                columns.append(part("region", "customers"))
            if "salesperson" in shared and "customers" in shared["salesperson"][1]:
                columns.append(part("salesperson", "customers", "owner"))
            limit = _optional(customers, ccols["credit_limit"], "credit_limit")
            if limit is not None:
                columns.append(_money_spec(call, customers, limit, "credit_limit",
                                           "customers credit_limit"))
            created = _optional(customers, ccols["created"], "created")
            if created is not None:
                columns.append(_date_spec(customers, created, "created", "customers created"))
            for name in customers_attributes or ():
                columns.append(_Attribute(_series(customers, name, "customers attribute"),
                                          str(name)).column())
            pending.append(_build_table(call, _CUSTOMERS, columns))
        if orders is not None:
            columns = _order_columns(call, orders, order=m["order"], date=m["order_date"],
                                     amount=m["amount"], cost=m["cost"], margin=m["margin"],
                                     unit_cost=m["unit_cost"], quantity=m["quantity"],
                                     role="orders")
            columns.insert(1, part("customer", "orders"))
            order_codes["customer"] = shared["customer"][0]
            product = None
            if products is not None:
                product, ptable = _products_table(call, orders, m["product"] or "product",
                                                  products, products_map, None, None)
            elif m["product"] is not None:
                product = _Codes(_series(orders, m["product"], "product"), "product",
                                 nullable=True)
            if product is not None:
                columns.append(product.column("product"))
                self._decoders["product"] = product.decode
                order_codes["product"] = getattr(product, "joint", product)
            # A column named like an order-line field is that field (as in salesight.margin's
            # by=; salesperson and region in the id space they share with the other tables),
            # every other one an attribute.
            columns += [part(f, "orders") for f in _SHARED_FIELDS if f in attributes]
            order_codes.update({f: shared[f][0] for f in _SHARED_FIELDS if f in attributes})
            for name, _, spec, decode in _dimension_columns(
                    orders, [a for a in attributes if a not in _SHARED_FIELDS],
                    _ORDER_CODE_FIELDS, "Dataset attributes"):
                columns.append(spec)
                if not isinstance(decode, _Attribute):
                    self._decoders[name] = decode
                    order_codes[name] = decode.__self__
            pending.append(_build_table(call, _ORDERS, columns))
            self._orders = {"map": m, "attributes": attributes, "call": call,
                            "codes": order_codes, "num_threads": num_threads}
            if products is not None:
                pending.append(ptable)
        if invoices is not None:
            pcols = _mapping(payments_map, _PAYMENT_DEFAULTS, "payments")
            joint = {f: (codes, at["invoices"]) for f, (codes, at) in shared.items()
                     if "invoices" in at}
            itable, paytable, decoders = _receivables_tables(call, invoices, payments, icols,
                                                             pcols, joint=joint)
            for field, decode in decoders.items():
                self._decoders.setdefault(field, decode)
            pending.append(itable)
            if paytable is not None:
                pending.append(paytable)
        if targets is not None:
            key = None if level == 2 else part(targets_level, "targets", "key")
            pending.append(_targets_table(call, targets, tcols, key, level))
        if pipeline is not None:
            if stages is None:
                raise InvalidArgumentError("Dataset(pipeline=...): stages= names the stage date "
                                           "columns in funnel order")
            m = _mapping(pipeline_map, _PIPELINE_DEFAULTS, "pipeline")
            own = [a for a in pipeline_attributes if a not in _SHARED_FIELDS]
            columns, _ = _pipeline_columns(call, pipeline, stages, by=own, **m)
            # salesperson and region in the code space they share with the other tables
            columns += [part(f, "pipeline") for f in _SHARED_FIELDS if f in pipeline_attributes]
            pending.append(_build_table(call, _PIPELINE, columns))
        for table in pending:
            self._handle.add(table.get())

    def append(self, orders):
        """Appends the order lines of the DataFrame `orders` (the columns the
        dataset's ``orders=`` had: the same ``orders_map`` and ``attributes``)
        without a rebuild: every calculator and query run afterwards reads them,
        as if the dataset had been made with all the lines (customers, products
        and members it has not seen take ids after the old ones, so results
        list them after the old ones where output follows ids). O(lines
        appended); amounts in the dataset's money scale (an amount it cannot
        hold exactly is an error). Errors leave the dataset as it was."""
        if self._orders is None:
            raise InvalidArgumentError("Dataset.append: the dataset has no orders= to append to")
        o = self._orders
        m, attributes, codes = o["map"], o["attributes"], o["codes"]
        call = _money.Call(o["call"].resolve(), o["num_threads"])
        columns = _order_columns(call, orders, order=m["order"], date=m["order_date"],
                                 amount=m["amount"], cost=m["cost"], margin=m["margin"],
                                 unit_cost=m["unit_cost"], quantity=m["quantity"],
                                 role="orders")
        extended = {}  # field -> (codes, their uniques before): put back on an error

        def coded(field, column, name=None):
            ids, before = _extend_codes(codes[field], _series(orders, column, field), field)
            extended.setdefault(field, before)
            return (name or field, _INT32, ids, None, None)

        try:
            columns.insert(1, coded("customer", m["customer"]))
            if "product" in codes:
                columns.append(coded("product", m["product"] or "product"))
            columns += [coded(f, f) for f in _SHARED_FIELDS if f in attributes]
            for a in attributes:
                if a in _SHARED_FIELDS:
                    continue
                if a in codes:
                    columns.append(coded(a, a))
                else:
                    series = _series(orders, a, "Dataset attributes")
                    columns.append(_Attribute(series, str(a)).column())
            self._handle.append(_build_table(call, _ORDERS, columns).get())
        except Exception:
            for field, before in extended.items():
                codes[field].uniques = before
            raise

    def run(self, calculator, *, output=None, money="float", **options):
        """Runs the declared calculator `calculator` (see
        :func:`salesight.calculators`) and returns its output as a DataFrame
        (with ``attrs["problems"]`` as every function of the package)."""
        settings = _settings(_spec(calculator), options)
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

    def partial(self, calculator, *, begin, end, **options):
        """A mergeable partial state of `calculator` (rfm, funnel, margin, aging,
        collection, trend, contribution, leaderboard) over rows [begin, end) of its main
        table (leaderboard: its orders, pipeline, invoices and targets one after another):
        ``.merge(other)``, ``.serialize()`` (bytes; ``salesight._salesight.partial_deserialize``
        reads them back) and :meth:`finish`. Merging every partition's partial and
        finishing equals :meth:`run` on all the rows."""
        settings = _settings(_spec(calculator), options)
        return _salesight.calculator_partial(self._handle, calculator, settings, begin, end)

    def finish(self, partial, calculator, *, output=None, money="float", **options):
        """Finishes `partial` (consumed) with this dataset as context (codes, and
        trend's collections and targets) into a DataFrame, as :meth:`run`. Options:
        those of the partial (none = the partial's own, for the kinds that store them)."""
        settings = _settings(_spec(calculator), options)
        result = _salesight.partial_finish(partial, self._handle, settings, output)
        return _to_frame(result, self._decoders, money=_money_mode(money))


def _extend_codes(codes, series, role):
    """The ids of `series` in the id space of `codes` (a _Codes or _JointCodes):
    codes it has keep their ids, new ones follow them in canonical order among
    themselves and are added to it (so its decode reads them). Ids passed
    through as integers stay integers. Returns (ids, the uniques before)."""
    before = codes.uniques
    if before is None:
        return np.ascontiguousarray(series.to_numpy(), dtype=np.int32), None
    batch, uniques = _factorize(series, role, True)
    at = np.asarray(before.get_indexer(uniques), dtype=np.int64)
    fresh = at < 0
    at[fresh] = len(before) + np.arange(int(fresh.sum()))
    codes.uniques = before.append(uniques[fresh])
    return np.ascontiguousarray(at[batch], dtype=np.int32), before


# ------------------------------------------------------------- declarations


def calculators():
    """Every declared calculator: a dict of name -> its description (doc,
    inputs, outputs, options with type, default, allowed values and doc)."""
    return _declared.CALCULATORS


def _spec(name):
    if name not in _declared.CALCULATORS:
        raise InvalidArgumentError("%r is not a calculator; the calculators are %s"
                                   % (name, ", ".join(sorted(_declared.CALCULATORS))))
    return _declared.CALCULATORS[name]


def _settings(spec, options):
    """[(name, text)] of the caller's options, checked against the declaration
    (errors name the Python argument); None = the default (not sent)."""
    declared = {o["name"]: o for o in spec["options"]}
    out = []
    for name, value in options.items():
        if name not in declared:
            raise InvalidArgumentError("%s(%s=...): not an option; the options are %s"
                                       % (spec["name"], name, ", ".join(declared)))
        if value is None:
            continue
        o = declared[name]
        out.append((name, _declared.text(o, _declared.convert_cached(spec["name"], o, value, _day))))
    return out


def _docstring(spec):
    return "%s\n\n%s\nOutputs (``output=``): %s." % (spec["doc"], _declared.doc(spec["name"]),
                                                    ", ".join(spec["outputs"]))


def _margin_keywords(spec, margin, margin_column, options):
    """The margin column's name from ``margin=`` / ``margin_column=``. When the
    calculator declares an option ``margin`` itself (clv: the share of spend
    kept), ``margin=`` is that option (put into `options`) and the column is
    ``margin_column=`` only."""
    name = spec["name"]
    declared = {o["name"]: o for o in spec["options"]}
    if "margin" not in declared:
        if margin is not None and margin_column is not None:
            raise InvalidArgumentError("%s(margin=%r, margin_column=%r): name the margin column "
                                       "once" % (name, margin, margin_column))
        return margin if margin_column is None else margin_column
    if isinstance(margin, str):
        raise InvalidArgumentError(
            "%s(margin=%r): margin is %s's option (%s), a number; name a margin column with "
            "margin_column=%r" % (name, margin, name, declared["margin"]["doc"], margin))
    if margin is not None:
        options["margin"] = margin
    return margin_column


def _orders_function(spec):
    """salesight.NAME(df, customer=..., order_date=..., amount=..., order=...,
    ..., **options) for a calculator whose main input is the orders table."""
    def function(df, customer="customer", date="order_date", amount="amount", order=None, *,
                 cost=None, margin=None, margin_column=None, unit_cost=None, quantity=None,
                 attributes=None, output=None, money="float", money_scale=None, num_threads=1,
                 **options):
        margin = _margin_keywords(spec, margin, margin_column, options)
        if isinstance(df, Dataset):  # salesight.NAME(ds, ...): the tables are built
            return df.run(spec["name"], output=output, money=money, **options)
        mapping = {"customer": customer, "order_date": date, "amount": amount, "order": order,
                   "cost": cost, "margin": margin, "unit_cost": unit_cost, "quantity": quantity}
        ds = Dataset(df, orders_map=mapping, attributes=attributes, money_scale=money_scale,
                     num_threads=num_threads)
        return ds.run(spec["name"], output=output, money=money, **options)

    function.__name__ = function.__qualname__ = spec["name"]
    function.__doc__ = _docstring(spec) + (
        "\n\nData: ``df`` is the orders table; customer, date, amount, order name its "
        "columns (as in :func:`salesight.rfm`); cost, margin (or margin_column), unit_cost, "
        "quantity the optional ones; or a :class:`salesight.Dataset`. A calculator with an "
        "option named margin (clv) takes ``margin=`` as that option and the column only as "
        "``margin_column=``.")
    return function


def declared_functions():
    """{name: function} for every declared calculator reading orders."""
    out = {}
    for name, spec in _declared.CALCULATORS.items():
        if spec["inputs"] and spec["inputs"][0]["table"] == "orders":
            out[name] = _orders_function(spec)
    return out
