// runtime/compiled through the BridgeStan API, with eight schools written by hand against the
// ABI of generated code (eight_schools_module.cpp): the log density against a closed form, its
// gradient against central finite differences of the model itself, names, constrain /
// unconstrain, generated quantities with the RNG, data errors with their exact messages,
// reject() and constraint violations of inits.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mvc/bridgestan.h"
#include "test_util.h"

namespace {

using namespace mvc::model::testing;

const std::string kData = MVC_SOURCE_DIR "/models/eight_schools_noncentered.data.json";
const double kY[8] = {28, 8, -3, 7, -1, 1, 18, 12};
const double kSigma[8] = {15, 10, 16, 11, 9, 11, 10, 18};

double closedForm(const std::vector<double>& x, bool propto, bool jacobian) {
  const double pi = std::acos(-1.0);
  const double mu = x[0], tau = std::exp(x[1]);
  auto normal = [&](double v, double m, double s, bool dropScale) {
    const double z = (v - m) / s;
    return -0.5 * z * z - (propto ? 0 : 0.5 * std::log(2 * pi)) - (propto && dropScale ? 0 : std::log(s));
  };
  double lp = normal(mu, 0, 5, true);
  lp += -std::log1p((tau / 5) * (tau / 5)) - (propto ? 0 : std::log(5 * pi));
  for (int j = 0; j < 8; ++j) {
    lp += normal(x[2 + j], 0, 1, true);
    lp += normal(kY[j], mu + tau * x[2 + j], kSigma[j], true);  // sigma is data: dropped with propto
  }
  if (jacobian) lp += x[1];
  return lp;
}

std::vector<double> point(int k) {
  std::vector<double> x(10);
  for (int i = 0; i < 10; ++i) x[i] = std::sin(1.7 * i + 0.9 * k) * (1 + 0.3 * k);
  return x;
}

std::string dataWith(const std::string& J, const std::string& y, const std::string& sigma) {
  std::string s = "{";
  if (!J.empty()) s += "\"J\": " + J;
  if (!y.empty()) s += std::string(s.size() > 1 ? ", " : "") + "\"y\": " + y;
  if (!sigma.empty()) s += std::string(s.size() > 1 ? ", " : "") + "\"sigma\": " + sigma;
  return s + "}";
}
const char* kYText = "[28, 8, -3, 7, -1, 1, 18, 12]";
const char* kSigmaText = "[15, 10, 16, 11, 9, 11, 10, 18]";

class Compiled : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    m = construct(kData, &err);
    ASSERT_NE(m, nullptr) << err;
  }
  void TearDown() override { bs_model_destruct(m); }
  bs_model* m = nullptr;
};

TEST_F(Compiled, NamesAndSizes) {
  std::string tt, th, yr;
  for (int j = 1; j <= 8; ++j) {
    tt += ",theta_tilde." + std::to_string(j);
    th += ",theta." + std::to_string(j);
    yr += ",y_rep." + std::to_string(j);
  }
  EXPECT_STREQ(bs_name(m), "eight_schools_noncentered");
  EXPECT_EQ(names(bs_param_names(m, false, false)), "mu,tau" + tt);
  EXPECT_EQ(names(bs_param_names(m, true, true)), "mu,tau" + tt + th + yr);
  EXPECT_EQ(names(bs_param_unc_names(m)), "mu,tau" + tt);
  EXPECT_EQ(bs_param_num(m, false, false), 10);
  EXPECT_EQ(bs_param_num(m, true, false), 18);
  EXPECT_EQ(bs_param_num(m, true, true), 26);
  EXPECT_EQ(bs_param_unc_num(m), 10);
}

TEST_F(Compiled, LogDensityMatchesClosedForm) {
  for (int k = 0; k < 4; ++k) {
    const std::vector<double> x = point(k);
    for (bool propto : {false, true})
      for (bool jacobian : {false, true}) {
        double lp = 0, lp2 = 0;
        char* err = nullptr;
        ASSERT_EQ(bs_log_density(m, propto, jacobian, x.data(), &lp, &err), 0) << take(err);
        EXPECT_NEAR(lp, closedForm(x, propto, jacobian), 1e-10 * std::fabs(lp))
            << "propto=" << propto << " jacobian=" << jacobian;
        std::vector<double> g(10);
        ASSERT_EQ(bs_log_density_gradient(m, propto, jacobian, x.data(), &lp2, g.data(), &err), 0) << take(err);
        EXPECT_EQ(lp, lp2);
      }
  }
}

