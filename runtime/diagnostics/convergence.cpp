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

// The rank-normalized score qnorm((rank - 3/8) / (s + 1/4)) of an average rank among s draws.
// Average ranks are whole or half numbers, so the scores for one s fit a table of 2s + 1,
// filled as they are asked for: the summary normalizes every variable's draws over the same s,
// and a lookup costs far less than normal_quantile. One table per thread, for the last s.
double normal_score(double rank, std::size_t s) {
  thread_local std::size_t table_s = 0;
  thread_local std::vector<double> table;
  if (table_s != s) {
    table.assign(2 * s + 1, kNaN);  // NaN: not computed yet (no score is NaN)
    table_s = s;
  }
  double& score = table[static_cast<std::size_t>(2.0 * rank)];
  if (std::isnan(score)) {
    const double c = 3.0 / 8.0;
    score = normal_quantile((rank - c) / (static_cast<double>(s) - 2.0 * c + 1.0));
  }
  return score;
}

// Buffers of ess_raw and ess_below, one set per thread, reused from call to call: the summary
// makes four such calls per variable, and fresh vectors each time cost the allocator more
// than the arithmetic on them (see summarize_variable's Workspace).
struct EssBuffers {
  std::vector<double> acov, rho, indicator;
};

EssBuffers& ess_buffers() {
  thread_local EssBuffers b;
  return b;
}

// posterior:::.ess from the mean autocovariance of the chains (of n draws each; acov holds
// lags 0..acov.size()-1) and the chains' means, into `ess`. False, and no `ess`, when the
// sequence needs a lag past those in acov (never when acov holds all n). rho: scratch.
bool geyer_ess(const std::vector<double>& acov_mean, const std::vector<double>& chain_mean, long n,
               std::vector<double>& rho, double& ess) {
  const long m = static_cast<long>(chain_mean.size());
  const long lags = static_cast<long>(acov_mean.size());
  const double nd = static_cast<double>(n);
  const double mean_var = acov_mean[0] * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (m > 1) var_plus += variance(chain_mean);

  // Geyer's initial positive sequence: sum autocorrelations in pairs while the pair sum is
  // positive. rho[t] is posterior's rho_hat_t[t + 1].
  rho.assign(static_cast<std::size_t>(n), 0.0);
  long t = 0;
  double rho_even = 1.0;
  rho[0] = rho_even;
  double rho_odd = 1.0 - (mean_var - acov_mean[1]) / var_plus;
  rho[1] = rho_odd;
  while (t < n - 5 && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0.0) {
    t += 2;
    if (t + 1 >= lags) return false;
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
  ess = draws / tau_hat;
  return true;
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

std::size_t split_position(std::size_t m, std::size_t n, std::size_t c, std::size_t t) {
  const std::size_t half = n / 2;
  if (t < half) return c * half + t;                          // chain c: the first half
  if (t >= n - half) return (m + c) * half + t - (n - half);  // chain m + c: the second
  return kDropped;
}

VariableDraws z_scale(const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  std::vector<double> z;
  rank_normalize(all.data(), average_ranks(all), z);
  return to_chains(view(z, chains.size()));
}

void rank_normalize(const double* x, const std::vector<double>& ranks, std::vector<double>& z) {
  z.resize(ranks.size());
  for (std::size_t k = 0; k < ranks.size(); ++k) z[k] = std::isnan(x[k]) ? kNaN : normal_score(ranks[k], ranks.size());
}

VariableDraws fold(const VariableDraws& chains) {
  const double med = median(pooled(chains));
  VariableDraws out = chains;
  for (auto& chain : out)
    for (double& v : chain) v = std::fabs(v - med);
  return out;
}

double rhat_basic(const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  return rhat_basic(view(all, chains.size()));
}

double rhat_basic(ChainsView chains) {
  if (should_return_na(chains)) return kNaN;
  const double n = static_cast<double>(chains.n);
  std::vector<double> chain_mean, chain_var;
  for (std::size_t c = 0; c < chains.chains; ++c) {
    chain_mean.push_back(mean(chains.chain(c), chains.n));
    chain_var.push_back(variance(chains.chain(c), chains.n));
  }
  const double var_between = n * variance(chain_mean);
  const double var_within = mean(chain_var);
  return std::sqrt((var_between / var_within + n - 1.0) / n);
}

double ess_raw(const VariableDraws& chains) {
  const std::vector<double> all = pooled(chains);
  return ess_raw(view(all, chains.size()));
}

double ess_raw(ChainsView chains) {
  const long n = static_cast<long>(chains.n);
  if (n < 3 || should_return_na(chains)) return kNaN;
  std::vector<double> chain_mean;
  for (std::size_t c = 0; c < chains.chains; ++c) chain_mean.push_back(mean(chains.chain(c), chains.n));
  // Geyer's sequences usually stop within a few lags, and direct sums give those for less than
  // the FFT gives all n: the first 8 lags are summed, then up to 16, then up to 32, and only a
  // sequence that goes on past those takes the FFT.
  EssBuffers& b = ess_buffers();
  b.acov.clear();
  double ess;
  for (std::size_t lags = 8; lags <= 32; lags *= 2) {
    extend_mean_autocovariance(chains, lags, b.acov);
    if (geyer_ess(b.acov, chain_mean, n, b.rho, ess)) return ess;
  }
  mean_autocovariance(chains, b.acov);
  geyer_ess(b.acov, chain_mean, n, b.rho, ess);
  return ess;
}

double rhat(const VariableDraws& chains) {
  if (chains.empty() || any_nan(chains)) return kNaN;
  return na_max(rhat_basic(z_scale(split_chains(chains))), rhat_basic(z_scale(split_chains(fold(chains)))));
}

double ess_bulk(const VariableDraws& chains) {
  if (chains.empty() || any_nan(chains)) return kNaN;
  return ess_raw(z_scale(split_chains(chains)));
}

double ess_quantile(const VariableDraws& chains, double prob) {
  if (should_return_na(chains)) return kNaN;
  const std::vector<double> all = pooled(chains);
  if (prob == 1.0) prob = (static_cast<double>(all.size()) - 0.5) / static_cast<double>(all.size());
  const VariableDraws split = split_chains(chains);
  const std::vector<double> split_all = pooled(split);
  return ess_below(view(split_all, split.size()), quantile7(all, prob));
}

double ess_below(ChainsView split, double q) {
  std::vector<double>& indicator = ess_buffers().indicator;
  indicator.resize(split.size());
  for (std::size_t k = 0; k < split.size(); ++k) indicator[k] = split.x[k] <= q ? 1.0 : 0.0;
  return ess_raw(ChainsView{indicator.data(), split.chains, split.n});
}

double ess_tail(const VariableDraws& chains) { return na_min(ess_quantile(chains, 0.05), ess_quantile(chains, 0.95)); }

double ess_mean(const VariableDraws& chains) { return ess_raw(split_chains(chains)); }

}  // namespace mvc::diag
