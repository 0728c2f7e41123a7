#include "draw_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mvc::diag {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double variance(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return ss / static_cast<double>(x.size() - 1);
}

double stddev(const std::vector<double>& x) { return std::sqrt(variance(x)); }

double median(std::vector<double> x) {
  if (x.empty()) return kNaN;
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

double quantile7(std::vector<double> x, double prob) {
  if (x.empty()) return kNaN;
  std::sort(x.begin(), x.end());
  // R: index = 1 + (n - 1) p (1-based), lo = floor, hi = ceiling.
  const double index = 1.0 + static_cast<double>(x.size() - 1) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(index));
  const auto hi = static_cast<std::size_t>(std::ceil(index));
  const double qlo = x[lo - 1];
  if (!(index > static_cast<double>(lo)) || x[hi - 1] == qlo) return qlo;
  const double h = index - static_cast<double>(lo);
  return (1.0 - h) * qlo + h * x[hi - 1];
}

std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    // Positions i..j (0-based) tie: each gets the mean of ranks i+1..j+1.
    const double avg = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = avg;
    i = j + 1;
  }
  return rank;
}

std::vector<double> pooled(const VariableDraws& chains) {
  std::vector<double> all;
  for (const auto& c : chains) all.insert(all.end(), c.begin(), c.end());
  return all;
}

bool should_return_na(const VariableDraws& chains) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  bool any = false;
  for (const auto& c : chains) {
    for (double v : c) {
      if (!std::isfinite(v)) return true;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      any = true;
    }
  }
  return !any || std::fabs(hi - lo) < std::numeric_limits<double>::epsilon();
}

}  // namespace mvc::diag
