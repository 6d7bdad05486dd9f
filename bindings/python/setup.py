"""Builds the salesight Python package from the source tree, offline.

    python3 -m pip install --no-build-isolation ./bindings/python \
        [--target DIR | --user | --break-system-packages]

CMake configures the whole salesight tree (C++ core, libsalesight.so, the
pybind11 module) with Debian's /usr/bin/python3 and python3-pybind11; the
module and libsalesight.so.<ABI major> are copied into the package, the module
finding the library through RPATH $ORIGIN. SALESIGHT_CMAKE_BUILD_DIR reuses a
build directory between installs; SALESIGHT_CMAKE_ARGS adds configure flags.
"""
import glob
import os
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


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
        libs = glob.glob(os.path.join(build_dir, "capi", "libsalesight.so.*.*"))
        soname = [p for p in glob.glob(os.path.join(build_dir, "capi", "libsalesight.so.*"))
                  if p.count(".so.") == 1 and p.rsplit(".so.", 1)[1].isdigit()]
        if not libs or not soname:
            raise RuntimeError("libsalesight.so not found in %s/capi" % build_dir)
        shutil.copyfile(os.path.realpath(libs[0]),
                        os.path.join(os.path.dirname(target), os.path.basename(soname[0])))


setup(
    ext_modules=[Extension("salesight._salesight", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
