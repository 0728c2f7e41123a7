// NUTS and warmup on a 5-dimensional standard normal (models/model_std_normal.cpp).
#include "nuts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
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

// A 5-dimensional metric of each kind that is not the identity (unit_e excepted), so that
// the diagonal and dense paths do real work.
Metric test_metric(Metric::Kind kind) {
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
  return metric;
}

// Every metric at a step size giving deep trees (0.15) and one giving shallow ones (0.6).
using MetricAndStep = std::tuple<Metric::Kind, double>;
const auto kMetricsAndSteps = ::testing::Combine(
    ::testing::Values(Metric::Kind::Unit, Metric::Kind::Diag, Metric::Kind::Dense),
    ::testing::Values(0.15, 0.6));

// The stationary distribution for every metric and for step sizes that give shallow and deep
// trees (the two-point subtrees, the merges and the proposal sampling all take part).
class NutsMetrics : public ::testing::TestWithParam<MetricAndStep> {};

TEST_P(NutsMetrics, SamplesTheStandardNormal) {
  const auto [kind, eps] = GetParam();
  Fixture f;
  const Metric metric = test_metric(kind);
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

INSTANTIATE_TEST_SUITE_P(All, NutsMetrics, kMetricsAndSteps);

// Stan's base_nuts transition transcribed plainly (copies, a fresh vector per subtree, the
// three U-turn checks at every merge and at the top level), except that the proposal inside
// a subtree is chosen by the same weighted reservoir sampling as Nuts, with the random
// numbers drawn in the same order. Nuts' fused passes, swaps and two-point shortcut must
// make the same trees and the same draws.
class ReferenceNuts {
 public:
  ReferenceNuts(const Hamiltonian& ham, int max_depth, double eps)
      : ham_(ham), max_depth_(max_depth), eps_(eps) {}

  TransitionStats transition(PhasePoint& z, Rng& rng) {
    rng_ = &rng;
    const Eigen::Index n = z.q.size();
    z_ = z;
    ham_.metric().sample_momentum(rng, z_.p);
    PhasePoint z_fwd = z_, z_bck = z_;
    Eigen::VectorXd ps_fwd_fwd(n);
    ham_.velocity(z_, ps_fwd_fwd);
    Eigen::VectorXd ps_fwd_bck = ps_fwd_fwd, ps_bck_fwd = ps_fwd_fwd, ps_bck_bck = ps_fwd_fwd;
    Eigen::VectorXd p_fwd_fwd = z_.p, p_fwd_bck = z_.p, p_bck_fwd = z_.p, p_bck_bck = z_.p;
    Eigen::VectorXd rho = z_.p;
    double log_sum_weight = 0;
    H0_ = ham_.energy(z_);
    Proposal sample{z_.q, z_.g, z_.lp, H0_};
    n_leapfrog_ = 0;
    sum_metro_prob_ = 0;
    divergent_ = false;
    int depth = 0;
    Eigen::VectorXd rho_fwd(n), rho_bck(n), ext(n);
    while (depth < max_depth_) {
      rho_fwd.setZero();
      rho_bck.setZero();
      bool valid;
      log_sum_weight_subtree_ = -kInf;
      if (rng.uniform() > 0.5) {
        z_ = z_fwd;
        rho_bck = rho;
        p_bck_fwd = p_fwd_fwd;
        ps_bck_fwd = ps_fwd_fwd;
        valid = build_tree(depth, ps_fwd_bck, ps_fwd_fwd, rho_fwd, p_fwd_bck, p_fwd_fwd, 1);
        z_fwd = z_;
      } else {
        z_ = z_bck;
        rho_fwd = rho;
        p_fwd_bck = p_bck_bck;
        ps_fwd_bck = ps_bck_bck;
        valid = build_tree(depth, ps_bck_fwd, ps_bck_bck, rho_bck, p_bck_fwd, p_bck_bck, -1);
        z_bck = z_;
      }
      if (!valid) break;
      ++depth;
      if (log_sum_weight_subtree_ > log_sum_weight) {
        sample = propose_;
      } else if (rng.uniform() < std::exp(log_sum_weight_subtree_ - log_sum_weight)) {
        sample = propose_;
      }
      log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree_);
      rho = rho_bck + rho_fwd;
      bool persist = criterion(ps_bck_bck, ps_fwd_fwd, rho);
      ext = rho_bck + p_fwd_bck;
      persist = persist && criterion(ps_bck_bck, ps_fwd_bck, ext);
      ext = rho_fwd + p_bck_fwd;
      persist = persist && criterion(ps_bck_fwd, ps_fwd_fwd, ext);
      if (!persist) break;
    }
    z.q = sample.q;
    z.g = sample.g;
    z.lp = sample.lp;
    TransitionStats s;
    s.lp = z.lp;
    s.accept_stat = sum_metro_prob_ / n_leapfrog_;
    s.treedepth = depth;
    s.n_leapfrog = n_leapfrog_;
    s.divergent = divergent_;
    s.energy = sample.h;
    return s;
  }

 private:
  struct Proposal {
    Eigen::VectorXd q, g;
    double lp, h;
  };
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static double log_sum_exp(double a, double b) {
    if (a == -kInf) return b;
    if (b == -kInf) return a;
    const double m = std::max(a, b);
    return m + std::log(std::exp(a - m) + std::exp(b - m));
  }
  static bool criterion(const Eigen::VectorXd& ps_minus, const Eigen::VectorXd& ps_plus,
                        const Eigen::VectorXd& rho) {
    return ps_plus.dot(rho) > 0 && ps_minus.dot(rho) > 0;
  }

  bool build_tree(int depth, Eigen::VectorXd& ps_beg, Eigen::VectorXd& ps_end,
                  Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end,
                  double sign) {
    const Eigen::Index n = rho.size();
    if (depth == 0) {
      ham_.leapfrog(z_, sign * eps_, nullptr);
      ++n_leapfrog_;
      ham_.velocity(z_, ps_beg);
      double h = -z_.lp + 0.5 * z_.p.dot(ps_beg);
      if (std::isnan(h)) h = kInf;
      if (h - H0_ > 1000) divergent_ = true;
      sum_metro_prob_ += H0_ - h > 0 ? 1 : std::exp(H0_ - h);
      const bool first = log_sum_weight_subtree_ == -kInf;
      log_sum_weight_subtree_ = log_sum_exp(log_sum_weight_subtree_, H0_ - h);
      if (first || rng_->uniform() < std::exp(H0_ - h - log_sum_weight_subtree_))
        propose_ = Proposal{z_.q, z_.g, z_.lp, h};
      ps_end = ps_beg;
      rho += z_.p;
      p_beg = z_.p;
      p_end = p_beg;
      return !divergent_;
    }
    Eigen::VectorXd ps_init_end(n), p_init_end(n), rho_init = Eigen::VectorXd::Zero(n);
    if (!build_tree(depth - 1, ps_beg, ps_init_end, rho_init, p_beg, p_init_end, sign))
      return false;
    Eigen::VectorXd ps_final_beg(n), p_final_beg(n), rho_final = Eigen::VectorXd::Zero(n);
    if (!build_tree(depth - 1, ps_final_beg, ps_end, rho_final, p_final_beg, p_end, sign))
      return false;
    const Eigen::VectorXd rho_subtree = rho_init + rho_final;
    rho += rho_subtree;
    bool persist = criterion(ps_beg, ps_end, rho_subtree);
    Eigen::VectorXd ext = rho_init + p_final_beg;
    persist = persist && criterion(ps_beg, ps_final_beg, ext);
    ext = rho_final + p_init_end;
    persist = persist && criterion(ps_init_end, ps_end, ext);
    return persist;
  }

  const Hamiltonian& ham_;
  int max_depth_;
  double eps_;
  Rng* rng_ = nullptr;
  PhasePoint z_;
  Proposal propose_;
  double H0_ = 0, log_sum_weight_subtree_ = 0, sum_metro_prob_ = 0;
  int n_leapfrog_ = 0;
  bool divergent_ = false;
};

