// The reference interpreter: values of sections on small programs, indexing, control flow,
// densities and transforms, and errors for what it does not support.
#include <gtest/gtest.h>

#include <cmath>

#include "../autodiff/ad_test_util.h"
#include "compiled/values.h"
#include "frontend/signatures.h"

namespace mvc {
namespace {

using interp::EvalOptions;
using interp::Interpreter;

double lp(const std::string& src, const std::string& data, const std::vector<double>& theta, EvalOptions o = {}) {
  auto m = test::toIr(src, false);
  io::DataMap d = io::parse_json_data(data);
  Interpreter in(*m, d);
  return in.logDensity(theta, o);
}

TEST(Interp, ScalarArithmeticAndTarget) {
  EXPECT_DOUBLE_EQ(lp("parameters { real x; } model { target += 2 * x + 3 - x / 4; }", "{}", {1.5}), 2 * 1.5 + 3 - 1.5 / 4);
}

TEST(Interp, VectorMatrixOperators) {
  const char* src = R"(
data { int N; matrix[N, N] A; vector[N] b; }
parameters { real s; }
model {
  vector[N] c = A * b;
  row_vector[N] r = b' * A;
  target += s * (sum(c) + sum(r) + dot_product(b, b) + sum(A') + sum(-b) + sum(A .* A) + sum(diag_pre_multiply(b, A)));
}
)";
  std::string data = R"({"N": 2, "A": [[1, 2], [3, 4]], "b": [1, -1]})";
  // A*b = [-1, -1]; b'*A = [-2, -2]; b.b = 2; sum A' = 10; sum(-b) = 0; sum(A.*A) = 30;
  // diag(b) A = [[1,2],[-3,-4]] -> -4
  EXPECT_DOUBLE_EQ(lp(src, data, {1.0}), -2 - 4 + 2 + 10 + 0 + 30 - 4);
}

TEST(Interp, IndexingSingleRangeMultiAll) {
  const char* src = R"(
data { matrix[3, 3] A; array[2] int idx; }
parameters { real s; }
model {
  target += A[2, 3] + sum(A[1]) + sum(A[2:3, 1]) + sum(A[idx, :]) + sum(A[:, 2]) + s;
}
)";
  std::string data = R"({"A": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "idx": [3, 1]})";
  EXPECT_DOUBLE_EQ(lp(src, data, {0.0}), 6 + 6 + 11 + 30 + 15);
}

TEST(Interp, StoreIndexLoopsAndConditionals) {
  const char* src = R"(
data { int N; }
parameters { real s; }
model {
  vector[N] v;
  for (i in 1:N) v[i] = i;
  real acc = 0;
  int k = 0;
  while (k < 3) { k += 1; acc += k; }
  if (acc > 5) acc = acc * 10; else acc = -1;
  target += sum(v) + acc + (k == 3 ? 100 : 0) + s;
}
)";
  EXPECT_DOUBLE_EQ(lp(src, R"({"N": 4})", {0.0}), 10 + 60 + 100);
}

TEST(Interp, DensitiesRespectProptoAndActivity) {
  const char* src = "data { real y; } parameters { real mu; } model { y ~ normal(mu, 2); }";
  double full = -0.5 * std::log(2 * M_PI) - std::log(2.0) - 0.5 * std::pow((1.0 - 0.5) / 2, 2);
  EXPECT_NEAR(lp(src, R"({"y": 1.0})", {0.5}, {false, true}), full, 1e-12);
  EXPECT_NEAR(lp(src, R"({"y": 1.0})", {0.5}, {true, true}), -0.5 * std::pow((1.0 - 0.5) / 2, 2), 1e-12);
}

TEST(Interp, LowerBoundAddsTheLogJacobian) {
  const char* src = "parameters { real<lower=0> s; } model { target += s; }";
  EXPECT_NEAR(lp(src, "{}", {0.3}, {false, true}), std::exp(0.3) + 0.3, 1e-12);
  EXPECT_NEAR(lp(src, "{}", {0.3}, {false, false}), std::exp(0.3), 1e-12);
}

TEST(Interp, DataErrorsNameTheVariable) {
  auto m = test::toIr("data { int N; vector[N] y; } parameters { real a; } model { y ~ normal(a, 1); }", false);
  io::DataMap d = io::parse_json_data(R"({"N": 3, "y": [1, 2]})");
  try {
    Interpreter in(*m, d);
    FAIL() << "expected an error";
  } catch (const interp::Error& e) {
    EXPECT_NE(std::string(e.what()).find("y"), std::string::npos) << e.what();
  }
}

// The runtime implements the whole signature table: every function, every density, the CDFs of
// every family that has one, every _rng. (A new row in the frontend's tables fails here until the
// runtime has it.) An unknown name is a clear error.
TEST(Interp, EveryBuiltinOfTheSignatureTableIsSupported) {
  const SignatureTable& t = SignatureTable::builtins();
  auto endsWith = [](const std::string& s, const std::string& x) {
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  int functions = 0, cdfs = 0;
  for (const std::string& n : t.names()) {
    if (n.rfind("operator", 0) == 0) continue;
    bool dist = false;
    for (const char* suffix : {"_lpdf", "_lpmf", "_lupdf", "_lupmf", "_cdf", "_lcdf", "_lccdf"}) dist = dist || endsWith(n, suffix);
    if (endsWith(n, "_cdf") || endsWith(n, "_lcdf") || endsWith(n, "_lccdf")) {
      const std::string fam = n.substr(0, n.rfind('_'));
      EXPECT_TRUE(values::cdfSupported(fam)) << n;
      ++cdfs;
    } else if (!dist) {
      EXPECT_TRUE(Interpreter::supportsBuiltin(n) || values::rngSupported(n)) << n;
      ++functions;
    }
  }
  for (const std::string& f : t.distributionNames()) EXPECT_TRUE(values::densitySupported(f)) << f;
  EXPECT_GT(functions, 200);
  EXPECT_GT(cdfs, 80);
  EXPECT_THROW(values::callBuiltin("no_such_function", values::Args(), values::ResultType{}), values::Error);
}

// (c) eight schools' log density equals the closed form (as in the hand-written reference
// model tests/unit/runtime/model/models/eight_schools.cpp).
TEST(Interp, EightSchoolsMatchesTheClosedForm) {
  std::string src = test::readFile(MVC_SOURCE_DIR "/models/eight_schools_noncentered.model");
  std::string data = test::readFile(MVC_SOURCE_DIR "/models/eight_schools_noncentered.data.json");
  auto m = test::toIr(src, false);
  io::DataMap d = io::parse_json_data(data);
  Interpreter in(*m, d);
  ASSERT_EQ(in.numUnconstrained(), 10u);
  std::vector<double> th = test::randomPoint(10, 7);
  const auto& y = d.at("y").values;
  const auto& sg = d.at("sigma").values;
  for (bool jac : {false, true}) {
    double mu = th[0], ltau = th[1], tau = std::exp(ltau);
    double full = 0, prop = 0;
    const double c = 0.5 * std::log(2 * M_PI);
    auto nrm = [&](double x, double m, double s, bool sConst) {
      double z = (x - m) / s;
      full += -c - std::log(s) - 0.5 * z * z;
      prop += -0.5 * z * z - (sConst ? 0 : std::log(s));
    };
    nrm(mu, 0, 5, true);
    full += -std::log(M_PI) - std::log(5.0) - std::log1p(tau * tau / 25);
    prop += -std::log1p(tau * tau / 25);
    for (int j = 0; j < 8; ++j) nrm(th[2 + j], 0, 1, true);
    for (int j = 0; j < 8; ++j) nrm(y[j], mu + tau * th[2 + j], sg[j], true);
    if (jac) {
      full += ltau;
      prop += ltau;
    }
    EXPECT_NEAR(in.logDensity(th, {false, jac}), full, 1e-10 * std::fabs(full));
    EXPECT_NEAR(in.logDensity(th, {true, jac}), prop, 1e-10 * std::fabs(prop));
  }
}

}  // namespace
}  // namespace mvc
