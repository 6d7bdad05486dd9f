#!/usr/bin/python3
"""Evaluate `salesight drivers --leaves` against labelled root-cause sets and
the published reference implementations (RiskLoc authors' repository,
github.com/shaido987/riskloc: RiskLoc, AutoRoot, Squeeze, HotSpot, Adtributor,
recursive Adtributor).

A data directory holds one folder per labelled set, each with case files
<id>.csv (dimension columns, `real`, `predict`) and `injection_info.csv`
(`timestamp` = case id, `set` = the true causes "a=a1&b=b2;c=c3"), as the
public generator (generate_dataset.py) writes them.

Scoring is the papers' (utils/evaluation.py of the reference): a predicted
combination counts only on an exact match with a true one; per set, TP, FP
and FN are summed over cases and F1 = 2TP / (2TP + FP + FN). Time per case is
the localisation alone (the reference's run.py times the algorithm, not the
CSV read); salesight's process time with the CSV read is shown as well.

    /usr/bin/python3 scripts/eval_drivers.py --data /tmp/drivers_eval/data \
        --ref-dir /tmp/drivers_eval/ref --cli build/bin/salesight

References run in a subprocess each, with /usr/bin/python3 and Debian's
numpy/pandas/scipy; a case that exceeds --timeout seconds counts as a miss
(no prediction) and is listed. Squeeze imports `kneed` (not packaged by
Debian) for its KPI filter only: it runs here with enable_filter=False and a
stub module, and is labelled so. RobustSpot needs `kneed` for its search, so
it is skipped.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

REFERENCES = ["riskloc", "squeeze-nofilter", "hotspot", "autoroot", "adtributor", "r_adtributor"]


def normalise(combination):
    return "&".join(sorted(combination.split("&")))


def true_labels(label):
    return sorted(set(normalise(t) for t in label.split(";") if t))


def score(predicted, label):
    """TP, FP, FN as the reference's score_root_causes."""
    truth = true_labels(label)
    preds = sorted(set(normalise(p) for p in predicted))
    tp = sum(1 for t in truth if t in preds)
    return tp, max(len(preds) - tp, 0), len(truth) - tp


def cases_of(set_dir, limit):
    labels = {}
    with open(os.path.join(set_dir, "injection_info.csv"), newline="") as fh:
        for row in csv.DictReader(fh):
            labels[row["timestamp"]] = row["set"]
    ids = sorted(labels)[:limit] if limit else sorted(labels)
    return [(i, os.path.join(set_dir, i + ".csv"), labels[i]) for i in ids]


def run_salesight(cli, path, extra):
    with open(path, newline="") as fh:
        header = next(csv.reader(fh))
    dims = sorted(c for c in header if c not in ("real", "predict"))
    cmd = [cli, "drivers", "--leaves", path, "--dims", ",".join(dims), "--real", "real",
           "--forecast", "predict", "--out", "-"] + extra
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("salesight failed on %s: %s" % (path, proc.stderr))
    m = re.search(r"localise ([0-9.]+) ms", proc.stderr)
    rows = list(csv.DictReader(proc.stdout.splitlines()))
    return [r["combination"] for r in rows], float(m.group(1)) / 1000.0, wall


# ---- reference worker (runs inside a subprocess, cwd = the reference repo) ----

