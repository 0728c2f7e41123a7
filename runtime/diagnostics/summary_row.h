// One row of the summary table: the posterior summaries and convergence diagnostics of one
// variable over all chains.
#pragma once

#include <string>
#include <vector>

#include "draw_stats.h"
#include "summary.h"

namespace mvc::diag {

struct SummaryRow {
  std::string name;
  double mean, mcse, sd, q5, q50, q95, ess_bulk, ess_tail, rhat;  // NaN means NA
};

// The row of one variable (equal-length chains). When every draw is finite and the chains have
// at least two draws each, one sort of the draws serves the quantiles and the ranks of both
// rank normalizations, and the rank-normalized split chains serve both ESS_bulk and R-hat;
// otherwise (NaN or infinite draws) it is summarize_variable_by_definition. Both give the same
// row (the tests check to 1e-12 relative).
SummaryRow summarize_variable(const std::string& name, ChainsView draws);
SummaryRow summarize_variable(const std::string& name, const VariableDraws& chains);

// The row computed statistic by statistic, each by the function transcribing its posterior
// counterpart (mean, mcse_mean, quantile7, ess_bulk, ess_tail, rhat): the reference.
SummaryRow summarize_variable_by_definition(const std::string& name, const VariableDraws& chains);

// The columns the table shows: lp__ and every column whose name does not end in "__".
bool is_summarized_column(const std::string& name);

// The draws of column `col`, truncated to the first `n` draws of every chain.
VariableDraws column_draws(const std::vector<ChainDraws>& chains, std::size_t col, std::size_t n);

// Rows for every summarized column, using the first `n` draws of each chain. With threads > 1
// the variables are shared among that many threads; the rows are the same.
std::vector<SummaryRow> summarize_chains(const std::vector<ChainDraws>& chains, std::size_t n, int threads = 1);

}  // namespace mvc::diag
