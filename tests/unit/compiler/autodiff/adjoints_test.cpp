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

// p followed by random values up to n coordinates.
std::vector<double> padded(std::vector<double> p, size_t n, unsigned seed) {
  std::vector<double> r = test::randomPoint(n, seed);
  for (size_t i = p.size(); i < n; ++i) p.push_back(r[i]);
  return p;
}

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

std::vector<std::vector<double>> pts(size_t n) {
  return {test::randomPoint(n, 11), test::randomPoint(n, 12), test::randomPoint(n, 13, 2.0)};
}

// The rows added for the built-ins users apply to parameters beyond the basic ones: scalar
// functions, reductions, slices, linear algebra.
void moreChecks(std::map<std::string, Check>& c) {
  const char* w2 = "[[1, -2], [0.5, 3]]";
  const char* w3 = "[[1, -2, 0.3], [0.5, 3, -1], [2, 0.1, -0.7]]";
  auto S = [](const std::string& s) { return s; };
  // ---- scalar functions of two or three reals (points away from ties and jumps)
  const std::string kAB = "parameters { real a; real b; } model { ";
  const std::vector<std::vector<double>> ab = {{0.3, -0.7}, {-1.2, 2.5}, {2.2, 0.4}, {1e-3, -3}};
  c["fmax(real, real)"] = {kAB + "target += fmax(a, b) * a + fmax(a, 0.5) + fmax(1, b) + fmax(b * 2, a); }", ab};
  c["max(real, real)"] = {kAB + "target += max(a, b) * a + max(a, 0.5) + max(1, b) + max(b * 2, a); }", ab};
  c["fmin(real, real)"] = {kAB + "target += fmin(a, b) * a + fmin(a, 0.5) + fmin(1, b) + fmin(b * 2, a); }", ab};
  c["min(real, real)"] = {kAB + "target += min(a, b) * a + min(a, 0.5) + min(1, b) + min(b * 2, a); }", ab};
  c["fdim(real, real)"] = {kAB + "target += fdim(a, b) * a + fdim(a, 0.5) + fdim(1, b) + fdim(b * 2, a); }", ab};
  c["fmod(real, real)"] = {kAB + "target += fmod(a * 3, exp(b)) * a + fmod(5.5, exp(b)) + fmod(a, 0.7); }", ab};
  c["hypot(real, real)"] = {kAB + "target += hypot(a, b) * a + hypot(a, 2) + hypot(-1.5, b); }", ab};
  c["log_mix(real, real, real)"] = {"parameters { real t; real a; real b; } model { target += log_mix(inv_logit(t), a, b * 3) "
                                    "+ log_mix(0.3, a, 1) + log_mix(inv_logit(t), -2, 1.5); }",
                                    {{0.3, -0.7, 1.1}, {-4, 30, -2}, {2, 0.5, 10}, {0, -20, 20}}};
  c["log_inv_logit_diff(real, real)"] = {kAB + "target += log_inv_logit_diff(a + exp(b), a) + log_inv_logit_diff(a, a - 2 * exp(b)) * a + log_inv_logit_diff(exp(b), -exp(a)); }",
                                         {{0.3, -0.7}, {-1.2, 2.5}, {2.2, 0.4}, {4, -6}, {-4, 1}}};
  // The special functions: kernel rules, partials in the shape parameters from the runtime
  c["gamma_p(real, real)"] = {kAB + "target += gamma_p(exp(a), exp(b)) + gamma_p(exp(a), 1.3) + gamma_p(2.5, exp(b)); }",
                              {{0.3, -0.7}, {-1.2, 2.5}, {2.2, 0.4}, {3, 3.2}}};
  c["gamma_q(real, real)"] = {kAB + "target += gamma_q(exp(a), exp(b)) * a + gamma_q(exp(a), 1.3) + gamma_q(2.5, exp(b)); }",
                              {{0.3, -0.7}, {-1.2, 2.5}, {2.2, 0.4}, {3, 3.2}}};
  c["inc_beta(real, real, real)"] = {"parameters { real a; real b; real x; } model { target += inc_beta(exp(a), exp(b), "
                                     "inv_logit(x)) + inc_beta(exp(a), 2, 0.3) + inc_beta(0.7, exp(b), inv_logit(x)); }",
                                     {{0.3, -0.7, 0.2}, {-1.2, 2.5, 1.5}, {2.2, 0.4, -2}, {3, 3.2, 0.1}}};
  c["trigamma"] = {"parameters { vector[3] a; real s; } model { target += sum(trigamma(exp(a))) + trigamma(s * 3 - 0.5) "
                   "+ trigamma(exp(s) + 12); }",
                   {{0.3, -0.7, 1.1, 0.1}, {-3, 2.5, 0.01, -0.2}, {-1.5, 0.5, 3, 0.45}}};
  c["owens_t(real, real)"] = {kAB + "target += owens_t(a, b) * b + owens_t(a, 2.5) + owens_t(-0.3, b); }",
                              {{0.3, -0.7}, {-1.2, 2.5}, {2.2, 0.4}, {0, 1}, {1e-3, -3}}};
  c["lbeta(real, real)"] = {kAB + "target += lbeta(exp(a), exp(b)) + lbeta(exp(a), 2.5) + lbeta(0.5, exp(b)); }", ab};
  c["lchoose(real, real)"] = {kAB + "target += lchoose(exp(a) + exp(b), exp(b)) + lchoose(exp(a) + 3, 2.5) + lchoose(10, exp(b)); }", ab};
  c["binomial_coefficient_log(real, real)"] = {
      kAB + "target += binomial_coefficient_log(exp(a) + exp(b), exp(b)) + binomial_coefficient_log(exp(a) + 3, 2.5) "
            "+ binomial_coefficient_log(10, exp(b)); }",
      ab};
  c["falling_factorial(real, int)"] = {kAB + "target += falling_factorial(exp(a) + 3, 2) + falling_factorial(exp(b), 0) * a + falling_factorial(exp(a) + 1, 1); }", ab};
  c["rising_factorial(real, int)"] = {kAB + "target += rising_factorial(exp(a), 3) + rising_factorial(exp(b), 0) * a + rising_factorial(exp(a) + 1, 1); }", ab};
  c["lmgamma(int, real)"] = {kAB + "target += lmgamma(3, exp(a) + 2) + lmgamma(1, exp(b)) + lmgamma(4, exp(b) + 3) * a; }", ab};
  c["digamma"] = {pos("digamma"), kPts4};
  // Away from 0 (sign jumps there).
  c["abs"] = {any("abs"), {{0.3, -0.7, 1.3, 0.4}, {-2.6, 5.2, -8.3, 0.2}}};
  // pow and .^ with every combination of container and scalar (a scalar exponent and base summed).
  const std::string kPow = "parameters { vector[3] a; vector[3] b; real s; } model { ";
  c["pow"] = {kPow + "target += sum(pow(exp(a), s)) + sum(pow(exp(a), b)) + sum(pow(a .* a + 1, 2.5)) + sum(pow([1, 2, 3]', b)) + pow(exp(s), 1.5); }",
              kPts7};
  c["operator.^"] = {kPow + "target += sum(exp(a) .^ s) + sum(exp(a) .^ b) + sum((a .* a + 1) .^ 1.5) + sum(exp(a') .^ b') + exp(s) .^ a[1] + sum(exp(s) .^ b) + sum(2.5 .^ a); }",
                     kPts7};
  // ---- reductions over every container kind (array, vector, row_vector, matrix)
  const std::string kRed = "parameters { vector[4] a; row_vector[3] r; matrix[2, 3] A; array[3] real q; } model { ";
  c["mean"] = {kRed + "target += mean(a) * mean(r) + mean(A .* A) + mean(q) * q[1]; }", pts(16)};
  c["variance"] = {kRed + "target += variance(a) + variance(r) * 2 + variance(A) * mean(a) + variance(q) + variance(head(a, 1)) * a[1]; }",
                   pts(16)};
  c["sd"] = {kRed + "target += sd(a) + sd(r) * 2 + sd(A) * mean(a) + sd(q) + sd(head(a, 1)) * a[1]; }", pts(16)};
  // Zeros included: the kernel gives the exact product of the others there.
  {
    std::vector<std::vector<double>> p = pts(16);
    std::vector<double> z = test::randomPoint(16, 14);
    z[0] = 0;  // one zero in a
    z[4] = 0, z[5] = 0;  // two zeros in r
    p.push_back(z);
    c["prod"] = {kRed + "target += prod(a) + prod(r) * 2 + prod(A) + prod(q) * q[2]; }", p};
  }
  c["max"] = {kRed + "target += max(a) + max(r) * 2 + max(A) * a[1] + max(q) * q[2] + max(A'); }", pts(16)};
  c["min"] = {kRed + "target += min(a) + min(r) * 2 + min(A) * a[1] + min(q) * q[2] + min(A'); }", pts(16)};
  c["norm1"] = {vec("target += norm1(a) + norm1(b') * s;"), kPts7};
  c["norm2"] = {vec("target += norm2(a) + norm2(b') * s;"), kPts7};
  c["squared_distance"] = {vec("target += squared_distance(a, b) + squared_distance(a', b') * s + squared_distance(a, [1, 2, 3]');"), kPts7};
  c["distance"] = {vec("target += distance(a, b) + distance(a', b') * s + distance([1, 2, 3]', b);"), kPts7};
  c["rows_dot_self(matrix)"] = {kMat + "target += sum(rows_dot_self(A) .* v); }", matPts()};
  c["columns_dot_self(matrix)"] = {kMat + "target += sum(columns_dot_self(A) .* r); }", matPts()};
  c["rows_dot_product"] = {vec("target += sum(rows_dot_product(a, b) .* a) + sum(rows_dot_product(a', b')) * s;"), kPts7};
  c["columns_dot_product"] = {vec("target += sum(columns_dot_product(a', b') .* a') + sum(columns_dot_product(a, b)) * s;"), kPts7};
  // ---- slices, reordering, construction
  const std::string kSlice = "parameters { vector[4] a; row_vector[4] r; array[4] real q; } model { ";
  c["cumulative_sum"] = {kSlice + "target += sum(cumulative_sum(a) .* a) + sum(cumulative_sum(r) .* r) + sum(cumulative_sum(q)) * q[2] + cumulative_sum(q)[3]; }",
                         pts(12)};
  c["reverse"] = {kSlice + "target += sum(reverse(a) .* a) + sum(reverse(r) .* [1, 2, 3, 4]) + reverse(q)[1] * q[2] + reverse(q)[4]; }", pts(12)};
  c["sort_asc"] = {kSlice + "target += sum(sort_asc(a) .* [1, 2, 3, 4]') + sum(sort_asc(r) .* r) + sort_asc(q)[1] * 3 + sort_asc(q)[4] * q[1]; }",
                   pts(12)};
  c["sort_desc"] = {kSlice + "target += sum(sort_desc(a) .* [1, 2, 3, 4]') + sum(sort_desc(r) .* r) + sort_desc(q)[1] * 3 + sort_desc(q)[4] * q[1]; }",
                    pts(12)};
  c["append_array"] = {kSlice + "target += append_array(q, q)[2] * q[3] + append_array({1.0}, q)[3] * 2 + sum(append_array(q, {2.0})) * q[1] "
                                "+ append_array(q, q)[7] + sum(append_array({a, a}, {a})[3]); }",
                       pts(12)};
  c["col(matrix, int)"] = {kMat + "target += sum(col(A, 2) .* v) + sum(col(A, 3)) * v[1]; }", matPts()};
  c["row(matrix, int)"] = {kMat + "target += sum(row(A, 1) .* r) + sum(row(A, 2)) * v[1]; }", matPts()};
  c["block(matrix, int, int, int, int)"] = {kMat + "target += sum(block(A, 1, 2, 2, 2) .* " + S(w2) + ") + sum(block(A, 2, 1, 1, 3) * r') + sum(block(A, 1, 1, 0, 2)); }",
                                            matPts()};
  c["sub_col(matrix, int, int, int)"] = {kMat + "target += sum(sub_col(A, 1, 3, 2) .* v) + sum(sub_col(A, 2, 1, 1)) * v[2] + sum(sub_col(A, 1, 2, 0)); }", matPts()};
  c["sub_row(matrix, int, int, int)"] = {kMat + "target += sum(sub_row(A, 2, 1, 3) .* r) + sum(sub_row(A, 1, 2, 2)) * v[2] + sum(sub_row(A, 2, 2, 0)); }", matPts()};
  c["transpose"] = {kMat + "target += sum(transpose(A) * v) + sum(transpose(r) .* transpose(r)) + transpose(v) * v; }", matPts()};
  c["linspaced_vector"] = {vec("target += sum(linspaced_vector(4, s, s * s + 1) .* [1, 2, 3, 4]') + sum(linspaced_vector(1, a[1], a[2])) * 2 + sum(linspaced_vector(3, 0, a[3]) .* a);"),
                           kPts7};
  c["linspaced_row_vector"] = {vec("target += sum(linspaced_row_vector(4, s, s * s + 1) .* [1, 2, 3, 4]) + sum(linspaced_row_vector(1, a[1], a[2])) * 2 + sum(linspaced_row_vector(3, a[1], 2) .* a');"),
                               kPts7};
  c["linspaced_array"] = {vec("target += dot_product(linspaced_array(4, s, s * s + 1), {1.0, 2.0, 3.0, 4.0}) + sum(linspaced_array(1, a[1], a[2])) * 2 + linspaced_array(3, a[1], a[2])[2] * a[3];"),
                          kPts7};
  // ---- linear algebra on square matrices: M is made well conditioned (add_diag) or symmetric
  // positive definite (S); the functions that read one triangle get a full M, so finite
  // differences check that the other triangle has adjoint 0.
  const std::string kSq = "parameters { matrix[3, 3] M; vector[3] u; row_vector[3] w; matrix[3, 2] B; } model { "
                          "matrix[3, 3] A = add_diag(M, 3); matrix[3, 3] S = add_diag(tcrossprod(M), 1); "
                          "matrix[3, 3] D = [[2, 1, 0], [0, 3, 1], [1, 0, 4]]; ";
  auto sq = [&](const std::string& body) { return kSq + body + " }"; };
  c["mdivide_left"] = {sq("target += sum(mdivide_left(A, u) .* u) + sum(mdivide_left(A, B) .* B) + sum(mdivide_left(A, [1, 2, 3]') .* u) "
                          "+ sum(mdivide_left(D, u) .* w');"),
                       pts(21)};
  c["operator\\"] = {sq("target += sum((A \\ u) .* u) + sum((A \\ B) .* B) + sum((A \\ [1, 2, 3]') .* u) + sum((D \\ u) .* w');"), pts(21)};
  c["mdivide_left_spd"] = {sq("target += sum(mdivide_left_spd(S, u) .* u) + sum(mdivide_left_spd(S, B) .* B) + sum(mdivide_left_spd(S, [1, 2, 3]') .* u) "
                              "+ sum(mdivide_left_spd(tcrossprod(D), u) .* w');"),
                           pts(21)};
  c["mdivide_right_spd"] = {sq("target += sum(mdivide_right_spd(w, S) .* w) + sum(mdivide_right_spd(B', S) .* B') + sum(mdivide_right_spd([1, 2, 3], S) .* w) "
                               "+ sum(mdivide_right_spd(w, tcrossprod(D)) .* u');"),
                            pts(21)};
  c["mdivide_left_tri_low"] = {sq("target += sum(mdivide_left_tri_low(A, u) .* u) + sum(mdivide_left_tri_low(A, B) .* B) "
                                  "+ sum(mdivide_left_tri_low(A, [1, 2, 3]') .* u) + sum(mdivide_left_tri_low(D, u) .* w');"),
                               pts(21)};
  c["mdivide_right_tri_low"] = {sq("target += sum(mdivide_right_tri_low(w, A) .* w) + sum(mdivide_right_tri_low(B', A) .* B') "
                                   "+ sum(mdivide_right_tri_low([1, 2, 3], A) .* w) + sum(mdivide_right_tri_low(w, D) .* u');"),
                                pts(21)};
  c["inverse(matrix)"] = {sq("target += sum(inverse(A) .* " + S(w3) + ") + sum(inverse(A)) * u[1];"), pts(21)};
  c["inverse_spd(matrix)"] = {sq("target += sum(inverse_spd(S) .* " + S(w3) + ");"), pts(21)};
  c["chol2inv(matrix)"] = {sq("target += sum(chol2inv(A) .* " + S(w3) + ");"), pts(21)};
  c["determinant(matrix)"] = {sq("target += determinant(A) + determinant(-A) * u[1] + determinant(S);"), pts(21)};
  c["log_determinant(matrix)"] = {sq("target += log_determinant(A) + log_determinant(-A) * u[1] + log_determinant(S);"), pts(21)};
  c["log_determinant_spd(matrix)"] = {sq("target += log_determinant_spd(S) + log_determinant_spd(add_diag(crossprod(B), 0.5)) * u[1];"), pts(21)};
  c["trace(matrix)"] = {sq("target += trace(M .* M) + trace(A * S) * u[1] + trace(B) + trace(B * B');"), pts(21)};
  c["quad_form"] = {sq("target += sum(quad_form(M, B) .* " + S(w2) + ") + quad_form(M, u) + quad_form(A, [1, 2, 3]') + quad_form(D, u) + sum(quad_form(D, B));"),
                    pts(21)};
  c["quad_form_sym"] = {sq("target += sum(quad_form_sym(S, B) .* " + S(w2) + ") + quad_form_sym(S, u) + quad_form_sym(S, [1, 2, 3]') + quad_form_sym(tcrossprod(D), u);"),
                        pts(21)};
  c["trace_quad_form(matrix, matrix)"] = {sq("target += trace_quad_form(M, B) + trace_quad_form(S, B) * u[1] + trace_quad_form(D, B) + trace_quad_form(A, [[1, 2], [3, 4], [5, 6]]);"),
                                          pts(21)};
  // Distinct eigenvalues and singular values at these points; the eigenvectors' signs are
  // arbitrary, so the check uses their squares.
  c["eigenvalues_sym(matrix)"] = {sq("target += dot_product(eigenvalues_sym(S), [1, 2, 3]') + sum(eigenvalues_sym(S)) * u[1];"), pts(21)};
  c["eigenvectors_sym(matrix)"] = {sq("target += sum(square(eigenvectors_sym(S)) .* " + S(w3) + ");"), pts(21)};
  c["singular_values(matrix)"] = {sq("target += dot_product(singular_values(B), [1, 2]') + dot_product(singular_values(A), [3, -1, 2]');"), pts(21)};
  // ---- the exponentiated-quadratic kernel: x an array of reals or of vectors, magnitude and
  // length scale through exp(); each argument also alone.
  const std::string kGp = "parameters { array[3] real x; array[2] vector[2] z; real la; real lr; } model { ";
  for (const char* f : {"gp_exp_quad_cov", "cov_exp_quad"}) {
    std::string g = f;
    std::string body = "target += sum(" + g + "(x, exp(la), exp(lr)) .* " + S(w3) + ") + sum(" + g + "(x, 1.3, 0.8) .* " + S(w3) + ")"
                       " + sum(" + g + "({0.5, -1.0, 2.0}, exp(la), 0.7)) + sum(" + g + "({0.5, -1.0, 2.0}, 1.1, exp(lr)) .* " + S(w3) + ")";
    if (g == "gp_exp_quad_cov") body += " + sum(gp_exp_quad_cov(z, exp(la), exp(lr)) .* " + S(w2) + ") + sum(gp_exp_quad_cov(z, 2, 1.5) .* " + S(w2) + ")";
    c[f] = {kGp + body + "; }", pts(9)};
  }
}

