#!/usr/bin/env bash
# Install exactly the Debian 12 packages mvc needs (idempotent), then configure and build.
# Usage: bash scripts/setup.sh [build-dir]      (default: build)
# Set MVC_SKIP_BUILD=1 to install packages only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}

PKGS=(g++ cmake ninja-build pkg-config antlr4 libantlr4-runtime-dev uuid-dev llvm-22-dev libzstd-dev
      libeigen3-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
fi
test -x /usr/lib/llvm-22/bin/llvm-config
test -f /usr/include/antlr4-runtime/antlr4-runtime.h
command -v antlr4 >/dev/null
echo "setup: toolchain ok (LLVM $(/usr/lib/llvm-22/bin/llvm-config --version))"

[ "${MVC_SKIP_BUILD:-0}" = 1 ] && exit 0
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${MVC_BUILD_TYPE:-RelWithDebInfo}
cmake --build "$build" -j"$(nproc)"
echo "setup: built $build/mvc"
