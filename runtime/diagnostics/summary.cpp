#include "summary.h"

#include <algorithm>

#include "sampler_diagnostics.h"
#include "summary_row.h"
#include "summary_table.h"
#include "warnings.h"

namespace mvc::diag {

void print_summary(std::ostream& out, const std::vector<ChainDraws>& chains, int max_treedepth, int sig_figs) {
  std::size_t n = chains.empty() ? 0 : chains.front().draws.size();
  std::size_t longest = 0;
  for (const auto& c : chains) {
    n = std::min(n, c.draws.size());
    longest = std::max(longest, c.draws.size());
  }
  if (n == 0) {
    out << "No draws to summarize.\n";
    return;
  }
  for (const auto& c : chains)
    if (c.names != chains.front().names) {
      out << "Cannot summarize: the chains have different columns.\n";
      return;
    }
  out << chains.size() << (chains.size() == 1 ? " chain" : " chains") << " with " << n << " draws"
      << (chains.size() == 1 ? "" : " each") << " (" << n * chains.size() << " draws in total)\n";
  // R-hat and ESS need chains of equal length; an interrupted run can leave them unequal.
  if (longest != n)
    out << "Note: the chains have unequal numbers of draws; the summary uses the first " << n
        << " draws of each chain.\n";
  out << '\n';

  const std::vector<SummaryRow> rows = summarize_chains(chains, n);
  print_table(out, rows, sig_figs);

  // Sampler problems are counted over every draw, even those beyond the common length.
  std::vector<SamplerChainStats> stats;
  for (const auto& c : chains) stats.push_back(sampler_chain_stats(c, max_treedepth));
  const std::vector<std::string> warnings = collect_warnings(stats, rows, max_treedepth);
  out << '\n';
  if (warnings.empty()) out << "No problems detected by the diagnostics.\n";
  for (const auto& w : warnings) out << w << '\n';
}

}  // namespace mvc::diag
