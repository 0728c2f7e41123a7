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


// The inverse-CDF and composition generators: sample means against the distributions' means,
// within 5 Monte Carlo standard errors.
TEST(Values, MoreRngMeans) {
  std::mt19937_64 g(7);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  struct Case {
    const char* name;
    std::vector<double> args;
    bool isInt;
    double mean;
  };
  const double euler = 0.5772156649015329;
  const Case cases[] = {
      {"double_exponential_rng", {1, 2}, false, 1},
      {"logistic_rng", {1, 2}, false, 1},
      {"weibull_rng", {2, 3}, false, 3 * std::tgamma(1.5)},
      {"frechet_rng", {3, 2}, false, 2 * std::tgamma(1 - 1.0 / 3)},
      {"rayleigh_rng", {2}, false, 2 * std::sqrt(M_PI / 2)},
      {"pareto_rng", {1, 3}, false, 1.5},
      {"gumbel_rng", {1, 2}, false, 1 + 2 * euler},
      {"chi_square_rng", {4}, false, 4},
      {"inv_chi_square_rng", {5}, false, 1.0 / 3},
      {"exp_mod_normal_rng", {1, 1, 2}, false, 1.5},
      {"discrete_range_rng", {2, 5}, true, 3.5},
      {"neg_binomial_2_log_rng", {std::log(3.0), 2}, true, 3},
      {"neg_binomial_rng", {4, 2}, true, 2},
  };
  const int N = 40000;
  for (const Case& c : cases) {
    std::vector<Value> vals;
    for (size_t k = 0; k < c.args.size(); ++k) {
      bool intArg = std::string(c.name) == "discrete_range_rng";
      vals.push_back(intArg ? Value::integer(static_cast<int64_t>(c.args[k])) : Value::real(c.args[k]));
    }
    std::vector<const Value*> ptrs;
    for (const Value& v : vals) ptrs.push_back(&v);
    double s = 0, s2 = 0;
    for (int k = 0; k < N; ++k) {
      Value x = rng(c.name, Args(ptrs), {c.isInt ? Elem::Int : Elem::Real, 0}, u);
      s += x.num();
      s2 += x.num() * x.num();
    }
    double m = s / N, sd = std::sqrt(s2 / N - m * m);
    EXPECT_NEAR(m, c.mean, 5 * sd / std::sqrt(N)) << c.name;
  }
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


// The built-ins of builtins_more.cpp against values known exactly (or computed directly here).
Value call(const char* name, std::vector<Value> args, Elem elem = Elem::Real, int arrayDims = 0) {
  std::vector<const Value*> p;
  for (const Value& a : args) p.push_back(&a);
  return callBuiltin(name, Args(p), ResultType{elem, arrayDims});
}
Value ia(std::vector<int64_t> xs) {
  std::vector<Value> v;
  for (int64_t x : xs) v.push_back(Value::integer(x));
  return Value::array(v);
}
Value vec(std::vector<double> xs) { return Value::vec(Eigen::Map<Eigen::VectorXd>(xs.data(), static_cast<Eigen::Index>(xs.size()))); }
std::vector<double> nums(const Value& v) {
  std::vector<double> out;
  flatten(v, out);
  return out;
}

TEST(MoreBuiltins, ArraysOfConstantsAndStructure) {
  EXPECT_EQ(nums(call("ones_int_array", {Value::integer(3)}, Elem::Int, 1)), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(nums(call("zeros_array", {Value::integer(2)}, Elem::Real, 1)), (std::vector<double>{0, 0}));
  EXPECT_EQ(nums(call("one_hot_vector", {Value::integer(4), Value::integer(2)})), (std::vector<double>{0, 1, 0, 0}));
  EXPECT_EQ(nums(call("one_hot_int_array", {Value::integer(3), Value::integer(3)}, Elem::Int, 1)), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(nums(call("uniform_simplex", {Value::integer(4)})), (std::vector<double>{0.25, 0.25, 0.25, 0.25}));
  EXPECT_EQ(nums(call("linspaced_array", {Value::integer(3), Value::real(1), Value::real(2)}, Elem::Real, 1)),
            (std::vector<double>{1, 1.5, 2}));
  EXPECT_EQ(nums(call("linspaced_int_array", {Value::integer(4), Value::integer(1), Value::integer(10)}, Elem::Int, 1)),
            (std::vector<double>{1, 4, 7, 10}));
  Value m = Value::mat((Eigen::MatrixXd(2, 3) << 1, 2, 3, 4, 5, 6).finished());
  EXPECT_EQ(nums(call("dims", {Value::array({m, m})}, Elem::Int, 1)), (std::vector<double>{2, 2, 3}));
  EXPECT_EQ(nums(call("sub_col", {m, Value::integer(1), Value::integer(2), Value::integer(2)})), (std::vector<double>{2, 5}));
  EXPECT_EQ(nums(call("sub_row", {m, Value::integer(2), Value::integer(2), Value::integer(2)})), (std::vector<double>{5, 6}));
  EXPECT_THROW(call("sub_row", {m, Value::integer(2), Value::integer(2), Value::integer(3)}), Error);
  EXPECT_EQ(nums(call("to_array_2d", {m}, Elem::Real, 2)), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(nums(call("append_array", {ia({1, 2}), ia({3})}, Elem::Int, 1)), (std::vector<double>{1, 2, 3}));
  EXPECT_THROW(call("one_hot_vector", {Value::integer(3), Value::integer(4)}), Error);
}

TEST(MoreBuiltins, SortingAndRanks) {
  Value v = vec({3, 1, 2, 1});
  EXPECT_EQ(nums(call("sort_asc", {v})), (std::vector<double>{1, 1, 2, 3}));
  EXPECT_EQ(nums(call("sort_desc", {ia({2, 5, 1})}, Elem::Int, 1)), (std::vector<double>{5, 2, 1}));
  EXPECT_EQ(nums(call("sort_indices_asc", {v}, Elem::Int, 1)), (std::vector<double>{2, 4, 3, 1}));  // stable
  EXPECT_EQ(nums(call("sort_indices_desc", {v}, Elem::Int, 1)), (std::vector<double>{1, 3, 2, 4}));
  EXPECT_EQ(call("rank", {v, Value::integer(3)}, Elem::Int).i, 2);  // two elements below 2
}

TEST(MoreBuiltins, CombinatoricsAndSpecialFunctions) {
  EXPECT_EQ(call("choose", {Value::integer(10), Value::integer(3)}, Elem::Int).i, 120);
  EXPECT_EQ(call("choose", {Value::integer(3), Value::integer(5)}, Elem::Int).i, 0);
  EXPECT_NEAR(call("falling_factorial", {Value::real(5), Value::integer(2)}).d, 20, 1e-12);
  EXPECT_NEAR(call("rising_factorial", {Value::real(3), Value::integer(3)}).d, 60, 1e-11);
  EXPECT_NEAR(call("trigamma", {Value::real(1)}).d, M_PI * M_PI / 6, 1e-12);
  EXPECT_NEAR(call("trigamma", {Value::real(0.5)}).d, M_PI * M_PI / 2, 1e-12);
  EXPECT_NEAR(call("trigamma", {Value::real(-0.5)}).d, M_PI * M_PI / 2 + 4, 1e-11);  // psi1(x) = psi1(x + 1) + 1/x^2
  // lmgamma(2, x) = log(pi) / 2 + lgamma(x) + lgamma(x - 1/2)
  EXPECT_NEAR(call("lmgamma", {Value::integer(2), Value::real(3)}).d, 0.5 * std::log(M_PI) + std::lgamma(3.0) + std::lgamma(2.5), 1e-12);
  double x = 0.7, y = -0.4, want = std::log(1 / (1 + std::exp(-x)) - 1 / (1 + std::exp(-y)));
  EXPECT_NEAR(call("log_inv_logit_diff", {Value::real(x), Value::real(y)}).d, want, 1e-12);
  EXPECT_EQ(call("logical_negation", {Value::real(0)}, Elem::Int).i, 1);
}

TEST(MoreBuiltins, InvPhiInvertsPhi) {
  for (double p : {1e-300, 1e-10, 0.01, 0.02425, 0.3, 0.5, 0.8, 0.99, 1 - 1e-10}) {
    double x = call("inv_Phi", {Value::real(p)}).d;
    EXPECT_NEAR(0.5 * std::erfc(-x / std::sqrt(2.0)), p, 1e-15 + 1e-13 * p) << p;
  }
  EXPECT_NEAR(call("inv_Phi", {Value::real(0.975)}).d, 1.959963984540054, 1e-14);
  EXPECT_TRUE(std::isnan(call("inv_Phi", {Value::real(1.5)}).d));
}

TEST(MoreBuiltins, SpdLinearAlgebraAndTheGpKernel) {
  Eigen::MatrixXd A(2, 2), B(2, 2);
  A << 4, 1, 1, 3;
  B << 1, 2, 0, 1;
  EXPECT_NEAR(call("log_determinant_spd", {Value::mat(A)}).d, std::log(11.0), 1e-12);
  EXPECT_NEAR(call("trace_quad_form", {Value::mat(A), Value::mat(B)}).d, (B.transpose() * A * B).trace(), 1e-12);
  Eigen::MatrixXd want = B * A.inverse();
  EXPECT_LT((call("mdivide_right_spd", {Value::mat(B), Value::mat(A)}).m - want).norm(), 1e-12);
  Eigen::MatrixXd L = A.llt().matrixL();
  EXPECT_LT((call("chol2inv", {Value::mat(L)}).m - A.inverse()).norm(), 1e-12);
  Eigen::VectorXd ev = call("eigenvalues_sym", {Value::mat(A)}).m;
  EXPECT_NEAR(ev(0) + ev(1), 7, 1e-12);
  EXPECT_NEAR(ev(0) * ev(1), 11, 1e-12);
  EXPECT_THROW(call("log_determinant_spd", {Value::mat(B - 3 * Eigen::MatrixXd::Identity(2, 2))}), Error);
  Value xs = Value::array({Value::real(0), Value::real(1), Value::real(3)});
  Eigen::MatrixXd K = call("gp_exp_quad_cov", {xs, Value::real(2), Value::real(0.5)}).m;
  EXPECT_NEAR(K(0, 0), 4, 1e-12);
  EXPECT_NEAR(K(0, 1), 4 * std::exp(-0.5 / 0.25), 1e-12);
  EXPECT_NEAR(K(2, 1), 4 * std::exp(-0.5 * 4 / 0.25), 1e-12);
}

}  // namespace