std::map<std::string, Check> checks() {
  std::map<std::string, Check> c;
  c["operator+"] = {vec("target += sum(a + b) * sum(a + s) + sum(s + b) + s + s + sum(+a) + sum(a + b .* b);"), kPts7};
  c["operator-"] = {vec("target += sum(a - b) * sum(a - s) + sum(s - b) + (s - s * s) + sum(-a .* b);"), kPts7};
  c["operator*"] = {kMat + "target += sum(A * B) + sum(v' * A) + sum(A * r') + sum(2.5 * A) + sum(B * 0.5) + (r * r') * sum(v * r) + A[1] * A[2]'; }",
                    matPts()};
  // b / A with a matrix A is mdivide_right (row_vector and matrix b).
  c["operator/"] = {"parameters { vector[3] a; vector[3] b; real s; matrix[3, 3] M; matrix[3, 2] B; row_vector[3] w; } model { "
                    "target += sum(a / exp(s)) + s / (1 + s * s) + sum(a) / 3 + sum((w / add_diag(M, 3)) .* w) "
                    "+ sum((B' / add_diag(M, 3)) .* B') + sum(([1, 2, 3] / add_diag(M, 3)) .* w) + sum((w / [[2, 1, 0], [0, 3, 1], [1, 0, 4]]) .* w); }",
                    {padded(kPts7[0], 25, 1), padded(kPts7[1], 25, 2), padded(kPts7[2], 25, 3)}};
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
  c["log_sum_exp"] = {"parameters { matrix[2, 3] A; matrix[3, 2] B; vector[2] v; row_vector[3] r; array[3] real q; } model { "
                      "target += log_sum_exp(A) + log_sum_exp(v) + log_sum_exp(r * 10) + log_sum_exp(q) * q[1]; }",
                      {test::randomPoint(20, 1), test::randomPoint(20, 2), test::randomPoint(20, 3, 3.0)}};
  c["dot_product"] = {"parameters { vector[3] a; vector[3] b; real s; array[3] real q; array[3] real p; } model { "
                      "target += dot_product(a, b) + dot_product(a', b) * s + dot_product(q, p) * q[2] + dot_product(q, {1.0, -2.0, 0.5}); }",
                      {padded(kPts7[0], 13, 1), padded(kPts7[1], 13, 2), padded(kPts7[2], 13, 3)}};
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
  c["to_matrix"] = {"parameters { matrix[2, 3] A; matrix[3, 2] B; array[6] real q; array[2, 3] real Z; } model { "
                    "target += sum(to_matrix(to_vector(A), 3, 2) .* B) + sum(to_matrix(q, 2, 3) .* A) + sum(to_matrix(Z) .* A); }",
                    {test::randomPoint(24, 1), test::randomPoint(24, 2), test::randomPoint(24, 3, 3.0)}};
  c["to_array_1d"] = {"parameters { matrix[2, 3] A; vector[2] v; row_vector[3] r; array[3] real q; array[2, 3] real Z; } model { "
                      "target += to_array_1d(A)[2] * to_array_1d(A)[5] + sum(to_array_1d(v)) * r[1] + to_array_1d(r)[3] * v[2] "
                      "+ to_array_1d(q)[2] * q[1] + to_array_1d(Z)[4] * to_array_1d(Z)[3] + sum(to_array_1d(Z)); }",
                      {test::randomPoint(20, 1), test::randomPoint(20, 2), test::randomPoint(20, 3, 3.0)}};
  c["to_array_2d(matrix)"] = {kMat + "target += to_array_2d(A)[1, 2] * to_array_2d(A)[2, 3] + to_array_2d(B)[3, 1] + sum(to_array_1d(to_array_2d(A))); }",
                              matPts()};
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
  moreChecks(c);
  return c;
}

