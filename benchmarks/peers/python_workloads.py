#!/usr/bin/python3
"""The salesight-through-Python engine of the peer comparison (issue 19 item 7),
driven by run_peers.py: WORKLOADS.md (a)-(e) through the ``salesight`` Python
package's public functions, as a pandas user calls them.

    PYTHONPATH=<build>/python /usr/bin/python3 python_workloads.py --data DIR [--as-of DAY]
    ... python_workloads.py --data DIR --latency 1,2 [--number 101]   (per-call latency)

Loads the exchange-format .bin files into DataFrames BEFORE any timing, as
pandas_workloads.py does (its load_table: dates datetime64[ns], -1 -> NaT),
with the columns renamed to the package's default field names (customer,
product, region, salesperson, amount, ...), so that they are fields, not
attributes. A repetition is the whole Python call of the workload - one call
per workload, its outputs through the function's outputs= (the table built
from the DataFrame's columns once, as a caller wanting those outputs would ask
for them); RFM has one output -: building the library's table from the
DataFrame columns, the computation with num_threads T, and the result
DataFrames (what a caller pays). Same line protocol as the other
engines (run_peers.py):
  run <workload> <T>     -> {"ok": true, "ms": ...}
  write <workload> <dir> -> {"ok": true}   the last run's outputs in the workload's columns
  quit                   -> {"ok": true, "times": {...}}
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

import salesight
from pandas_workloads import SCHEMA, STAGES, load_table, rss_bytes

# The data's known problems (invoices after the as-of date, ...) warn on every
# aging call; shown once they are noise, and printing them is not the work.
warnings.simplefilter("ignore", salesight.SalesightDataWarning)

# Exchange-format column -> the package's default field name.
RENAME = {
    "orders": {"customer_id": "customer", "amount_cents": "amount", "product_id": "product",
               "unit_cost_cents": "unit_cost", "region_id": "region",
               "salesperson_id": "salesperson"},
    "opportunities": {"customer_id": "customer", "region_id": "region",
                      "salesperson_id": "salesperson"},
    "invoices": {"invoice_id": "invoice", "customer_id": "customer",
                 "salesperson_id": "salesperson", "amount_cents": "amount",
                 "paid_cents": "paid"},
}


def _yyyymm(period):
    """'2024-01' -> 202401."""
    s = period.astype(str)
    return s.str.slice(0, 4).astype(np.int64) * 100 + s.str.slice(5, 7).astype(np.int64)


class Workloads:
    def __init__(self, orders, opps, invoices, as_of):
        self.o, self.p, self.i = orders, opps, invoices
        self.D = int(as_of)
        self.stages = {s: s + "_date" for s in STAGES}

    def rfm(self, t):
        return {"rfm": salesight.rfm(
            self.o, as_of=self.D, scoring="ntile", segments="workload",
            all_lines_are_purchases=True, money="minor", num_threads=t)}

    # A workload of several outputs is one call with outputs= (each output's
    # own keywords; the DataFrame's columns converted to the library's table
    # once), as a pandas user who wants those outputs calls the package.
    def funnel(self, t):
        # The workload outputs group by region x month of created themselves;
        # by= only brings the region column into the library's table.
        return salesight.funnel(self.p, self.stages, created="created_date", by=["region"],
                                num_threads=t,
                                outputs={"funnel_overall": {"output": "workload_overall"},
                                         "funnel_group": {"output": "workload_group"}})

    def margin(self, t):
        return salesight.margin(
            self.o, unit_cost="unit_cost", quantity="quantity", unknown_cost="error",
            date="order_date", money="minor", num_threads=t,
            outputs={"margin_product": {"by": "product"},
                     "margin_top20": {"by": "product", "output": "ranking", "top": 20,
                                      "rank_by": "margin"},
                     "margin_region_month": {"by": ["region", "month"]}})

    def ar(self, t):
        return salesight.aging(self.i, as_of=self.D, money="minor", num_threads=t,
                               outputs={"ar_customer": {},
                                        "ar_salesperson": {"output": "collection",
                                                           "by": "salesperson",
                                                           "rate_only": True}})

    def trend(self, t):
        return salesight.trend(self.o, compare="last-year", empty_periods=False,
                               with_margin=False, count_orders=False, money="minor",
                               num_threads=t, outputs={"trend_month": {"grain": "month"},
                                                       "trend_week": {"grain": "week"}})


# The outputs in the workload's columns (untimed: only `write` calls these).
def _rfm(f):
    return f.rename(columns={"customer": "customer_id", "recency_days": "recency"})[
        ["customer_id", "recency", "frequency", "monetary", "r", "f", "m", "segment"]]


def _margin(f, keys):
    return f.rename(columns={"product": "product_id", "region": "region_id"})[
        keys + ["revenue", "cost", "margin", "margin_pct"]]


def _top(f):
    f = f.rename(columns={"product": "product_id"})
    return pd.DataFrame({"rank": np.arange(1, len(f) + 1), "product_id": f["product_id"],
                         "margin": f["margin"]})


def _trend(f, weeks):
    out = pd.DataFrame()
    p = f["period"].astype(str)
    if weeks:  # '2024-W05'
        out["iso_year"] = p.str.slice(0, 4).astype(np.int64)
        out["iso_week"] = p.str.slice(6, 8).astype(np.int64)
    else:
        out["month"] = _yyyymm(p)
    out["revenue"] = f["revenue"].to_numpy()
    out["revenue_ly"] = pd.array(f["revenue_compare"].to_numpy(), dtype="Int64")
    out["yoy"] = f["growth_pct"].to_numpy() / 100.0
    return out


SHAPE = {
    "rfm": _rfm,
    "funnel_overall": lambda f: f,
    "funnel_group": lambda f: f,
    "margin_product": lambda f: _margin(f, ["product_id"]),
    "margin_top20": _top,
    "margin_region_month": lambda f: _margin(f, ["region_id", "month"]).assign(
        month=_yyyymm(f["month"]) if f["month"].dtype == object else f["month"]),
    "ar_customer": lambda f: f.rename(columns={"customer": "customer_id"}),
    "ar_salesperson": lambda f: f.rename(columns={"salesperson": "salesperson_id"})[
        ["salesperson_id", "billed", "collected", "collection_rate"]],
    "trend_month": lambda f: _trend(f, False),
    "trend_week": lambda f: _trend(f, True),
}


# The workloads this engine runs (ingest has no Python cell), each a Workloads method.
WORKLOADS = ("rfm", "funnel", "margin", "ar", "trend")


def write_csv(frames, out):
    for table, df in frames.items():
        SHAPE[table](df).to_csv(os.path.join(out, table + ".csv"), index=False, na_rep="")


def latency(w, threads, number):
    """Per-call latency (issue 19: <= 1 ms per call on 10^4 lines from Python):
    each workload `number` times after one warm-up, the median wall and
    process CPU time of the workload's call (one call, its k outputs through
    outputs=) and per output (divided by k, what k separate calls would have
    to meet)."""
    for name in WORKLOADS:
        fn = getattr(w, name)
        outputs = len(fn(threads))
        wall, cpu = [], []
        for _ in range(number):
            c0, t0 = time.process_time_ns(), time.perf_counter_ns()
            fn(threads)
            wall.append((time.perf_counter_ns() - t0) / 1e6)
            cpu.append((time.process_time_ns() - c0) / 1e6)
        wall.sort()
        cpu.sort()
        print(json.dumps({"workload": name, "threads": threads, "outputs": outputs,
                          "wall_ms_per_call": wall[number // 2],
                          "cpu_ms_per_call": cpu[number // 2],
                          "wall_ms_per_output": wall[number // 2] / outputs,
                          "cpu_ms_per_output": cpu[number // 2] / outputs}), flush=True)


def main(argv):
    args = {"--as-of": "19996"}
    it = iter(argv[1:])
    for k in it:
        if k not in ("--data", "--as-of", "--latency", "--number"):
            raise SystemExit(f"unknown flag {k}")
        args[k] = next(it)
    reply = lambda o: (sys.stdout.write(json.dumps(o) + "\n"), sys.stdout.flush())
    try:
        t0 = time.perf_counter_ns()
        tables = {t: load_table(args["--data"], t).rename(columns=RENAME[t]) for t in SCHEMA}
        load_ms = (time.perf_counter_ns() - t0) / 1e6
        w = Workloads(tables["orders"], tables["opportunities"], tables["invoices"],
                      int(args["--as-of"]))
    except Exception as e:  # noqa: BLE001 -- reported to the orchestrator
        reply({"ok": False, "error": f"load: {e!r}"})
        return 1
    if "--latency" in args:  # not the harness protocol: a by-hand timing
        for t in args["--latency"].split(","):
            latency(w, int(t), int(args.get("--number", "101")))
        return 0
    reply({"ok": True, "ready": True, "engine": "salesight Python",
           "version": f"salesight {salesight.__version__} (Python), pandas {pd.__version__}",
           "load_ms": load_ms, "rows": {t: len(df) for t, df in tables.items()},
           "rss_after_load": rss_bytes()})
    times, last = {}, {}
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd, name = parts[0], (parts[1] if len(parts) > 1 else "")
        arg = parts[2] if len(parts) > 2 else ""
        try:
            if cmd == "quit":
                reply({"ok": True, "times": times})
                return 0
            fn = getattr(w, name, None) if name in WORKLOADS else None
            if cmd not in ("run", "write"):
                reply({"ok": False, "error": f"unknown command {line.strip()!r}"})
            elif fn is None:
                reply({"ok": True, "not_yet": True})
            elif cmd == "run":
                last.pop(name, None)  # free the previous outputs, untimed
                start = time.perf_counter_ns()
                last[name] = fn(int(arg))
                ms = (time.perf_counter_ns() - start) / 1e6
                times.setdefault(f"{name} {arg}T", []).append(ms)
                reply({"ok": True, "ms": ms})
            elif cmd == "write":
                if not arg:
                    raise ValueError("write needs an output folder")
                write_csv(last[name], arg)
                reply({"ok": True})
        except Exception as e:  # noqa: BLE001 -- reported to the orchestrator
            reply({"ok": False, "error": f"{cmd} {name}: {e!r}"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
