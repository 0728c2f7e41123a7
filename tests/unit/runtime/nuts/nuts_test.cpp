// NUTS and warmup on a 5-dimensional standard normal (models/model_std_normal.cpp).
#include "nuts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <tuple>

#include "adaptive_sampler.h"

namespace mvc::nuts {
namespace {

struct Fixture {
  Model model{R"({"N": 5})", 0};
  Metric metric{Metric::Kind::Unit, 5};
  Hamiltonian ham{model, metric};
  Rng rng{11, 1};
  PhasePoint start() {
    PhasePoint z(5);
    for (int i = 0; i < 5; ++i) z.q[i] = 0.3 * (i - 2);
    EXPECT_TRUE(ham.update_potential_gradient(z, nullptr));
    return z;
  }
};

TEST(Nuts, SmallStepsConserveEnergy) {
  Fixture f;
  Nuts nuts(f.ham, 5, 10, 0);
  nuts.set_nominal_stepsize(0.05);
  PhasePoint z = f.start();
  for (int i = 0; i < 20; ++i) {
    const TransitionStats s = nuts.transition(z, f.rng, nullptr);
    EXPECT_FALSE(s.divergent);
    EXPECT_GT(s.accept_stat, 0.99);
    EXPECT_GE(s.treedepth, 1);
    EXPECT_LE(s.n_leapfrog, (1 << (s.treedepth + 1)) - 1);
    EXPECT_GE(s.n_leapfrog, (1 << s.treedepth) - 1);
    EXPECT_DOUBLE_EQ(s.stepsize, 0.05);
    EXPECT_DOUBLE_EQ(s.lp, z.lp);
  }
}

TEST(Nuts, StopsAtMaxDepth) {
  Fixture f;
  Nuts nuts(f.ham, 5, 3, 0);
  nuts.set_nominal_stepsize(1e-4);  // far too small to U-turn
  PhasePoint z = f.start();
  const TransitionStats s = nuts.transition(z, f.rng, nullptr);
  EXPECT_EQ(s.treedepth, 3);
  EXPECT_EQ(s.n_leapfrog, 7);
}

TEST(Nuts, HugeStepDivergesAndKeepsTheState) {
  Fixture f;
  Nuts nuts(f.ham, 5, 10, 0);
  nuts.set_nominal_stepsize(1000);
  PhasePoint z = f.start();
  const Eigen::VectorXd q0 = z.q;
  const TransitionStats s = nuts.transition(z, f.rng, nullptr);
  EXPECT_TRUE(s.divergent);
  EXPECT_EQ(s.treedepth, 0);
  EXPECT_EQ(s.n_leapfrog, 1);
  EXPECT_EQ(z.q, q0);
}

TEST(Nuts, JitterVariesTheStepSize) {
  Fixture f;
  Nuts nuts(f.ham, 5, 10, 0.5);
  nuts.set_nominal_stepsize(0.5);
  PhasePoint z = f.start();
  double lo = 1, hi = 0;
  for (int i = 0; i < 200; ++i) {
    const double e = nuts.transition(z, f.rng, nullptr).stepsize;
    lo = std::min(lo, e);
    hi = std::max(hi, e);
  }
  EXPECT_GE(lo, 0.25);
  EXPECT_LE(hi, 0.75);
  EXPECT_LT(lo, 0.3);
  EXPECT_GT(hi, 0.7);
}

TEST(Nuts, SamplesTheStandardNormal) {
  Fixture f;
  Nuts nuts(f.ham, 5, 10, 0);
  nuts.set_nominal_stepsize(0.9);
  PhasePoint z = f.start();
  const int n = 4000;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(5), sum2 = Eigen::VectorXd::Zero(5);
  for (int i = 0; i < n; ++i) {
    nuts.transition(z, f.rng, nullptr);
    sum += z.q;
    sum2 += z.q.cwiseAbs2();
  }
  for (int i = 0; i < 5; ++i) {
    // NUTS on a standard normal is close to independent draws: sd of the mean ~ 1/sqrt(n).
    EXPECT_NEAR(sum[i] / n, 0, 4 / std::sqrt(n)) << i;
    EXPECT_NEAR(sum2[i] / n, 1, 0.1) << i;
  }
}

// The stationary distribution for every metric and for step sizes that give shallow and deep
// trees (the two-point subtrees, the merges and the proposal sampling all take part).
class NutsMetrics : public ::testing::TestWithParam<std::tuple<Metric::Kind, double>> {};

TEST_P(NutsMetrics, SamplesTheStandardNormal) {
  const auto [kind, eps] = GetParam();
  Fixture f;
  Metric metric(kind, 5);
  Eigen::VectorXd d(5);
  d << 0.5, 0.8, 1.0, 1.5, 2.0;
  if (kind == Metric::Kind::Diag) metric.set_inv_metric_diag(d);
  if (kind == Metric::Kind::Dense) {
    Eigen::MatrixXd m = d.asDiagonal();
    m(0, 1) = m(1, 0) = 0.3;
    m(3, 4) = m(4, 3) = -0.4;
    metric.set_inv_metric_dense(m);
  }
  Hamiltonian ham(f.model, metric);
  Nuts nuts(ham, 5, 10, 0);
  nuts.set_nominal_stepsize(eps);
  PhasePoint z = f.start();
  const int n = 4000;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(5), sum2 = Eigen::VectorXd::Zero(5);
  double depth = 0;
  for (int i = 0; i < n; ++i) {
    const TransitionStats s = nuts.transition(z, f.rng, nullptr);
    EXPECT_FALSE(s.divergent);
    EXPECT_GE(s.energy, -s.lp);  // the kinetic energy is not negative
    depth += s.treedepth;
    sum += z.q;
    sum2 += z.q.cwiseAbs2();
  }
  EXPECT_GT(depth / n, eps < 0.3 ? 3.5 : 1.0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(sum[i] / n, 0, 4.5 / std::sqrt(n)) << i;
    EXPECT_NEAR(sum2[i] / n, 1, 0.1) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(All, NutsMetrics,
                         ::testing::Combine(::testing::Values(Metric::Kind::Unit,
                                                              Metric::Kind::Diag,
                                                              Metric::Kind::Dense),
                                            ::testing::Values(0.15, 0.6)));

TEST(Nuts, InitStepsizeHeuristicCrossesAcceptance08) {
  Fixture f;
  Nuts nuts(f.ham, 5, 10, 0);
  nuts.set_nominal_stepsize(1);
  nuts.init_stepsize(f.start(), f.rng, nullptr);
  const double eps = nuts.nominal_stepsize();
  // Doubling or halving from 1 only ever gives powers of two.
  EXPECT_EQ(std::exp2(std::round(std::log2(eps))), eps);
  EXPECT_GE(eps, 0.25);
  EXPECT_LE(eps, 4);
}

TEST(AdaptiveSampler, MetricUpdatesAtStansWindowEnds) {
  Fixture f;
  Metric diag(Metric::Kind::Diag, 5);
  Hamiltonian ham(f.model, diag);
  Nuts nuts(ham, 5, 10, 0);
  io::SampleOptions o;  // CmdStan defaults: 1000 warmup, 75/25/50
  std::ostringstream messages;
  AdaptiveSampler adapter(o, 5, diag, nuts, messages);
  EXPECT_EQ(messages.str(), "");
  PhasePoint z = f.start();
  adapter.begin_warmup(z, f.rng, nullptr);
  std::vector<int> updates;
  for (int m = 0; m < o.num_warmup; ++m) {
    const TransitionStats s = nuts.transition(z, f.rng, nullptr);
    if (adapter.learn(s, z, f.rng, nullptr)) updates.push_back(m);
  }
  adapter.end_warmup();
  EXPECT_EQ(updates, (std::vector<int>{99, 149, 249, 449, 949}));
  // The last window saw 500 draws of a standard normal.
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(diag.inv_metric_diag()[i], 1.0, 0.25);
  EXPECT_GT(nuts.nominal_stepsize(), 0.4);
  EXPECT_LT(nuts.nominal_stepsize(), 1.6);
}

TEST(AdaptiveSampler, ShortWarmupWarnsAndStillUpdatesOnce) {
  Fixture f;
  Metric diag(Metric::Kind::Diag, 5);
  Hamiltonian ham(f.model, diag);
  Nuts nuts(ham, 5, 10, 0);
  io::SampleOptions o;
  o.num_warmup = 100;
  std::ostringstream messages;
  AdaptiveSampler adapter(o, 5, diag, nuts, messages);
  EXPECT_NE(messages.str().find("Reducing each adaptation stage to 15%/75%/10%"), std::string::npos);
  PhasePoint z = f.start();
  adapter.begin_warmup(z, f.rng, nullptr);
  std::vector<int> updates;
  for (int m = 0; m < o.num_warmup; ++m) {
    const TransitionStats s = nuts.transition(z, f.rng, nullptr);
    if (adapter.learn(s, z, f.rng, nullptr)) updates.push_back(m);
  }
  EXPECT_EQ(updates, (std::vector<int>{89}));
}

}  // namespace
}  // namespace mvc::nuts