// One row's check (a failed assertion ends only this row's check).
void checkRow(const autodiff::AdjointRow& row, const Check& check) {
  EXPECT_NE(std::string(row.math).find("adj("), std::string::npos) << "the math comment should say the rule";
  auto m = test::toIr(check.program, true);
  ASSERT_TRUE(m);
  io::DataMap d = io::parse_json_data(check.data);
  interp::Interpreter in(*m, d);
  std::unique_ptr<ir::Module> fdModule;
  std::unique_ptr<interp::Interpreter> fdIn;
  if (!check.fdProgram.empty()) {
    fdModule = test::toIr(check.fdProgram, false);
    ASSERT_TRUE(fdModule);
    fdIn = std::make_unique<interp::Interpreter>(*fdModule, d);
  }
  for (const auto& p : check.points) {
    std::vector<double> th(p.begin(), p.begin() + std::min(p.size(), in.numUnconstrained()));
    th.resize(in.numUnconstrained(), 0.1);
    std::string report;
    double err = fdIn ? test::gradientErrorAgainst(in, *fdIn, th, {false, true}, &report)
                      : test::gradientError(in, th, {false, true}, &report);
    EXPECT_LT(err, 1e-6) << report << ir::toString(*m);
  }
}

TEST(Adjoints, EveryRowHasAFiniteDifferenceCheck) {
  auto c = checks();
  for (const auto& row : autodiff::adjointTable()) {
    SCOPED_TRACE(row.key);
    auto it = c.find(row.key);
    EXPECT_NE(it, c.end()) << "adjoint row '" << row.key << "' has no check in adjoints_test.cpp";
    if (it == c.end()) continue;
    try {
      checkRow(row, it->second);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
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
    test::toIr("parameters { vector[2] a; } model { array[3] vector[2] r = rep_array(a, 3); target += sum(r[2]); }", true);
    FAIL() << "expected Unsupported";
  } catch (const autodiff::Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("rep_array"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mvc
