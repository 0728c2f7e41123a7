#!/usr/bin/env bash
# Issue 3's benchmarks for every program in models/: the time of `mvc compile` split into its
# stages (bench/compile/compile_times.sh) and microseconds per bs_log_density_gradient of the
# compiled library on the program's data (bench/mvn/bs_gradient_bench). Writes bench/MODELS.md.
#   bash bench/models.sh [build-dir]          (REPS=5 compiles per program by default)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${OUT:-$here/bench/MODELS.md}
mvc="$build/mvc"
grad="$build/bench/mvn/bs_gradient_bench"
[ -x "$grad" ] || cmake --build "$build" --target bs_gradient_bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  echo "# The programs of models/: compile time and gradient time"
  echo
  echo "Written by \`bash bench/models.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo "Stan takes 36-50 s to compile each of these programs on this machine (../shared/bench-stan)."
  echo
  echo "## mvc compile, without the compile cache (median of ${REPS:-5})"
  echo
  bash "$here/bench/compile/compile_times.sh" "$build"
  echo
  echo "## Microseconds per bs_log_density_gradient (propto, jacobian; a random point)"
  echo
  echo "| program | unconstrained dim | us per gradient | spread (min-max) |"
  echo "|---|---|---|---|"
  for m in "$here"/models/*.model; do
    name=$(basename "$m" .model)
    data="$here/models/$name.data.json"
    [ -f "$data" ] || continue
    "$mvc" compile "$m" --shared --no-cache -o "$work/$name.so" >/dev/null
    "$grad" "$work/$name.so" "$data" --batches 9 --min-batch-ms 20 --label "$name" | tail -n 1 |
      python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("| %s | %d | %.2f | %.2f-%.2f |" % (r["model"], r["dim"], r["us_per_grad"], r["us_min"], r["us_max"]))'
  done
} > "$out"
echo "wrote $out"
