#!/usr/bin/python3
"""Checks that the peer harness's comparison (benchmarks/peers/run_peers.py)
fails when it should: a comparison that cannot fail would make "all engines
agree" meaningless. Plain asserts, stdlib only; exits non-zero on failure."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "benchmarks", "peers"))
import run_peers  # noqa: E402

COLUMNS = [("region_id", "int"), ("month", "int"), ("revenue", "int"), ("yoy", "float"),
           ("segment", "str")]
HEADER = "region_id,month,revenue,yoy,segment"
REF = [HEADER, "0,202401,1000,0.25,loyal", "0,202402,2000,,new", "1,202401,-5,1e-300,lost"]


def compare(lines):
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a.csv"), os.path.join(d, "b.csv")
        with open(a, "w") as f:
            f.write("\n".join(REF) + "\n")
        with open(b, "w") as f:
            f.write("\n".join(lines) + "\n")
        return run_peers.compare_table("t", COLUMNS, a, "A", b, "B")


def with_row(i, row):
    lines = list(REF)
    lines[i] = row
    return lines


def main():
    assert compare(REF) == [], compare(REF)
    # Floats within 1e-9 relative are equal; a NULL stays NULL.
    assert compare(with_row(1, "0,202401,1000,0.2500000000001,loyal")) == []
    cases = {
        "int off by one": with_row(1, "0,202401,1001,0.25,loyal"),
        "float beyond 1e-9": with_row(1, "0,202401,1000,0.2500001,loyal"),
        "NULL vs value": with_row(2, "0,202402,2000,0,new"),
        "value vs NULL": with_row(1, "0,202401,1000,,loyal"),
        "int column written as float": with_row(1, "0,202401,1000.0,0.25,loyal"),
        "NULL in int column": with_row(1, "0,202401,,0.25,loyal"),
        "string differs": with_row(3, "1,202401,-5,1e-300,at_risk"),
        "key differs": with_row(2, "0,202403,2000,,new"),
        "row missing": REF[:-1],
        "row extra": REF + ["2,202401,1,,lost"],
        "header differs": with_row(0, "region_id,month,revenue,yoy_pct,segment"),
        "ragged row": with_row(1, "0,202401,1000,0.25"),
    }
    failed = []
    for name, lines in cases.items():
        problems = compare(lines)
        if not problems:
            failed.append(name)
        elif name == "int off by one":
            msg = problems[0]
            assert "t row 0" in msg and "column revenue" in msg and "1001" in msg, msg
    # A missing file is a failure too.
    with tempfile.TemporaryDirectory() as d:
        assert run_peers.compare_table("t", COLUMNS, os.path.join(d, "x.csv"), "A",
                                       os.path.join(d, "y.csv"), "B")
    if failed:
        print("compare_selftest: mismatches NOT detected: " + ", ".join(failed))
        return 1
    print(f"compare_selftest: {len(cases) + 3} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
