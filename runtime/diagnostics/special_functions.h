// Inverse distribution functions that the diagnostics need: the standard normal quantile
// (rank normalization) and the beta quantile (MCSE of quantiles). Both match R's qnorm and
// qbeta to well below the 1e-6 the fixtures test at.
#pragma once

namespace mvc::diag {

// Quantile of the standard normal distribution, p in (0, 1); Wichura's AS 241 (PPND16),
// the algorithm R's qnorm uses, accurate to about 1e-16.
double normal_quantile(double p);

// Regularized incomplete beta function I_x(a, b), a, b > 0, x in [0, 1].
double beta_cdf(double x, double a, double b);

// Quantile of the Beta(a, b) distribution, p in [0, 1], by bisection on beta_cdf.
double beta_quantile(double p, double a, double b);

}  // namespace mvc::diag
