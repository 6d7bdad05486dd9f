"""salesight.clv: customer lifetime value models you fit once and predict with.

``salesight.clv(df, ...)`` is the declared calculator (the same as ``salesight
clv``: one call, fit and per-customer table). ``salesight.clv.fit`` returns
the fitted model itself (over the C handle ``salesight_clv_model``)::

    model = salesight.clv.fit(orders, model="bgnbd", time_unit="week")
    model.params              # {"r": ..., "alpha": ..., "a": ..., "b": ...}
    model.summary()           # param, estimate, std_err (+ attrs: log-likelihood, convergence)
    model.predict(summary, t=39)   # per customer: expected_purchases, p_alive, expected_spend, clv

A *summary* is a DataFrame with columns ``frequency`` (repeat purchases),
``recency`` (t_x) and ``T`` in one time unit, optionally ``monetary_value``
(mean repeat-purchase value, for spend and CLV) and ``weight``; anything else
is a table of order lines (customer, date, amount columns, as
:func:`salesight.rfm`), summarized by the library at ``calibration_end`` in
``time_unit`` (:func:`summary` gives that table).
"""

import numpy as np
import pandas as pd

from . import _salesight
from ._errors import InvalidArgumentError, python_errors
from ._frame import _day, _money_mode, _to_frame

MODELS = ("bgnbd", "pareto-nbd", "gamma-gamma", "bgbb")  # SALESIGHT_CLV_* order
TIME_UNITS = ("day", "week", "month")                   # SALESIGHT_CLV_UNIT_* order
_STATUS = ("converged", "max_iterations", "line_search_failed", "diverged")
_SUMMARY_COLUMNS = ("frequency", "recency", "T")


def _index(name, value, allowed):
    if value not in allowed:
        raise InvalidArgumentError("%s=%r is not one of %s" % (name, value, ", ".join(allowed)))
    return allowed.index(value)


def is_summary(df):
    """A DataFrame with frequency, recency and T columns is a customer summary."""
    return all(c in df.columns for c in _SUMMARY_COLUMNS)


def _column(df, name, required=True):
    if name not in df.columns:
        if required:
            raise InvalidArgumentError("the summary has no %r column (columns: %s)"
                                       % (name, ", ".join(map(str, df.columns))))
        return None
    return np.ascontiguousarray(df[name].to_numpy(dtype=np.float64))


def _summary_columns(df, with_weight):
    return (_column(df, "frequency"), _column(df, "recency"), _column(df, "T"),
            _column(df, "monetary_value", False),
            _column(df, "weight", False) if with_weight else None)


def _dataset(df, customer, date, amount, order, money_scale, num_threads):
    from ._dataset import Dataset
    mapping = {"customer": customer, "order_date": date, "amount": amount, "order": order}
    return Dataset(df, orders_map=mapping, money_scale=money_scale, num_threads=num_threads)


def _fit_options(model, time_unit, calibration_end, l2_penalty, max_iterations,
                 gradient_tolerance, allow_not_converged, fit_spend, num_threads):
    return {"model": _index("model", model, MODELS),
            "time_unit": _index("time_unit", time_unit, TIME_UNITS),
            "calibration_end": _day(calibration_end, "calibration_end"),
            "l2_penalty": float(l2_penalty), "max_iterations": int(max_iterations),
            "gradient_tolerance": float(gradient_tolerance),
            "allow_not_converged": int(bool(allow_not_converged)),
            "fit_spend": int(bool(fit_spend)), "num_threads": int(num_threads)}


