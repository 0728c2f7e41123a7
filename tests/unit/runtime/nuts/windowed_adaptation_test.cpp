#include "windowed_adaptation.h"

#include <gtest/gtest.h>

#include <vector>

namespace mvc::nuts {
namespace {

// The iterations (0-based) at which a metric window ends.
std::vector<unsigned> window_ends(unsigned warmup, unsigned init, unsigned term, unsigned window,
                                  std::string* warning = nullptr) {
  WindowSchedule s(warmup, init, term, window, warning);
  std::vector<unsigned> ends;
  for (unsigned it = 0; it < warmup; ++it) {
    if (s.window_ends()) {
      ends.push_back(it);
      s.compute_next_window();
    }
    s.advance();
  }
  return ends;
}

TEST(WindowSchedule, StanDefaultsFor1000Warmup) {
  std::string warning;
  EXPECT_EQ(window_ends(1000, 75, 50, 25, &warning),
            (std::vector<unsigned>{99, 149, 249, 449, 949}));
  EXPECT_EQ(warning, "");
}

TEST(WindowSchedule, WindowsCoverIterations75To949) {
  WindowSchedule s(1000, 75, 50, 25);
  for (unsigned it = 0; it < 1000; ++it) {
    EXPECT_EQ(s.in_window(), it >= 75 && it < 950) << it;
    if (s.window_ends()) s.compute_next_window();
    s.advance();
  }
}

TEST(WindowSchedule, LastWindowStretchesToTermBuffer) {
  EXPECT_EQ(window_ends(2000, 75, 50, 25), (std::vector<unsigned>{99, 149, 249, 449, 849, 1949}));
  EXPECT_EQ(window_ends(150, 75, 50, 25), (std::vector<unsigned>{99}));
  EXPECT_EQ(window_ends(200, 75, 50, 25), (std::vector<unsigned>{99, 149}));
}

TEST(WindowSchedule, ShortWarmupFallsBackTo15_75_10) {
  std::string warning;
  WindowSchedule s(100, 75, 50, 25, &warning);
  EXPECT_EQ(s.init_buffer(), 15u);
  EXPECT_EQ(s.base_window(), 75u);
  EXPECT_EQ(s.term_buffer(), 10u);
  EXPECT_EQ(window_ends(100, 75, 50, 25), (std::vector<unsigned>{89}));
  EXPECT_EQ(warning,
            "WARNING: There aren't enough warmup iterations to fit the three stages of "
            "adaptation as currently configured.\n"
            "         Reducing each adaptation stage to 15%/75%/10% of the given number of "
            "warmup iterations:\n"
            "           init_buffer = 15\n"
            "           adapt_window = 75\n"
            "           term_buffer = 10");
}

TEST(WindowSchedule, NoMetricAdaptationBelow20) {
  std::string warning;
  EXPECT_TRUE(window_ends(19, 75, 50, 25, &warning).empty());
  EXPECT_EQ(warning, "WARNING: No metric estimation is performed for num_warmup < 20");
  WindowSchedule s(19, 75, 50, 25);
  for (int i = 0; i < 19; ++i, s.advance()) EXPECT_FALSE(s.in_window());
}

TEST(MetricEstimator, RegularizedVarianceAndCovariance) {
  MetricEstimator diag(2, false), dense(2, true);
  const double xs[4][2] = {{1, 2}, {2, 4}, {3, 5}, {4, 9}};
  for (const auto& x : xs) {
    Eigen::VectorXd q(2);
    q << x[0], x[1];
    diag.add_sample(q);
    dense.add_sample(q);
  }
  // Sample variances: x: 5/3; y: (mean 5) (9+1+0+16)/3 = 26/3; cov: (4.5 + 0.5 + 0 + 6) / 3 = 11/3.
  const double n = 4, w = n / (n + 5), r = 1e-3 * 5 / (n + 5);
  const Eigen::VectorXd v = diag.regularized_variance();
  EXPECT_NEAR(v[0], w * 5.0 / 3 + r, 1e-12);
  EXPECT_NEAR(v[1], w * 26.0 / 3 + r, 1e-12);
  const Eigen::MatrixXd c = dense.regularized_covariance();
  EXPECT_NEAR(c(0, 0), w * 5.0 / 3 + r, 1e-12);
  EXPECT_NEAR(c(0, 1), w * 11.0 / 3, 1e-12);
  EXPECT_NEAR(c(1, 0), w * 11.0 / 3, 1e-12);
  EXPECT_NEAR(c(1, 1), w * 26.0 / 3 + r, 1e-12);
  diag.restart();
  EXPECT_EQ(diag.num_samples(), 0);
}

}  // namespace
}  // namespace mvc::nuts
