// The value library directly: print pieces, index errors, transforms' round trips, _rng.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "compiled/values.h"

namespace {

using namespace mvc::values;

TEST(Values, PrintPiecesParseQuotedStringsAndPlaceholders) {
  Value x = Value::real(1.5), v = Value::vec(Eigen::MatrixXd::Constant(2, 1, 3.0));
  const Value* vals[] = {&x, &v};
  EXPECT_EQ(formatPieces(R"("x = ",$,", v, \"q\" = ",$)", Args(vals, 2)), R"(x = 1.5, v, "q" = [3,3])");
  EXPECT_EQ(formatPieces(R"("a\\b\n")", Args()), "a\\b\n");
  EXPECT_EQ(formatPieces("", Args()), "");
  EXPECT_THROW(formatPieces("$", Args()), Error);
}

TEST(Values, IndexOutOfRangeSaysWhere) {
  Value a = shaped(Elem::Real, 1, {3});
  Value i = Value::integer(4);
  const Value* ops[] = {&i};
  try {
    indexValue(a, indexPositions("s", Args(ops, 1)));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "index 4 out of range; expecting index to be between 1 and 3");
    EXPECT_EQ(e.status(), Error::kDomain);
  }
  EXPECT_THROW(indexPositions("r", Args(ops, 1)), Error);  // a range needs two operands
}

TEST(Values, UnconstrainInvertsConstrain) {
  for (const char* tr : {"simplex", "cov_matrix", "cholesky_factor_corr", "ordered", "corr_matrix"}) {
    bool vec = std::string(tr) == "simplex" || std::string(tr) == "ordered";
    Elem e = vec ? Elem::Vector : Elem::Matrix;
    std::vector<int64_t> dims = vec ? std::vector<int64_t>{2, 4} : std::vector<int64_t>{2, 3, 3};
    int64_t n = unconstrainedSize(tr, e, 1, dims);
    std::vector<double> x(static_cast<size_t>(n)), back(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) x[static_cast<size_t>(k)] = 0.3 * std::sin(1.0 + static_cast<double>(k));
    Value y = constrainParam("p", tr, e, 1, dims, Args(), x.data(), nullptr);
    unconstrainParam("p", tr, y, Args(), back.data());
    for (int64_t k = 0; k < n; ++k) EXPECT_NEAR(back[static_cast<size_t>(k)], x[static_cast<size_t>(k)], 1e-9) << tr;
    EXPECT_EQ(checkConstraint(tr, Args(std::vector<const Value*>{&y})), "") << tr;
  }
}

TEST(Values, UnconstrainRejectsAViolation) {
  Value y = Value::vec(Eigen::MatrixXd::Constant(3, 1, 0.5));  // sums to 1.5
  std::vector<double> x(2);
  try {
    unconstrainParam("theta", "simplex", y, Args(), x.data());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Error::kData);
    EXPECT_EQ(std::string(e.what()).rfind("variable 'theta': ", 0), 0u) << e.what();
  }
}

TEST(Values, RngMomentsAndErrors) {
  std::mt19937_64 g(3);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Value mu = Value::real(2), sigma = Value::real(3), n = Value::integer(40), p = Value::real(0.25);
  const Value* normalArgs[] = {&mu, &sigma};
  const Value* binomialArgs[] = {&n, &p};
  double s = 0, s2 = 0, b = 0;
  const int N = 20000;
  for (int k = 0; k < N; ++k) {
    double x = rng("normal_rng", Args(normalArgs, 2), {Elem::Real, 0}, u).d;
    s += x;
    s2 += x * x;
    b += static_cast<double>(rng("binomial_rng", Args(binomialArgs, 2), {Elem::Int, 0}, u).i);
  }
  EXPECT_NEAR(s / N, 2, 0.1);
  EXPECT_NEAR(std::sqrt(s2 / N - (s / N) * (s / N)), 3, 0.1);
  EXPECT_NEAR(b / N, 10, 0.1);
  Value bad = Value::real(-1);
  const Value* badArgs[] = {&mu, &bad};
  EXPECT_THROW(rng("normal_rng", Args(badArgs, 2), {Elem::Real, 0}, u), Error);
  EXPECT_THROW(rng("wishart_rng", Args(badArgs, 2), {Elem::Matrix, 0}, u), Error);
  // vectorised: an array of draws of the container's size
  Value v = Value::vec(Eigen::MatrixXd::Zero(5, 1));
  const Value* vecArgs[] = {&v, &sigma};
  Value d = rng("normal_rng", Args(vecArgs, 2), {Elem::Real, 1}, u);
  ASSERT_EQ(d.kind, Value::Array);
  EXPECT_EQ(d.a.size(), 5u);
}


TEST(Values, BatchedMultiNormalRngPairsMeansWithCovariances) {
  std::mt19937_64 g(5);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Eigen::MatrixXd m1(2, 1), m2(2, 1), S1(2, 2), S2(2, 2);
  m1 << 1, -1;
  m2 << 10, 20;
  S1 << 1, 0.5, 0.5, 2;
  S2 << 9, -3, -3, 4;
  Value mu = Value::array({Value::vec(m1), Value::vec(m2)}), S = Value::array({Value::mat(S1), Value::mat(S2)});
  const Value* args[] = {&mu, &S};
  const int N = 40000;
  Eigen::MatrixXd sum[2] = {Eigen::MatrixXd::Zero(2, 1), Eigen::MatrixXd::Zero(2, 1)};
  Eigen::MatrixXd sq[2] = {Eigen::MatrixXd::Zero(2, 2), Eigen::MatrixXd::Zero(2, 2)};
  for (int k = 0; k < N; ++k) {
    Value d = rng("multi_normal_rng", Args(args, 2), {Elem::Vector, 1}, u);
    ASSERT_EQ(d.a.size(), 2u);
    for (int i = 0; i < 2; ++i) sum[i] += d.a[i].m, sq[i] += d.a[i].m * d.a[i].m.transpose();
  }
  const Eigen::MatrixXd* want[2] = {&S1, &S2};
  const Eigen::MatrixXd* mean[2] = {&m1, &m2};
  for (int i = 0; i < 2; ++i) {
    Eigen::MatrixXd m = sum[i] / N, cov = sq[i] / N - m * m.transpose();
    for (int r = 0; r < 2; ++r) {
      EXPECT_NEAR(m(r, 0), (*mean[i])(r, 0), 5 * std::sqrt((*want[i])(r, r) / N)) << "item " << i;
      for (int c = 0; c < 2; ++c)
        EXPECT_NEAR(cov(r, c), (*want[i])(r, c), 0.05 * std::sqrt((*want[i])(r, r) * (*want[i])(c, c))) << "item " << i;
    }
  }
  // 2 means, 1 matrix too many: a clear error
  Value S3 = Value::array({Value::mat(S1), Value::mat(S2), Value::mat(S1)});
  const Value* bad[] = {&mu, &S3};
  try {
    rng("multi_normal_rng", Args(bad, 2), {Elem::Vector, 1}, u);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "multi_normal_rng: 2 locations but 3 matrices");
  }
}

}  // namespace
