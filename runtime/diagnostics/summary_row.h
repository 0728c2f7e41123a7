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

SummaryRow summarize_variable(const std::string& name, const VariableDraws& chains);

// The columns the table shows: lp__ and every column whose name does not end in "__".
bool is_summarized_column(const std::string& name);

// The draws of column `col`, truncated to the first `n` draws of every chain.
VariableDraws column_draws(const std::vector<ChainDraws>& chains, std::size_t col, std::size_t n);

// Rows for every summarized column, using the first `n` draws of each chain.
std::vector<SummaryRow> summarize_chains(const std::vector<ChainDraws>& chains, std::size_t n);

}  // namespace mvc::diag
