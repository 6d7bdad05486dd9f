"""Builds the salesight Python package from the source tree, offline.

    python3 -m pip install --no-build-isolation ./bindings/python \
        [--target DIR | --user | --break-system-packages]

CMake configures the whole salesight tree (C++ core, libsalesight.so, the
pybind11 module) with Debian's /usr/bin/python3 and python3-pybind11; the
module and the library, under its SONAME (libsalesight.so.0.<minor> during
0.x, libsalesight.so.<major> from 1.0), are copied into the package, the
module finding the library through RPATH $ORIGIN. The package's version is
capi/salesight.h's. SALESIGHT_CMAKE_BUILD_DIR reuses a build directory between
installs; SALESIGHT_CMAKE_ARGS adds configure flags.
"""
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HEADER = os.path.join(ROOT, "capi", "salesight.h")


def header_version(header=HEADER):
    """"major.minor.patch" of the SALESIGHT_VERSION_* macros: the version is
    written once, in the header (CMake reads it the same way)."""
    with open(header, encoding="utf-8") as f:
        text = f.read()
    parts = []
    for name in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"^#define SALESIGHT_VERSION_%s +([0-9]+)$" % name, text, re.M)
        if not m:
            raise RuntimeError("%s: no '#define SALESIGHT_VERSION_%s <number>'" % (header, name))
        parts.append(m.group(1))
    return ".".join(parts)


def soname(library):
    """The DT_SONAME of a shared library, the name the module's DT_NEEDED
    asks the loader for."""
    out = subprocess.check_output(["readelf", "-d", library], text=True)
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    if not m:
        raise RuntimeError("%s has no SONAME" % library)
    return m.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("SALESIGHT_CMAKE_BUILD_DIR") or os.path.join(
            os.path.abspath(self.build_temp), "cmake")
        configure = [
            "cmake", "-S", ROOT, "-B", build_dir,
            "-DCMAKE_BUILD_TYPE=Release",
            "-DPYTHON_EXECUTABLE=" + sys.executable,
            "-DSALESIGHT_BUILD_PYTHON=ON", "-DSALESIGHT_PYTHON_WHEEL=ON",
            "-DSALESIGHT_BUILD_TESTS=OFF", "-DSALESIGHT_BUILD_BENCHMARKS=OFF",
            "-DSALESIGHT_BUILD_CLI=OFF", "-DSALESIGHT_INSTALL=OFF",
        ]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("SALESIGHT_CMAKE_ARGS", ""))
        subprocess.check_call(configure)
        jobs = os.environ.get("SALESIGHT_BUILD_JOBS", "2")
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "_salesight",
                               "-j", jobs])
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        modules = glob.glob(os.path.join(build_dir, "python", "salesight", "_salesight*.so"))
        if len(modules) != 1:
            raise RuntimeError("expected one built _salesight module, found %r" % modules)
        shutil.copyfile(modules[0], target)
        # The module's DT_NEEDED is the SONAME: copy the real file under that name.
        library = os.path.realpath(os.path.join(build_dir, "capi", "libsalesight.so"))
        if not os.path.isfile(library):
            raise RuntimeError("libsalesight.so not found in %s/capi" % build_dir)
        shutil.copyfile(library, os.path.join(os.path.dirname(target), soname(library)))


setup(
    version=header_version(),
    ext_modules=[Extension("salesight._salesight", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
