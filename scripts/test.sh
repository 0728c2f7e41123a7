#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite (this is what CI runs).
# Usage: bash scripts/test.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bash "$here/scripts/setup.sh" "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 900
