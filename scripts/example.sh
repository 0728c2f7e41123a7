#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running example: install, build, then check every
# program in models/, print the syntax tree of one, and summarise a Stan CSV file.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bash "$here/scripts/setup.sh" "$build"
mvc="$build/mvc"
echo
for m in "$here"/models/*.model; do
  "$mvc" check "$m"
  echo "mvc check $(basename "$m"): ok"
done
echo
echo "== mvc print ast models/eight_schools_noncentered.model"
"$mvc" print ast "$here/models/eight_schools_noncentered.model"
echo
echo "== mvc summary (a CSV file written by CmdStan)"
csv="$here/tests/fixtures/diagnostics/cmdstan-2.37-sample-bernoulli.csv"
"$mvc" summary "$csv"
