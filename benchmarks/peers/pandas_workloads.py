#!/usr/bin/python3
"""The pandas engine of the peer comparison (issue 7), driven by run_peers.py.

    /usr/bin/python3 pandas_workloads.py --data DIR [--as-of DAY]

Loads the WORKLOADS exchange-format .bin files with numpy.fromfile into
DataFrames BEFORE any timing (dates as datetime64 with -1 -> NaT, the pandas
"date type"), then answers one JSON line per stdin command:
  run <workload> 1       -> {"ok": true, "ms": ...}   time one repetition
  write <workload> <dir> -> {"ok": true}   the last run's outputs -> <dir>/<table>.csv
  quit                   -> {"ok": true, "times": {...}}
A repetition computes every output DataFrame of the workload (pandas is
single-threaded: a thread count other than 1 is an error). The code is what a competent pandas user writes: vectorized
groupby/merge, numpy where pandas has no idiom (NTILE), no Python loops over rows.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

SCHEMA = {
    "orders": [("order_id", "<i8"), ("customer_id", "<i4"), ("order_date", "date"),
               ("amount_cents", "<i8"), ("product_id", "<i4"), ("quantity", "<i4"),
               ("unit_cost_cents", "<i8"), ("region_id", "<i1"), ("salesperson_id", "<i2")],
    "opportunities": [("opp_id", "<i8"), ("customer_id", "<i4"), ("salesperson_id", "<i2"),
                      ("region_id", "<i1"), ("created_date", "date"), ("lead_date", "date"),
                      ("opportunity_date", "date"), ("quote_date", "date"),
                      ("contract_date", "date"), ("won_date", "date"), ("paid_date", "date")],
    "invoices": [("invoice_id", "<i8"), ("order_id", "<i8"), ("customer_id", "<i4"),
                 ("salesperson_id", "<i2"), ("invoice_date", "date"), ("due_date", "date"),
                 ("amount_cents", "<i8"), ("paid_cents", "<i8"), ("paid_date", "date")],
}
STAGES = ["lead", "opportunity", "quote", "contract", "won", "paid"]
DAY = np.timedelta64(1, "D")


def load_table(data, table):
    cols = {}
    for name, dtype in SCHEMA[table]:
        raw = np.fromfile(os.path.join(data, table, name + ".bin"),
                          dtype="<i4" if dtype == "date" else dtype)
        if dtype == "date":
            days = raw.astype("datetime64[D]")
            days[raw == -1] = np.datetime64("NaT")
            cols[name] = days.astype("datetime64[ns]")
        else:
            cols[name] = raw
    lengths = {len(v) for v in cols.values()}
    if len(lengths) != 1:
        raise ValueError(f"{data}/{table}: columns of different lengths {sorted(lengths)}")
    return pd.DataFrame(cols)


def ntile5(order, n):
    """SQL NTILE(5) of the rows at sorted positions `order` (0-based): the
    first n % 5 buckets get one extra row."""
    q, r = divmod(n, 5)
    pos = np.arange(n)
    big = r * (q + 1)
    bucket = np.where(pos < big, pos // max(q + 1, 1), r + (pos - big) // max(q, 1)) + 1
    out = np.empty(n, dtype=np.int64)
    out[order] = bucket
    return out


def month_of(dates):
    return dates.dt.year * 100 + dates.dt.month


class Workloads:
    def __init__(self, orders, opps, invoices, as_of):
        self.o, self.p, self.i = orders, opps, invoices
        self.D = np.datetime64(int(as_of), "D").astype("datetime64[ns]")

    def rfm(self):
        o = self.o[self.o["order_date"] <= self.D]
        g = o.groupby("customer_id", sort=True).agg(
            last=("order_date", "max"), frequency=("order_date", "size"),
            monetary=("amount_cents", "sum"))
        g = g.reset_index()
        g["recency"] = ((self.D - g["last"]) // DAY).astype(np.int64)
        n = len(g)
        cid = g["customer_id"].to_numpy()
        # np.lexsort sorts by the last key first; customer_id breaks ties.
        g["r"] = ntile5(np.lexsort((cid, -g["recency"].to_numpy())), n)
        g["f"] = ntile5(np.lexsort((cid, g["frequency"].to_numpy())), n)
        g["m"] = ntile5(np.lexsort((cid, g["monetary"].to_numpy())), n)
        r, f, m = g["r"], g["f"], g["m"]
        g["segment"] = np.select(
            [(r >= 4) & (f >= 4) & (m >= 4), (r >= 3) & (f >= 3), (r >= 4) & (f <= 2),
             (r <= 2) & (f >= 4), (r <= 2) & (f >= 2), r <= 2],
            ["champions", "loyal", "new", "cant_lose", "at_risk", "lost"], "need_attention")
        return {"rfm": g[["customer_id", "recency", "frequency", "monetary", "r", "f", "m",
                          "segment"]]}

    @staticmethod
    def _funnel_finish(agg):
        out = pd.DataFrame(index=agg.index)
        for s in STAGES:
            out["n_" + s] = agg["n_" + s].astype(np.int64)
        for prev, s in zip(STAGES, STAGES[1:]):
            den = out["n_" + prev].astype(np.float64)
            out["conv_" + s] = out["n_" + s] / den.where(den != 0)
        for s in STAGES[1:]:
            out["med_" + s] = agg["gap_" + s]
        return out

    def funnel(self):
        p = self.p
        frame = {"region_id": p["region_id"], "month": month_of(p["created_date"])}
        for s in STAGES:
            frame["n_" + s] = p[s + "_date"].notna()
        for prev, s in zip(STAGES, STAGES[1:]):
            # NaT on either side gives NaN, which median() skips.
            frame["gap_" + s] = (p[s + "_date"] - p[prev + "_date"]) / DAY
        f = pd.DataFrame(frame)
        spec = {**{"n_" + s: "sum" for s in STAGES}, **{"gap_" + s: "median" for s in STAGES[1:]}}
        overall = self._funnel_finish(f.agg(spec).to_frame().T)
        group = self._funnel_finish(f.groupby(["region_id", "month"], sort=True).agg(spec))
        return {"funnel_overall": overall.reset_index(drop=True),
                "funnel_group": group.reset_index()}

    @staticmethod
    def _margin_finish(g):
        g["margin"] = g["revenue"] - g["cost"]
        rev = g["revenue"].astype(np.float64)
        g["margin_pct"] = 100.0 * g["margin"].astype(np.float64) / rev.where(rev != 0)
        return g

    def margin(self):
        o = self.o
        f = pd.DataFrame({"product_id": o["product_id"], "region_id": o["region_id"],
                          "month": month_of(o["order_date"]), "revenue": o["amount_cents"],
                          "cost": o["quantity"].astype(np.int64) * o["unit_cost_cents"]})
        product = self._margin_finish(
            f.groupby("product_id", sort=True)[["revenue", "cost"]].sum().reset_index())
        top = product.sort_values(["margin", "product_id"], ascending=[False, True]).head(20)
        top = pd.DataFrame({"rank": np.arange(1, len(top) + 1), "product_id": top["product_id"],
                            "margin": top["margin"]})
        region_month = self._margin_finish(
            f.groupby(["region_id", "month"], sort=True)[["revenue", "cost"]].sum().reset_index())
        return {"margin_product": product, "margin_top20": top.reset_index(drop=True),
                "margin_region_month": region_month}

    def ar(self):
        D = self.D
        inv = self.i[self.i["invoice_date"] <= D]
        # NaT <= D is False, so an unpaid invoice collects 0.
        collected = np.where(inv["paid_date"] <= D, inv["paid_cents"], 0)
        outstanding = inv["amount_cents"].to_numpy() - collected
        dpd = ((D - inv["due_date"]) // DAY).to_numpy()
        open_ = outstanding > 0
        buckets = {
            "b_current": dpd <= 0, "b_1_30": (dpd >= 1) & (dpd <= 30),
            "b_31_60": (dpd >= 31) & (dpd <= 60), "b_61_90": (dpd >= 61) & (dpd <= 90),
            "b_over_90": dpd > 90}
        f = pd.DataFrame({"customer_id": inv["customer_id"].to_numpy()[open_],
                          **{k: np.where(v, outstanding, 0)[open_] for k, v in buckets.items()},
                          "total": outstanding[open_]})
        customer = f.groupby("customer_id", sort=True).sum().reset_index()
        due = (inv["due_date"] <= D).to_numpy()
        s = pd.DataFrame({"salesperson_id": inv["salesperson_id"].to_numpy()[due],
                          "billed": inv["amount_cents"].to_numpy()[due],
                          "collected": collected[due]})
        sp = s.groupby("salesperson_id", sort=True).sum().reset_index()
        billed = sp["billed"].astype(np.float64)
        sp["collection_rate"] = sp["collected"].astype(np.float64) / billed.where(billed != 0)
        return {"ar_customer": customer, "ar_salesperson": sp}

    @staticmethod
    def _yoy(g, keys, ly_keys):
        ly = g[keys + ["revenue"]].rename(columns={"revenue": "revenue_ly"})
        for k, lk in zip(keys, ly_keys):
            ly[k] = lk(ly[k])
        out = g.merge(ly, on=keys, how="left")
        out["revenue_ly"] = out["revenue_ly"].astype("Int64")
        base = out["revenue_ly"].astype(np.float64)
        out["yoy"] = (out["revenue"] - base) / base.where(base != 0)
        return out

    def trend(self):
        o = self.o
        month = self.o["amount_cents"].groupby(month_of(o["order_date"]).rename("month"),
                                               sort=True).sum().rename("revenue").reset_index()
        # The same month one year later is month + 100: shift the last-year rows forward.
        tm = self._yoy(month, ["month"], [lambda m: m + 100])
        iso = o["order_date"].dt.isocalendar()
        week = o["amount_cents"].groupby(
            [iso["year"].astype(np.int64).rename("iso_year"),
             iso["week"].astype(np.int64).rename("iso_week")], sort=True).sum()
        week = week.rename("revenue").reset_index()
        tw = self._yoy(week, ["iso_year", "iso_week"], [lambda y: y + 1, lambda w: w])
        return {"trend_month": tm, "trend_week": tw}


def write_csv(frames, out):
    for table, df in frames.items():
        # Default float repr is round-trip exact; NaN/NA -> empty field (NULL).
        df.to_csv(os.path.join(out, table + ".csv"), index=False, na_rep="")


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(argv):
    args = {"--as-of": "19996"}
    it = iter(argv[1:])
    for k in it:
        if k not in ("--data", "--as-of"):
            raise SystemExit(f"unknown flag {k}")
        args[k] = next(it)
    reply = lambda o: (sys.stdout.write(json.dumps(o) + "\n"), sys.stdout.flush())
    try:
        t0 = time.perf_counter_ns()
        tables = {t: load_table(args["--data"], t) for t in SCHEMA}
        load_ms = (time.perf_counter_ns() - t0) / 1e6
        w = Workloads(tables["orders"], tables["opportunities"], tables["invoices"],
                      int(args["--as-of"]))
    except Exception as e:  # noqa: BLE001 -- reported to the orchestrator
        reply({"ok": False, "error": f"load: {e!r}"})
        return 1
    reply({"ok": True, "ready": True, "engine": "pandas",
           "version": f"pandas {pd.__version__}, numpy {np.__version__}", "load_ms": load_ms,
           "rows": {t: len(df) for t, df in tables.items()}, "rss_after_load": rss_bytes()})
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
            fn = getattr(w, name, None) if name in ("rfm", "funnel", "margin", "ar", "trend") else None
            if cmd not in ("run", "write"):
                reply({"ok": False, "error": f"unknown command {line.strip()!r}"})
            elif fn is None:
                reply({"ok": True, "not_yet": True})
            elif cmd == "run":
                if arg != "1":
                    raise ValueError(f"pandas is single-threaded; asked for {arg!r} threads")
                last.pop(name, None)  # free the previous outputs, untimed
                start = time.perf_counter_ns()
                last[name] = fn()
                ms = (time.perf_counter_ns() - start) / 1e6
                times.setdefault(name + " 1T", []).append(ms)
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
