# NUTS of mvc against Stan's (rstan 2.21 from Debian) on the same targets, same settings:
# 4 chains x (1000 warmup + 1000 draws), diag_e, delta 0.8, 2 chains at a time.
#
#   Rscript compare_stan.R <dir holding the mvc_test_model_* programs> [targets...]
#
# The models differ (hand-written C++ gradients vs Stan's autodiff), so ESS per second mixes
# model speed with sampler efficiency; ESS per 1000 leapfrog steps (gradients) compares the
# samplers alone, and step size, tree depth and divergences should look alike.
suppressMessages({
  library(rstan)
  library(posterior)
})
if (!file.exists(rstan_options("boost_lib"))) rstan_options(boost_lib = "/usr/include")
args <- commandArgs(trailingOnly = TRUE)
bindir <- normalizePath(args[1])
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
targets <- c(std_normal = "std_normal_100", corr_gaussian = "corr_gaussian_50",
             funnel = "funnel_10", banana = "banana")
if (length(args) > 1) targets <- targets[args[-1]]

stats <- function(fit, who, target) {
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  s <- summarise_draws(subset_draws(as_draws_array(fit), variable = "lp__", exclude = TRUE),
                       "ess_bulk", "rhat")
  leap <- sum(sapply(sp, function(x) sum(x[, "n_leapfrog__"])))
  secs <- sum(get_elapsed_time(fit))
  data.frame(target = target, sampler = who,
             stepsize = mean(sapply(sp, function(x) x[1, "stepsize__"])),
             mean_depth = mean(sapply(sp, function(x) mean(x[, "treedepth__"]))),
             leapfrog_per_draw = leap / sum(sapply(sp, nrow)),
             divergences = sum(sapply(sp, function(x) sum(x[, "divergent__"]))),
             min_ess_bulk = min(s$ess_bulk), max_rhat = max(s$rhat),
             ess_per_1000_leapfrog = 1000 * min(s$ess_bulk) / leap,
             chain_seconds = secs, ess_per_s = min(s$ess_bulk) / secs)
}

rows <- list()
for (name in names(targets)) {
  dir <- tempfile("mvc_")
  dir.create(dir)
  system2(file.path(bindir, paste0("mvc_test_model_", name)),
          c("sample", "num_chains=4", "num_threads=2", "output",
            paste0("file=", file.path(dir, "out.csv")), "refresh=0", "random", "seed=1"),
          stdout = FALSE, stderr = FALSE)
  mvc_fit <- read_stan_csv(file.path(dir, paste0("out_", 1:4, ".csv")))
  rows[[length(rows) + 1]] <- stats(mvc_fit, "mvc", name)
  sm <- stan_model(file.path(here, "stan", paste0(targets[[name]], ".stan")))
  stan_fit <- sampling(sm, chains = 4, cores = 2, seed = 1, refresh = 0)
  rows[[length(rows) + 1]] <- stats(stan_fit, "stan", name)
  unlink(dir, recursive = TRUE)
}
out <- do.call(rbind, rows)
print(format(out, digits = 3), row.names = FALSE)
