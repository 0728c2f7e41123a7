// The BridgeStan layer with the hand-written eight-schools model (models/eight_schools.cpp):
// log density against closed forms, gradients against finite differences, names, constrain /
// unconstrain, JSON inits, data errors, threads and the no-allocation promise.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "mvc/bridgestan.h"
#include "test_util.h"

// Counts operator new calls in this process (the runtime and the model are linked in).
// GCC sees malloc/free through the replaced operators and warns; they are a matched pair.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<long> g_allocations{0};
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace mvc::model::testing;

const std::string kData = MVC_SOURCE_DIR "/models/eight_schools_noncentered.data.json";
const double kY[8] = {28, 8, -3, 7, -1, 1, 18, 12};
const double kSigma[8] = {15, 10, 16, 11, 9, 11, 10, 18};

// The posterior of models/eight_schools_noncentered.model, written out independently.
double closed_form(const std::vector<double>& x, bool propto, bool jacobian) {
  const double pi = std::acos(-1.0);
  const double mu = x[0], tau = std::exp(x[1]);
  auto normal = [&](double v, double m, double s) {
    const double z = (v - m) / s;
    return -0.5 * z * z - (propto ? 0 : std::log(s) + 0.5 * std::log(2 * pi));
  };
  double lp = normal(mu, 0, 5);
  lp += -std::log1p((tau / 5) * (tau / 5)) - (propto ? 0 : std::log(5 * pi));
  for (int j = 0; j < 8; ++j) {
    lp += normal(x[2 + j], 0, 1);
    lp += normal(kY[j], mu + tau * x[2 + j], kSigma[j]);
  }
  // with propto, sigma is data: its log is a constant that '~' drops
  if (jacobian) lp += x[1];
  return lp;
}

std::vector<double> point(int k) {
  std::vector<double> x(10);
  for (int i = 0; i < 10; ++i) x[i] = std::sin(1.7 * i + 0.9 * k) * (1 + 0.3 * k);
  return x;
}

class EightSchools : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    m = construct(kData, &err);
    ASSERT_NE(m, nullptr) << err;
  }
  void TearDown() override { bs_model_destruct(m); }
  bs_model* m = nullptr;
};

TEST_F(EightSchools, NamesAsBridgeStanFormatsThem) {
  std::string tt, th, yr;
  for (int j = 1; j <= 8; ++j) {
    tt += ",theta_tilde." + std::to_string(j);
    th += ",theta." + std::to_string(j);
    yr += ",y_rep." + std::to_string(j);
  }
  EXPECT_EQ(names(bs_param_names(m, false, false)), "mu,tau" + tt);
  EXPECT_EQ(names(bs_param_names(m, true, false)), "mu,tau" + tt + th);
  EXPECT_EQ(names(bs_param_names(m, false, true)), "mu,tau" + tt + yr);
  EXPECT_EQ(names(bs_param_names(m, true, true)), "mu,tau" + tt + th + yr);
  EXPECT_EQ(names(bs_param_unc_names(m)), "mu,tau" + tt);
  EXPECT_EQ(bs_param_num(m, false, false), 10);
  EXPECT_EQ(bs_param_num(m, true, false), 18);
  EXPECT_EQ(bs_param_num(m, false, true), 18);
  EXPECT_EQ(bs_param_num(m, true, true), 26);
  EXPECT_EQ(bs_param_unc_num(m), 10);
  EXPECT_STREQ(bs_name(m), "eight_schools_noncentered");
  const std::string info = bs_model_info(m);
  EXPECT_NE(info.find("mvc version: "), std::string::npos) << info;
  EXPECT_NE(info.find("Parameters: 3 variables, 10 values, 10 unconstrained"), std::string::npos) << info;
  EXPECT_EQ(bs_major_version, 2);
}

TEST_F(EightSchools, LogDensityMatchesClosedForm) {
  for (int k = 0; k < 4; ++k) {
    const std::vector<double> x = point(k);
    for (bool propto : {false, true})
      for (bool jacobian : {false, true}) {
        double lp = 0;
        char* err = nullptr;
        ASSERT_EQ(bs_log_density(m, propto, jacobian, x.data(), &lp, &err), 0) << take(err);
        EXPECT_NEAR(lp, closed_form(x, propto, jacobian), 1e-10 * std::fabs(lp))
            << "propto=" << propto << " jacobian=" << jacobian;
        std::vector<double> g(10);
        double lp2 = 0;
        ASSERT_EQ(bs_log_density_gradient(m, propto, jacobian, x.data(), &lp2, g.data(), &err), 0);
        EXPECT_EQ(lp, lp2);
      }
  }
}

