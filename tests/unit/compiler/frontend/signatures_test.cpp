#include "frontend/signatures.h"

#include <gtest/gtest.h>

namespace mvc {
namespace {

const SignatureTable& T() { return SignatureTable::builtins(); }
Type arr(Type t, int d = 1) { return Type::arrayOf(t, d); }

TEST(Signatures, ElementwiseFunctionsKeepShapeAndPromoteInt) {
  EXPECT_EQ(T().resolve("log", {Type::vector()}).type, Type::vector());
  EXPECT_EQ(T().resolve("exp", {Type::integer()}).type, Type::real());
  EXPECT_EQ(T().resolve("log1p", {arr(Type::integer(), 2)}).type, arr(Type::real(), 2));
}

TEST(Signatures, ExactRowBeatsClassRow) {
  EXPECT_EQ(T().resolve("abs", {Type::integer()}).type, Type::integer());
  EXPECT_EQ(T().resolve("abs", {Type::real()}).type, Type::real());
  EXPECT_EQ(T().resolve("max", {Type::integer(), Type::integer()}).type, Type::integer());
  EXPECT_EQ(T().resolve("max", {Type::integer(), Type::real()}).type, Type::real());
}

TEST(Signatures, LinearAlgebraOperators) {
  EXPECT_EQ(T().resolve("operator*", {Type::rowVector(), Type::vector()}).type, Type::real());
  EXPECT_EQ(T().resolve("operator*", {Type::vector(), Type::rowVector()}).type, Type::matrix());
  EXPECT_EQ(T().resolve("operator*", {Type::matrix(), Type::vector()}).type, Type::vector());
  EXPECT_EQ(T().resolve("operator'", {Type::vector()}).type, Type::rowVector());
  EXPECT_EQ(T().resolve("operator\\", {Type::matrix(), Type::vector()}).type, Type::vector());
  EXPECT_EQ(T().resolve("operator*", {Type::vector(), Type::vector()}).signature, nullptr);
  EXPECT_EQ(T().resolve("operator+", {arr(Type::real()), arr(Type::real())}).signature, nullptr);
  EXPECT_EQ(T().resolve("operator/", {Type::integer(), Type::integer()}).type, Type::integer());
  EXPECT_EQ(T().resolve("operator^", {Type::integer(), Type::integer()}).type, Type::real());
}

TEST(Signatures, VectorisedDensities) {
  for (Type y : {Type::real(), Type::vector(), arr(Type::real()), arr(Type::integer()), Type::rowVector()}) {
    EXPECT_NE(T().resolve("normal_lpdf", {y, Type::vector(), Type::real()}).signature, nullptr) << y.str();
  }
  EXPECT_EQ(T().resolve("normal_lpdf", {Type::matrix(), Type::real(), Type::real()}).signature, nullptr);
  EXPECT_EQ(T().resolve("poisson_lpmf", {arr(Type::integer()), Type::vector()}).type, Type::real());
  EXPECT_EQ(T().resolve("poisson_lpmf", {Type::real(), Type::real()}).signature, nullptr);
  EXPECT_TRUE(T().resolve("normal_lpdf", {Type::real(), Type::real(), Type::real()}).signature->truncatable);
  EXPECT_FALSE(T().resolve("multi_normal_lpdf", {Type::vector(), Type::vector(), Type::matrix()}).signature->truncatable);
}

TEST(Signatures, BatchedMultivariateDensities) {
  Type vs = arr(Type::vector()), ms = arr(Type::matrix());
  EXPECT_NE(T().resolve("multi_normal_lpdf", {vs, vs, ms}).signature, nullptr);
  EXPECT_NE(T().resolve("multi_normal_lpdf", {vs, Type::vector(), ms}).signature, nullptr);
  EXPECT_NE(T().resolve("multi_normal_cholesky_lpdf", {vs, vs, ms}).signature, nullptr);
  EXPECT_NE(T().resolve("multi_normal_prec_lpdf", {vs, vs, ms}).signature, nullptr);
  EXPECT_NE(T().resolve("multi_student_t_lpdf", {vs, Type::real(), vs, ms}).signature, nullptr);
  EXPECT_NE(T().resolve("lkj_corr_cholesky_lpdf", {ms, Type::real()}).signature, nullptr);
  EXPECT_NE(T().resolve("lkj_corr_lpdf", {ms, Type::real()}).signature, nullptr);
  EXPECT_NE(T().resolve("wishart_lpdf", {ms, Type::real(), ms}).signature, nullptr);
  EXPECT_EQ(T().resolve("multi_normal_lpdf", {arr(Type::vector(), 2), vs, ms}).signature, nullptr);
}

TEST(Signatures, RngReturnTypes) {
  EXPECT_EQ(T().resolve("normal_rng", {Type::real(), Type::real()}).type, Type::real());
  EXPECT_EQ(T().resolve("normal_rng", {Type::vector(), Type::real()}).type, arr(Type::real()));
  EXPECT_EQ(T().resolve("poisson_rng", {Type::real()}).type, Type::integer());
  EXPECT_EQ(T().resolve("multi_normal_rng", {Type::vector(), Type::matrix()}).type, Type::vector());
  EXPECT_EQ(T().resolve("lkj_corr_cholesky_rng", {Type::integer(), Type::real()}).type, Type::matrix());
  EXPECT_EQ(T().resolve("rep_array", {Type::integer(), Type::integer()}).type, arr(Type::integer()));
  EXPECT_EQ(T().resolve("rep_array", {Type::vector(), Type::integer(), Type::integer()}).type, arr(Type::vector(), 2));
}

TEST(Signatures, EveryFunctionNamedInTheFoundationIssueExists) {
  for (const char* f :
       {"log", "exp", "log1p", "expm1", "sqrt", "square", "pow", "fabs", "abs", "inv_logit", "logit", "log_sum_exp",
        "log1m", "log1p_exp", "lgamma", "sum", "mean", "sd", "variance", "dot_product", "rows_dot_product",
        "columns_dot_product", "diag_pre_multiply", "diag_post_multiply", "diag_matrix", "quad_form",
        "quad_form_diag", "multiply_lower_tri_self_transpose", "cholesky_decompose", "mdivide_left_tri_low",
        "to_vector", "to_matrix", "to_array_1d", "rep_vector", "rep_row_vector", "rep_matrix", "rep_array", "segment",
        "head", "tail", "cumulative_sum", "softmax", "log_softmax", "fmin", "fmax", "min", "max", "size",
        "num_elements", "rows", "cols", "append_row", "append_col"})
    EXPECT_TRUE(T().has(f)) << f;
  for (const char* d : {"normal", "std_normal", "cauchy", "student_t", "double_exponential", "logistic", "exponential",
                        "gamma", "inv_gamma", "lognormal", "chi_square", "beta", "uniform", "weibull", "bernoulli",
                        "bernoulli_logit", "binomial", "binomial_logit", "poisson", "poisson_log", "neg_binomial_2",
                        "neg_binomial_2_log", "categorical", "categorical_logit", "dirichlet", "multi_normal",
                        "multi_normal_cholesky", "multi_normal_prec", "multi_student_t", "lkj_corr",
                        "lkj_corr_cholesky", "wishart", "inv_wishart"}) {
    EXPECT_TRUE(T().isDistribution(d)) << d;
    EXPECT_TRUE(T().has(std::string(d) + "_lpdf") || T().has(std::string(d) + "_lpmf")) << d;
  }
}

TEST(Signatures, DescribeUsesStanNotation) {
  const auto& o = T().overloads("normal_lpdf");
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0]->describe(), "normal_lpdf(reals | reals, reals) => real");
}

}  // namespace
}  // namespace mvc