def reference_worker(algorithm, set_dir, limit, timeout):
    import random
    import signal
    import types
    import warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    if not hasattr(np, "bool"):
        # Squeeze's code uses np.bool, an alias removed in numpy 1.24 (Debian
        # 12 ships 1.24): the same builtin, restored so it runs unchanged.
        np.bool = bool
    # utils.run_utils imports every algorithm; only Squeeze's KPI filter and
    # RobustSpot call kneed, and neither runs here, so a stub that fails if
    # called keeps the rest importable.
    def no_kneed(*args, **kwargs):
        raise RuntimeError("kneed is not installed (not packaged by Debian)")
    stub = types.ModuleType("kneed")
    stub.KneeLocator = no_kneed
    sys.modules["kneed"] = stub
    sys.path.insert(0, os.getcwd())
    from utils.run_utils import read_dataframe, run_method
    from utils.evaluation import root_cause_postprocessing

    class Timeout(Exception):
        pass

    def on_alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    name, args = algorithm, {}
    if algorithm == "squeeze-nofilter":
        name, args = "squeeze", {"enable_filter": False}
    for case_id, path, label in cases_of(set_dir, limit):
        random.seed(0)
        np.random.seed(0)
        df, attributes, df_a, df_b = read_dataframe(set_dir, case_id, False, False)
        devnull = open(os.devnull, "w")
        saved = sys.stdout
        sys.stdout = devnull  # the references print progress
        signal.alarm(timeout)
        start = time.perf_counter()
        timed_out = False
        try:
            root_causes = run_method(df, [df_a, df_b], attributes, name, args, False, False)
            preds = list(root_cause_postprocessing(root_causes, name))
        except Timeout:
            preds, timed_out = [], True
        finally:
            signal.alarm(0)
            elapsed = time.perf_counter() - start
            sys.stdout = saved
            devnull.close()
        print(json.dumps({"case": case_id, "preds": [str(p) for p in preds],
                          "seconds": elapsed, "timeout": timed_out}), flush=True)


