#include "summary_row.h"

#include "convergence.h"
#include "mcse.h"

namespace mvc::diag {

SummaryRow summarize_variable(const std::string& name, const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  SummaryRow r;
  r.name = name;
  r.mean = mean(all);
  r.mcse = mcse_mean(chains);
  r.sd = stddev(all);
  r.q5 = quantile7(all, 0.05);
  r.q50 = quantile7(all, 0.50);
  r.q95 = quantile7(all, 0.95);
  r.ess_bulk = ess_bulk(chains);
  r.ess_tail = ess_tail(chains);
  r.rhat = rhat(chains);
  return r;
}

bool is_summarized_column(const std::string& name) {
  const bool sampler = name.size() >= 2 && name.compare(name.size() - 2, 2, "__") == 0;
  return name == "lp__" || !sampler;
}

VariableDraws column_draws(const std::vector<ChainDraws>& chains, std::size_t col, std::size_t n) {
  VariableDraws out;
  for (const auto& c : chains) {
    std::vector<double> v;
    v.reserve(n);
    for (std::size_t i = 0; i < n && i < c.draws.size(); ++i) v.push_back(c.draws[i][col]);
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<SummaryRow> summarize_chains(const std::vector<ChainDraws>& chains, std::size_t n) {
  std::vector<SummaryRow> rows;
  if (chains.empty()) return rows;
  const auto& names = chains.front().names;
  for (std::size_t col = 0; col < names.size(); ++col)
    if (is_summarized_column(names[col])) rows.push_back(summarize_variable(names[col], column_draws(chains, col, n)));
  return rows;
}

}  // namespace mvc::diag
