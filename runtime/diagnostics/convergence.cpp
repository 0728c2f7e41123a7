#include "convergence.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "autocovariance.h"
#include "special_functions.h"

namespace mvc::diag {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool any_nan(const VariableDraws& chains) {
  for (const auto& c : chains)
    for (double v : c)
      if (std::isnan(v)) return true;
  return false;
}

}  // namespace

VariableDraws split_chains(const VariableDraws& chains) {
  if (chains.empty() || chains.front().size() <= 1) return chains;
  const std::size_t n = chains.front().size();
  const std::size_t half = n / 2;  // R: 1:floor(n/2) and ceiling(n/2 + 1):n
  VariableDraws out;
  for (const auto& c : chains) out.emplace_back(c.begin(), c.begin() + half);
  for (const auto& c : chains) out.emplace_back(c.end() - half, c.end());
  return out;
}

VariableDraws z_scale(const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  const std::vector<double> ranks = average_ranks(all);
  const double s = static_cast<double>(all.size());
  const double c = 3.0 / 8.0;
  VariableDraws out = chains;
  std::size_t k = 0;
  for (auto& chain : out)
    for (double& v : chain) {
      v = std::isnan(v) ? kNaN : normal_quantile((ranks[k] - c) / (s - 2.0 * c + 1.0));
      ++k;
    }
  return out;
}

VariableDraws fold(const VariableDraws& chains) {
  const double med = median(pooled(chains));
  VariableDraws out = chains;
  for (auto& chain : out)
    for (double& v : chain) v = std::fabs(v - med);
  return out;
}

double rhat_basic(const VariableDraws& chains) {
  if (should_return_na(chains)) return kNaN;
  const double n = static_cast<double>(chains.front().size());
  std::vector<double> chain_mean, chain_var;
  for (const auto& c : chains) {
    chain_mean.push_back(mean(c));
    chain_var.push_back(variance(c));
  }
  const double var_between = n * variance(chain_mean);
  const double var_within = mean(chain_var);
  return std::sqrt((var_between / var_within + n - 1.0) / n);
}

double ess_raw(const VariableDraws& chains) {
  const long m = static_cast<long>(chains.size());
  const long n = chains.empty() ? 0 : static_cast<long>(chains.front().size());
  if (n < 3 || should_return_na(chains)) return kNaN;

  std::vector<double> acov_mean(n, 0.0);
  std::vector<double> chain_mean;
  for (const auto& c : chains) {
    const std::vector<double> acov = autocovariance(c);
    for (long k = 0; k < n; ++k) acov_mean[k] += acov[k] / static_cast<double>(m);
    chain_mean.push_back(mean(c));
  }
  const double nd = static_cast<double>(n);
  const double mean_var = acov_mean[0] * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (m > 1) var_plus += variance(chain_mean);

  // Geyer's initial positive sequence: sum autocorrelations in pairs while the pair sum is
  // positive. rho[t] is posterior's rho_hat_t[t + 1].
  std::vector<double> rho(n, 0.0);
  long t = 0;
  double rho_even = 1.0;
  rho[0] = rho_even;
  double rho_odd = 1.0 - (mean_var - acov_mean[1]) / var_plus;
  rho[1] = rho_odd;
  while (t < n - 5 && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0.0) {
    t += 2;
    rho_even = 1.0 - (mean_var - acov_mean[t]) / var_plus;
    rho_odd = 1.0 - (mean_var - acov_mean[t + 1]) / var_plus;
    if (rho_even + rho_odd >= 0.0) {
      rho[t] = rho_even;
      rho[t + 1] = rho_odd;
    }
  }
  const long max_t = t;
  // The last even autocorrelation, if positive, enters the improved (antithetic) estimate.
  if (rho_even > 0.0) rho[max_t] = rho_even;

  // Geyer's initial monotone sequence: pair sums may not increase.
  t = 0;
  while (t <= max_t - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2.0;
      rho[t + 1] = rho[t];
    }
  }
  const double draws = static_cast<double>(m) * nd;
  // R's sum(rho_hat_t[1:max_t]) is sum(rho_hat_t[1]) when max_t is 0 (1:0 is c(1, 0)).
  double sum = max_t == 0 ? rho[0] : 0.0;
  for (long k = 0; k < max_t; ++k) sum += rho[k];
  double tau_hat = -1.0 + 2.0 * sum + rho[max_t];
  // Cap the ESS at S * log10(S) for antithetic chains, to avoid unstable estimates.
  tau_hat = std::max(tau_hat, 1.0 / std::log10(draws));
  return draws / tau_hat;
}

double rhat(const VariableDraws& chains) {
  if (chains.empty() || any_nan(chains)) return kNaN;
  const double bulk = rhat_basic(z_scale(split_chains(chains)));
  const double tail = rhat_basic(z_scale(split_chains(fold(chains))));
  // R's max() is NA if either is NA.
  if (std::isnan(bulk) || std::isnan(tail)) return kNaN;
  return std::max(bulk, tail);
}

double ess_bulk(const VariableDraws& chains) {
  if (chains.empty() || any_nan(chains)) return kNaN;
  return ess_raw(z_scale(split_chains(chains)));
}

double ess_quantile(const VariableDraws& chains, double prob) {
  if (should_return_na(chains)) return kNaN;
  const std::vector<double> all = pooled(chains);
  if (prob == 1.0) prob = (static_cast<double>(all.size()) - 0.5) / static_cast<double>(all.size());
  const double q = quantile7(all, prob);
  VariableDraws indicator = chains;
  for (auto& c : indicator)
    for (double& v : c) v = v <= q ? 1.0 : 0.0;
  return ess_raw(split_chains(indicator));
}

double ess_tail(const VariableDraws& chains) {
  const double q05 = ess_quantile(chains, 0.05);
  const double q95 = ess_quantile(chains, 0.95);
  if (std::isnan(q05) || std::isnan(q95)) return kNaN;
  return std::min(q05, q95);
}

double ess_mean(const VariableDraws& chains) { return ess_raw(split_chains(chains)); }

}  // namespace mvc::diag