TEST_F(EightSchools, GradientMatchesCentralFiniteDifferences) {
  for (int k = 0; k < 4; ++k) {
    const std::vector<double> x = point(k);
    for (bool propto : {false, true})
      for (bool jacobian : {false, true}) {
        double lp;
        std::vector<double> g(10);
        ASSERT_EQ(bs_log_density_gradient(m, propto, jacobian, x.data(), &lp, g.data(), nullptr), 0);
        for (int i = 0; i < 10; ++i) {
          const double h = 1e-6;
          std::vector<double> xp = x, xm = x;
          xp[i] += h;
          xm[i] -= h;
          const double fd = (closed_form(xp, propto, jacobian) - closed_form(xm, propto, jacobian)) / (2 * h);
          EXPECT_NEAR(g[i], fd, 1e-6 * std::max(1.0, std::fabs(fd))) << "coordinate " << i;
        }
      }
  }
}

TEST_F(EightSchools, HessianIsSymmetricAndAgreesWithHessianVectorProduct) {
  const std::vector<double> x = point(1);
  std::vector<double> g(10), H(100), v(10), hv(10);
  double lp;
  char* err = nullptr;
  ASSERT_EQ(bs_log_density_hessian(m, true, true, x.data(), &lp, g.data(), H.data(), &err), 0) << take(err);
  for (int i = 0; i < 10; ++i) {
    v[i] = 0.1 * (i + 1);
    for (int j = 0; j < 10; ++j) EXPECT_EQ(H[i * 10 + j], H[j * 10 + i]);
  }
  // d2/dmu2 of the log density: -1/25 - sum 1/sigma^2 (exactly, the density is quadratic in mu)
  double d2 = -1.0 / 25;
  for (double s : kSigma) d2 -= 1 / (s * s);
  EXPECT_NEAR(H[0], d2, 1e-6);
  ASSERT_EQ(bs_log_density_hessian_vector_product(m, true, true, x.data(), v.data(), &lp, hv.data(), &err), 0);
  for (int i = 0; i < 10; ++i) {
    double want = 0;
    for (int j = 0; j < 10; ++j) want += H[i * 10 + j] * v[j];
    EXPECT_NEAR(hv[i], want, 1e-5 * std::max(1.0, std::fabs(want)));
  }
}

TEST_F(EightSchools, ConstrainAndUnconstrainRoundTrip) {
  const std::vector<double> x = point(2);
  std::vector<double> c(18), back(10);
  char* err = nullptr;
  ASSERT_EQ(bs_param_constrain(m, true, false, x.data(), c.data(), nullptr, &err), 0) << take(err);
  EXPECT_EQ(c[0], x[0]);
  EXPECT_DOUBLE_EQ(c[1], std::exp(x[1]));
  for (int j = 0; j < 8; ++j) {
    EXPECT_EQ(c[2 + j], x[2 + j]);
    EXPECT_DOUBLE_EQ(c[10 + j], c[0] + c[1] * x[2 + j]);  // theta
  }
  ASSERT_EQ(bs_param_unconstrain(m, c.data(), back.data(), &err), 0) << take(err);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(back[i], x[i], 1e-14 * std::max(1.0, std::fabs(x[i])));

  c[1] = -1;  // tau < 0
  EXPECT_EQ(bs_param_unconstrain(m, c.data(), back.data(), &err), -1);
  EXPECT_EQ(take(err), "variable 'tau': value is -1, but must be greater than or equal to 0");
}

