// R-hat and effective sample sizes of one variable, following Vehtari, Gelman, Simpson,
// Carpenter and Buerkner (2021), "Rank-normalization, folding, and localization: an improved
// R-hat for assessing convergence of MCMC", Bayesian Analysis 16(2), and matching the R
// posterior package (1.4.0) function by function; each function names its R counterpart.
// All return NaN where posterior returns NA (constant or non-finite draws, too few draws).
#pragma once

#include "draw_stats.h"

namespace mvc::diag {

// posterior:::.split_chains: each chain's first and second half become two chains (the middle
// draw of an odd-length chain is dropped); a chain of one draw is left as it is.
VariableDraws split_chains(const VariableDraws& chains);
// posterior:::z_scale: rank normalization over all draws, qnorm((r - 3/8) / (S + 1/4)).
VariableDraws z_scale(const VariableDraws& chains);
// posterior:::fold_draws: |x - median(all draws)|.
VariableDraws fold(const VariableDraws& chains);

// posterior:::.rhat: classic R-hat of the given chains (no splitting, no ranking).
double rhat_basic(const VariableDraws& chains);
// posterior:::.ess: ESS of the given chains with Geyer's initial monotone sequence.
double ess_raw(const VariableDraws& chains);

// posterior::rhat: max of rank-normalized split R-hat of the draws and of the folded draws.
double rhat(const VariableDraws& chains);
// posterior::ess_bulk: ESS of the rank-normalized split chains.
double ess_bulk(const VariableDraws& chains);
// posterior::ess_quantile: ESS of the indicator x <= quantile(x, prob) over split chains.
double ess_quantile(const VariableDraws& chains, double prob);
// posterior::ess_tail: min of ess_quantile at 0.05 and 0.95.
double ess_tail(const VariableDraws& chains);
// posterior::ess_mean (= ess_basic): ESS of the split chains, for the MCSE of the mean.
double ess_mean(const VariableDraws& chains);

}  // namespace mvc::diag
