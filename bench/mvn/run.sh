#!/usr/bin/env bash
# bench/mvn/run.sh: the batched multivariate normal benchmarks of issue 5, in one run, and
# bench/RESULTS.md written from what this run measured (plus Stan's figures quoted from
# ../shared/bench-stan/README.md, which were measured on this machine with rstan).
#
#   bash bench/mvn/run.sh                 # everything: q = 2 4 8, N = 500 2000 8000 32000
#   QUICK=1 bash bench/mvn/run.sh         # a few minutes: q = 4, N = 500 2000, 200+200 draws
#
# Settings (environment; defaults in brackets):
#   QUICK=1            q=4, N=500 2000, sampling 200 warmup + 200 draws at N=500 2000
#   QS, NS             the latent model's grid ["2 4 8"], ["500 2000 8000 32000"]
#   SAMPLE=0           skip end-to-end sampling [1]
#   SAMPLE_QS, SAMPLE_NS   the grid sampled end to end ["4"], ["500 2000 8000"]
#   NUM_WARMUP, NUM_SAMPLES, CHAINS, THREADS, SEED   [1000, 1000, 4, 2, 1]
#   SAMPLE_FORMS       latent forms sampled: "loop" (the program Stan runs), "batched" ["loop"]
#   PARAMCOV=0         skip the parameter-covariance model [1]
#   BATCHES, MIN_BATCH_MS  gradient timing: batches and minimum length of one batch [15, 20]
#   MVC                the compiler [build/mvc if it exists, else built in $BUILD]
#   BUILD              build directory for the bench programs [build-bench]
#   WORK               data, libraries, programs, logs, results.jsonl [$BUILD/bench-mvn]
#   OUT                the report [bench/RESULTS.md]
#   KEEP_CSV=1         keep the sampler's CSV files (large at big N) [0]
#   STAN=0|1|auto      Stan's gradient in this run, through ../shared/bench-stan's rstan harness
#                      (bench.R), on the same data files [auto: when Rscript and rstan are
#                      installed; apt-get install r-base-core r-cran-rstan r-cran-posterior
#                      r-cran-jsonlite]. Stan's sampling figures are quoted from its README.
#   STAN_NS            the latent model's N for Stan, q = 4 ["500 2000"]
#   STAN_SAMPLE=0|1    also sample with Stan (the identical programs: 4 chains, 2 at a time,
#                      NUM_WARMUP + NUM_SAMPLES; about 15 minutes) [$SAMPLE]; else Stan's
#                      sampling figures are quoted from bench-stan's README
#
# Nothing here aborts the run on one failure: a model that does not compile, a library that
# does not load or a sampler that fails becomes a row that says so (with the first lines of
# the error). Every measurement is appended as one JSON line to $WORK/results.jsonl, from
# which make_results.py writes $OUT.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
WORK=${WORK:-$BUILD/bench-mvn}
OUT=${OUT:-$ROOT/bench/RESULTS.md}
STAN_README=${STAN_README:-$ROOT/../shared/bench-stan/README.md}
STAN_HARNESS=$(dirname "$STAN_README")
STAN=${STAN:-auto}
STAN_NS=${STAN_NS:-"500 2000"}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  QS=${QS:-4}; NS=${NS:-"500 2000"}
  SAMPLE_QS=${SAMPLE_QS:-4}; SAMPLE_NS=${SAMPLE_NS:-"500 2000"}
  NUM_WARMUP=${NUM_WARMUP:-200}; NUM_SAMPLES=${NUM_SAMPLES:-200}
  BATCHES=${BATCHES:-7}; MIN_BATCH_MS=${MIN_BATCH_MS:-10}
else
  QS=${QS:-"2 4 8"}; NS=${NS:-"500 2000 8000 32000"}
  SAMPLE_QS=${SAMPLE_QS:-4}; SAMPLE_NS=${SAMPLE_NS:-"500 2000 8000"}
  NUM_WARMUP=${NUM_WARMUP:-1000}; NUM_SAMPLES=${NUM_SAMPLES:-1000}
  BATCHES=${BATCHES:-15}; MIN_BATCH_MS=${MIN_BATCH_MS:-20}