TEST_F(EightSchools, GeneratedQuantitiesNeedAnRngAndAreReproducible) {
  const std::vector<double> x = point(0);
  std::vector<double> a(26), b(26), c(26);
  char* err = nullptr;
  EXPECT_EQ(bs_param_constrain(m, true, true, x.data(), a.data(), nullptr, &err), -1);
  EXPECT_NE(take(err).find("no RNG was given"), std::string::npos);
  bs_rng* r1 = bs_rng_construct(42, nullptr);
  bs_rng* r2 = bs_rng_construct(42, nullptr);
  bs_rng* r3 = bs_rng_construct(43, nullptr);
  ASSERT_EQ(bs_param_constrain(m, true, true, x.data(), a.data(), r1, &err), 0);
  ASSERT_EQ(bs_param_constrain(m, true, true, x.data(), b.data(), r2, &err), 0);
  ASSERT_EQ(bs_param_constrain(m, true, true, x.data(), c.data(), r3, &err), 0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a[18], c[18]);
  // include_gq without include_tp: parameters then y_rep
  std::vector<double> d(18);
  ASSERT_EQ(bs_param_constrain(m, false, true, x.data(), d.data(), r1, &err), 0);
  for (int j = 0; j < 8; ++j) EXPECT_TRUE(std::isfinite(d[10 + j]));
  bs_rng_destruct(r1);
  bs_rng_destruct(r2);
  bs_rng_destruct(r3);
}

TEST_F(EightSchools, UnconstrainJson) {
  std::vector<double> q(10);
  char* err = nullptr;
  const char* json = R"({"mu": 1.5, "tau": 2, "theta_tilde": [1,2,3,4,5,6,7,8.5], "theta": [0]})";
  ASSERT_EQ(bs_param_unconstrain_json(m, json, q.data(), &err), 0) << take(err);
  EXPECT_EQ(q[0], 1.5);
  EXPECT_DOUBLE_EQ(q[1], std::log(2.0));
  EXPECT_EQ(q[9], 8.5);

  EXPECT_EQ(bs_param_unconstrain_json(m, R"({"mu": 1, "theta_tilde": [1,2,3,4,5,6,7,8]})", q.data(), &err), -1);
  EXPECT_EQ(take(err), "variable 'tau' is missing from the JSON of parameter values");
  EXPECT_EQ(bs_param_unconstrain_json(m, R"({"mu": 1, "tau": 1, "theta_tilde": [1,2]})", q.data(), &err), -1);
  EXPECT_EQ(take(err), "variable 'theta_tilde': the parameter has dims [8], but the JSON has dims [2]");
  EXPECT_EQ(bs_param_unconstrain_json(m, R"({"mu": 1, "tau": -3, "theta_tilde": [1,2,3,4,5,6,7,8]})", q.data(), &err), -1);
  EXPECT_EQ(take(err), "variable 'tau': value is -3, but must be greater than or equal to 0");
  EXPECT_EQ(bs_param_unconstrain_json(m, "{\"mu\": }", q.data(), &err), -1);
  EXPECT_NE(take(err).find("<json>:1:8: JSON syntax error"), std::string::npos);
}

TEST_F(EightSchools, ConcurrentGradientsFromTwoThreadsAreIdentical) {
  constexpr int kPoints = 200;
  std::vector<std::vector<double>> expect(kPoints, std::vector<double>(11));
  for (int k = 0; k < kPoints; ++k)
    bs_log_density_gradient(m, true, true, point(k).data(), &expect[k][10], expect[k].data(), nullptr);
  std::vector<double> pts;
  for (int k = 0; k < kPoints; ++k) {
    const std::vector<double> p = point(k);
    pts.insert(pts.end(), p.begin(), p.end());
  }
  std::atomic<int> mismatches{0};
  auto work = [&](int offset) {
    double g[10], lp;
    for (int rep = 0; rep < 20; ++rep)
      for (int i = 0; i < kPoints; ++i) {
        const int k = (i + offset) % kPoints;
        if (bs_log_density_gradient(m, true, true, &pts[10 * k], &lp, g, nullptr) != 0) ++mismatches;
        if (lp != expect[k][10]) ++mismatches;
        for (int d = 0; d < 10; ++d)
          if (g[d] != expect[k][d]) ++mismatches;
      }
  };
  std::thread a(work, 0), b(work, 97);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(EightSchools, NoHeapAllocationInGradientsAfterWarmUp) {
  const std::vector<double> x = point(3);
  double g[10], lp;
  bs_log_density_gradient(m, true, true, x.data(), &lp, g, nullptr);  // warm-up: this thread's slot
  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) bs_log_density_gradient(m, true, true, x.data(), &lp, g, nullptr);
  for (int i = 0; i < 100; ++i) bs_log_density(m, false, false, x.data(), &lp, nullptr);
  EXPECT_EQ(g_allocations.load(), before);
}

