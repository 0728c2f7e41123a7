#!/usr/bin/env bash
# Time of `mvc compile` for each program in models/, split into its stages (mvc's --time),
# for a sampler program and a shared library, without the compile cache. Prints a Markdown
# table; the median of REPS runs per program.
#   bash bench/compile/compile_times.sh [build-dir]     (REPS=5 by default)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
mvc="$build/mvc"
reps=${REPS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| program | kind | parse+check | passes | autodiff | codegen | LLVM O3 | object | link | total (wall) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in "$here"/models/*.model; do
  name=$(basename "$m" .model)
  for kind in program shared; do
    flag=""; [ $kind = shared ] && flag="--shared"
    rows=()
    for _ in $(seq "$reps"); do
      t0=$(date +%s.%N)
      line=$("$mvc" compile "$m" $flag --no-cache --time -o "$out/$name" 2>&1 | grep 'times (s)')
      t1=$(date +%s.%N)
      rows+=("$(echo "$line" | sed 's/.*times (s)://' | grep -oE '[0-9]+\.[0-9]+' | tr '\n' ' ')$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    done
    # median by total wall time
    printf '%s\n' "${rows[@]}" | sort -t' ' -k8 -g | sed -n "$(( (reps + 1) / 2 ))p" |
      awk -v n="$name" -v k="$kind" '{ printf "| %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f ms |\n", n, k, $1*1000, $2*1000, $3*1000, $4*1000, $5*1000, $6*1000, $7*1000, $8*1000 }'
  done
done
