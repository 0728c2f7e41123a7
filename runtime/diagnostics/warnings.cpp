#include "warnings.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace mvc::diag {

namespace {

const std::vector<WarningRule> kWarningRules = {
    {RuleId::kDivergences, "divergences", 0.0, "any post-warmup transition is divergent (divergent__ = 1)",
     "Divergent transitions mean HMC could not follow the posterior's geometry, so the draws may be "
     "biased. Increase adapt delta toward 1 (e.g. adapt delta=0.95); if divergences remain, "
     "reparameterize the model (e.g. a non-centered parameterization for hierarchical scales)."},
    {RuleId::kTreedepth, "treedepth", 0.0, "any transition reaches treedepth__ >= max_depth",
     "Trajectories were cut short at the maximum tree depth: sampling is inefficient (not biased). "
     "Increase max_depth (e.g. max_depth=12), or reparameterize to reduce posterior correlations."},
    {RuleId::kEbfmi, "ebfmi", 0.3, "E-BFMI of a chain is below 0.3",
     "Low E-BFMI means the momentum resampling explores the energy distribution poorly, often "
     "because of heavy tails or poor adaptation. Try a longer warmup, or reparameterize the model."},
    {RuleId::kRhat, "rhat", 1.01, "R-hat of a variable is above 1.01",
     "The chains have not mixed and the estimates are not reliable. Run longer chains, and check "
     "the model for multimodality or weakly identified parameters."},
    {RuleId::kEssBulk, "ess_bulk", 100.0, "ESS_bulk of a variable is below 100 per chain",
     "Estimates of means and medians are imprecise. Run more iterations, or reparameterize the "
     "model to reduce autocorrelation."},
    {RuleId::kEssTail, "ess_tail", 100.0, "ESS_tail of a variable is below 100 per chain",
     "Estimates of the 5% and 95% quantiles are imprecise. Run more iterations, or reparameterize "
     "the model to reduce autocorrelation."},
};

// The variables worst first, at most this many named in a warning.
constexpr std::size_t kMaxNamed = 5;

std::string fmt(double v, int digits = 3) {
  std::ostringstream s;
  s << std::setprecision(digits) << v;
  return s.str();
}

std::string percent(std::size_t k, std::size_t n) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << (n ? 100.0 * k / n : 0.0) << "%";
  return s.str();
}

// "3 variables have R-hat above 1.01: a (1.2), b (1.1), c (1.05)" with the worst first.
std::string list_variables(std::vector<std::pair<std::string, double>> bad, bool descending,
                           const std::string& what, std::string (*show)(double)) {
  std::stable_sort(bad.begin(), bad.end(),
                   [&](const auto& a, const auto& b) { return descending ? a.second > b.second : a.second < b.second; });
  std::ostringstream s;
  s << bad.size() << (bad.size() == 1 ? " variable has " : " variables have ") << what << ": ";
  for (std::size_t i = 0; i < bad.size() && i < kMaxNamed; ++i)
    s << (i ? ", " : "") << bad[i].first << " (" << show(bad[i].second) << ")";
  if (bad.size() > kMaxNamed) s << ", ...";
  s << ".";
  return s.str();
}

std::string show_rhat(double v) { return fmt(v, 4); }
// ESS one decimal: rounding to an integer could show "400" for 399.6 under a limit of 400.
std::string show_ess(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v;
  return s.str();
}

}  // namespace

const std::vector<WarningRule>& warning_rules() { return kWarningRules; }

const WarningRule& warning_rule(RuleId id) {
  return *std::find_if(kWarningRules.begin(), kWarningRules.end(), [&](const auto& r) { return r.id == id; });
}

std::vector<std::string> collect_warnings(const std::vector<SamplerChainStats>& chains,
                                          const std::vector<SummaryRow>& rows, int max_treedepth) {
  std::vector<std::string> out;
  std::size_t draws = 0, divergent = 0, hits = 0;
  for (const auto& c : chains) {
    draws += c.draws;
    divergent += c.divergent;
    hits += c.treedepth_hits;
  }
  const auto advise = [&](RuleId id, const std::string& finding) {
    out.push_back("Warning: " + finding + " " + warning_rule(id).advice);
  };
  if (divergent > warning_rule(RuleId::kDivergences).threshold)
    advise(RuleId::kDivergences, std::to_string(divergent) + " of " + std::to_string(draws) + " (" +
                                     percent(divergent, draws) + ") transitions ended with a divergence.");
  if (hits > warning_rule(RuleId::kTreedepth).threshold)
    advise(RuleId::kTreedepth, std::to_string(hits) + " of " + std::to_string(draws) + " (" + percent(hits, draws) +
                                   ") transitions hit the maximum tree depth of " + std::to_string(max_treedepth) +
                                   ".");

  std::ostringstream low;
  int n_low = 0;
  for (std::size_t i = 0; i < chains.size(); ++i)
    if (chains[i].ebfmi < warning_rule(RuleId::kEbfmi).threshold)  // false for NaN
      low << (n_low++ ? ", " : "") << "chain " << i + 1 << " (" << fmt(chains[i].ebfmi) << ")";
  if (n_low)
    advise(RuleId::kEbfmi, "E-BFMI below " + fmt(warning_rule(RuleId::kEbfmi).threshold) + " in " +
                               std::to_string(n_low) + (n_low == 1 ? " chain: " : " chains: ") + low.str() + ".");

  std::vector<std::pair<std::string, double>> high_rhat, low_bulk, low_tail;
  const double rhat_max = warning_rule(RuleId::kRhat).threshold;
  const double n_chains = static_cast<double>(chains.size());
  const double bulk_min = warning_rule(RuleId::kEssBulk).threshold * n_chains;
  const double tail_min = warning_rule(RuleId::kEssTail).threshold * n_chains;
  // Comparisons with NaN are false, so NA diagnostics (constant columns) never fire.
  for (const auto& r : rows) {
    if (r.rhat > rhat_max) high_rhat.emplace_back(r.name, r.rhat);
    if (r.ess_bulk < bulk_min) low_bulk.emplace_back(r.name, r.ess_bulk);
    if (r.ess_tail < tail_min) low_tail.emplace_back(r.name, r.ess_tail);
  }
  const auto limit = [&](const char* what, RuleId id, double total) {
    return std::string(what) + " below " + fmt(total, 10) + " (" + fmt(warning_rule(id).threshold, 10) + " per chain)";
  };
  if (!high_rhat.empty())
    advise(RuleId::kRhat, list_variables(high_rhat, true, "R-hat above " + fmt(rhat_max), show_rhat));
  if (!low_bulk.empty())
    advise(RuleId::kEssBulk, list_variables(low_bulk, false, limit("ESS_bulk", RuleId::kEssBulk, bulk_min), show_ess));
  if (!low_tail.empty())
    advise(RuleId::kEssTail, list_variables(low_tail, false, limit("ESS_tail", RuleId::kEssTail, tail_min), show_ess));
  return out;
}

}  // namespace mvc::diag
