#!/usr/bin/python3
"""Orchestrates the peer comparison of issue 7 (normally via scripts/bench_peers.sh).

Each engine (salesight, DuckDB, pandas, the bandwidth floor) is ONE long-lived
process that loads the data once, BEFORE any timing, and serves every thread
count (so the data sit in memory once per engine, which keeps 10^7 rows within
the machine). It obeys one command per stdin line and answers one JSON line:

    ready line             {"ok":true,"ready":true,"engine":..,"version":..,"load_ms":..,
                            "rss_after_load":..}
    run <workload> <T>     {"ok":true,"ms":<compute time of one repetition with T threads>}
                           | {"ok":true,"not_yet":true}
    write <workload> <dir> {"ok":true}  (the last run's tables -> <dir>/<table>.csv, by key)
    quit                   {"ok":true,"times":{...}}, then exit
    any failure            {"ok":false,"error":"..."}

A "slot" is (engine, T). Interleaving: for each repetition (the first
`--warmup` are untimed), for each workload, every slot runs one repetition in
turn (A B C A B C ...), the starting slot rotating with the repetition, so
drift in machine load (other jobs on the machine) hits every engine alike.
Engines wait idle on stdin while another runs, so they never compete for the
cores. In the last repetition each slot writes its outputs right after its run.

Then every engine's output tables are compared row by row with the reference
(salesight 1T where salesight has the workload, else DuckDB 1T): integers
exact, floats to 1e-9 relative, NULL (empty field) = NULL only. A mismatch
fails the run (exit 1) naming the table, row and column. Peak RSS is the
child's ru_maxrss from wait4 (the whole process: runtime + loaded data +
work, over all its thread counts). Ratios are salesight / peer of the medians
of this same run.
"""
import argparse
import csv
import glob
import json
import os
import statistics
import subprocess
import sys

WORKLOADS = ["rfm", "funnel", "margin", "ar", "trend", "ingest"]
LABELS = {"rfm": "(a) RFM + NTILE + segments", "funnel": "(b) funnel",
          "margin": "(c) margin", "ar": "(d) AR aging", "trend": "(e) trends",
          "ingest": "ingest orders.csv"}

# Output tables per workload: (table, key columns, [(column, kind)]), kind in
# int | float | str. The comparison trusts nothing else: a header that differs
# from this list is a mismatch.
STAGES = ["lead", "opportunity", "quote", "contract", "won", "paid"]
_FUNNEL = ([("n_" + s, "int") for s in STAGES] + [("conv_" + s, "float") for s in STAGES[1:]]
           + [("med_" + s, "float") for s in STAGES[1:]])
_MARGIN = [("revenue", "int"), ("cost", "int"), ("margin", "int"), ("margin_pct", "float")]
_YOY = [("revenue", "int"), ("revenue_ly", "int"), ("yoy", "float")]
TABLES = {
    "rfm": [("rfm", [("customer_id", "int"), ("recency", "int"), ("frequency", "int"),
                     ("monetary", "int"), ("r", "int"), ("f", "int"), ("m", "int"),
                     ("segment", "str")])],
    "funnel": [("funnel_overall", _FUNNEL),
               ("funnel_group", [("region_id", "int"), ("month", "int")] + _FUNNEL)],
    "margin": [("margin_product", [("product_id", "int")] + _MARGIN),
               ("margin_top20", [("rank", "int"), ("product_id", "int"), ("margin", "int")]),
               ("margin_region_month", [("region_id", "int"), ("month", "int")] + _MARGIN)],
    "ar": [("ar_customer", [("customer_id", "int"), ("b_current", "int"), ("b_1_30", "int"),
                            ("b_31_60", "int"), ("b_61_90", "int"), ("b_over_90", "int"),
                            ("total", "int")]),
           ("ar_salesperson", [("salesperson_id", "int"), ("billed", "int"),
                               ("collected", "int"), ("collection_rate", "float")])],
    "trend": [("trend_month", [("month", "int")] + _YOY),
              ("trend_week", [("iso_year", "int"), ("iso_week", "int")] + _YOY)],
    "ingest": [("ingest_summary", [("rows", "int"), ("amount_cents_sum", "int"),
                                   ("quantity_sum", "int"), ("order_day_sum", "int"),
                                   ("customers", "int"), ("products", "int")])],
}
REL_TOL = 1e-9