fi
SAMPLE=${SAMPLE:-1}
SAMPLE_FORMS=${SAMPLE_FORMS:-loop}
PARAMCOV=${PARAMCOV:-1}
CHAINS=${CHAINS:-4}; THREADS=${THREADS:-2}; SEED=${SEED:-1}
KEEP_CSV=${KEEP_CSV:-0}
PC_N=2000; PC_Q=3; PC_K=50

mkdir -p "$WORK"/data "$WORK"/lib "$WORK"/prog "$WORK"/log "$WORK"/out
RES=$WORK/results.jsonl
: > "$RES"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# a string as a JSON string literal
jstr() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
# the first two non-empty lines of a file, on one line
first_lines() { grep -v '^[[:space:]]*$' "$1" 2>/dev/null | head -n 2 | tr '\n' ' ' | cut -c1-300; }

# ---- 1. build the bench programs (and mvc if there is none) ---------------------------------
if [ ! -f "$BUILD/build.ninja" ]; then
  log "configuring $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release > "$WORK/log/cmake.log" 2>&1 \
    || { log "cmake failed: see $WORK/log/cmake.log"; exit 1; }
fi
log "building bs_gradient_bench hand_latent in $BUILD"
ninja -C "$BUILD" -j1 bs_gradient_bench hand_latent > "$WORK/log/ninja.log" 2>&1 \
  || { log "building the bench programs failed: see $WORK/log/ninja.log"; exit 1; }
BSB=$BUILD/bench/mvn/bs_gradient_bench
HAND=$BUILD/bench/mvn/hand_latent
if [ -z "${MVC:-}" ]; then
  if [ -x "$ROOT/build/mvc" ]; then MVC=$ROOT/build/mvc
  else
    log "no build/mvc: building mvc in $BUILD (slow with -j1)"
    ninja -C "$BUILD" -j1 mvc >> "$WORK/log/ninja.log" 2>&1 || log "building mvc failed: see $WORK/log/ninja.log"
    MVC=$BUILD/mvc
  fi
fi
log "mvc: $MVC"

# ---- 2. the data ---------------------------------------------------------------------------
latent_data() { echo "$WORK/data/latent_q$1_N$2.json"; }
PC_DATA=$WORK/data/paramcov_q${PC_Q}_K${PC_K}_N${PC_N}.json
for q in $QS; do for N in $NS; do
  log "data: latent q=$q N=$N"
  python3 "$HERE/gen_data.py" latent --N "$N" --q "$q" -o "$WORK/data" > /dev/null || log "data generation failed for q=$q N=$N"
done; done
if [ "$SAMPLE" = 1 ]; then for q in $SAMPLE_QS; do for N in $SAMPLE_NS; do
  python3 "$HERE/gen_data.py" latent --N "$N" --q "$q" -o "$WORK/data" > /dev/null || log "data generation failed for q=$q N=$N"
done; done; fi
if [ "$PARAMCOV" = 1 ]; then
  python3 "$HERE/gen_data.py" paramcov --N $PC_N --q $PC_Q --K $PC_K -o "$WORK/data" > /dev/null || log "data generation failed for paramcov"
fi

# ---- 3. compile the models -----------------------------------------------------------------
# compile KEY MODEL OUT [mvc options...]: one JSON line with ok/seconds or the error
compile() {
  local key=$1 model=$2 out=$3; shift 3
  local errf=$WORK/log/compile_$key.log t0 t1 rc
  rm -f "$out"
  t0=$(date +%s.%N)
  "$MVC" compile "$ROOT/models/$model" -o "$out" --no-cache "$@" > "$errf" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  if [ $rc = 0 ] && [ -e "$out" ]; then
    printf '{"bench":"compile","key":"%s","model":"%s","options":%s,"ok":true,"seconds":%s}\n' \
      "$key" "$model" "$(jstr "$*")" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')" >> "$RES"
    log "compiled $key"
  else
    [ -s "$errf" ] || echo "exit status $rc and no output" > "$errf"
    printf '{"bench":"compile","key":"%s","model":"%s","options":%s,"ok":false,"rc":%d,"error":%s}\n' \
      "$key" "$model" "$(jstr "$*")" "$rc" "$(jstr "$(first_lines "$errf")")" >> "$RES"
    log "compiling $key FAILED: $(first_lines "$errf")"
  fi
}
# libraries for the gradient: KEY -> model and options
LIB_KEYS="mvc_batched mvc_loop mvc_loop_novec"
compile mvc_batched    mvn_latent_batched.model "$WORK/lib/mvc_batched.so"    --shared
compile mvc_loop       mvn_latent_loop.model    "$WORK/lib/mvc_loop.so"       --shared
compile mvc_loop_novec mvn_latent_loop.model    "$WORK/lib/mvc_loop_novec.so" --shared --no-vectorize
if [ "$PARAMCOV" = 1 ]; then
  compile pc_mvc       mvn_param_cov.model "$WORK/lib/pc_mvc.so"       --shared
  compile pc_mvc_novec mvn_param_cov.model "$WORK/lib/pc_mvc_novec.so" --shared --no-vectorize
