#include <gtest/gtest.h>

#include "test_util.h"

namespace mvc {
namespace {
using test::compile;

const char* kEightSchools = R"(
data { int<lower=0> J; array[J] real y; array[J] real<lower=0> sigma; }
parameters { real mu; real<lower=0> tau; vector[J] eta; }
transformed parameters { vector[J] theta = mu + tau * eta; }
model { eta ~ std_normal(); y ~ normal(theta, sigma); }
generated quantities { array[J] real y_rep = normal_rng(theta, sigma); }
)";

TEST(Sema, TypesAndDataOnlyFlags) {
  auto c = compile(kEightSchools);
  ASSERT_TRUE(c.ok()) << c.text();
  const VarDecl& theta = *c.program->block(BlockKind::TransformedParameters).items[0]->decl;
  EXPECT_EQ(theta.init->type, Type::vector());
  EXPECT_FALSE(theta.init->isData);
  const VarDecl& y = *c.program->block(BlockKind::Data).items[1]->decl;
  EXPECT_TRUE(y.dataOnly);
  EXPECT_EQ(y.vtype, Type::arrayOf(Type::real()));
}

TEST(Sema, ElementwiseResultIsTheContainerArgument) {
  // `T operator.^(real, T)`: the result has the container's type, not the first argument's.
  auto c = compile("data { vector[3] b; } transformed data { vector[3] p = 2 .^ b; row_vector[3] q = 0.5 .^ b'; "
                   "vector[3] r = b .^ 2; real s = 2 .^ 3.0; }");
  EXPECT_TRUE(c.ok()) << c.text();
}

TEST(Sema, IndexingTypes) {
  auto c = compile(R"(
data { int N; array[N] matrix[3, 3] A; array[2] int ii; }
transformed data {
  real a = A[1, 2, 3];
  row_vector[3] r = A[1, 2];
  vector[3] v = A[1, :, 2];
  matrix[2, 3] m = A[1, ii];
  array[N] matrix[3, 3] B = A[:];
  array[N] real col = A[:, 1, 1];
}
)");
  EXPECT_TRUE(c.ok()) << c.text();
}

struct BadCase {
  const char* program;
  DiagKind kind;
};

class SemaErrors : public ::testing::TestWithParam<BadCase> {};
TEST_P(SemaErrors, Reported) {
  auto c = compile(GetParam().program);
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(c.has(GetParam().kind)) << "expected " << diagKindInfo(GetParam().kind).name << ", got:\n" << c.text();
}
INSTANTIATE_TEST_SUITE_P(
    Cases, SemaErrors,
    ::testing::Values(
        BadCase{"model { x ~ normal(0, 1); }", DiagKind::UndeclaredName},
        BadCase{"data { real x; real x; }", DiagKind::Redeclaration},
        BadCase{"data { real x; } model { for (i in 1:2) { real x; } }", DiagKind::Redeclaration},
        BadCase{"data { real x; } transformed data { int n = x; }", DiagKind::TypeMismatch},
        BadCase{"parameters { vector[3] v; } model { v ~ normal(v * v, 1); }", DiagKind::NoMatchingSignature},
        BadCase{"parameters { real y; } model { y ~ normal(0, 1, 2); }", DiagKind::NoMatchingSignature},
        BadCase{"model { target += foo(1); }", DiagKind::UnknownFunction},
        BadCase{"parameters { real y; } model { y ~ nromal(0, 1); }", DiagKind::UnknownDistribution},
        BadCase{"parameters { real y; } model { real z = normal(0, 1); }", DiagKind::DistributionAsFunction},
        BadCase{"data { vector[3] v; } transformed data { real a = v[1, 2]; }", DiagKind::BadIndex},
        BadCase{"data { vector[3] v; } transformed data { real a = v[1.5]; }", DiagKind::BadIndex},
        BadCase{"data { vector[3] v; } transformed data { if (v) { } }", DiagKind::ConditionType},
        BadCase{"data { real a; } transformed data { for (i in 1:a) { } }", DiagKind::LoopRange},
        BadCase{"data { real a; } transformed data { for (i in a) { } }", DiagKind::LoopRange},
        BadCase{"parameters { vector[2] y; } model { y ~ multi_normal([0,0]', [[1,0],[0,1]]) T[0, ]; }",
                DiagKind::TruncationNotAllowed},
        BadCase{"data { real y; } model { y = 1; }", DiagKind::AssignToReadOnly},
        BadCase{"parameters { real y; } model { y = 1; }", DiagKind::AssignToReadOnly},
        BadCase{"parameters { real y; } transformed parameters { real z; } model { z = y; }",
                DiagKind::AssignToReadOnly},
        BadCase{"model { real x = normal_rng(0, 1); }", DiagKind::RngNotAllowed},
        BadCase{"transformed parameters { real x = normal_rng(0, 1); }", DiagKind::RngNotAllowed},
        BadCase{"generated quantities { target += 1; }", DiagKind::TargetNotAllowed},
        BadCase{"parameters { real y; } generated quantities { y ~ normal(0, 1); }", DiagKind::TargetNotAllowed},
        BadCase{"model { real<lower=0> x = 1; }", DiagKind::ConstraintNotAllowed},
        BadCase{"parameters { int k; }", DiagKind::IntParameter},
        BadCase{"parameters { real a; vector[2] b; } transformed parameters { vector[to_int(a)] c; }",
                DiagKind::SizeNotData},
        BadCase{"data { real a = 1; }", DiagKind::InitializerNotAllowed},
        BadCase{"model { break; }", DiagKind::BreakOutsideLoop},
        BadCase{"functions { real f(real x) { if (x > 0) return 1; } }", DiagKind::MissingReturn},
        BadCase{"functions { real f(real x) { return [1, 2]; } }", DiagKind::ReturnType},
        BadCase{"functions { void f(real x) { return x; } }", DiagKind::ReturnType},
        BadCase{"functions { real f_lpdf(int x) { return 1; } }", DiagKind::SuffixRule},
        BadCase{"functions { real f_lpmf(real x) { return 1; } }", DiagKind::SuffixRule},
        BadCase{"functions { real f(real x); } model { target += f(1); }", DiagKind::FunctionNotDefined},
        BadCase{"functions { real f(real x) { return x; } real f(real y) { return y; } }",
                DiagKind::DuplicateFunction},
        BadCase{"functions { real f(data real x) { return x; } } parameters { real p; } model { target += f(p); }",
                DiagKind::DataOnlyArgument},
        BadCase{"functions { void f_lp(real x) { target += x; } } generated quantities { f_lp(1); }",
                DiagKind::TargetNotAllowed},
        BadCase{"data { real lp__; }", DiagKind::ReservedName},
        BadCase{"data { complex z; }", DiagKind::Unsupported}));

TEST(Sema, ArrayVectorMismatchSuggestsTheConversion) {
  auto c = compile("data { int N; vector[N] m; } generated quantities { vector[N] y = normal_rng(m, 1); }");
  EXPECT_NE(c.text().find("cannot store a value of type array[] real in 'y' of type vector; convert it with to_vector(...)"),
            std::string::npos)
      << c.text();
}

TEST(Sema, DidYouMean) {
  auto c = compile("parameters { real sigma; } model { sigma ~ normal(0, sigm); }");
  EXPECT_NE(c.text().find("did you mean 'sigma'?"), std::string::npos) << c.text();
}

TEST(Sema, DeclaredLaterGetsANote) {
  auto c = compile("transformed data { real a = b; real b = 1; }");
  EXPECT_NE(c.text().find("it is declared later, here"), std::string::npos) << c.text();
}

TEST(Sema, NoMatchingSignatureListsWhatIsAvailable) {
  auto c = compile("data { vector[3] v; real s; int k; } model { v ~ normal(s, k, v); }");
  EXPECT_NE(c.text().find("no signature of normal matches vector ~ normal(real, int, vector)"), std::string::npos)
      << c.text();
  EXPECT_NE(c.text().find("normal_lpdf(reals | reals, reals)"), std::string::npos) << c.text();
}

TEST(Sema, SeveralErrorsInOneRun) {
  auto c = compile("model { a = 1; b = 2; }");
  EXPECT_EQ(c.diags->errorCount(), 2);
}

TEST(Sema, RecursionAndForwardDeclarations) {
  auto c = compile(R"(
functions {
  int fib(int n);
  int fib(int n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }
  real twice(real x) { return 2 * half_inv(x); }
  real half_inv(real x) { return x / 2; }
}
transformed data { int f = fib(10); real t = twice(3); }
)");
  EXPECT_TRUE(c.ok()) << c.text();
}

TEST(Sema, BatchedMultivariateNormalIsLegal) {
  auto c = compile(R"(
data { int N; int q; array[N] vector[q] mu; array[N] cov_matrix[q] Sigma; }
parameters { array[N] vector[q] x; }
model { x ~ multi_normal(mu, Sigma); }
)");
  EXPECT_TRUE(c.ok()) << c.text();
}

}  // namespace
}  // namespace mvc
