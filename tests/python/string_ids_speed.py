"""Issue 19 item 7: salesight.rfm with text customer ids, the library's
interning (salesight_interned_create, through _salesight.intern_strings)
against the pd.factorize path it replaces, on the generator's orders (the
ids as "C-0000123" text, as tests/python/overhead.py makes them).

Not a test (no timing assertion anywhere): run it by hand. The variants are
interleaved per round; medians of `--rounds` of wall and process CPU time
(all threads).

  <build>/bin/salesight generate --rows 1e7 --format bin --out /tmp/s7
  PYTHONPATH=<build>/python /usr/bin/python3 tests/python/string_ids_speed.py /tmp/s7
"""
import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd

import salesight
from salesight import _frame, _salesight
from overhead import load


def measure(f):
    wall, cpu = time.perf_counter(), time.process_time()
    f()
    return time.perf_counter() - wall, time.process_time() - cpu


def factorize_path(df, kw):
    """salesight.rfm as before: the text ids factorized by pandas."""
    interned = _frame._interned
    _frame._interned = lambda series, threads: None
    try:
        return salesight.rfm(df, **kw)
    finally:
        _frame._interned = interned


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    df = load(args.folder)
    codes = np.array(["C-%07d" % i for i in range(int(df["customer_id"].max()) + 1)], dtype=object)
    sdf = df.assign(customer_id=codes[df["customer_id"].to_numpy()])
    values = sdf["customer_id"].to_numpy()
    kw = dict(customer="customer_id", date="order_date", amount="amount_cents", order="order_id",
              as_of="2024-09-30", scoring="ntile", segments="workload",
              all_lines_are_purchases=True, money="minor")
    variants = {
        "pd.factorize(sort=True)": lambda: pd.factorize(sdf["customer_id"], sort=True),
        "library (_frame._interned) 1T": lambda: _frame._interned(sdf["customer_id"], 1),
        "library (_frame._interned) 2T": lambda: _frame._interned(sdf["customer_id"], 2),
        "  of which intern_strings 1T": lambda: _salesight.intern_strings(values, 1),
        "rfm before (pd.factorize) 1T": lambda: factorize_path(sdf, dict(kw, num_threads=1)),
        "rfm after (interned) 1T": lambda: salesight.rfm(sdf, **kw, num_threads=1),
        "rfm after (interned) 2T": lambda: salesight.rfm(sdf, **kw, num_threads=2),
    }
    pd.testing.assert_frame_equal(variants["rfm before (pd.factorize) 1T"](),
                                  variants["rfm after (interned) 2T"]())
    times = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, f in variants.items():
            times[name].append(measure(f))
    print("rows %d, %d distinct ids, load %s" % (len(sdf), len(codes),
                                                 " ".join("%.2f" % l for l in os.getloadavg())))
    for name, runs in times.items():
        print("%-32s wall %8.1f ms  cpu %8.1f ms" % (
            name, statistics.median(w for w, _ in runs) * 1e3,
            statistics.median(c for _, c in runs) * 1e3))


if __name__ == "__main__":
    main()