fi
if [ "$SAMPLE" = 1 ]; then
  for form in $SAMPLE_FORMS; do
    compile "prog_$form" "mvn_latent_$form.model" "$WORK/prog/latent_$form"
  done
  [ "$PARAMCOV" = 1 ] && compile prog_pc mvn_param_cov.model "$WORK/prog/paramcov"
fi

# ---- 4. microseconds per gradient ----------------------------------------------------------
# bs KEY LIB DATA: one JSON line (bs_gradient_bench prints it, errors included)
bs() {
  local key=$1 lib=$2 data=$3 rc
  [ -e "$lib" ] || return 0          # did not compile: the compile line says why
  local tmp=$WORK/log/bs.tmp
  "$BSB" "$lib" "$data" --label "$key" --batches "$BATCHES" --min-batch-ms "$MIN_BATCH_MS" \
    > "$tmp" 2> "$WORK/log/bs_$key.err"
  rc=$?
  if grep -q '^{' "$tmp"; then grep '^{' "$tmp" >> "$RES"
  else
    printf '{"bench":"bs_gradient","label":"%s","lib":%s,"data":%s,"error":%s}\n' "$key" \
      "$(jstr "$lib")" "$(jstr "$data")" "$(jstr "exit status $rc: $(first_lines "$WORK/log/bs_$key.err")")" >> "$RES"
  fi
  if [ $rc = 0 ]; then log "gradient $key $(basename "$data"): $(grep -o '"us_per_grad":[0-9.]*' "$tmp")"
  else log "gradient $key $(basename "$data") FAILED"; fi
}
for q in $QS; do for N in $NS; do
  d=$(latent_data "$q" "$N")
  [ -e "$d" ] || continue
  log "hand-written gradient q=$q N=$N"
  "$HAND" "$d" --batches "$BATCHES" --min-batch-ms "$MIN_BATCH_MS" > "$WORK/log/hand.tmp" 2> "$WORK/log/hand.err"
  rc=$?
  if grep -q '^{' "$WORK/log/hand.tmp"; then grep '^{' "$WORK/log/hand.tmp" >> "$RES"
  else
    printf '{"bench":"hand_latent","data":%s,"error":%s}\n' "$(jstr "$d")" \
      "$(jstr "exit status $rc: $(first_lines "$WORK/log/hand.err")")" >> "$RES"
  fi
  for key in $LIB_KEYS; do bs "$key" "$WORK/lib/$key.so" "$d"; done
done; done
if [ "$PARAMCOV" = 1 ]; then
  for key in pc_mvc pc_mvc_novec; do bs "$key" "$WORK/lib/$key.so" "$PC_DATA"; done
fi

# ---- 4b. Stan's gradient in the same run -------------------------------------------------
# bench-stan's bench.R (compile with stanc + C++, grad_log_prob at a fixed point net of the R
# call overhead) run from a folder of our own: its models plus the expert's program, our data
# files. bench.R names its results after the data set, so each program gets its own copy.
if [ "$STAN" = auto ]; then
  if command -v Rscript > /dev/null && Rscript -e 'suppressMessages(library(rstan))' > /dev/null 2>&1; then STAN=1; else STAN=0; fi
