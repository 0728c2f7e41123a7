#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running example: install, build, then check every
# program in models/, show the syntax tree, the IR and the graph of the examples, sample eight
# schools and the batched latent model with compiled NUTS samplers, and summarise the result.
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
echo "== mvc print ir models/mvn_param_cov.model (the model block: one batched density)"
"$mvc" print ir "$here/models/mvn_param_cov.model" | sed -n '/^model {/,$p'
echo
echo "== mvc graph models/mvn_latent_loop.model --data models/mvn_latent_loop.data.json"
"$mvc" graph "$here/models/mvn_latent_loop.model" --data "$here/models/mvn_latent_loop.data.json"
echo
echo "== mvc compile models/eight_schools_noncentered.model (a native sampler program)"
out=$(mktemp -d)
"$mvc" compile "$here/models/eight_schools_noncentered.model" -o "$out/eight_schools" --time
echo
echo "== eight schools: 4 chains of NUTS"
"$out/eight_schools" sample num_chains=4 num_threads=2 \
  data file="$here/models/eight_schools_noncentered.data.json" \
  output file="$out/eight_schools.csv" refresh=1000 random seed=1
echo
echo "== mvc summary $out/eight_schools_*.csv"
"$mvc" summary "$out"/eight_schools_*.csv
echo
echo "== the latent model: 20 vectors, each with its own data covariance (one batched node)"
"$mvc" compile "$here/models/mvn_latent_batched.model" -o "$out/latent"
"$out/latent" sample num_chains=4 num_threads=2 data file="$here/models/mvn_latent_batched.data.json" \
  output file="$out/latent.csv" refresh=1000 random seed=1 | tail -n 12
