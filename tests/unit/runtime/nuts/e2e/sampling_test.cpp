// Statistical checks of the whole sampler on targets with known posteriors, through the
// real command line of the model programs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sample_run.h"
#ifdef MVC_HAVE_DIAGNOSTICS
#include "diagnostics/convergence.h"
#endif

namespace mvc::testing {
namespace {

// Mean within 4 MCSE of the truth and R-hat below `max_rhat` (1.01 for Gaussian targets).
void expect_mean(const SampleRun& run, const std::string& name, double truth,
                 double max_rhat = 1.01) {
  const auto d = run.draws(name);
  const double mcse = batch_means_mcse(d);
  EXPECT_NEAR(mean_of(d), truth, 4 * mcse) << name;
#ifdef MVC_HAVE_DIAGNOSTICS
  EXPECT_LT(diag::rhat(d), max_rhat) << name;
#else
  (void)max_rhat;
#endif
}

TEST(Sampling, StandardNormal100) {
  const SampleRun run = run_sample(MVC_MODEL_STD_NORMAL, "std_normal", {}, 4, 1234);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  for (const Csv& c : run.chains) {
    EXPECT_EQ(c.rows.size(), 1000u);
    EXPECT_EQ(c.bad_rows, 0);
  }
  EXPECT_EQ(run.sum("divergent__"), 0);
  for (int i = 1; i <= 100; ++i) {
    const std::string name = "x." + std::to_string(i);
    expect_mean(run, name, 0);
    EXPECT_NEAR(variance_of(run.draws(name)), 1.0, 0.12) << name;
  }
  // Adaptation found the identity metric (to sampling noise) and a sensible step size.
  for (const Csv& c : run.chains) {
    ASSERT_TRUE(c.has_adaptation);
    const double eps = c.values("stepsize__")[0];
    EXPECT_GT(eps, 0.3);
    EXPECT_LT(eps, 1.2);
  }
}

TEST(Sampling, CorrelatedGaussianDenseBeatsDiag) {
  const SampleRun dense =
      run_sample(MVC_MODEL_CORR_GAUSSIAN, "corr_dense", {"metric=dense_e"}, 2, 77);
  const SampleRun diag = run_sample(MVC_MODEL_CORR_GAUSSIAN, "corr_diag", {"metric=diag_e"}, 2, 77);
  ASSERT_EQ(dense.result.exit_code, 0) << dense.result.err;
  ASSERT_EQ(diag.result.exit_code, 0) << diag.result.err;
  for (int i = 1; i <= 50; ++i) {
    const std::string name = "x." + std::to_string(i);
    expect_mean(dense, name, 0);
    const double sd = 0.5 + (i - 1) / 25.0;
    EXPECT_NEAR(variance_of(dense.draws(name)) / (sd * sd), 1.0, 0.2) << name;
  }
  // Leapfrog steps per draw: the dense metric undoes the correlation.
  const double steps_dense = dense.sum("n_leapfrog__"), steps_diag = diag.sum("n_leapfrog__");
  EXPECT_LT(steps_dense * 2, steps_diag) << "dense " << steps_dense << " diag " << steps_diag;
  EXPECT_GT(dense.chains[0].values("stepsize__")[0], diag.chains[0].values("stepsize__")[0]);
  // Dense files carry the full matrix: 50 rows of 50 values.
  int rows = 0;
  for (const auto& l : dense.chains[0].comments_after_header)
    if (l.rfind("# ", 0) == 0 && std::count(l.begin(), l.end(), ',') == 49) ++rows;
  EXPECT_EQ(rows, 50);
}

TEST(Sampling, FunnelDivergencesAreDetectedAndReported) {
  // A funnel is never explored well; with 4 chains every seed tried (1-5, 99) diverges.
  const SampleRun run = run_sample(MVC_MODEL_FUNNEL, "funnel", {}, 4, 2);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  EXPECT_GT(run.sum("divergent__"), 0);
#ifdef MVC_HAVE_DIAGNOSTICS
  EXPECT_NE(run.result.out.find("divergen"), std::string::npos) << run.result.out;
#endif
}

TEST(Sampling, Banana) {
  // Curved, with heavy-tailed b: harder than a Gaussian, so more draws and R-hat < 1.02.
  const SampleRun run = run_sample(MVC_MODEL_BANANA, "banana", {"num_samples=2000"}, 4, 5);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  expect_mean(run, "a", 0, 1.02);
  expect_mean(run, "b", 1, 1.02);
  EXPECT_NEAR(variance_of(run.draws("a")), 1.0, 0.15);
  // The sample variance of b has sd ~ sqrt(66 / ESS) ~ 0.25 here.
  EXPECT_NEAR(variance_of(run.draws("b")), 3.0, 0.9);
}

TEST(Sampling, ModelErrorsRejectProposalsAndNeverCrash) {
  const SampleRun run = run_sample(MVC_MODEL_THROWING, "throwing", {}, 2, 3);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  EXPECT_GT(run.sum("divergent__"), 0);
  for (const auto& c : run.draws("x.1"))
    for (double x : c) EXPECT_LE(x, 1.0);
  EXPECT_NE(run.result.err.find("The current Metropolis proposal is about to be rejected"),
            std::string::npos);
  EXPECT_NE(run.result.err.find("is above 1"), std::string::npos);
  // x.2 is untouched by the truncation.
  expect_mean(run, "x.2", 0);
}

TEST(Sampling, ConstrainedParametersAndGeneratedQuantities) {
  const SampleRun run = run_sample(MVC_MODEL_CONSTRAINED, "constrained", {}, 4, 21);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const std::vector<std::string> expected = {
      "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__",
      "energy__", "mu", "sigma", "theta.1", "theta.2", "theta.3", "log_sigma", "y_rep"};
  EXPECT_EQ(run.chains[0].names, expected);
  for (const Csv& c : run.chains)
    for (const auto& r : c.rows) {
      EXPECT_GT(r[8], 0);
      EXPECT_NEAR(r[9] + r[10] + r[11], 1.0, 1e-5);
      EXPECT_NEAR(r[12], std::log(r[8]), 1e-4 * std::max(1.0, std::abs(r[12])));
    }
  // The metric is adapted on the unconstrained scale: 4 values, not 6.
  const auto& after = run.chains[0].comments_after_header;
  ASSERT_GE(after.size(), 4u);
  EXPECT_EQ(after[2], "# Diagonal elements of inverse mass matrix:");
  EXPECT_EQ(std::count(after[3].begin(), after[3].end(), ','), 3);
  expect_mean(run, "mu", 1);
  expect_mean(run, "sigma", 1.5);
  expect_mean(run, "theta.1", 0.2);
  expect_mean(run, "theta.2", 0.3);
  expect_mean(run, "theta.3", 0.5);
  expect_mean(run, "y_rep", 1);
  EXPECT_NEAR(variance_of(run.draws("sigma")), 0.75, 0.12);
  EXPECT_NEAR(variance_of(run.draws("y_rep")), 7.0, 0.8);
}

}  // namespace
}  // namespace mvc::testing
