#include "summary.h"

#include <algorithm>

#include "sampler_diagnostics.h"
#include "summary_row.h"
#include "summary_table.h"
#include "warnings.h"

namespace mvc::diag {

namespace {

// The summary of chains whose columns `read_columns` reads, with the rows made by
// `summarize(n)` from the first n draws of every chain.
void print_summary_of(std::ostream& out, const std::vector<std::string>& names, const std::vector<std::size_t>& lengths,
                      const ColumnReader& read_columns,
                      const std::function<std::vector<SummaryRow>(std::size_t n)>& summarize, int max_treedepth,
                      int sig_figs) {
  std::size_t n = lengths.empty() ? 0 : lengths.front();
  std::size_t longest = 0;
  for (std::size_t len : lengths) {
    n = std::min(n, len);
    longest = std::max(longest, len);
  }
  if (n == 0) {
    out << "No draws to summarize.\n";
    return;
  }
  const std::size_t chains = lengths.size();
  out << chains << (chains == 1 ? " chain" : " chains") << " with " << n << " draws"
      << (chains == 1 ? "" : " each") << " (" << n * chains << " draws in total)\n";
  // R-hat and ESS need chains of equal length; an interrupted run can leave them unequal.
  if (longest != n)
    out << "Note: the chains have unequal numbers of draws; the summary uses the first " << n
        << " draws of each chain.\n";
  out << '\n';

  // Sampler problems are counted over every draw, even those beyond the common length. The
  // sampler's columns (lp__, accept_stat__, ..., energy__: names ending in "__") lead.
  std::size_t sampler_cols = 0;
  auto internal = [](const std::string& s) { return s.size() > 2 && s.compare(s.size() - 2, 2, "__") == 0; };
  while (sampler_cols < names.size() && internal(names[sampler_cols])) ++sampler_cols;
  std::vector<ChainDraws> block;
  std::vector<SamplerChainStats> stats;
  read_columns(0, sampler_cols, block);
  for (const auto& c : block) stats.push_back(sampler_chain_stats(c, max_treedepth));

  const std::vector<SummaryRow> rows = summarize(n);
  print_table(out, rows, sig_figs);

  const std::vector<std::string> warnings = collect_warnings(stats, rows, max_treedepth);
  out << '\n';
  if (warnings.empty()) out << "No problems detected by the diagnostics.\n";
  for (const auto& w : warnings) out << w << '\n';
}

}  // namespace

void print_summary(std::ostream& out, const std::vector<ChainDraws>& chains, int max_treedepth, int sig_figs,
                   int threads) {
  std::vector<std::size_t> lengths;
  for (const auto& c : chains) lengths.push_back(c.draws.size());
  for (const auto& c : chains)
    if (c.names != chains.front().names) {
      out << "Cannot summarize: the chains have different columns.\n";
      return;
    }
  const std::vector<std::string> names = chains.empty() ? std::vector<std::string>{} : chains.front().names;
  auto read = [&](std::size_t c0, std::size_t c1, std::vector<ChainDraws>& block) {
    block.assign(chains.size(), {});
    for (std::size_t k = 0; k < chains.size(); ++k) {
      block[k].names.assign(names.begin() + static_cast<std::ptrdiff_t>(c0), names.begin() + static_cast<std::ptrdiff_t>(c1));
      for (const auto& row : chains[k].draws)
        block[k].draws.emplace_back(row.begin() + static_cast<std::ptrdiff_t>(c0), row.begin() + static_cast<std::ptrdiff_t>(c1));
    }
  };
  // Every draw is in memory already: the rows are made from the chains, not from a copy.
  auto summarize = [&](std::size_t n) { return summarize_chains(chains, n, threads); };
  print_summary_of(out, names, lengths, read, summarize, max_treedepth, sig_figs);
}

void print_summary_blocked(std::ostream& out, const std::vector<std::string>& names,
                           const std::vector<std::size_t>& lengths, const ColumnReader& read_columns,
                           int max_treedepth, std::size_t max_bytes, int sig_figs, int threads) {
  // The rows, a block of columns at a time: at most max_bytes of draws are read at once.
  auto summarize = [&](std::size_t n) {
    std::size_t total = 0;
    for (std::size_t len : lengths) total += len;
    const std::size_t per_column = std::max<std::size_t>(1, total * sizeof(double));
    const std::size_t width = std::max<std::size_t>(1, max_bytes / per_column);
    std::vector<SummaryRow> rows;
    std::vector<ChainDraws> block;
    for (std::size_t c0 = 0; c0 < names.size(); c0 += width) {
      const std::size_t c1 = std::min(names.size(), c0 + width);
      read_columns(c0, c1, block);
      std::vector<SummaryRow> part = summarize_chains(block, n, threads);
      rows.insert(rows.end(), part.begin(), part.end());
    }
    return rows;
  };
  print_summary_of(out, names, lengths, read_columns, summarize, max_treedepth, sig_figs);
}

}  // namespace mvc::diag