def run_reference(algorithm, set_dir, limit, timeout, ref_dir, cache):
    """The worker's per-case results; kept in `cache` (if given) so a rerun of
    salesight alone does not rerun references that take minutes per set."""
    cached = os.path.join(cache, "%s-%s-%d-%d.jsonl" % (
        os.path.basename(os.path.normpath(set_dir)), algorithm, limit, timeout)) if cache else ""
    if cached and os.path.exists(cached):
        with open(cached) as fh:
            return [json.loads(l) for l in fh if l.startswith("{")], None
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", algorithm, "--worker-set",
           os.path.abspath(set_dir), "--cases", str(limit), "--timeout", str(timeout)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ref_dir)
    if proc.returncode != 0:
        return None, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
    if cached:
        os.makedirs(cache, exist_ok=True)
        with open(cached, "w") as fh:
            fh.write(proc.stdout)
    return [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")], None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="folder of labelled sets (one subfolder each)")
    ap.add_argument("--sets", default="", help="comma list of set folders (default: all)")
    ap.add_argument("--cli", default="build/bin/salesight")
    ap.add_argument("--ref-dir", default="", help="the reference repository (empty: salesight only)")
    ap.add_argument("--algorithms", default=",".join(REFERENCES))
    ap.add_argument("--cases", type=int, default=0, help="first N cases of each set (0 = all)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per reference case")
    ap.add_argument("--timeout-for", default="", help="per reference, e.g. riskloc=600,hotspot=60")
    ap.add_argument("--cases-for", default="", help="per reference, e.g. hotspot=10 (fewer cases)")
    ap.add_argument("--cache", default="", help="folder keeping reference results between runs")
    ap.add_argument("--json", default="", help="write every per-case result here")
    ap.add_argument("--worker", default="", help=argparse.SUPPRESS)
    ap.add_argument("--worker-set", default="", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        reference_worker(a.worker, a.worker_set, a.cases, a.timeout)
        return
    sets = [s for s in a.sets.split(",") if s] or sorted(
        d for d in os.listdir(a.data) if os.path.isfile(os.path.join(a.data, d, "injection_info.csv")))
    algorithms = [x for x in a.algorithms.split(",") if x] if a.ref_dir else []
    table, everything = [], []
    for s in sets:
        set_dir = os.path.join(a.data, s)
        cases = cases_of(set_dir, a.cases)
        with open(cases[0][1]) as fh:
            leaves = sum(1 for _ in fh) - 1
        tot = [0, 0, 0]
        secs, walls = [], []
        for case_id, path, label in cases:
            preds, seconds, wall = run_salesight(a.cli, path, [])
            tp, fp, fn = score(preds, label)
            tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
            secs.append(seconds)
            walls.append(wall)
            everything.append({"set": s, "method": "salesight", "case": case_id, "label": label,
                               "preds": preds, "seconds": seconds, "tp": tp, "fp": fp, "fn": fn})
        ms = 1000 * sum(secs) / len(secs)
        table.append((s, len(cases), leaves, "salesight", tot, ms, 1000 * sum(walls) / len(walls), 0, ""))
        base_ms = ms
        print("%s: salesight F1 %.3f, %.3f ms/case" % (s, f1(tot), ms), file=sys.stderr, flush=True)
        for alg in algorithms:
            limits = dict(x.split("=") for x in a.timeout_for.split(",") if x)
            timeout = int(limits.get(alg, a.timeout))
            counts = dict(x.split("=") for x in a.cases_for.split(",") if x)
            results, err = run_reference(alg, set_dir, int(counts.get(alg, a.cases)), timeout,
                                         a.ref_dir, a.cache)
            if results is None:
                table.append((s, len(cases), leaves, alg, None, None, None, 0, err))
                print("%s: %s failed: %s" % (s, alg, err), file=sys.stderr, flush=True)
                continue
            labels = {c[0]: c[2] for c in cases}
            rtot, rsecs, timeouts = [0, 0, 0], [], 0
            done, ours_done = [0, 0, 0], [0, 0, 0]  # over the cases the reference finished
            ours = {x["case"]: x for x in everything if x["set"] == s and x["method"] == "salesight"}
            for r in results:
                tp, fp, fn = score(r["preds"], labels[r["case"]])
                rtot = [rtot[0] + tp, rtot[1] + fp, rtot[2] + fn]
                if not r["timeout"]:
                    done = [done[0] + tp, done[1] + fp, done[2] + fn]
                    o = ours[r["case"]]
                    ours_done = [ours_done[0] + o["tp"], ours_done[1] + o["fp"], ours_done[2] + o["fn"]]
                rsecs.append(r["seconds"])
                timeouts += r["timeout"]
                everything.append(dict(r, set=s, method=alg, tp=tp, fp=fp, fn=fn))
            rms = 1000 * sum(rsecs) / len(rsecs)
            table.append((s, len(results), leaves, alg, rtot, rms, (done, ours_done), timeouts, timeout))
            print("%s: %s F1 %.3f, %.1f ms/case (%.0fx salesight's time)%s" % (
                s, alg, f1(rtot), rms, rms / base_ms, ", %d timeouts" % timeouts if timeouts else ""),
                file=sys.stderr, flush=True)
    print("| set | cases | leaves | method | F1 | TP/FP/FN | ms per case | x salesight time |")
    print("|---|---|---|---|---|---|---|---|")
    base = {}
    for s, n, leaves, method, tot, ms, wall, timeouts, err in table:
        if method == "salesight":
            base[s] = ms
            print("| %s | %d | %d | **salesight** | **%.3f** | %d/%d/%d | %.2f (process incl. CSV read: %.0f) | 1 |"
                  % (s, n, leaves, f1(tot), tot[0], tot[1], tot[2], ms, wall))
        elif tot is None:
            print("| %s | %d | %d | %s | failed: %s | | | |" % (s, n, leaves, method, err))
        else:
            note = ""
            done, ours_done = wall
            if timeouts == n:
                note = " (all %d cases over %d s, counted as misses)" % (n, err)
            elif timeouts:
                note = " (%d timeouts at %d s, counted as misses; on the %d finished cases: %.3f vs salesight %.3f)" % (
                    timeouts, err, n - timeouts, f1(done), f1(ours_done))
            elif n != len(cases_of(os.path.join(a.data, s), a.cases)):
                note = " (salesight on these %d cases: %.3f)" % (n, f1(ours_done))
            print("| %s | %d | %d | %s | %.3f%s | %d/%d/%d | %.1f | %.0f |" % (
                s, n, leaves, method, f1(tot), note, tot[0], tot[1], tot[2], ms, ms / base[s]))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(everything, fh, indent=1)


def f1(tot):
    tp, fp, fn = tot
    return 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 1.0


if __name__ == "__main__":
    main()
