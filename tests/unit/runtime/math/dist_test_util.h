// Shared helpers for the distribution kernel tests: central finite differences with one
// Richardson step, and a tolerance that accounts for cancellation in large values.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

namespace mvc_test {

using Vec = std::vector<double>;

inline double step_for(double x) { return 1e-4 * std::max(std::fabs(x), 1e-3); }

// d f / d x[i] by central differences (Richardson-extrapolated); f must be smooth near x.
inline double fd(const std::function<double(const Vec&)>& f, Vec x, size_t i, double h = 0) {
  if (h == 0) h = step_for(x[i]);
  const double x0 = x[i];
  auto D = [&](double hh) {
    x[i] = x0 + hh;
    const double fp = f(x);
    x[i] = x0 - hh;
    const double fm = f(x);
    x[i] = x0;
    return (fp - fm) / (2 * hh);
  };
  double r = (4 * D(h / 2) - D(h)) / 3;
  if (std::isnan(r) && x0 != 0) {  // the stencil left the support: use a relative step
    h = 1e-4 * std::fabs(x0);
    r = (4 * D(h / 2) - D(h)) / 3;
  }
  return r;
}

// |g - fd| small relative to the gradient, with slack for round-off in f itself.
// noise: relative accuracy of f itself (about cond * eps for a matrix of condition cond).
inline void expect_grad_near(double g, double fdv, double fval, double h, const char* what,
                             double noise = 1e-12) {
  const double tol = 1e-6 * (std::fabs(g) + 1e-3) + noise * std::fabs(fval) / h + 1e-9;
  EXPECT_NEAR(g, fdv, tol) << what;
}

inline void expect_rel(double a, double b, double rel, const char* what) {
  EXPECT_NEAR(a, b, rel * std::max(1.0, std::fabs(b))) << what;
}

}  // namespace mvc_test
