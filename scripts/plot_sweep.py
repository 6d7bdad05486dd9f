#!/usr/bin/python3
"""The cost-vs-size plot of the peer harness's size sweep (issue 19 item 7).

    /usr/bin/python3 scripts/plot_sweep.py SWEEP.csv OUT.png

SWEEP.csv is benchmarks/peers/sweep_report.py's (scripts/bench_peers.sh
--sizes writes both). One panel per workload: nanoseconds per order line
(median) against lines, log-log; salesight C++, salesight through Python,
DuckDB and pandas, solid = 1 thread, dashed = 2 threads. Needs Debian's
python3-matplotlib (scripts/setup.sh --bench); renders off-screen (Agg).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend)

WORKLOADS = [("rfm", "(a) RFM"), ("funnel", "(b) funnel"), ("margin", "(c) margin"),
             ("ar", "(d) AR aging"), ("trend", "(e) trends"), ("ingest", "ingest orders.csv")]
ENGINES = [("salesight", "salesight C++", "tab:blue"), ("python", "salesight Python", "tab:cyan"),
           ("duckdb", "DuckDB", "tab:orange"), ("pandas", "pandas", "tab:gray")]
STYLE = {1: "-", 2: "--"}


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    series = {}
    for r in rows:
        key = (r["workload"], r["engine"], int(r["threads"]))
        series.setdefault(key, []).append((int(r["lines"]), float(r["ns_per_line"])))
    present = [w for w in WORKLOADS if any(k[0] == w[0] for k in series)]
    cols = 3
    nrows = (len(present) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5 * cols, 4 * nrows), squeeze=False)
    for ax, (w, title) in zip(axes.flat, present):
        for engine, label, color in ENGINES:
            for t, style in STYLE.items():
                pts = sorted(series.get((w, engine, t), []))
                if not pts:
                    continue
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, color=color,
                        marker="o", markersize=3, label=f"{label} {t}T")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("order lines")
        ax.set_ylabel("ns per line (median)")
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(present):]:
        ax.axis("off")
    handles, labels = [], []
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False)
    fig.suptitle("Cost per order line vs size (scripts/bench_peers.sh --sizes; "
                 "solid 1 thread, dashed 2 threads)")
    fig.tight_layout(rect=(0, 0.07, 1, 0.96))
    fig.savefig(argv[2], dpi=90)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