TEST_F(Compiled, GradientMatchesCentralFiniteDifferences) {
  for (int k = 0; k < 4; ++k) {
    const std::vector<double> x = point(k);
    for (bool propto : {false, true})
      for (bool jacobian : {false, true}) {
        double lp;
        std::vector<double> g(10);
        ASSERT_EQ(bs_log_density_gradient(m, propto, jacobian, x.data(), &lp, g.data(), nullptr), 0);
        for (int i = 0; i < 10; ++i) {
          const double h = 1e-5;
          std::vector<double> xp = x, xm = x;
          xp[i] += h;
          xm[i] -= h;
          double fp, fm;
          ASSERT_EQ(bs_log_density(m, propto, jacobian, xp.data(), &fp, nullptr), 0);
          ASSERT_EQ(bs_log_density(m, propto, jacobian, xm.data(), &fm, nullptr), 0);
          const double fd = (fp - fm) / (2 * h);
          EXPECT_NEAR(g[i], fd, 1e-6 * std::max(1.0, std::fabs(fd))) << "coordinate " << i;
        }
      }
  }
}

TEST_F(Compiled, ConstrainAndUnconstrainRoundTrip) {
  const std::vector<double> x = point(2);
  std::vector<double> c(18);
  char* err = nullptr;
  ASSERT_EQ(bs_param_constrain(m, true, false, x.data(), c.data(), nullptr, &err), 0) << take(err);
  EXPECT_EQ(c[0], x[0]);
  EXPECT_NEAR(c[1], std::exp(x[1]), 1e-15 * std::exp(x[1]));
  for (int j = 0; j < 8; ++j) {
    EXPECT_EQ(c[2 + j], x[2 + j]);
    EXPECT_NEAR(c[10 + j], x[0] + std::exp(x[1]) * x[2 + j], 1e-12);
  }
  std::vector<double> back(10);
  ASSERT_EQ(bs_param_unconstrain(m, c.data(), back.data(), &err), 0) << take(err);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(back[i], x[i], 1e-12) << i;
}

TEST_F(Compiled, GeneratedQuantitiesDrawFromTheCallersRng) {
  const std::vector<double> x = point(0);
  char* err = nullptr;
  auto draw = [&](unsigned seed) {
    bs_rng* rng = bs_rng_construct(seed, &err);
    std::vector<double> c(26);
    EXPECT_EQ(bs_param_constrain(m, true, true, x.data(), c.data(), rng, &err), 0) << take(err);
    bs_rng_destruct(rng);
    return std::vector<double>(c.begin() + 18, c.end());
  };
  std::vector<double> a = draw(7), b = draw(7), c = draw(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (double v : a) EXPECT_TRUE(std::isfinite(v));
  // Without an RNG, generated quantities are an error with a message (not a crash).
  std::vector<double> out(26);
  EXPECT_NE(bs_param_constrain(m, true, true, x.data(), out.data(), nullptr, &err), 0);
  EXPECT_FALSE(take(err).empty());
}

TEST_F(Compiled, RejectIsADomainErrorWithTheMessage) {
  std::vector<double> x = point(0);
  x[0] = 1500;
  double lp;
  char* err = nullptr;
  EXPECT_NE(bs_log_density(m, true, true, x.data(), &lp, &err), 0);
  EXPECT_EQ(take(err), "mu is 1500, too large");
  std::vector<double> g(10);
  EXPECT_NE(bs_log_density_gradient(m, true, true, x.data(), &lp, g.data(), &err), 0);
  EXPECT_EQ(take(err), "mu is 1500, too large");
  // The next evaluation is fine again.
  x[0] = 1;
  EXPECT_EQ(bs_log_density(m, true, true, x.data(), &lp, &err), 0);
}

TEST_F(Compiled, UnconstrainNamesAViolatingParameter) {
  std::vector<double> c(10, 0.5), x(10);
  c[1] = -1;  // tau < 0
  char* err = nullptr;
  EXPECT_NE(bs_param_unconstrain(m, c.data(), x.data(), &err), 0);
  EXPECT_EQ(take(err), "variable 'tau': value is -1, but must be greater than or equal to 0");
}

TEST(CompiledData, MissingVariable) {
  EXPECT_EQ(construct_error(dataWith("8", kYText, "")), "variable 'sigma' is missing from the data");
}

TEST(CompiledData, WrongDims) {
  EXPECT_EQ(construct_error(dataWith("8", "[28, 8, -3, 7, -1, 1, 18, 12, 5]", kSigmaText)),
            "variable 'y': declared array[J] real with J = 8, so the data must have dims [8], but it has dims [9]");
}

TEST(CompiledData, NegativeScale) {
  EXPECT_EQ(construct_error(dataWith("8", kYText, "[15, 10, -1, 11, 9, 11, 10, 18]")),
            "variable 'sigma': declared array[J] real<lower=0> with J = 8, but sigma[3] is -1 (it must be >= 0)");
}

TEST(CompiledData, NegativeSize) {
  EXPECT_EQ(construct_error(dataWith("-2", "[]", "[]")),
            "variable 'J': declared int<lower=0>, but J is -2 (it must be >= 0)");
}

TEST(CompiledData, RealForInt) {
  EXPECT_EQ(construct_error(dataWith("8.5", kYText, kSigmaText)), "variable 'J': declared int, but the data has 8.5");
}

}  // namespace
