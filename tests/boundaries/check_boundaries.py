#!/usr/bin/python3
"""The include rules of docs/ARCHITECTURE.md ("House rules"), checked.

  check_boundaries.py ROOT [INCLUDE_DIRS_FILE]   exit 1 and list every violation
  check_boundaries.py --selftest                 each rule fires on a tree that breaks it

Rules (each violation names the file, line, include and rule):
  public-paths  capi/, bindings/ and the CLI (src/cli/) include no private
                header of src/: only include/ and capi/ are public include paths.
  bindings      bindings use the C ABI only (salesight.h, no salesight/*.hpp).
  core          nothing in src/core/ reaches, through any chain of includes, a
                header above the core (a calculator, the tables, ingest) or a
                private header of another src/ folder.
  tables        src/tables/ and salesight/tables.hpp reach no calculator header.
  calculators   a calculator folder includes private headers of its own folder
                and src/core/ only, and no ingest, C ABI or CLI header.
  cmake         (with INCLUDE_DIRS_FILE, written by CMake at generate time) no
                listed target has src/ among its include directories.
  standalone    no source or document points outside the repository (a
                path into the build machine's shared folder or workspace): the
                design documents are docs/.
"""
import os
import re
import sys
import tempfile

# The layers of src/; every other folder of src/ is a calculator, so a new
# calculator needs no line here. Calculator headers: salesight/<folder>.hpp of
# each, and these public headers of calculators named otherwise.
LAYER_DIRS = {"core", "tables", "ingest", "dataset", "output", "sample", "cli", "calculators"}
OTHER_CALCULATOR_HEADERS = {f"salesight/{n}.hpp" for n in
                            ("btyd", "quote_check", "partial_state")}
INGEST_HEADERS = {"salesight/csv.hpp", "salesight/sample.hpp"}
# Above the core: everything the core must not reach.

