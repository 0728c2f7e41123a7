// R-hat and effective sample sizes of one variable, following Vehtari, Gelman, Simpson,
// Carpenter and Buerkner (2021), "Rank-normalization, folding, and localization: an improved
// R-hat for assessing convergence of MCMC", Bayesian Analysis 16(2), and matching the R
// posterior package (1.4.0) function by function; each function names its R counterpart.
// All return NaN where posterior returns NA (constant or non-finite draws, too few draws).
#pragma once

#include <cstddef>

#include "draw_stats.h"

namespace mvc::diag {

// posterior:::.split_chains: each chain's first and second half become two chains (the middle
// draw of an odd-length chain is dropped); a chain of one draw is left as it is.
VariableDraws split_chains(const VariableDraws& chains);
// Where split_chains puts draw t of chain c (of m chains of n >= 2 draws), as a position in
// pooled(split_chains(chains)); kDropped for the middle draw of an odd chain.
constexpr std::size_t kDropped = static_cast<std::size_t>(-1);
std::size_t split_position(std::size_t m, std::size_t n, std::size_t c, std::size_t t);
// posterior:::z_scale: rank normalization over all draws, qnorm((r - 3/8) / (S + 1/4)).
VariableDraws z_scale(const VariableDraws& chains);
// z_scale's scores into `z`: z[k] is NaN where x[k] is, else the score of the average rank
// ranks[k] among ranks.size() draws.
void rank_normalize(const double* x, const std::vector<double>& ranks, std::vector<double>& z);
// posterior:::fold_draws: |x - median(all draws)|.
VariableDraws fold(const VariableDraws& chains);

// posterior:::.rhat: classic R-hat of the given chains (no splitting, no ranking).
double rhat_basic(const VariableDraws& chains);
double rhat_basic(ChainsView chains);
// posterior:::.ess: ESS of the given chains with Geyer's initial monotone sequence.
double ess_raw(const VariableDraws& chains);
double ess_raw(ChainsView chains);

// posterior::rhat: max of rank-normalized split R-hat of the draws and of the folded draws.
double rhat(const VariableDraws& chains);
// posterior::ess_bulk: ESS of the rank-normalized split chains.
double ess_bulk(const VariableDraws& chains);
// posterior::ess_quantile: ESS of the indicator x <= quantile(x, prob) over split chains.
double ess_quantile(const VariableDraws& chains, double prob);
// ess_quantile's last step: ess_raw of the indicator x <= q of the split chains `split`.
double ess_below(ChainsView split, double q);
// posterior::ess_tail: min of ess_quantile at 0.05 and 0.95.
double ess_tail(const VariableDraws& chains);
// posterior::ess_mean (= ess_basic): ESS of the split chains, for the MCSE of the mean.
double ess_mean(const VariableDraws& chains);

}  // namespace mvc::diag