fi
if [ "$STAN" = 1 ] && [ -f "$STAN_HARNESS/bench.R" ]; then
  SW=$WORK/stan
  mkdir -p "$SW/models" "$SW/data" "$SW/results" "$SW/.rtmp"
  rm -f "$SW/results/"*.json
  ln -sf "$STAN_HARNESS/bench.R" "$SW/bench.R"
  cp "$STAN_HARNESS/models/batched_mvn_latent.stan" "$STAN_HARNESS/models/batched_mvn_param_cov.stan" \
     "$STAN_HARNESS/models/trivial.stan" "$HERE/stan/batched_mvn_latent_expert.stan" "$SW/models/"
  stan_sets=() expert_sets=()
  for N in $STAN_NS; do
    d=$(latent_data 4 "$N")
    [ -e "$d" ] || python3 "$HERE/gen_data.py" latent --N "$N" --q 4 -o "$WORK/data" > /dev/null
    for p in identical expert; do
      cp "$d" "$SW/data/${p}_q4_N$N.json"
      echo '{}' > "$SW/data/truth_${p}_q4_N$N.json"   # (bench.R reads it for sampling only)
    done
    stan_sets+=("identical_q4_N$N"); expert_sets+=("expert_q4_N$N")
  done
  STAN_SAMPLE=${STAN_SAMPLE:-$SAMPLE}
  stan() {  # stan SAMPLE STEP ARGS...: bench.R with bench-stan's compiler flags (SAMPLE=0: gradient only)
    local skip=$(( $1 == 1 ? 0 : 1 )); shift
    log "Stan: $1"
    (cd "$SW" && R_MAKEVARS_USER="$STAN_HARNESS/Makevars" TMPDIR="$SW/.rtmp" ANCHOR_SKIP_SAMPLING=$skip \
       ANCHOR_WARMUP="$NUM_WARMUP" ANCHOR_SAMPLING="$NUM_SAMPLES" ANCHOR_CORES="$THREADS" \
       Rscript bench.R "$@") > "$WORK/log/stan_$1.log" 2>&1 || log "Stan: $1 FAILED: see $WORK/log/stan_$1.log"
  }
  # mvc's gradient again right before and right after each Stan program (label KEY@stan):
  # timings on a shared machine drift by up to 2x between hours, so the Stan / mvc ratios
  # use these adjacent figures (make_results.py), not the grid's, which ran minutes earlier.
  near_stan() {  # near_stan latent|paramcov
    if [ "$1" = latent ]; then
      for N in $STAN_NS; do bs "mvc_loop@stan" "$WORK/lib/mvc_loop.so" "$(latent_data 4 "$N")"; done
    elif [ "$PARAMCOV" = 1 ] && [ -e "$PC_DATA" ]; then
      bs "pc_mvc@stan" "$WORK/lib/pc_mvc.so" "$PC_DATA"
    fi
  }
  stan 0 overhead
  # Stan's gradients first (SAMPLE=0), each between two of mvc's; then its sampling runs.
  near_stan latent
  stan 0 batched_mvn_latent "${stan_sets[@]}"
  near_stan latent
  stan 0 batched_mvn_latent_expert "${expert_sets[@]}"
  near_stan latent
  if [ "$PARAMCOV" = 1 ] && [ -e "$PC_DATA" ]; then
    cp "$PC_DATA" "$SW/data/paramcov.json"; echo '{}' > "$SW/data/truth_paramcov.json"
    near_stan paramcov
    stan 0 batched_mvn_param_cov paramcov
    near_stan paramcov
  fi
  collect_stan() {  # the results bench.R wrote so far, as stan_gradient rows
    python3 - "$SW/results" >> "$RES" <<'PY'
import glob, json, os, sys
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    r = json.load(open(f))
    if "grad_us_net" not in r:
        continue
    ds = r["dataset"]
    prog = "paramcov" if ds == "paramcov" else ds.split("_")[0]
    N = int(ds.rsplit("_N", 1)[1]) if "_N" in ds else None
    row = {"bench": "stan_gradient", "program": prog, "q": 4 if N else 3, "N": N or 2000,
           "us_net": r["grad_us_net"], "us_raw_min": r["grad_us_raw_min"],
           "overhead_us": r["overhead_us_min"], "compile_s": r["compile_s"],
           "n_upars": r["n_upars"], "rstan": r.get("rstan_version")}
    for k in ("total_chain_s", "min_ess_bulk", "min_ess_bulk_per_s", "max_rhat", "divergences",
              "warmup_iter", "sampling_iter", "chains", "cores"):
        if k in r:
            row["sample_" + k] = r[k]
    print(json.dumps(row))
PY
  }
  if [ "$STAN_SAMPLE" = 1 ]; then
    # Sampling runs (bench.R measures the gradient again first; the rows collected above
    # keep the adjacent gradient figures, these add the sampling fields).
    collect_stan
    rm -f "$SW/results/"*.json
    stan 1 batched_mvn_latent "${stan_sets[@]}"
    [ "$PARAMCOV" = 1 ] && [ -e "$PC_DATA" ] && stan 1 batched_mvn_param_cov paramcov
  fi
  collect_stan
  log "Stan: $(grep -c '"stan_gradient"' "$RES") gradient figures"