TEST_F(EightSchools, ADomainErrorIsReportedNotThrown) {
  std::vector<double> x = point(0);
  x[1] = 1000;  // tau = exp(1000) = inf: the lower-bound transform reports it
  double lp, g[10];
  char* err = nullptr;
  const int rc = bs_log_density_gradient(m, true, true, x.data(), &lp, g, &err);
  const std::string msg = take(err);
  if (rc != 0) {
    EXPECT_NE(msg.find("tau"), std::string::npos) << msg;
  }
}

TEST(EightSchoolsData, StringDataAndSeedsConstruct) {
  bs_model* m = construct(R"({"J": 2, "y": [1, 2.5], "sigma": [1, 2]})");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(bs_param_unc_num(m), 4);
  bs_model_destruct(m);
}

// Every kind of data error, with the message a user sees.
TEST(EightSchoolsData, ErrorMessages) {
  EXPECT_EQ(construct_error(""), "variable 'J' is missing from the data");
  EXPECT_EQ(construct_error(R"({"J": 2.5, "y": [], "sigma": []})"),
            "variable 'J': declared int<lower=0>, but the data has 2.5");
  EXPECT_EQ(construct_error(R"({"J": 2.0, "y": [1, 2], "sigma": [1, 1]})"),
            "variable 'J': declared int<lower=0>, but the data has values written as reals (with a "
            "decimal point or an exponent); write int data as integers, e.g. 2, not 2.0");
  EXPECT_EQ(construct_error(R"({"J": 3000000000, "y": [], "sigma": []})"),
            "variable 'J': declared int<lower=0>, but the data has 3000000000, which is outside the "
            "range of int (-2147483648 to 2147483647)");
  EXPECT_EQ(construct_error(R"({"J": [1, 2], "y": [], "sigma": []})"),
            "variable 'J': declared int<lower=0>, so the data must have dims [] (a single value), "
            "but it has dims [2]");
  EXPECT_EQ(construct_error(R"({"J": -1, "y": [], "sigma": []})"),
            "variable 'J': declared int<lower=0>, but J is -1 (it must be >= 0)");
  EXPECT_EQ(construct_error(R"({"J": 10, "y": [1,2,3,4,5,6,7,8,9], "sigma": []})"),
            "variable 'y': declared array[J] real with J = 10, so the data must have dims [10], but "
            "it has dims [9]");
  EXPECT_EQ(construct_error(R"({"J": 2, "y": 1.5, "sigma": [1, 1]})"),
            "variable 'y': declared array[J] real with J = 2, so the data must have dims [2], but it "
            "has dims [] (a single value)");
  EXPECT_EQ(construct_error(R"({"J": 2, "y": [1, 2]})"), "variable 'sigma' is missing from the data");
  EXPECT_EQ(construct_error(R"({"J": 3, "y": [1, 2, 3], "sigma": [1, 2, -0.5]})"),
            "variable 'sigma': declared array[J] real<lower=0> with J = 3, but sigma[3] is -0.5 (it "
            "must be >= 0)");
  EXPECT_EQ(construct_error(R"({"J": 1, "y": [1], "sigma": ["NaN"]})"),
            "variable 'sigma': declared array[J] real<lower=0> with J = 1, but sigma[1] is nan (it "
            "must be >= 0)");
  // JSON syntax error: the reader's message with line and column
  EXPECT_EQ(construct_error("{\"J\": 2,\n \"y\": [1, 2,]\n}").rfind("<string>:2:", 0), 0u)
      << construct_error("{\"J\": 2,\n \"y\": [1, 2,]\n}");
  EXPECT_NE(construct_error("{\"J\": 2,\n \"y\": [1, 2,]\n}").find("JSON syntax error"), std::string::npos);
  const std::string missing = construct_error("/nonexistent/dir/data.json");
  EXPECT_NE(missing.find("/nonexistent/dir/data.json"), std::string::npos) << missing;
  // an empty variable may be left out, as in Stan
  EXPECT_EQ(construct_error(R"({"J": 0})"), "");
}

}  // namespace
