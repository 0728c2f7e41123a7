// The BridgeStan layer with the hand-written "groups" model (models/groups.cpp): arrays of
// vectors (memory order != BridgeStan's order), a simplex (fewer unconstrained values), and
// cov_matrix data validation.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mvc/bridgestan.h"
#include "test_util.h"

namespace {

using namespace mvc::model::testing;

const char* kData = R"({
  "K": 2, "G": 2,
  "Sigma": [[[2, 0.5], [0.5, 1]], [[1, 0.2], [0.2, 3]]],
  "y": [[1, 2], [-1, 0.5]]
})";

// sum_g -0.5 (y_g - mu_g)' inv(Sigma_g) (y_g - mu_g), mu_g = (mu[g][1], mu[g][2]).
double quad_form(const double mu[2][2]) {
  const double S[2][3] = {{2, 0.5, 1}, {1, 0.2, 3}};  // a, b, c of [[a, b], [b, c]]
  const double y[2][2] = {{1, 2}, {-1, 0.5}};
  double lp = 0;
  for (int g = 0; g < 2; ++g) {
    const double a = S[g][0], b = S[g][1], c = S[g][2], det = a * c - b * b;
    const double r0 = y[g][0] - mu[g][0], r1 = y[g][1] - mu[g][1];
    lp += -0.5 * (c * r0 * r0 - 2 * b * r0 * r1 + a * r1 * r1) / det;
  }
  return lp;
}

class Groups : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    m = construct(kData, &err);
    ASSERT_NE(m, nullptr) << err;
  }
  void TearDown() override { bs_model_destruct(m); }
  bs_model* m = nullptr;
};

TEST_F(Groups, NamesColumnMajorAndUnconstrainedNames) {
  EXPECT_EQ(names(bs_param_names(m, false, false)), "mu.1.1,mu.2.1,mu.1.2,mu.2.2,w.1,w.2");
  EXPECT_EQ(names(bs_param_names(m, true, true)), "mu.1.1,mu.2.1,mu.1.2,mu.2.2,w.1,w.2");
  // unconstrained: in the order of the unconstrained vector (mu[1] first), a simplex[2] has 1
  EXPECT_EQ(names(bs_param_unc_names(m)), "mu.1.1,mu.1.2,mu.2.1,mu.2.2,w.1");
  EXPECT_EQ(bs_param_num(m, false, false), 6);
  EXPECT_EQ(bs_param_unc_num(m), 5);
}

TEST_F(Groups, ConstrainReordersToBridgeStanOrderAndBack) {
  const double x[5] = {1, 2, 3, 4, 0.3};  // mu[1] = (1, 2), mu[2] = (3, 4)
  double c[6], back[5];
  char* err = nullptr;
  ASSERT_EQ(bs_param_constrain(m, false, false, x, c, nullptr, &err), 0) << take(err);
  EXPECT_EQ(c[0], 1);  // mu.1.1
  EXPECT_EQ(c[1], 3);  // mu.2.1
  EXPECT_EQ(c[2], 2);  // mu.1.2
  EXPECT_EQ(c[3], 4);  // mu.2.2
  EXPECT_NEAR(c[4] + c[5], 1, 1e-15);
  EXPECT_GT(c[4], 0);
  ASSERT_EQ(bs_param_unconstrain(m, c, back, &err), 0) << take(err);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(back[i], x[i], 1e-14);

  std::vector<double> q(5);
  ASSERT_EQ(bs_param_unconstrain_json(m, R"({"mu": [[1, 2], [3, 4]], "w": [0.25, 0.75]})", q.data(), &err), 0)
      << take(err);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(q[i], x[i]);

  const double bad[6] = {1, 3, 2, 4, 0.5, 0.6};
  EXPECT_EQ(bs_param_unconstrain(m, bad, back, &err), -1);
  EXPECT_EQ(take(err).rfind("variable 'w' is not a valid simplex", 0), 0u);
}

