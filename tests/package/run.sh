#!/usr/bin/env bash
# ctest: install the built tree into a scratch prefix, then build and run the
# consumer against it twice: with find_package(salesight) and with pkg-config.
#   run.sh <salesight build dir> <scratch dir>
set -euo pipefail
build=$1 scratch=$2
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

echo "== find_package(salesight) consumer"
cmake -S "$here/consumer" -B "$scratch/cmake-consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$scratch/cmake-consumer.log"
cmake --build "$scratch/cmake-consumer" >>"$scratch/cmake-consumer.log"
"$scratch/cmake-consumer/consumer"

echo "== pkg-config consumer"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists --print-errors "salesight >= 0.1"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$here/consumer/consumer.c" \
  $(pkg-config --cflags --libs salesight) -Wl,-rpath,"$(pkg-config --variable=libdir salesight)" \
  -o "$scratch/pkg-consumer"
"$scratch/pkg-consumer"
echo "package consumers OK"