class ClvModel:
    """A fitted CLV model. ``params``: the papers' names -> estimates;
    ``std_errors`` alike (empty when the Hessian was not negative definite);
    ``log_likelihood``; ``convergence`` (status, iterations, evaluations,
    gradient_norm); ``spend_params``: the Gamma-Gamma fit beside bgnbd /
    pareto-nbd (None when there is none, ``spend_error`` says why)."""

    def __init__(self, handle, model, time_unit, decoders=None):
        self._handle = handle
        self.model = model
        self.time_unit = time_unit
        self._decoders = decoders or {}
        self._info = handle.info(0)
        try:
            self._spend = handle.info(1) if model in ("bgnbd", "pareto-nbd") else None
            self.spend_error = None
        except InvalidArgumentError as e:
            self._spend, self.spend_error = None, str(e)
        self.params = {n: v for n, v, _ in self._info["params"]}
        self.std_errors = ({n: e for n, _, e in self._info["params"]}
                           if self._info["has_standard_errors"] else {})
        self.log_likelihood = self._info["log_likelihood"]
        self.convergence = self._convergence(self._info)
        self.spend_params = ({n: v for n, v, _ in self._spend["params"]}
                             if self._spend is not None else None)

    @staticmethod
    def _convergence(info):
        return {"status": _STATUS[info["status"]], "iterations": info["iterations"],
                "evaluations": info["evaluations"], "gradient_norm": info["gradient_norm"]}

    def __repr__(self):
        return "ClvModel(%s, %s, log_likelihood=%.6g, %s)" % (
            self.model, ", ".join("%s=%.6g" % kv for kv in self.params.items()),
            self.log_likelihood, self.convergence["status"])

    def summary(self):
        """One row per parameter: model, param, estimate, std_err (NaN when the
        fit has no standard errors), the spend fit's rows after the model's.
        ``attrs``: log_likelihood, customers, convergence (and spend_*)."""
        rows = []
        fits = [(self.model, self._info)]
        if self._spend is not None:
            fits.append(("gamma-gamma", self._spend))
        for name, info in fits:
            for p, v, e in info["params"]:
                rows.append((name, p, v, e if info["has_standard_errors"] else np.nan))
        out = pd.DataFrame(rows, columns=["model", "param", "estimate", "std_err"])
        out.attrs.update(log_likelihood=self.log_likelihood, customers=self._info["customers"],
                         convergence=self.convergence)
        if self._spend is not None:
            out.attrs.update(spend_log_likelihood=self._spend["log_likelihood"],
                             spend_convergence=self._convergence(self._spend))
        return out

    @python_errors
    def predict(self, summary_or_orders, t=None, *, horizon=12, period_length=1.0, discount=0.0,
                margin=1.0, calibration_end=None, customer="customer", date="order_date",
                amount="amount", order=None, money_scale=None, num_threads=1):
        """Per customer: expected_purchases (E[Y(t) | x, t_x, T], t in the
        model's time unit; default horizon * period_length), p_alive,
        expected_spend and clv (margin * spend discounted at ``discount`` per
        period over ``horizon`` periods of ``period_length``), the columns the
        model gives. A summary's rows keep their order (its columns first);
        orders are summarized in the model's time unit at ``calibration_end``
        (default: the fit's, else the last order date), one row per customer."""
        options = {"t": 0.0 if t is None else float(t), "horizon": int(horizon),
                   "period_length": float(period_length), "discount": float(discount),
                   "margin": float(margin), "num_threads": int(num_threads),
                   "calibration_end": _day(calibration_end, "calibration_end")}
        if is_summary(summary_or_orders):
            f, r, T, m, _ = _summary_columns(summary_or_orders, False)
            out = _to_frame(self._handle.predict(f, r, T, m, options))
            out.index = summary_or_orders.index
            return out
        ds = _dataset(summary_or_orders, customer, date, amount, order, money_scale, num_threads)
        return _to_frame(self._handle.predict_dataset(ds._handle, options), ds._decoders)

    def expected_purchases(self, t):
        """A new customer's E[X(t)] (bgnbd, pareto-nbd)."""
        return self._handle.new_customer(float(t))

    def probability_of_purchases(self, t, n):
        """A new customer's P(X(t) = n) (bgnbd)."""
        return self._handle.new_customer(float(t), int(n))


@python_errors
def fit(orders_or_summary, model="bgnbd", *, time_unit="week", calibration_end=None,
        l2_penalty=0.0, max_iterations=500, gradient_tolerance=1e-8, allow_not_converged=False,
        fit_spend=True, customer="customer", date="order_date", amount="amount", order=None,
        money_scale=None, num_threads=1):
    """Fits ``model`` (bgnbd, pareto-nbd, gamma-gamma, bgbb) by maximum
    likelihood on a summary DataFrame (frequency, recency, T[, monetary_value,
    weight]) or on order lines (summarized at ``calibration_end`` in
    ``time_unit``, as ``salesight clv``) and returns a :class:`ClvModel`.
    bgnbd and pareto-nbd also fit Gamma-Gamma for spend (``fit_spend``).
    Not converging raises unless ``allow_not_converged``."""
    options = _fit_options(model, time_unit, calibration_end, l2_penalty, max_iterations,
                           gradient_tolerance, allow_not_converged, fit_spend, num_threads)
    if is_summary(orders_or_summary):
        handle = _salesight.clv_fit(*_summary_columns(orders_or_summary, True), options)
        return ClvModel(handle, model, time_unit)
    ds = _dataset(orders_or_summary, customer, date, amount, order, money_scale, num_threads)
    return ClvModel(_salesight.clv_fit_dataset(ds._handle, options), model, time_unit,
                    ds._decoders)


@python_errors
def summary(orders, *, time_unit="week", calibration_end=None, model="bgnbd",
            customer="customer", date="order_date", amount="amount", order=None,
            money_scale=None, num_threads=1, money="float"):
    """The customer summary :func:`fit` builds from order lines: customer,
    frequency, recency, T, monetary_value (bgbb: opportunities per day or ISO
    week, so pass its ``model``)."""
    options = _fit_options(model, time_unit, calibration_end, 0.0, 500, 1e-8, False, True,
                           num_threads)
    ds = _dataset(orders, customer, date, amount, order, money_scale, num_threads)
    return _to_frame(_salesight.clv_summary(ds._handle, options), ds._decoders,
                     money=_money_mode(money))


class _Clv:
    """``salesight.clv``: the declared calculator when called, with
    :func:`fit` and :func:`summary` as attributes."""

    def __init__(self, declared):
        self._declared = declared
        self.__doc__ = declared.__doc__ + "\n\n" + __doc__
        self.__name__ = self.__qualname__ = "clv"
        self.__wrapped__ = declared  # inspect.signature shows the calculator's options
        self.fit, self.summary, self.ClvModel = fit, summary, ClvModel
        self.MODELS, self.TIME_UNITS = MODELS, TIME_UNITS

    def __call__(self, *args, **kwargs):
        return self._declared(*args, **kwargs)

    def __repr__(self):
        return "<salesight.clv: the clv calculator, with .fit and .summary>"


def callable_clv(declared):
    return _Clv(declared)


__all__ = ["fit", "summary", "ClvModel", "MODELS", "TIME_UNITS", "callable_clv", "is_summary"]
