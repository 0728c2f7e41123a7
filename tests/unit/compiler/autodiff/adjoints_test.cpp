// Every row of the adjoint table checked against central finite differences through the
// interpreter, at several points (including edge values where the function has them). The
// test enumerates the table: a row without a program here fails.
#include <map>

#include "ad_test_util.h"
#include "autodiff/adjoints.h"

namespace mvc {
namespace {

struct Check {
  std::string program;                     // parameters and model; data in `data`
  std::vector<std::vector<double>> points;  // unconstrained points
  std::string data = "{}";
  // When set, the finite differences are taken on this program (the same function written
  // without the built-in) instead: for a built-in the interpreter evaluates wrongly.
  std::string fdProgram = "";
};

const char* kVec = "parameters { vector[3] a; vector[3] b; real s; } model { ";
const std::vector<std::vector<double>> kPts7 = {
    {0.3, -0.7, 1.1, 0.4, 0.9, -1.3, 0.8}, {1e-3, 2.5, -0.2, -1.5, 0.01, 0.6, -0.4}, {-2, 0.5, 0.25, 3, -0.1, 0.2, 1.7}};

std::string vec(const std::string& body) { return std::string(kVec) + body + " }"; }

// Positive arguments through exp(): log, sqrt, ... stay in their domains at every point.
std::string pos(const std::string& f) {
  return "parameters { vector[3] a; real s; } model { target += sum(" + f + "(exp(a))) + " + f + "(exp(s)); }";
}
std::string any(const std::string& f) {
  return "parameters { vector[3] a; real s; } model { target += sum(" + f + "(a)) + " + f + "(s); }";
}
// In (0, 1) through inv_logit.
std::string unit(const std::string& f) {
  return "parameters { vector[3] a; real s; } model { target += sum(" + f + "(inv_logit(a))) + " + f + "(inv_logit(s)); }";
}
const std::vector<std::vector<double>> kPts4 = {{0.3, -0.7, 1.1, 0.4}, {1e-8, 8, -8, 0.01}, {-2, 0.5, 0.25, 3}};

const std::string kMat = "parameters { matrix[2, 3] A; matrix[3, 2] B; vector[2] v; row_vector[3] r; } model { ";
std::vector<std::vector<double>> matPts() {
  return {test::randomPoint(17, 1), test::randomPoint(17, 2), test::randomPoint(17, 3, 3.0)};
}

std::map<std::string, Check> checks() {
  std::map<std::string, Check> c;
  c["operator+"] = {vec("target += sum(a + b) * sum(a + s) + sum(s + b) + s + s + sum(+a) + sum(a + b .* b);"), kPts7};
  c["operator-"] = {vec("target += sum(a - b) * sum(a - s) + sum(s - b) + (s - s * s) + sum(-a .* b);"), kPts7};
  c["operator*"] = {kMat + "target += sum(A * B) + sum(v' * A) + sum(A * r') + sum(2.5 * A) + sum(B * 0.5) + (r * r') * sum(v * r) + A[1] * A[2]'; }",
                    matPts()};
  c["operator/"] = {vec("target += sum(a / exp(s)) + s / (1 + s * s) + sum(a) / 3;"), kPts7};
  c["operator.*"] = {vec("target += sum(a .* b .* b) + sum(a .* a);"), kPts7};
  c["operator./"] = {vec("target += sum(a ./ exp(b)) + sum(a ./ (2 + a .* a));"), kPts7};
  c["operator'"] = {kMat + "target += sum(A' * v) + sum(r' .* r');  }", matPts()};
  c["pow(real, real)"] = {"parameters { real a; real b; } model { target += pow(exp(a), b); }", kPts4};
  c["operator^(real, real)"] = {"parameters { real a; real b; } model { target += exp(a) ^ b; }", kPts4};
  for (const char* f : {"exp", "expm1", "square", "inv_logit", "log_inv_logit", "log1p_exp", "tanh", "sin", "cos"})
    c[f] = {any(f), kPts4};
  for (const char* f : {"log", "log1p", "sqrt", "inv", "lgamma"}) c[f] = {pos(f), kPts4};
  for (const char* f : {"log1m", "logit"}) c[f] = {unit(f), kPts4};
  for (const char* f : {"log1m_inv_logit", "inv_cloglog", "erf", "erfc", "Phi", "Phi_approx", "atan", "sinh", "cosh",
                        "asinh", "exp2"})
    c[f] = {any(f), kPts4};
  for (const char* f : {"cbrt", "inv_sqrt", "inv_square", "log2", "log10"}) c[f] = {pos(f), kPts4};
  c["tgamma"] = {pos("tgamma"), {{0.3, -0.7, 1.1, 0.4}, {-2, 0.5, 0.25, 1.5}}};  // tgamma(exp(8)) overflows
  for (const char* f : {"asin", "acos", "atanh", "inv_Phi"}) c[f] = {unit(f), kPts4};
  c["log1m_exp"] = {"parameters { vector[3] a; real s; } model { target += sum(log1m_exp(-exp(a))) + log1m_exp(-exp(s)); }",
                    kPts4};
  c["acosh"] = {"parameters { vector[3] a; real s; } model { target += sum(acosh(1 + exp(a))) + acosh(1 + exp(s)); }",
                kPts4};
  // Away from 0 (fabs) and from the jumps (the others), where finite differences hold.
  const std::vector<std::vector<double>> away = {{0.3, -0.7, 1.3, 0.4}, {-2.6, 5.2, -8.3, 0.2}};
  c["fabs"] = {any("fabs"), away};
  for (const char* f : {"floor", "ceil", "round", "trunc", "step"})
    c[f] = {"parameters { vector[3] a; real s; } model { target += sum(" + std::string(f) + "(a) .* a) + " + f +
                "(s) * s; }",
            away};
  c["fma(real, real, real)"] = {"parameters { real a; real b; real d; } model { target += fma(a, b, d) * a; }",
                                {{0.3, -0.7, 1.1}, {2, 0.5, -3}}};
  c["log_sum_exp(real, real)"] = {"parameters { real a; real b; } model { target += log_sum_exp(a, b * 3); }", kPts4};
  c["log_diff_exp(real, real)"] = {"parameters { real a; real b; } model { target += log_diff_exp(a + exp(b), a); }", kPts4};
  c["lmultiply(real, real)"] = {"parameters { real a; real b; } model { target += lmultiply(a, exp(b)); }", kPts4};
  c["sum"] = {kMat + "target += sum(A) * sum(v) + sum(r) + sum(B .* B); }", matPts()};
  c["log_sum_exp"] = {kMat + "target += log_sum_exp(A) + log_sum_exp(v) + log_sum_exp(r * 10); }", matPts()};
  c["dot_product"] = {vec("target += dot_product(a, b) + dot_product(a', b) * s;"), kPts7};
  c["dot_self"] = {vec("target += dot_self(a) + dot_self(b') * s;"), kPts7};
  c["rows_dot_product(matrix, matrix)"] = {kMat + "target += sum(rows_dot_product(A, B') .* v); }", matPts()};
  c["columns_dot_product(matrix, matrix)"] = {kMat + "target += sum(columns_dot_product(A, B') .* r); }", matPts()};
  c["diag_pre_multiply"] = {kMat + "target += sum(diag_pre_multiply(v, A) .* A) + sum(diag_pre_multiply(v', A)); }", matPts()};
  c["diag_post_multiply"] = {kMat + "target += sum(diag_post_multiply(A, r) .* A) + sum(diag_post_multiply(B, v')); }", matPts()};
  c["diag_matrix(vector)"] = {kMat + "target += sum(diag_matrix(v) * A); }", matPts()};
  c["diagonal(matrix)"] = {kMat + "target += sum(diagonal(A * B) .* v); }", matPts()};
  c["tcrossprod(matrix)"] = {kMat + "target += sum(tcrossprod(A) * v); }", matPts()};
  c["crossprod(matrix)"] = {kMat + "target += sum(crossprod(A) * r'); }", matPts()};
  c["add_diag"] = {kMat + "target += sum(add_diag(A * B, v) .* (A * B)) + sum(add_diag(A * B, r[1])); }", matPts()};
  c["multiply_lower_tri_self_transpose(matrix)"] = {kMat + "target += sum(multiply_lower_tri_self_transpose(B * A) .* (B * A)); }", matPts()};
  c["cholesky_decompose(matrix)"] = {kMat + "target += sum(cholesky_decompose(add_diag(tcrossprod(A), 0.5)) .* [[1, 2], [3, 4]]); }", matPts()};
  const std::string kMatQ = "parameters { matrix[2, 3] A; matrix[3, 2] B; array[3] real q; row_vector[3] r; } model { ";
  c["to_vector"] = {kMatQ + "target += sum(to_vector(A) .* to_vector(B)) + sum(to_vector(r) * 2) + dot_product(to_vector(q), r' .* r'); }",
                    matPts()};
  c["to_row_vector"] = {kMatQ + "target += sum(to_row_vector(A) .* to_row_vector(B)) + sum(to_row_vector(r') * 2) + dot_product(to_row_vector(q), r .* r); }",
                        matPts()};
  c["to_matrix"] = {kMat + "target += sum(to_matrix(to_vector(A), 3, 2) .* B); }", matPts()};
  c["rep_vector(real, int)"] = {vec("target += sum(rep_vector(s, 3) .* a);"), kPts7};
  c["rep_row_vector(real, int)"] = {vec("target += sum(rep_row_vector(s, 3) .* a');"), kPts7};
  c["rep_matrix(real, int, int)"] = {kMat + "target += sum(rep_matrix(v[1], 2, 3) .* A); }", matPts()};
  c["rep_matrix(vector, int)"] = {kMat + "target += sum(rep_matrix(v, 3) .* A) + sum(rep_matrix(v .* v, 2)); }", matPts()};
  c["rep_matrix(row_vector, int)"] = {kMat + "target += sum(rep_matrix(r, 2) .* A) + sum(rep_matrix(r .* r, 3)); }", matPts()};
  c["rep_array"] = {vec("target += rep_array(s, 3)[2] * a[1] + rep_array(s * s, 2, 2)[1, 2] * a[2] + rep_array(a[3], 2, 2, 2)[2, 1, 2] * s;"),
                    kPts7};
  c["tan"] = {any("tan"), kPts4};
  c["atan2(real, real)"] = {"parameters { real a; real b; } model { target += atan2(a, b) * a + atan2(b, 2) + atan2(-1, a); }", kPts4};
  // The interpreter's quad_form_diag reads a destroyed temporary (compiler/interp/builtins.cpp:
  // `auto d = asCol(a[1]).col(0).asDiagonal()`), so its value is garbage: the gradient (which
  // does not use y) is compared with finite differences of diag_pre_multiply(v, diag_post_multiply(M, v)).
  {
    const char* w2 = "[[1, -2], [0.5, 3]]";
    const char* w3 = "[[1, -2, 0.3], [0.5, 3, -1], [2, 0.1, -0.7]]";
    auto qfd = [&](const std::string& f1, const std::string& f2) {
      return kMat + "target += sum(" + f1 + "(A * B, v) .* " + w2 + ") + sum(" + f1 + "(B * A, r) .* " + w3 + ") + sum(" + f2 +
             "(A * B, v * 2) .* " + w2 + "); }";
    };
    c["quad_form_diag"] = {qfd("quad_form_diag", "quad_form_diag"), matPts()};
    c["quad_form_diag"].fdProgram = kMat + "target += sum(diag_pre_multiply(v, diag_post_multiply(A * B, v)) .* " + w2 +
                                    ") + sum(diag_pre_multiply(r, diag_post_multiply(B * A, r)) .* " + w3 +
                                    ") + sum(diag_pre_multiply(v * 2, diag_post_multiply(A * B, v * 2)) .* " + w2 + "); }";
  }
  c["softmax(vector)"] = {vec("target += dot_product(softmax(a), b) + dot_product(softmax(a * s), a);"), kPts7};
  c["log_softmax(vector)"] = {vec("target += dot_product(log_softmax(a), b) + sum(log_softmax(b * s));"), kPts7};
  // Slices of vectors, row_vectors and arrays (n = 0 and the whole container included).
  const std::string kSlice = "parameters { vector[4] a; row_vector[4] r; array[4] real q; } model { ";
  auto slicePts = [] { return std::vector<std::vector<double>>{test::randomPoint(12, 1), test::randomPoint(12, 2, 3.0)}; };
  c["head"] = {kSlice + "target += dot_product(head(a, 2), head(a .* a, 2)) + sum(head(r, 3) .* head(r, 3)) + sum(head(q, 2)) * q[1] + sum(head(a, 0)) + sum(head(a, 4)); }",
               slicePts()};
  c["tail"] = {kSlice + "target += dot_product(tail(a, 2), tail(a .* a, 2)) + sum(tail(r, 3) .* tail(r, 3)) + sum(tail(q, 2)) * q[4] + sum(tail(a, 0)) + sum(tail(a, 4)); }",
               slicePts()};
  c["segment"] = {kSlice + "target += dot_product(segment(a, 2, 2), segment(a .* a, 1, 2)) + sum(segment(r, 2, 3) .* segment(r, 1, 3)) + sum(segment(q, 3, 2)) * q[4] + sum(segment(a, 1, 4)); }",
                  slicePts()};
  c["append_row"] = {kMat + "target += sum(append_row(v, v .* v) .* append_row(v, v)) + sum(append_row(r[1], v) .* append_row(v, A[1, 1])) "
                            "+ sum(append_row(A, r) .* append_row(r, A)) + sum(append_row(A, A) .* append_row(A, B')) + sum(append_row(r, r * 2) .* A); }",
                     matPts()};
  c["append_col"] = {kMat + "target += sum(append_col(A, v) .* append_col(v, A)) + sum(append_col(A, A) .* append_col(B', A)) "
                            "+ sum(append_col(v, v * 3) .* (A * B)) + sum(append_col(r, r .* r) .* append_col(r, r)) + sum(append_col(v[1], r) .* append_col(r, v[2])); }",
                     matPts()};
  return c;
}

TEST(Adjoints, EveryRowHasAFiniteDifferenceCheck) {
  auto c = checks();
  for (const auto& row : autodiff::adjointTable()) {
    SCOPED_TRACE(row.key);
    auto it = c.find(row.key);
    ASSERT_NE(it, c.end()) << "adjoint row '" << row.key << "' has no check in adjoints_test.cpp";
    EXPECT_NE(std::string(row.math).find("adj("), std::string::npos) << "the math comment should say the rule";
    auto m = test::toIr(it->second.program, true);
    ASSERT_TRUE(m);
    io::DataMap d = io::parse_json_data(it->second.data);
    interp::Interpreter in(*m, d);
    std::unique_ptr<ir::Module> fdModule;
    std::unique_ptr<interp::Interpreter> fdIn;
    if (!it->second.fdProgram.empty()) {
      fdModule = test::toIr(it->second.fdProgram, false);
      ASSERT_TRUE(fdModule);
      fdIn = std::make_unique<interp::Interpreter>(*fdModule, d);
    }
    for (const auto& p : it->second.points) {
      std::vector<double> th(p.begin(), p.begin() + std::min(p.size(), in.numUnconstrained()));
      th.resize(in.numUnconstrained(), 0.1);
      std::string report;
      double err = fdIn ? test::gradientErrorAgainst(in, *fdIn, th, {false, true}, &report)
                        : test::gradientError(in, th, {false, true}, &report);
      EXPECT_LT(err, 1e-6) << report << ir::toString(*m);
    }
  }
}

TEST(Adjoints, RowsAreUniqueAndSupportedByTheInterpreter) {
  std::set<std::string> seen;
  for (const auto& row : autodiff::adjointTable()) {
    EXPECT_TRUE(seen.insert(row.key).second) << row.key;
    std::string name = row.key;
    name = name.substr(0, name.find('('));
    EXPECT_TRUE(interp::Interpreter::supportsBuiltin(name)) << name;
  }
}

TEST(Adjoints, AMissingRuleIsAClearError) {
  try {
    test::toIr("parameters { real a; } model { target += owens_t(a, 1); }", true);
    FAIL() << "expected Unsupported";
  } catch (const autodiff::Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("owens_t"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mvc
