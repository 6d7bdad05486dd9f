"""salesight.dask.clv_fit: a CLV model fitted over a Dask DataFrame.

The BTYD likelihood is a sum over customers of a function of each customer's
summary (frequency, recency, T, monetary_value), so the order lines never
leave the workers: each partition is summarized there, and only the summary
(4 numbers per customer) comes to the client, which fits on it with the same
code as :func:`salesight.clv.fit`.

How it runs:

1. A planning pass: calibration_end (default: the last order date over ALL
   partitions) and, for float amounts with ``money_scale=None``, the one money
   scale of all partitions (as :mod:`salesight.dask` chooses it), so every
   partition summarizes exactly as the whole frame would be summarized.
2. The lines are shuffled by customer (``ddf.shuffle``), so each customer's
   lines are in one partition (skip it with ``partitioned_by_customer=True``
   when that already holds); each partition becomes its customers' summary
   (``salesight.clv.summary``) on the workers.
3. The client concatenates the summaries in customer order (the order of the
   single-machine summary) and fits: the parameters equal the single-machine
   fit's - bit for bit, since the rows and their order are the same.

A Dask DataFrame that already is a summary (frequency, recency, T columns) is
fitted on its rows in partition order.
"""

import pandas as pd

from . import _clv
from ._errors import InvalidArgumentError, python_errors

__all__ = ["clv_fit", "clv_summary"]


def _summary_partition(pdf, customer, date, amount, order, model, time_unit, calibration_end,
                       money_scale):
    if len(pdf) == 0:
        return None
    return _clv.summary(pdf, model=model, time_unit=time_unit, calibration_end=calibration_end,
                        customer=customer, date=date, amount=amount, order=order,
                        money_scale=money_scale)


@python_errors
def clv_summary(ddf, *, model="bgnbd", time_unit="week", calibration_end=None,
                customer="customer", date="order_date", amount="amount", order=None,
                money_scale=None, partitioned_by_customer=False):
    """The customer summary of a Dask DataFrame of order lines, equal to
    ``salesight.clv.summary`` of the whole frame (a pandas DataFrame)."""
    from .dask import _check_column, _dask, _plan  # the one planning pass of salesight.dask
    dask = _dask()
    for col, role in ((customer, "customer"), (date, "date"), (amount, "amount"),
                      (order, "order")):
        if col is not None:
            _check_column(ddf, col, role)
    todo = {}
    if calibration_end is None:
        todo["last"] = ddf[date].max()
    if money_scale is None and pd.api.types.is_float_dtype(ddf[amount].dtype):
        _, _, stats, _ = _plan(ddf, [], None, None, ([(amount, "amount")], None))
        money_scale = stats["money"][0]
    if todo:
        (done,) = dask.compute(todo)
        calibration_end = pd.Timestamp(done["last"])
    if not partitioned_by_customer:
        ddf = ddf.shuffle(customer)
    parts = [dask.delayed(_summary_partition)(p, customer, date, amount, order, model,
                                              time_unit, calibration_end, money_scale)
             for p in ddf.to_delayed()]
    (summaries,) = dask.compute(parts)
    summaries = [s for s in summaries if s is not None]
    if not summaries:
        raise InvalidArgumentError("salesight.dask.clv_summary: the DataFrame has no order lines")
    out = pd.concat(summaries, ignore_index=True)
    if out["customer"].duplicated().any():
        raise InvalidArgumentError(
            "salesight.dask.clv_summary: customer %r has lines in two partitions; pass "
            "partitioned_by_customer=False to shuffle by customer"
            % (out["customer"][out["customer"].duplicated()].iloc[0],))
    # Ascending customer code: the single-machine summary's order (its ids are the sorted codes).
    return out.sort_values("customer", kind="stable").reset_index(drop=True)


@python_errors
def clv_fit(ddf, model="bgnbd", *, time_unit="week", calibration_end=None, l2_penalty=0.0,
            max_iterations=500, gradient_tolerance=1e-8, allow_not_converged=False,
            fit_spend=True, customer="customer", date="order_date", amount="amount", order=None,
            money_scale=None, num_threads=1, partitioned_by_customer=False):
    """``salesight.clv.fit`` over a Dask DataFrame of order lines (or of a
    summary): the same options and the same :class:`salesight.clv.ClvModel`,
    with the same parameters as the single-machine fit."""
    fit_kw = dict(model=model, time_unit=time_unit, calibration_end=calibration_end,
                  l2_penalty=l2_penalty, max_iterations=max_iterations,
                  gradient_tolerance=gradient_tolerance, allow_not_converged=allow_not_converged,
                  fit_spend=fit_spend, num_threads=num_threads)
    if _clv.is_summary(ddf):
        return _clv.fit(ddf.compute(), **fit_kw)
    summary = clv_summary(ddf, model=model, time_unit=time_unit, calibration_end=calibration_end,
                          customer=customer, date=date, amount=amount, order=order,
                          money_scale=money_scale,
                          partitioned_by_customer=partitioned_by_customer)
    return _clv.fit(summary, **fit_kw)
