#!/usr/bin/python3
"""BG/NBD: salesight's fit against SciPy fitting the same likelihood on the
same summary (issue 18). salesight builds the summary (from CDNOW_master.txt
by default: weeks, same-day purchases merged, calibration end 1997-09-30) and
writes it out; SciPy then fits lifetimes' BG/NBD log-likelihood on exactly
those rows with Nelder-Mead (lifetimes' method) and L-BFGS-B, both on
log-parameters from 1, 1, 1, 1. Exit status 1 if salesight's
log-likelihood is worse than SciPy's best by more than 1e-6.

  benchmarks/peers/clv_scipy_compare.py --bin build/bin/salesight_clv_fit \
      [--master tests/data/cdnow/CDNOW_master.txt | --summary FILE]

Needs python3-scipy (scripts/setup.sh --bench).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    from scipy.optimize import minimize
    from scipy.special import gammaln
except ImportError:  # ctest counts exit code 77 as skipped
    print("skipped: python3-scipy is not installed (scripts/setup.sh --bench)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
CDNOW = os.path.join(HERE, "..", "..", "tests", "data", "cdnow")


def negative_log_likelihood(log_params, x, tx, T):
    """lifetimes' BetaGeoFitter._negative_log_likelihood (mean), no penalty."""
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return -np.mean(a1 + a2 + np.logaddexp(a3, a4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="salesight_clv_fit")
    ap.add_argument("--master", default=os.path.join(CDNOW, "CDNOW_master.txt"))
    ap.add_argument("--summary", help="a lifetimes-format summary CSV instead of --master")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "summary.csv")
        cmd = [args.bin, "--summary-out", out]
        cmd += ["--summary", args.summary] if args.summary else ["--master", args.master]
        ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        data = np.genfromtxt(out, delimiter=",", skip_header=1)
    x, tx, T = data[:, 1], data[:, 2], data[:, 3]
    n = len(x)
    rows = [("salesight BFGS", ours["log_likelihood"], ours["ms"],
             [ours[k] for k in ("r", "alpha", "a", "b")], ours["status"])]
    for method, opts in (("Nelder-Mead", {"maxiter": 20000, "xatol": 1e-10, "fatol": 1e-14}),
                         ("L-BFGS-B", {"maxiter": 20000, "ftol": 1e-15, "gtol": 1e-12})):
        t0 = time.perf_counter()
        res = minimize(negative_log_likelihood, np.zeros(4), args=(x, tx, T), method=method, options=opts)
        ms = (time.perf_counter() - t0) * 1000
        rows.append(("scipy " + method, -res.fun * n, ms, list(np.exp(res.x)), "ok" if res.success else res.message))
    print(f"BG/NBD on {n} customers")
    print(f"{'fit':<20} {'log-likelihood':>16} {'ms':>10}  r, alpha, a, b")
    for name, ll, ms, p, status in rows:
        print(f"{name:<20} {ll:16.6f} {ms:10.1f}  {', '.join(f'{v:.6f}' for v in p)}  [{status}]")
    best_scipy = max(r[1] for r in rows[1:])
    if ours["log_likelihood"] < best_scipy - 1e-6:
        print(f"FAIL: salesight's log-likelihood is below SciPy's best ({best_scipy:.6f})")
        return 1
    print("OK: salesight's log-likelihood is at least as good as SciPy's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