TEST_F(Groups, LogDensityReadsArraysOfVectorsInTheRightOrder) {
  const double x[5] = {0.5, -1, 2, 0.25, -0.7};
  const double mu[2][2] = {{0.5, -1}, {2, 0.25}};
  double lp;
  char* err = nullptr;
  ASSERT_EQ(bs_log_density(m, true, false, x, &lp, &err), 0) << take(err);
  EXPECT_NEAR(lp, quad_form(mu), 1e-12);
  // full density: - G K / 2 log(2 pi) - 1/2 sum log det
  const double dets = std::log(2 * 1 - 0.25) + std::log(3 - 0.04);
  ASSERT_EQ(bs_log_density(m, false, false, x, &lp, &err), 0);
  EXPECT_NEAR(lp, quad_form(mu) - 2 * std::log(2 * std::acos(-1.0)) - 0.5 * dets, 1e-12);
  // Jacobian of the simplex (Stan 2.37's ILR): sum log w + 0.5 log K
  double c[6], lpj;
  ASSERT_EQ(bs_param_constrain(m, false, false, x, c, nullptr, &err), 0);
  ASSERT_EQ(bs_log_density(m, true, true, x, &lpj, &err), 0);
  EXPECT_NEAR(lpj - quad_form(mu), std::log(c[4]) + std::log(c[5]) + 0.5 * std::log(2.0), 1e-12);
}

TEST_F(Groups, GradientMatchesFiniteDifferencesOfTheLogDensity) {
  const double x0[5] = {0.5, -1, 2, 0.25, -0.7};
  for (bool propto : {false, true})
    for (bool jacobian : {false, true}) {
      double lp, g[5];
      ASSERT_EQ(bs_log_density_gradient(m, propto, jacobian, x0, &lp, g, nullptr), 0);
      for (int i = 0; i < 5; ++i) {
        double xp[5], xm[5], fp, fm;
        for (int k = 0; k < 5; ++k) xp[k] = xm[k] = x0[k];
        xp[i] += 1e-6;
        xm[i] -= 1e-6;
        bs_log_density(m, propto, jacobian, xp, &fp, nullptr);
        bs_log_density(m, propto, jacobian, xm, &fm, nullptr);
        EXPECT_NEAR(g[i], (fp - fm) / 2e-6, 1e-6) << i;
      }
    }
}

TEST(GroupsData, CovMatrixAndShapeErrors) {
  EXPECT_EQ(construct_error(R"({"K": 2, "G": 2, "Sigma": [[[2, 0.5], [0.5, 1]], [[1, 0.2], [0.3, 3]]],
                                "y": [[1, 2], [3, 4]]})"),
            "variable 'Sigma': declared array[G] cov_matrix[K] with G = 2, K = 2, but Sigma[2] is not "
            "symmetric: element [2,1] is 0.3, but element [1,2] is 0.2");
  EXPECT_EQ(construct_error(R"({"K": 2, "G": 2, "Sigma": [[[1, 2], [2, 1]], [[1, 0.2], [0.2, 3]]],
                                "y": [[1, 2], [3, 4]]})"),
            "variable 'Sigma': declared array[G] cov_matrix[K] with G = 2, K = 2, but Sigma[1] is not "
            "symmetric positive definite");
  EXPECT_EQ(construct_error(R"({"K": 2, "G": 1, "Sigma": [[[1, 0], [0, 1]]], "y": [[1, 2, 3]]})"),
            "variable 'y': declared array[G] vector[K] with G = 1, K = 2, so the data must have dims "
            "[1,2], but it has dims [1,3]");
  EXPECT_EQ(construct_error(R"({"K": 2, "G": 1, "Sigma": [[1, 0], [0, 1]], "y": [[1, 2]]})"),
            "variable 'Sigma': declared array[G] cov_matrix[K] with G = 1, K = 2, so the data must have "
            "dims [1,2,2], but it has dims [2,2]");
  EXPECT_EQ(construct_error(R"({"K": 1.5, "G": 1})"), "variable 'K': declared int<lower=1>, but the data has 1.5");
  EXPECT_EQ(construct_error(R"({"K": 0, "G": 1})"),
            "variable 'K': declared int<lower=1>, but K is 0 (it must be >= 1)");
  // G = 0: the empty arrays may be given as [] or left out
  EXPECT_EQ(construct_error(R"({"K": 2, "G": 0, "Sigma": []})"), "");
}

}  // namespace
