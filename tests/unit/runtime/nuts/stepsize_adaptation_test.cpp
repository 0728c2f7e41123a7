#include "stepsize_adaptation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mvc::nuts {
namespace {

TEST(StepsizeAdaptation, DualAveragingFormulas) {
  StepsizeAdaptation a(0.8, 0.05, 0.75, 10);
  const double mu = std::log(10 * 0.5);
  a.set_mu(mu);
  a.restart();
  double eps = 0.5;
  a.learn_stepsize(eps, 0.6);
  // t = 1: eta = 1/11; s_bar = (0.8 - 0.6)/11; x = mu - s_bar * 1 / 0.05; x_bar = x.
  const double s1 = 0.2 / 11;
  const double x1 = mu - s1 / 0.05;
  EXPECT_NEAR(eps, std::exp(x1), 1e-12);
  a.learn_stepsize(eps, 1.5);  // accept_stat is capped at 1
  const double s2 = (1 - 1.0 / 12) * s1 + (0.8 - 1.0) / 12;
  const double x2 = mu - s2 * std::sqrt(2.0) / 0.05;
  const double w = std::pow(2.0, -0.75);
  EXPECT_NEAR(eps, std::exp(x2), 1e-12);
  a.complete_adaptation(eps);
  EXPECT_NEAR(eps, std::exp((1 - w) * x1 + w * x2), 1e-12);
}

TEST(StepsizeAdaptation, ConvergesToTargetAcceptance) {
  // A toy acceptance curve accept(eps) = exp(-eps): the fixed point is eps = -log(0.8).
  StepsizeAdaptation a(0.8, 0.05, 0.75, 10);
  double eps = 1;
  a.set_mu(std::log(10 * eps));
  a.restart();
  for (int i = 0; i < 2000; ++i) a.learn_stepsize(eps, std::exp(-eps));
  a.complete_adaptation(eps);
  EXPECT_NEAR(eps, -std::log(0.8), 0.01);
}

}  // namespace
}  // namespace mvc::nuts
