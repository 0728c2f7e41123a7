#!/bin/sh
# Checks that rstan's reader of CmdStan CSV files (rstan::read_stan_csv) reads the sampler's
# output: column names, warmup and thinning, step size, inverse metric, timing.
# Usage: rstan_reads_csv.sh <model program>. Exits 77 (skipped) when R or rstan is missing.
set -eu
model=$1
command -v Rscript >/dev/null 2>&1 || exit 77
Rscript -e 'suppressMessages(library(rstan))' >/dev/null 2>&1 || exit 77
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$model" sample num_chains=2 num_warmup=200 num_samples=300 save_warmup=1 thin=2 \
  output file=c.csv refresh=0 random seed=4 >/dev/null 2>&1
Rscript -e '
suppressMessages(library(rstan))
f <- read_stan_csv(c("c_1.csv", "c_2.csv"))
stopifnot(identical(f@model_pars, c("mu", "sigma", "theta", "log_sigma", "y_rep", "lp__")))
stopifnot(f@sim$chains == 2, f@sim$warmup == 200, f@sim$thin == 2)
stopifnot(f@sim$n_save[1] == 250)  # 100 warmup + 150 draws after thinning
s <- summary(f)$summary
stopifnot(abs(s["theta[3]", "mean"] - 0.5) < 0.1, all(s[, "Rhat"] < 1.1))
p <- get_sampler_params(f, inc_warmup = FALSE)[[1]]
stopifnot(ncol(p) == 6, all(p[, "treedepth__"] == round(p[, "treedepth__"])))
a <- get_adaptation_info(f)[[1]]
stopifnot(grepl("# Step size = ", a, fixed = TRUE))
stopifnot(grepl("Diagonal elements of inverse mass matrix", a, fixed = TRUE))
stopifnot(all(get_elapsed_time(f) >= 0))
cat("rstan read the files\n")
'
