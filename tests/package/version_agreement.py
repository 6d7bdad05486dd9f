"""ctest: every place that states salesight's version states capi/salesight.h's.

The version is written once, in the header's SALESIGHT_VERSION_* macros;
CMake's project(VERSION), the CLI's --version, the built library
(salesight_version_string, through the Python module), the Python package's
__version__ and the pip metadata (setup.py --version) must all agree with it.

    version_agreement.py --header capi/salesight.h --cmake-version X.Y.Z
        [--cli build/bin/salesight] [--python-path build/python]
        [--setup-dir bindings/python]
"""
import argparse
import os
import re
import subprocess
import sys


def header_version(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    macro = dict(re.findall(r"^#define SALESIGHT_VERSION_(MAJOR|MINOR|PATCH) +([0-9]+)$",
                            text, re.M))
    string = re.search(r'^#define SALESIGHT_VERSION_STRING +"([^"]*)"$', text, re.M)
    assert len(macro) == 3 and string, "%s: SALESIGHT_VERSION_* macros not found" % path
    version = "%s.%s.%s" % (macro["MAJOR"], macro["MINOR"], macro["PATCH"])
    return version, {"header SALESIGHT_VERSION_STRING": string.group(1)}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout.strip()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--header", required=True)
    p.add_argument("--cmake-version", required=True)
    p.add_argument("--cli")
    p.add_argument("--python-path")
    p.add_argument("--setup-dir")
    a = p.parse_args()

    want, said = header_version(a.header)
    said["CMake PROJECT_VERSION"] = a.cmake_version
    if a.cli:
        out = run([a.cli, "--version"])
        said["salesight --version"] = out[len("salesight "):] if out.startswith(
            "salesight ") else out
    if a.python_path:
        env = dict(os.environ, PYTHONPATH=a.python_path, PYTHONDONTWRITEBYTECODE="1")
        out = run([sys.executable, "-c",
                   "import salesight, salesight._salesight as m; "
                   "print(salesight.__version__); print(m.version_string()); "
                   "print(m.HEADER_VERSION_STRING)"], env=env).splitlines()
        said["Python salesight.__version__"] = out[0]
        said["library salesight_version_string()"] = out[1]
        said["Python module's HEADER_VERSION_STRING"] = out[2]
    if a.setup_dir:
        # the pip metadata: setup.py reads the header (pyproject: dynamic version)
        said["setup.py --version"] = run([sys.executable, "setup.py", "--version"],
                                         cwd=a.setup_dir).splitlines()[-1]
    wrong = {k: v for k, v in said.items() if v != want}
    for k, v in said.items():
        print("%-40s %s%s" % (k, v, "" if v == want else "   <- header says " + want))
    if wrong:
        sys.exit("version disagreement with %s (%s)" % (a.header, want))
    print("all %d agree with %s: %s" % (len(said), a.header, want))


if __name__ == "__main__":
    main()