SOURCE_EXT = (".h", ".hpp", ".c", ".cc", ".cpp")
TEXT_EXT = SOURCE_EXT + (".md", ".py", ".sh", ".mjs", ".txt", ".cmake", ".in", ".toml")
# Built from parts so that this file does not contain the paths it forbids.
_SHARED, _WORKSPACE = "../" + "shared/", "/" + "work/"
OUTSIDE_RE = re.compile(re.escape(_SHARED) + "|" + re.escape(_WORKSPACE))
# Not scanned for outside paths: build trees, installed npm packages, and the
# ABI baseline (abidw records the compile directory of whoever generated it).
STANDALONE_SKIP = {".git", "node_modules", "abi"}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def includes(path):
    """(line number, included name) of every #include in the file."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE_RE.match(line)
            if m:
                out.append((n, m.group(1)))
    return out


def sources(root, rel):
    top = os.path.join(root, rel)
    if os.path.isfile(top):
        return [top]
    found = []
    for d, _, files in os.walk(top):
        found += [os.path.join(d, f) for f in sorted(files) if f.endswith(SOURCE_EXT)]
    return sorted(found)


class Checker:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        src = os.path.join(self.root, "src")
        self.src_dirs = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
        self.errors = []

    def rel(self, path):
        return os.path.relpath(path, self.root)

    def fail(self, path, line, name, rule, why):
        self.errors.append(f"{self.rel(path)}:{line}: includes \"{name}\": [{rule}] {why}")

    def private_dir(self, name):
        """The src/ folder a private include names ("rfm/internal.hpp" -> "rfm"), or None."""
        head = name.split("/", 1)[0]
        return head if "/" in name and head in self.src_dirs else None

    def resolve(self, from_file, name):
        """The repository file an include names, or None (system/third-party)."""
        for base in (os.path.dirname(from_file), os.path.join(self.root, "include"),
                     os.path.join(self.root, "src"), os.path.join(self.root, "capi")):
            p = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(p) and p.startswith(self.root + os.sep):
                return p
        return None

    def reach(self, start, stop):
        """(include name, chain of includes) of everything `start` reaches,
        transitively; the walk does not go on past a name for which stop(name)
        holds (one report per offending chain)."""
        seen, chains, stack = set(), [], [(start, [])]
        while stack:
            f, chain = stack.pop()
            for _, name in includes(f):
                target = self.resolve(f, name) or name  # an unresolved name is still reached
                if target in seen:
                    continue
                seen.add(target)
                path = chain + [name]
                chains.append((name, path))
                if os.path.isfile(target) and not stop(name):
                    stack.append((target, path))
        return chains

    def check_public_paths(self):
        for rel in ("capi", "bindings", "src/cli"):
            for f in sources(self.root, rel):
                for line, name in includes(f):
                    d = self.private_dir(name)
                    if d is not None and not (rel == "src/cli" and d == "cli"):
                        self.fail(f, line, name, "public-paths",
                                  f"src/{d}/ is private; only include/ and capi/ are public")

    def check_bindings(self):
        for f in sources(self.root, "bindings"):
            for line, name in includes(f):
                if name.startswith("salesight/"):
                    self.fail(f, line, name, "bindings",
                              "bindings use the C ABI (salesight.h) only")

    def check_reach(self, files, forbidden, rule, why):
        def bad(name):
            return name in forbidden or (rule == "core" and
                                         self.private_dir(name) not in (None, "core"))
        for f in files:
            for name, chain in self.reach(f, bad):
                if bad(name):
                    via = " via " + " -> ".join(chain[:-1]) if len(chain) > 1 else ""
                    self.fail(f, includes_line(f, chain[0]), chain[0], rule,
                              f"reaches {name}{via}: {why}")

    def check_core(self):
        above_core = self.calculator_headers() | INGEST_HEADERS | {"salesight/tables.hpp"}
        self.check_reach(sources(self.root, "src/core"), above_core, "core",
                         "the core includes nothing above it")

    def check_tables(self):
        files = sources(self.root, "src/tables")
        header = os.path.join(self.root, "include/salesight/tables.hpp")
        if os.path.isfile(header):
            files.append(header)
        self.check_reach(files, self.calculator_headers(), "tables",
                         "tables never include calculators")

    def calculator_dirs(self):
        return self.src_dirs - LAYER_DIRS

    def calculator_headers(self):
        return OTHER_CALCULATOR_HEADERS | {f"salesight/{d}.hpp" for d in self.calculator_dirs()}

    def check_calculators(self):
        for calc in sorted(self.calculator_dirs()):
            for f in sources(self.root, f"src/{calc}"):
                for line, name in includes(f):
                    d = self.private_dir(name)
                    if d is not None and d not in (calc, "core"):
                        self.fail(f, line, name, "calculators",
                                  f"src/{calc}/ may include private headers of src/{calc}/ and "
                                  "src/core/ only (shared kernels belong in the core)")
                    if name in INGEST_HEADERS or name == "salesight.h":
                        self.fail(f, line, name, "calculators",
                                  "calculators never include ingest, the C ABI or the CLI")

    def check_cmake(self, include_dirs_file):
        src = os.path.join(self.root, "src")
        with open(include_dirs_file, encoding="utf-8") as f:
            for line in f:
                target, _, dirs = line.strip().partition(" ")
                for d in filter(None, dirs.split(";")):
                    d = os.path.normpath(d)
                    if d == src or d.startswith(src + os.sep):
                        self.errors.append(f"[cmake] {target} has {d} among its include "
                                           "directories: only include/ and capi/ are public")

    def check_standalone(self):
        this = os.path.abspath(__file__)
        for d, dirs, files in os.walk(self.root):
            dirs[:] = sorted(x for x in dirs
                             if x not in STANDALONE_SKIP and not x.startswith("build"))
            for name in sorted(files):
                f = os.path.join(d, name)
                if not name.endswith(TEXT_EXT) or os.path.abspath(f) == this:
                    continue
                with open(f, encoding="utf-8", errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        m = OUTSIDE_RE.search(line)
                        if m:
                            self.errors.append(f"{self.rel(f)}:{n}: \"{m.group(0)}\": [standalone] "
                                               "points outside the repository (use docs/)")

    def run(self, include_dirs_file=None):
        self.check_public_paths()
        self.check_bindings()
        self.check_core()
        self.check_tables()
        self.check_calculators()
        self.check_standalone()
        if include_dirs_file:
            self.check_cmake(include_dirs_file)
        return self.errors


def includes_line(path, name):
    for line, n in includes(path):
        if n == name:
            return line
    return 0


# ---------------------------------------------------------------- self-test

def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def clean_tree(root):
    """A tiny tree that follows every rule."""
    write(root, "include/salesight/date.hpp", "#pragma once\n#include <cstdint>\n")
    write(root, "include/salesight/tables.hpp", '#include "salesight/date.hpp"\n')
    write(root, "include/salesight/rfm.hpp", '#include "salesight/tables.hpp"\n')
    write(root, "include/salesight/funnel.hpp", '#include "salesight/tables.hpp"\n')
    write(root, "src/core/internal/byte_io.hpp", '#include "salesight/date.hpp"\n')
    write(root, "include/salesight/money.hpp", "#pragma once\n")
    write(root, "src/core/date.cpp", '#include "core/byte_io.hpp"\n#include "salesight/money.hpp"\n'
                                     "#include <vector>\n")
    write(root, "src/tables/tables.cpp", '#include "salesight/tables.hpp"\n')
    write(root, "src/rfm/internal/rfm.hpp", '#include "core/byte_io.hpp"\n')
    write(root, "src/rfm/rfm.cpp", '#include "rfm/internal.hpp"\n#include "salesight/rfm.hpp"\n')
    write(root, "src/funnel/funnel.cpp", '#include "salesight/funnel.hpp"\n')
    write(root, "src/cli/internal/args.hpp", "#pragma once\n")
    write(root, "src/cli/main.cpp", '#include "args.hpp"\n#include "salesight/rfm.hpp"\n')
    write(root, "capi/salesight.h", "#pragma once\n")
    write(root, "capi/rfm_capi.cpp", '#include "salesight.h"\n#include "salesight/rfm.hpp"\n')
    write(root, "bindings/python/src/mod.cpp", '#include "salesight.h"\n')
    write(root, "cmake_ok.dirs",
          f"salesight_core {root}/include\nsalesight {root}/capi;{root}/include\n")


# (rule, file to add or overwrite, its text): each must make exactly that rule fire.
BREAKS = [
    ("public-paths", "capi/table_builder.cpp", '#include "tables/validate.hpp"\n'),
    ("public-paths", "src/cli/cmd.cpp", '#include "core/byte_io.hpp"\n'),
    ("bindings", "bindings/python/src/mod.cpp", '#include "salesight/rfm.hpp"\n'),
    ("core", "src/core/internal/byte_io.hpp", '#include "salesight/rfm.hpp"\n'),  # direct
    ("core", "src/core/internal/byte_io.hpp", '#include "salesight/partial_state.hpp"\n'),
    ("core", "include/salesight/money.hpp", '#include "salesight/funnel.hpp"\n'),  # via a chain
    ("core", "src/core/date.cpp", '#include "rfm/internal.hpp"\n'),
    ("tables", "src/tables/tables.cpp", '#include "salesight/rfm.hpp"\n'),
    ("calculators", "src/funnel/funnel.cpp", '#include "rfm/internal.hpp"\n'),
    ("calculators", "src/rfm/rfm.cpp", '#include "salesight/csv.hpp"\n'),
    ("standalone", "README.md", "Design: see `" + _SHARED + "ARCHITECTURE.md`.\n"),
    ("standalone", "include/salesight/sample.hpp", "// as " + _WORKSPACE + "shared/WORKLOADS.md says\n"),
]


def selftest():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "clean")
        clean_tree(root)
        errors = Checker(root).run(os.path.join(root, "cmake_ok.dirs"))
        if errors:
            failures.append(f"the clean tree fails: {errors}")
        for i, (rule, rel, text) in enumerate(BREAKS):
            root = os.path.join(tmp, f"break{i}")
            clean_tree(root)
            write(root, rel, text)
            errors = Checker(root).run()
            fired = {e.split("[", 1)[1].split("]", 1)[0] for e in errors}
            if fired != {rule}:
                failures.append(f"{rel} <- {text.strip()}: expected [{rule}], got {errors}")
        root = os.path.join(tmp, "cmake")
        clean_tree(root)
        write(root, "cmake_bad.dirs", f"salesight_core {root}/include;{root}/src\n")
        errors = Checker(root).run(os.path.join(root, "cmake_bad.dirs"))
        if len(errors) != 1 or "[cmake] salesight_core" not in errors[0]:
            failures.append(f"src/ in salesight_core's interface: expected [cmake], got {errors}")
    for f in failures:
        print("SELFTEST FAILED:", f)
    print(f"selftest: {len(BREAKS) + 2 - len(failures)} of {len(BREAKS) + 2} cases pass")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        return selftest()
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    errors = Checker(argv[1]).run(argv[2] if len(argv) == 3 else None)
    for e in errors:
        print(e)
    print(f"{len(errors)} boundary violation(s)" if errors else "boundaries OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
