#include "summary_row.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "convergence.h"
#include "mcse.h"

namespace mvc::diag {

namespace {

// summarize_variable's buffers, one set per thread, reused from one variable to the next. Fresh
// vectors of every draw for each variable would be allocated at the top of the heap and freed
// back to it, and the allocator may then return that memory to the system and fault it back in
// for the next variable, which can cost as much as the statistics themselves.
struct Workspace {
  std::vector<double> xs;                  // pooled(split_chains(x))
  std::vector<std::size_t> position;       // where split_chains puts each draw of x
  std::vector<std::size_t> order;          // x in ascending order
  std::vector<double> sorted;              // x sorted
  std::vector<std::size_t> split_order;    // xs in ascending order
  std::vector<double> folded;              // |xs - median(x)|
  std::vector<std::size_t> folded_order;   // folded in ascending order
  std::vector<double> ranks, z, z_folded;  // rank normalization of xs and of folded
  std::vector<double> column;              // summarize_chains: one column's draws
};

Workspace& workspace() {
  thread_local Workspace w;
  return w;
}

}  // namespace

SummaryRow summarize_variable(const std::string& name, ChainsView draws) {
  const double* x = draws.x;
  const std::size_t m = draws.chains, n = draws.n, s = draws.size();
  const bool finite = std::all_of(x, x + s, [](double v) { return std::isfinite(v); });
  if (!finite || m == 0 || n < 2) return summarize_variable_by_definition(name, to_chains(draws));

  Workspace& w = workspace();
  SummaryRow r;
  r.name = name;
  r.mean = mean(x, s);
  r.sd = stddev(x, s);

  w.xs.resize(2 * m * (n / 2));
  w.position.resize(s);
  for (std::size_t c = 0; c < m; ++c)
    for (std::size_t t = 0; t < n; ++t) {
      const std::size_t p = split_position(m, n, c, t);
      w.position[c * n + t] = p;
      if (p != kDropped) w.xs[p] = x[c * n + t];
    }
  const ChainsView split{w.xs.data(), 2 * m, n / 2};
  r.mcse = r.sd / std::sqrt(ess_raw(split));  // mcse_mean: ess_mean is ess_raw of the split chains

  // The one sort, of the draws in their pooled order, so that the sorted draws are those that
  // quantile7 and median sort (even to the sign of a zero).
  ascending_order(x, s, w.order);
  w.sorted.resize(s);
  for (std::size_t i = 0; i < s; ++i) w.sorted[i] = x[w.order[i]];
  r.q5 = quantile7_of_sorted(w.sorted, 0.05);
  r.q50 = quantile7_of_sorted(w.sorted, 0.50);
  r.q95 = quantile7_of_sorted(w.sorted, 0.95);

  // ess_bulk and rhat rank-normalize the split chains of x and of fold(x). Their ranks come
  // from the same order, as positions in xs (an odd chain's middle draw left out); folding
  // splits that order into two runs that merge into the folded draws' order.
  w.split_order.clear();
  for (std::size_t k : w.order)
    if (w.position[k] != kDropped) w.split_order.push_back(w.position[k]);
  ranks_from_order(w.xs.data(), w.split_order, w.ranks);
  rank_normalize(w.xs.data(), w.ranks, w.z);
  const ChainsView z{w.z.data(), 2 * m, n / 2};
  r.ess_bulk = ess_raw(z);

  const double med = median_of_sorted(w.sorted);
  w.folded.resize(w.xs.size());
  for (std::size_t k = 0; k < w.xs.size(); ++k) w.folded[k] = std::fabs(w.xs[k] - med);  // as fold
  folded_order(w.xs.data(), w.split_order, med, w.folded_order);
  ranks_from_order(w.folded.data(), w.folded_order, w.ranks);
  rank_normalize(w.folded.data(), w.ranks, w.z_folded);
  r.rhat = na_max(rhat_basic(z), rhat_basic(ChainsView{w.z_folded.data(), 2 * m, n / 2}));

  // ess_tail: ess_quantile at 0.05 and 0.95, whose quantiles are q5 and q95.
  r.ess_tail = should_return_na(draws) ? std::numeric_limits<double>::quiet_NaN()
                                       : na_min(ess_below(split, r.q5), ess_below(split, r.q95));
  return r;
}

SummaryRow summarize_variable(const std::string& name, const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  return summarize_variable(name, view(all, chains.size()));
}

SummaryRow summarize_variable_by_definition(const std::string& name, const VariableDraws& chains) {
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

std::vector<SummaryRow> summarize_chains(const std::vector<ChainDraws>& chains, std::size_t n, int threads) {
  if (chains.empty()) return {};
  for (const auto& c : chains) n = std::min(n, c.draws.size());  // a chain that failed to read is empty
  const auto& names = chains.front().names;
  std::vector<std::size_t> columns;
  for (std::size_t col = 0; col < names.size(); ++col)
    if (is_summarized_column(names[col])) columns.push_back(col);
  std::vector<SummaryRow> rows(columns.size());
  // Thread `first` of `step` takes every step-th variable, which spreads the slow ones (long
  // ESS sequences, odd chain lengths) evenly. Each row is computed alone, so where it is
  // computed does not change it, and the rows stay in column order.
  auto summarize = [&](std::size_t first, std::size_t step) {
    std::vector<double>& column = workspace().column;
    column.resize(chains.size() * n);
    for (std::size_t i = first; i < columns.size(); i += step) {
      for (std::size_t c = 0; c < chains.size(); ++c)
        for (std::size_t t = 0; t < n; ++t) column[c * n + t] = chains[c].draws[t][columns[i]];
      rows[i] = summarize_variable(names[columns[i]], view(column, chains.size()));
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1,
                                                      std::max<std::size_t>(columns.size(), 1));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(summarize, t, workers);
  summarize(0, workers);
  for (auto& t : pool) t.join();
  return rows;
}

}  // namespace mvc::diag
