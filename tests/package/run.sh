#!/usr/bin/env bash
# ctest: install the built tree into a scratch prefix, then build and run the
# consumer against it twice: with find_package(salesight <major.minor>) and
# with pkg-config. Each consumer must need the library by its SONAME, installed
# under that name; the version file must refuse other ABIs.
#   run.sh <salesight build dir> <scratch dir> <SONAME of the built library> <version x.y.z>
set -euo pipefail
build=$1 scratch=$2 soname=$3 version=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch"
mkdir -p "$scratch"
prefix="$scratch/prefix"

echo "== cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"
test -f "$prefix/include/salesight.h"
# The package stands on include/ alone: nothing installed points into src/.
src="$(cd "$here/../.." && pwd)/src"
if grep -rIl -- "$src" "$prefix"; then echo "installed files refer to $src" >&2; exit 1; fi
libdir=$(dirname "$(find "$prefix" -name 'libsalesight.so' | head -n1)")
test -n "$libdir"
test -e "$libdir/$soname" || { echo "$libdir/$soname (the SONAME) is not installed"; exit 1; }
echo "== version file of $version"
cmake -DVERSION_FILE="$libdir/cmake/salesight/salesightConfigVersion.cmake" -DVERSION="$version" \
  -P "$here/check_version_file.cmake"

needs_soname() {  # the loader must look for the library by its SONAME
  local needed
  needed=$(readelf -d "$1" | sed -nE 's/.*\(NEEDED\).*\[(libsalesight[^]]*)\].*/\1/p')
  [[ "$needed" == "$soname" ]] || { echo "$1 needs '$needed', not $soname"; exit 1; }
}

echo "== find_package(salesight) consumer"
cmake -S "$here/consumer" -B "$scratch/cmake-consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DSALESIGHT_WANT="${version%.*}" >"$scratch/cmake-consumer.log"
cmake --build "$scratch/cmake-consumer" >>"$scratch/cmake-consumer.log"
needs_soname "$scratch/cmake-consumer/consumer"
"$scratch/cmake-consumer/consumer"

echo "== pkg-config consumer"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists --print-errors "salesight >= 0.1"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$here/consumer/consumer.c" \
  $(pkg-config --cflags --libs salesight) -Wl,-rpath,"$(pkg-config --variable=libdir salesight)" \
  -o "$scratch/pkg-consumer"
needs_soname "$scratch/pkg-consumer"
"$scratch/pkg-consumer"
echo "package consumers OK"
