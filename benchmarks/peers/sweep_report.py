#!/usr/bin/python3
"""The size sweep's one table (issue 19 item 7), from the results.json that
run_peers.py writes in each size's run folder (scripts/bench_peers.sh --sizes).

    sweep_report.py --csv OUT.csv --markdown OUT.md RUN_DIR...

CSV: one row per (lines, workload, engine, threads): median, min, max ms,
ns per line, the ratio to DuckDB at the same thread count (engine / DuckDB:
< 1 = faster), peak RSS of the engine's process. Markdown: per workload, one
row per size; the ratio columns are DuckDB / engine ("x faster"), as the
issue's goals are stated; "2T/1T" is salesight's 2-thread median over its
1-thread one (the goal: never above 1).
"""
import argparse
import csv
import json
import os
import sys

ENGINES = [("salesight", "C++"), ("python", "Python"), ("duckdb", "DuckDB"),
           ("pandas", "pandas")]
LABELS = {"rfm": "(a) RFM", "funnel": "(b) funnel", "margin": "(c) margin",
          "ar": "(d) AR aging", "trend": "(e) trends", "ingest": "ingest orders.csv"}
FIELDS = ["lines", "workload", "engine", "threads", "median_ms", "min_ms", "max_ms", "reps",
          "ns_per_line", "vs_duckdb_same_threads", "peak_rss_mib"]


def load(run_dirs):
    runs = []
    for d in run_dirs:
        with open(os.path.join(d, "results.json")) as f:
            runs.append(json.load(f))
    return sorted(runs, key=lambda r: r["rows"])


def keep(run, record):
    """Ingest reads its own orders.csv of min(N, 10^6) lines (bench_peers.sh):
    a size whose file is shorter than its data repeats a smaller size's ingest."""
    return record["workload"] != "ingest" or run.get("ingest_rows", run["rows"]) == run["rows"]


def rows_of(runs):
    out = []
    for run in runs:
        by = {(r["workload"], r["engine"], r["threads"]): r for r in run["records"]
              if keep(run, r)}
        for (w, e, t), r in sorted(by.items()):
            if e == "floor":
                continue
            duck = by.get((w, "duckdb", t))
            lines = run["rows"]
            out.append({
                "lines": lines, "workload": w, "engine": e, "threads": t,
                "median_ms": f"{r['median_ms']:.4f}", "min_ms": f"{r['min_ms']:.4f}",
                "max_ms": f"{r['max_ms']:.4f}", "reps": r["reps"],
                "ns_per_line": f"{r['median_ms'] * 1e6 / lines:.3f}",
                "vs_duckdb_same_threads": (f"{r['median_ms'] / duck['median_ms']:.4f}"
                                           if duck and e != "duckdb" else ""),
                "peak_rss_mib": (f"{r['peak_rss_bytes'] / 2**20:.0f}"
                                 if r.get("peak_rss_bytes") else ""),
            })
    return out


def fmt(ms):
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


def markdown(runs, threads):
    lines = ["# Peer harness: every workload at every size", "",
             "Median ms of each engine at each size (`scripts/bench_peers.sh --sizes`), "
             "compute only, engines interleaved; `x` columns = DuckDB median / engine median at "
             "the same thread count (the goal: >= 5 from 10^5 lines up); `2T/1T` = salesight "
             "C++ 2-thread median / 1-thread median (the goal: <= 1). pandas is single-threaded. "
             "Ingest reads an orders.csv of min(lines, 10^6) lines, so it has no row above 10^6.",
             ""]
    for run in runs:
        lines.append(f"- {run['rows']:,} lines: {run['header']}")
    lines.append("")
    workloads = []
    for run in runs:
        for r in run["records"]:
            if r["workload"] not in workloads:
                workloads.append(r["workload"])
    for w in [x for x in LABELS if x in workloads]:
        cols = [(e, t) for t in threads for e, _ in ENGINES if not (e == "pandas" and t != 1)]
        present = {(r["engine"], r["threads"]) for run in runs for r in run["records"]
                   if r["workload"] == w}
        cols = [c for c in cols if c in present]
        ratio_cols = [(e, t) for t in threads for e in ("salesight", "python")
                      if (e, t) in present and ("duckdb", t) in present]
        name = dict(ENGINES)
        head = (["lines"] + [f"{name[e]} {t}T" if e != "pandas" else "pandas" for e, t in cols]
                + [f"{name[e]} {t}T x" for e, t in ratio_cols])
        two = (("salesight", 1) in present and ("salesight", 2) in present)
        if two:
            head.append("2T/1T")
        lines += [f"## {LABELS[w]}", "", "| " + " | ".join(head) + " |",
                  "|" + "---:|" * len(head)]
        for run in runs:
            by = {(r["engine"], r["threads"]): r["median_ms"] for r in run["records"]
                  if r["workload"] == w and keep(run, r)}
            if not by:
                continue
            row = [f"{run['rows']:.0e}".replace("e+0", "e")]
            row += [fmt(by[c]) if c in by else "–" for c in cols]
            for e, t in ratio_cols:
                ok = (e, t) in by and ("duckdb", t) in by and by[(e, t)] > 0
                row.append(f"{by[('duckdb', t)] / by[(e, t)]:.1f}" if ok else "–")
            if two:
                ok = ("salesight", 1) in by and ("salesight", 2) in by
                row.append(f"{by[('salesight', 2)] / by[('salesight', 1)]:.2f}" if ok else "–")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("runs", nargs="+", help="run folders holding results.json")
    args = ap.parse_args(argv[1:])
    runs = load(args.runs)
    rows = rows_of(runs)
    with open(args.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    threads = sorted({r["threads"] for run in runs for r in run["records"]})
    md = markdown(runs, threads)
    with open(args.markdown, "w") as f:
        f.write(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
