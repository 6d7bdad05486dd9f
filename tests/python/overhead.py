"""Issue 6 item 8: salesight.rfm on a 10^7-row DataFrame (int64 ids and
amounts, datetime64[ns] dates) against the C++ benchmark of the same work
(tests/capi/capi_benchmark.cpp: BM_RfmCpp / BM_RfmCppTable / BM_RfmCapi,
WORKLOADS.md (a) on the bundled sample). Not a test: run it by hand on a quiet
machine.

  <build>/bin/salesight generate --rows 1e7 --format bin --out /tmp/s7
  PYTHONPATH=<build>/python /usr/bin/python3 tests/python/overhead.py /tmp/s7 [threads] [--cpu]
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

import salesight
from salesight import _frame, _salesight


CLOCK = time.perf_counter


def best(f, repeat=5):
    """(min, median, last result) of `repeat` runs on CLOCK: wall time by
    default, process CPU time with --cpu (for a machine shared with other
    jobs; compare with Google Benchmark's CPU column at 1 thread)."""
    times = []
    for _ in range(repeat):
        t = CLOCK()
        out = f()
        times.append(CLOCK() - t)
    return min(times), sorted(times)[len(times) // 2], out


def main():
    global CLOCK
    args = [a for a in sys.argv[1:] if a != "--cpu"]
    if "--cpu" in sys.argv:
        CLOCK = time.process_time
    folder = args[0]
    threads = int(args[1]) if len(args) > 1 else 2
    meta = json.load(open(os.path.join(folder, "meta.json")))
    col = lambda name, dtype: np.fromfile(os.path.join(folder, "orders", name + ".bin"), dtype)
    df = pd.DataFrame({
        "order_id": col("order_id", np.int64),
        "customer_id": col("customer_id", np.int32).astype(np.int64),
        "order_date": (col("order_date", np.int32).astype(np.int64) * 86_400_000_000_000)
        .view("datetime64[ns]"),
        "amount_cents": col("amount_cents", np.int64),
    })
    print("rows", len(df), "seed", meta.get("seed"), "threads", threads)
    kw = dict(customer="customer_id", date="order_date", amount="amount_cents", order="order_id",
              as_of="2024-09-30", scoring="ntile", segments="workload",
              all_lines_are_purchases=True, money="minor", num_threads=threads)
    total_min, total_med, res = best(lambda: salesight.rfm(df, **kw))
    print("salesight.rfm total: min %.1f ms, median %.1f ms, %d customers"
          % (total_min * 1e3, total_med * 1e3, len(res)))

    # Breakdown: the same steps as _frame.rfm, timed one by one.
    cust = _frame._Codes(df["customer_id"], "customer")
    columns = [("order_id", 2, df["order_id"].to_numpy(), None, None), cust.column("customer"),
               ("order_date",) + _frame._date_column(df["order_date"], "date") + (None,),
               ("amount",) + _frame._money_column(df["amount_cents"], "amount") + (None,)]
    t_build, _, table = best(lambda: _salesight.build_table(1, columns, 2))
    opts = {"as_of": 19996, "scoring": 1, "segments": 2, "all_lines_are_purchases": 1,
            "num_threads": threads}
    t_compute, _, result = best(lambda: _salesight.rfm(table, opts))
    t_frame, _, _ = best(lambda: _frame._to_frame(result, {"customer": cust.decode},
                                                  categorical=("segment",), money="minor"))
    print("  table from columns (datetime64 -> days, int64 ids -> int32): %.1f ms"
          % (t_build * 1e3))
    print("  salesight_rfm_compute (compute + result table):              %.1f ms"
          % (t_compute * 1e3))
    print("  result -> DataFrame (ids back, segment categorical):         %.1f ms"
          % (t_frame * 1e3))

    # String ids: the factorization is reported separately.
    codes = np.array(["C-%07d" % i for i in range(int(df["customer_id"].max()) + 1)], dtype=object)
    sdf = df.assign(customer_id=codes[df["customer_id"].to_numpy()])
    t_fact, _, _ = best(lambda: pd.factorize(sdf["customer_id"], sort=True), repeat=3)
    t_str, _, _ = best(lambda: salesight.rfm(sdf, **kw), repeat=3)
    print("string ids: pandas.factorize(sort=True) %.1f ms; salesight.rfm total %.1f ms"
          % (t_fact * 1e3, t_str * 1e3))


if __name__ == "__main__":
    main()