class NutsAgainstReference : public ::testing::TestWithParam<MetricAndStep> {};

TEST_P(NutsAgainstReference, SameTreesAndDraws) {
  const auto [kind, eps] = GetParam();
  Fixture f;
  const Metric metric = test_metric(kind);
  Hamiltonian ham(f.model, metric);
  Nuts nuts(ham, 5, 10, 0);
  nuts.set_nominal_stepsize(eps);
  ReferenceNuts reference(ham, 10, eps);
  Rng rng_a(5, 1), rng_b(5, 1);
  PhasePoint a = f.start(), b = f.start();
  int deep = 0;
  for (int i = 0; i < 400; ++i) {
    const TransitionStats s = nuts.transition(a, rng_a, nullptr);
    const TransitionStats r = reference.transition(b, rng_b);
    ASSERT_EQ(s.treedepth, r.treedepth) << "transition " << i;
    ASSERT_EQ(s.n_leapfrog, r.n_leapfrog) << "transition " << i;
    ASSERT_EQ(s.divergent, r.divergent) << "transition " << i;
    ASSERT_NEAR(s.accept_stat, r.accept_stat, 1e-9) << "transition " << i;
    ASSERT_NEAR(s.energy, r.energy, 1e-9) << "transition " << i;
    ASSERT_LT((a.q - b.q).norm(), 1e-9) << "transition " << i;
    deep += s.treedepth >= 3;
    b = a;  // the two must not drift apart by rounding over hundreds of transitions
  }
  EXPECT_GT(deep, eps < 0.3 ? 300 : 20);  // the top-level checks of deep trees take part
}

INSTANTIATE_TEST_SUITE_P(All, NutsAgainstReference, kMetricsAndSteps);

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