fi

# ---- 5. end-to-end sampling ----------------------------------------------------------------
# sample KEY PROG DATA: wall seconds and peak RSS of the whole run (all chains), then the
# summary of the CSV files; make_results.py reads chain times, ESS and divergences from them
sample() {
  local key=$1 prog=$2 data=$3 rc
  local out=$WORK/out/$key
  [ -x "$prog" ] || return 0
  rm -f "$out"_*.csv "$out".csv
  log "sampling $key: $CHAINS chains x ($NUM_WARMUP warmup + $NUM_SAMPLES draws), $THREADS threads"
  local cmd=("$prog" sample num_warmup="$NUM_WARMUP" num_samples="$NUM_SAMPLES" num_chains="$CHAINS"
             num_threads="$THREADS" data file="$data" output file="$out.csv" refresh=1000 random seed="$SEED")
  python3 "$HERE/measure.py" "$WORK/log/sample_$key.rusage" "$WORK/log/sample_$key.stdout" \
    "$WORK/log/sample_$key.stderr" "${cmd[@]}"
  rc=$?
  local csvs=() f
  for f in "$out".csv "$out"_*.csv; do [ -e "$f" ] && csvs+=("$f"); done
  if [ ${#csvs[@]} -gt 0 ]; then
    "$MVC" summary --csv "${csvs[@]}" > "$WORK/log/summary_$key.csv" 2> "$WORK/log/summary_$key.err"
    "$MVC" summary "${csvs[@]}" > "$WORK/log/summary_$key.txt" 2>> "$WORK/log/summary_$key.err"
    python3 "$HERE/csv_tail.py" "${csvs[@]}" > "$WORK/log/times_$key.json"
  fi
  printf '{"bench":"sample","key":"%s","data":%s,"rc":%d,"chains":%d,"threads":%d,"num_warmup":%d,"num_samples":%d,"rusage":%s,"summary_csv":%s,"summary_txt":%s,"times":%s,"stderr":%s}\n' \
    "$key" "$(jstr "$data")" "$rc" "$CHAINS" "$THREADS" "$NUM_WARMUP" "$NUM_SAMPLES" \
    "$(jstr "$WORK/log/sample_$key.rusage")" "$(jstr "$WORK/log/summary_$key.csv")" \
    "$(jstr "$WORK/log/summary_$key.txt")" "$(jstr "$WORK/log/times_$key.json")" \
    "$(jstr "$(tail -n 3 "$WORK/log/sample_$key.stderr" 2>/dev/null | tr '\n' ' ' | cut -c1-300)")" >> "$RES"
  [ "$KEEP_CSV" = 1 ] || rm -f "$out"_*.csv "$out".csv
  log "sampling $key: exit status $rc"
}
if [ "$SAMPLE" = 1 ]; then
  for form in $SAMPLE_FORMS; do for q in $SAMPLE_QS; do for N in $SAMPLE_NS; do
    sample "latent_${form}_q${q}_N$N" "$WORK/prog/latent_$form" "$(latent_data "$q" "$N")"
  done; done; done
  [ "$PARAMCOV" = 1 ] && sample paramcov "$WORK/prog/paramcov" "$PC_DATA"
fi

# ---- 6. the report -------------------------------------------------------------------------
python3 "$HERE/make_results.py" --results "$RES" --stan-readme "$STAN_README" --out "$OUT" \
  --mvc "$MVC" --root "$ROOT" --qs "$QS" --ns "$NS" --quick "$QUICK" \
  --settings "chains=$CHAINS threads=$THREADS warmup=$NUM_WARMUP draws=$NUM_SAMPLES seed=$SEED batches=$BATCHES min_batch_ms=$MIN_BATCH_MS" \
  && log "wrote $OUT"
