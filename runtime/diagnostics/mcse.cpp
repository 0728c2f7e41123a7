#include "mcse.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "convergence.h"
#include "special_functions.h"

namespace mvc::diag {

double mcse_mean(const VariableDraws& chains) {
  return stddev(pooled(chains)) / std::sqrt(ess_mean(chains));
}

double mcse_quantile(const VariableDraws& chains, double prob) {
  const double ess = ess_quantile(chains, prob);
  if (std::isnan(ess)) return std::numeric_limits<double>::quiet_NaN();
  // posterior's constants: the normal CDF at -1 and +1, rounded to 7 digits.
  const double a1 = beta_quantile(0.1586553, ess * prob + 1.0, ess * (1.0 - prob) + 1.0);
  const double a2 = beta_quantile(0.8413447, ess * prob + 1.0, ess * (1.0 - prob) + 1.0);
  std::vector<double> sorted = pooled(chains);
  std::sort(sorted.begin(), sorted.end());
  const double s = static_cast<double>(sorted.size());
  // 1-based indices as in R, clamped to 1..S.
  const double i1 = std::max(std::floor(a1 * s), 1.0);
  const double i2 = std::min(std::ceil(a2 * s), s);
  return (sorted[static_cast<std::size_t>(i2) - 1] - sorted[static_cast<std::size_t>(i1) - 1]) / 2.0;
}

}  // namespace mvc::diag