class EngineError(RuntimeError):
    pass


class Process:
    """One engine process speaking the line protocol above."""

    def __init__(self, name, kind, argv, log_dir, env=None):
        self.name, self.kind = name, kind
        self.info = {}
        self.engine_times = {}
        self.max_rss = None
        self.log_path = os.path.join(log_dir, kind + ".stderr.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, bufsize=1, env=env)

    def _reply(self, what):
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise EngineError(f"{self.name}: exited (code {self.proc.returncode}) during "
                              f"'{what}'; see {self.log_path}")
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            raise EngineError(f"{self.name}: '{what}' answered non-JSON: {line.strip()[:200]}")
        if not msg.get("ok"):
            raise EngineError(f"{self.name}: '{what}' failed: {msg.get('error')}")
        return msg

    def wait_ready(self):
        self.info = self._reply("load")

    def send(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return self._reply(cmd)

    def finish(self):
        self.engine_times = self.send("quit").get("times", {})
        self.proc.stdin.close()
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.max_rss = usage.ru_maxrss * 1024
        self.log.close()
        if self.proc.returncode != 0:
            raise EngineError(f"{self.name}: exit code {self.proc.returncode}; see {self.log_path}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Slot:
    """An engine at one thread count: the unit that is timed and compared."""

    def __init__(self, process, threads, out_root):
        self.process, self.kind, self.threads = process, process.kind, threads
        self.name = process.name if process.kind == "pandas" else f"{process.name} {threads}T"
        self.out_dir = os.path.join(out_root, self.name.replace(" ", "_"))
        os.makedirs(self.out_dir, exist_ok=True)
        self.times = {}  # workload -> [ms] of the timed repetitions
        self.not_yet = set()

    def run(self, workload, timed, write):
        if workload in self.not_yet:
            return
        msg = self.process.send(f"run {workload} {self.threads}")
        if msg.get("not_yet"):
            self.not_yet.add(workload)
            return
        if timed:
            self.times.setdefault(workload, []).append(float(msg["ms"]))
        if write and self.kind != "floor":
            self.process.send(f"write {workload} {self.out_dir}")

    def save_times(self):
        with open(os.path.join(self.out_dir, "times.json"), "w") as f:
            json.dump({"engine": self.name, "threads": self.threads, "info": self.process.info,
                       "times_ms": self.times, "not_yet": sorted(self.not_yet),
                       "process_peak_rss_bytes": self.process.max_rss}, f, indent=1)


# ------------------------------------------------------------------ comparison
def _parse_int(text):
    if text == "":
        return None
    if not (text.lstrip("-").isdigit()):
        raise ValueError(f"'{text}' is not an integer")
    return int(text)


def _parse_float(text):
    return None if text == "" else float(text)


def _same_float(a, b):
    if a == b:
        return True
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def compare_table(table, columns, ref_path, ref_name, other_path, other_name, limit=10):
    """Returns a list of mismatch messages (empty = equal)."""
    problems = []
    for path in (ref_path, other_path):
        if not os.path.exists(path):
            return [f"{table}: missing output {path}"]
    with open(ref_path, newline="") as f:
        ref = list(csv.reader(f))
    with open(other_path, newline="") as f:
        oth = list(csv.reader(f))
    want = [c for c, _ in columns]
    for rows, who in ((ref, ref_name), (oth, other_name)):
        if not rows or rows[0] != want:
            return [f"{table}: {who} header {rows[0] if rows else '(empty file)'} != {want}"]
    if len(ref) != len(oth):
        problems.append(f"{table}: {ref_name} has {len(ref) - 1} rows, {other_name} "
                        f"{len(oth) - 1}")
    for i, (a, b) in enumerate(zip(ref[1:], oth[1:])):
        if len(a) != len(want) or len(b) != len(want):
            problems.append(f"{table} row {i}: ragged line")
            continue
        for (col, kind), x, y in zip(columns, a, b):
            try:
                if kind == "int":
                    ok = _parse_int(x) == _parse_int(y)
                elif kind == "float":
                    fx, fy = _parse_float(x), _parse_float(y)
                    ok = (fx is None and fy is None) or (
                        fx is not None and fy is not None and _same_float(fx, fy))
                else:
                    ok = x == y
            except ValueError as e:
                ok, x = False, f"{x} ({e})"
            if not ok:
                key = ", ".join(f"{c}={v}" for (c, _), v in zip(columns[:2], a[:2]))
                problems.append(f"{table} row {i} ({key}) column {col}: {ref_name} {x!r} vs "
                                f"{other_name} {y!r}")
                if len(problems) >= limit:
                    problems.append(f"{table}: stopped after {limit} mismatches")
                    return problems
    return problems


def compare_all(slots, workloads):
    """Compares every slot's outputs with the reference slot, per workload."""
    report, failures = {}, []
    for w in workloads:
        have = [e for e in slots if e.kind != "floor" and w not in e.not_yet and w in e.times]
        refs = [e for e in have if e.kind == "salesight"] or [e for e in have if e.kind == "duckdb"]
        if not refs:
            report[w] = "no reference"
            continue
        ref = sorted(refs, key=lambda e: e.threads)[0]
        checked = []
        for e in have:
            if e is ref:
                continue
            msgs = []
            for table, columns in TABLES[w]:
                msgs += compare_table(table, columns, os.path.join(ref.out_dir, table + ".csv"),
                                      ref.name, os.path.join(e.out_dir, table + ".csv"), e.name)
            if msgs:
                failures += [f"[{w}] {m}" for m in msgs]
            checked.append(e.name)
        report[w] = f"{ref.name} = " + (", ".join(checked) if checked else "(nothing else ran)")
    return report, failures


# ------------------------------------------------------------------ report
def fmt_ms(v):
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def cell(engine, w):
    if engine is None:
        return "–"
    if w in engine.not_yet:
        # Only salesight grows into the workloads; a peer without one does not do it.
        ours = engine.kind == "salesight" or (engine.kind == "python" and w != "ingest")
        return "not yet" if ours else "n/a"
    t = engine.times.get(w)
    if not t:
        return "–"
    return f"{fmt_ms(statistics.median(t))} ({fmt_ms(min(t))}–{fmt_ms(max(t))})"


def median(engine, w):
    if engine is None or w in engine.not_yet or not engine.times.get(w):
        return None
    return statistics.median(engine.times[w])


def ratio(num, den):
    if num is None or den is None or den == 0:
        return "–"
    r = num / den
    return f"{r:.3f} ({1 / r:.1f}× faster)" if r < 1 else f"{r:.2f} ({r:.1f}× slower)"


def cpu_caches():
    """The CPU model and cpu0's data/unified cache sizes, e.g. "CPU: Intel(R) Xeon(R) Processor;
    caches (cpu0, /sys): L1d 48K, L2 2048K, L3 307200K". Results depend on them (issue 19: the
    same RFM build runs 2x apart on an EPYC and a Xeon), so every report names them."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    caches = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    for index in sorted(glob.glob(os.path.join(base, "index*"))):
        def read(name):
            with open(os.path.join(index, name)) as f:
                return f.read().strip()
        try:
            kind, level, size = read("type"), read("level"), read("size")
        except OSError:
            continue
        if kind != "Instruction":
            caches.append(f"L{level}{'d' if kind == 'Data' else ''} {size}")
    return f"CPU: {model}; caches (cpu0, /sys): {', '.join(caches) or 'unknown'}."


def markdown(slots, processes, args, threads, compare_report, header):
    by = {(e.kind, e.threads): e for e in slots}
    mib = lambda b: f"{b / 2**20:.0f}" if b else "–"
    try:
        with open("/proc/loadavg") as f:
            load_end = " ".join(f.read().split()[:3])
    except OSError:
        load_end = "unknown"
    lines = [f"## Peer comparison: {args.rows_label} order lines", "",
             f"{header} {cpu_caches()} Load average at end: {load_end}.".strip(), "",
             f"Median ms (min–max) over {args.reps} timed repetitions after {args.warmup} "
             "warm-up, interleaved engine by engine; compute only (data loaded before timing, "
             "outputs materialized: salesight C++ vectors, DuckDB `CREATE TEMP TABLE ... AS`, "
             "pandas DataFrames). `floor` = one streaming read of the workload's minimal bytes "
             "(WORKLOADS.md) with T threads.", ""]
    cols = []
    have_py = any(e.kind == "python" for e in slots)
    for t in threads:
        cols += [("floor", t), ("salesight", t)] + ([("python", t)] if have_py else []) + [
            ("duckdb", t)]
        if t == 1:
            cols.append(("pandas", 1))
    names = {"floor": "floor", "salesight": "salesight", "python": "salesight Python",
             "duckdb": "DuckDB", "pandas": "pandas"}
    head = ["workload", "MB read"] + [f"{names[k]} {t}T" if k != "pandas" else "pandas"
                                      for k, t in cols]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|---|---:|" + "---:|" * len(cols))
    floor_bytes = {}
    for p in processes:
        if p.kind == "floor":
            floor_bytes = p.info.get("bytes", {})
    for w in args.workloads:
        mb = floor_bytes.get(w)
        row = [LABELS[w], f"{mb / 1e6:.1f}" if mb else "–"]
        row += [cell(by.get(c), w) for c in cols]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Ratios salesight / peer (medians of this run; < 1 means salesight is faster):",
              ""]
    rhead = ["workload"] + [f"vs DuckDB {t}T" for t in threads] + ["vs pandas (salesight 1T)"]
    if have_py:
        rhead += [f"Python vs DuckDB {t}T" for t in threads]
    lines.append("| " + " | ".join(rhead) + " |")
    lines.append("|---|" + "---:|" * (len(rhead) - 1))
    for w in args.workloads:
        row = [LABELS[w]]
        for t in threads:
            row.append(ratio(median(by.get(("salesight", t)), w), median(by.get(("duckdb", t)), w)))
        row.append(ratio(median(by.get(("salesight", 1)), w), median(by.get(("pandas", 1)), w)))
        if have_py:
            row += [ratio(median(by.get(("python", t)), w), median(by.get(("duckdb", t)), w))
                    for t in threads]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Memory per engine process (MiB; one process per engine serves every "
              "thread count; peak = ru_maxrss of the whole process: runtime + loaded data + "
              "work):", "",
              "| engine | version | load s (untimed) | RSS after load | peak RSS |",
              "|---|---|---:|---:|---:|"]
    for e in processes:
        load = e.info.get("load_ms")
        load_s = f"{load / 1000:.2f}" if load is not None else "–"
        lines.append(f"| {e.name} | {e.info.get('version', '')} | {load_s} | "
                     f"{mib(e.info.get('rss_after_load'))} | {mib(e.max_rss)} |")
    lines += ["", "Outputs compared row by row (integers exact, floats 1e-9 relative, "
              "NULL = NULL):", ""]
    for w in args.workloads:
        lines.append(f"- {LABELS[w]}: {compare_report.get(w, '–')}")
    return "\n".join(lines) + "\n"


def results_json(slots, args):
    """One record per (workload, engine, threads) for the size sweep
    (scripts/bench_peers.sh --sizes -> benchmarks/peers/sweep_report.py)."""
    records = []
    for e in slots:
        for w, t in e.times.items():
            if not t or w not in args.workloads:
                continue
            records.append({"rows": args.rows, "workload": w, "engine": e.kind,
                            "threads": e.threads, "median_ms": statistics.median(t),
                            "min_ms": min(t), "max_ms": max(t), "reps": len(t),
                            "peak_rss_bytes": e.process.max_rss,
                            "rss_after_load_bytes": e.process.info.get("rss_after_load")})
    return {"rows": args.rows, "ingest_rows": args.ingest_rows or args.rows,
            "header": args.header, "cpu": cpu_caches(), "records": records}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="exchange-format folder (salesight generate)")
    ap.add_argument("--csv", default="", help="orders.csv for the ingest workload")
    ap.add_argument("--out", required=True, help="run folder: per-engine CSVs, times, logs")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--salesight-bin", default="")
    ap.add_argument("--probe-bin", default="")
    ap.add_argument("--node", default="node")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--python-path", default="",
                    help="folder holding the salesight Python package (<build>/python); "
                         "empty: no salesight-through-Python engine")
    ap.add_argument("--engines", default="salesight python duckdb pandas floor")
    ap.add_argument("--workloads", default=" ".join(WORKLOADS))
    ap.add_argument("--as-of", type=int, default=19996)
    ap.add_argument("--header", default="", help="machine/date/commit line for the report")
    ap.add_argument("--rows-label", default="")
    ap.add_argument("--markdown", default="", help="also write the report here")
    ap.add_argument("--rows", type=int, default=0,
                    help="order lines of the data (recorded in results.json)")
    ap.add_argument("--ingest-rows", type=int, default=0,
                    help="lines of the --csv file (recorded in results.json)")
    args = ap.parse_args(argv[1:])
    threads = [int(t) for t in args.threads.split()]
    args.workloads = args.workloads.split()
    kinds = args.engines.split()
    if args.reps < 1 or args.warmup < 0 or not threads or min(threads) < 1:
        ap.error("--reps >= 1, --warmup >= 0, --threads positive integers")
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workloads {unknown}; valid: {WORKLOADS}")
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(args.out, exist_ok=True)
    log_dir = os.path.join(args.out, "logs")
    os.makedirs(log_dir, exist_ok=True)
    csv_args = ["--csv", args.csv] if args.csv else []
    common = ["--data", args.data, "--as-of", str(args.as_of)]

    names = {"salesight": "salesight", "python": "salesight Python", "duckdb": "DuckDB",
             "pandas": "pandas", "floor": "floor"}
    argvs = {
        "salesight": [args.salesight_bin, *common, *csv_args] if args.salesight_bin else None,
        "duckdb": [args.node, os.path.join(here, "duckdb_workloads.mjs"), *common, *csv_args],
        "pandas": [args.python, os.path.join(here, "pandas_workloads.py"), *common],
        "python": ([args.python, os.path.join(here, "python_workloads.py"), *common]
                   if args.python_path else None),
        "floor": [args.probe_bin, *common, *csv_args] if args.probe_bin else None,
    }
    processes, slots = [], []
    try:
        py_env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (args.python_path, here) if p))
        for kind in ("salesight", "python", "duckdb", "pandas", "floor"):
            if kind in kinds and argvs[kind]:
                env = py_env if kind == "python" else None
                processes.append(Process(names[kind], kind, argvs[kind], log_dir, env))
        # Loads run concurrently; timing starts only when every engine is ready.
        for p in processes:
            p.wait_ready()
            print(f"  {p.name}: loaded in {p.info.get('load_ms', 0) / 1000:.2f} s "
                  f"({p.info.get('version', '')})", file=sys.stderr)
        for t in threads:
            for p in processes:
                if p.kind != "pandas":
                    slots.append(Slot(p, t, args.out))
                elif t == threads[0]:
                    slots.append(Slot(p, 1, args.out))  # pandas is single-threaded
        total = args.warmup + args.reps
        for rep in range(total):
            timed, last = rep >= args.warmup, rep == total - 1
            for w in args.workloads:
                k = rep % len(slots)
                for e in slots[k:] + slots[:k]:
                    e.run(w, timed, write=last)
            print(f"  repetition {rep + 1}/{total}{'' if timed else ' (warm-up)'} done",
                  file=sys.stderr)
        for p in processes:
            p.finish()
        for e in slots:
            e.save_times()
    except EngineError as err:
        for p in processes:
            p.kill()
        print(f"FAILED: {err}", file=sys.stderr)
        return 1

    compare_report, failures = compare_all(slots, args.workloads)
    md = markdown(slots, processes, args, threads, compare_report, args.header)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(md)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results_json(slots, args), f, indent=1)
    print(md)
    if failures:
        print("FAILED: outputs differ:", file=sys.stderr)
        for m in failures:
            print("  " + m, file=sys.stderr)
        return 1
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(md)
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
