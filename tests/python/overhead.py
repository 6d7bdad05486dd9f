"""Issue 6 item 8: salesight.rfm on a 10^7-row DataFrame (int64 ids and
amounts, datetime64[ns] dates) against the C++ benchmark of the same work
(tests/capi/capi_benchmark.cpp, WORKLOADS.md (a) on the bundled sample):

  BM_RfmCppTable  ComputeRfm + ToResultTable on an OrderLines already in the
                  library's layout (int32 ids, int32 days): the C++ floor
  BM_RfmCapiWide  through the C ABI from int64 ids and datetime64[ns] dates,
                  the DataFrame's dtypes (narrowed by the table builder)

The engines are interleaved: each round runs salesight.rfm `--repeat` times
and then the C++ benchmark once; the ratios are of the medians over rounds.
Not a test (no timing assertion anywhere): run it by hand.

  <build>/bin/salesight generate --rows 1e7 --format bin --out /tmp/s7
  PYTHONPATH=<build>/python /usr/bin/python3 tests/python/overhead.py /tmp/s7 \\
      --bench <build>/bin/salesight_capi_benchmark [--threads 1] [--rounds 5] [--skip-strings]
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import numpy as np
import pandas as pd

import salesight
from salesight import _frame, _money, _salesight


CPU = {}  # label -> median process CPU seconds (all threads) of the last timed() of it


def timed(f, repeat, label=None):
    """(median wall seconds, last result) of `repeat` runs; the median
    process CPU time goes to CPU[label] (on a loaded machine wall time
    includes waiting for a core)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if label is not None:
        CPU[label] = statistics.median(cpu)
    return statistics.median(times), out


def cpp_times(bench, rows, threads):
    """Google Benchmark real times (seconds) of the C++ entries, one process."""
    filt = "BM_RfmCpp(Table)?/%d/%d/|BM_RfmCapiWide/%d/%d/" % (rows, threads, rows, threads)
    out = subprocess.run([bench, "--benchmark_filter=" + filt, "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        times[b["name"].split("/")[0]] = b["real_time"] * scale
    return times


def load(folder):
    col = lambda name, dtype: np.fromfile(os.path.join(folder, "orders", name + ".bin"), dtype)
    return pd.DataFrame({
        "order_id": col("order_id", np.int64),
        "customer_id": col("customer_id", np.int32).astype(np.int64),
        "order_date": (col("order_date", np.int32).astype(np.int64) * 86_400_000_000_000)
        .view("datetime64[ns]"),
        "amount_cents": col("amount_cents", np.int64),
    })


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--bench", help="salesight_capi_benchmark, for the C++ side")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-strings", action="store_true",
                    help="leave out the string-id part (10^7 Python strings: slow to make)")
    args = ap.parse_args()
    df = load(args.folder)
    rows = len(df)
    print("rows %d, threads %d, library %s" % (rows, args.threads, salesight.__version__))
    kw = dict(customer="customer_id", date="order_date", amount="amount_cents", order="order_id",
              as_of="2024-09-30", scoring="ntile", segments="workload",
              all_lines_are_purchases=True, money="minor", num_threads=args.threads)

    py, cpp = [], {}
    for _ in range(args.rounds):
        t, res = timed(lambda: salesight.rfm(df, **kw), args.repeat, "rfm")
        py_cpu = CPU["rfm"]
        py.append(t)
        if args.bench:
            for name, value in cpp_times(args.bench, rows, args.threads).items():
                cpp.setdefault(name, []).append(value)
    py_med = statistics.median(py)
    print("salesight.rfm: median %.1f ms (rounds: %s), %d customers; CPU %.1f ms (last round)"
          % (py_med * 1e3, ", ".join("%.1f" % (t * 1e3) for t in py), len(res), py_cpu * 1e3))
    for name, values in sorted(cpp.items()):
        med = statistics.median(values)
        print("%-15s median %.1f ms -> salesight.rfm / %s = %.2fx"
              % (name, med * 1e3, name, py_med / med))

    # Where the Python call's time goes: the same steps as _frame.rfm, one by one.
    cust = _frame._Codes(df["customer_id"], "customer")
    columns = [("order_id", 2, df["order_id"].to_numpy(), None, None), cust.column("customer"),
               ("order_date",) + _frame._date_column(df["order_date"], "date") + (None,),
               _money.MoneyColumn(df["amount_cents"], "amount", "amount").spec(2, 2)]
    t_codes, _ = timed(lambda: _frame._Codes(df["customer_id"], "customer"), args.repeat, "codes")
    t_build, table = timed(lambda: _salesight.build_table(1, columns, 2, num_threads=args.threads),
                           args.repeat, "build")
    opts = {"as_of": 19996, "scoring": 1, "segments": 2, "all_lines_are_purchases": 1,
            "num_threads": args.threads}
    t_compute, result = timed(lambda: _salesight.rfm(table, opts), args.repeat, "compute")
    t_frame, _ = timed(lambda: _frame._to_frame(result, {"customer": cust.decode},
                                                 categorical=("segment",), money="minor"),
                       args.repeat, "frame")
    print("  (wall; CPU: %s)" % ", ".join("%s %.1f ms" % (k, v * 1e3) for k, v in CPU.items()))
    print("  id range check (dense ids pass through):                  %.1f ms" % (t_codes * 1e3))
    print("  table from columns (datetime64 -> days, int64 ids -> int32): %.1f ms"
          % (t_build * 1e3))
    print("  salesight_rfm_compute (compute + result table):              %.1f ms"
          % (t_compute * 1e3))
    print("  result -> DataFrame (zero-copy views, ids back, categorical): %.1f ms"
          % (t_frame * 1e3))

    if args.skip_strings:
        return
    # String ids: the factorization is reported separately.
    codes = np.array(["C-%07d" % i for i in range(int(df["customer_id"].max()) + 1)], dtype=object)
    sdf = df.assign(customer_id=codes[df["customer_id"].to_numpy()])
    t_fact, _ = timed(lambda: pd.factorize(sdf["customer_id"], sort=True), 3)
    t_str, _ = timed(lambda: salesight.rfm(sdf, **kw), 3)
    print("string ids: pandas.factorize(sort=True) %.1f ms; salesight.rfm total %.1f ms"
          % (t_fact * 1e3, t_str * 1e3))


if __name__ == "__main__":
    main()
