// The built-in functions and operators, one row per signature, in Stan's notation.
// See signatures.h for the classes (reals, vectors, T, any) and return rules (T, same, array1).
// Adding a function: add its rows here; the checker, the error messages ("available: ...") and
// the "did you mean" suggestions pick it up. (Code generation has its own op table.)
#include "frontend/signatures.h"

#include <utility>

namespace mvc {

static const char* const kOperators[] = {
    // arithmetic on scalars and linear algebra (Stan reference manual, "Operator precedence")
    "int operator+(int, int)", "real operator+(real, real)",
    "vector operator+(vector, vector)", "row_vector operator+(row_vector, row_vector)",
    "matrix operator+(matrix, matrix)", "vector operator+(vector, real)", "vector operator+(real, vector)",
    "row_vector operator+(row_vector, real)", "row_vector operator+(real, row_vector)",
    "matrix operator+(matrix, real)", "matrix operator+(real, matrix)",
    "int operator-(int, int)", "real operator-(real, real)",
    "vector operator-(vector, vector)", "row_vector operator-(row_vector, row_vector)",
    "matrix operator-(matrix, matrix)", "vector operator-(vector, real)", "vector operator-(real, vector)",
    "row_vector operator-(row_vector, real)", "row_vector operator-(real, row_vector)",
    "matrix operator-(matrix, real)", "matrix operator-(real, matrix)",
    "int operator*(int, int)", "real operator*(real, real)",
    "vector operator*(vector, real)", "vector operator*(real, vector)",
    "row_vector operator*(row_vector, real)", "row_vector operator*(real, row_vector)",
    "matrix operator*(matrix, real)", "matrix operator*(real, matrix)",
    "real operator*(row_vector, vector)", "matrix operator*(vector, row_vector)",
    "vector operator*(matrix, vector)", "row_vector operator*(row_vector, matrix)",
    "matrix operator*(matrix, matrix)",
    "int operator/(int, int)", "real operator/(real, real)",
    "vector operator/(vector, real)", "row_vector operator/(row_vector, real)", "matrix operator/(matrix, real)",
    "row_vector operator/(row_vector, matrix)", "matrix operator/(matrix, matrix)",
    "vector operator\\(matrix, vector)", "matrix operator\\(matrix, matrix)",
    "int operator%(int, int)", "int operator%/%(int, int)",
    "real operator^(real, real)",
    "T operator.^(T, T)", "T operator.^(T, real)", "T operator.^(real, T)",
    "vector operator.*(vector, vector)", "row_vector operator.*(row_vector, row_vector)",
    "matrix operator.*(matrix, matrix)",
    "vector operator./(vector, vector)", "row_vector operator./(row_vector, row_vector)",
    "matrix operator./(matrix, matrix)", "vector operator./(vector, real)", "vector operator./(real, vector)",
    "row_vector operator./(row_vector, real)", "row_vector operator./(real, row_vector)",
    "matrix operator./(matrix, real)", "matrix operator./(real, matrix)",
    // prefix and postfix
    "int operator-(int)", "real operator-(real)", "vector operator-(vector)",
    "row_vector operator-(row_vector)", "matrix operator-(matrix)",
    "int operator+(int)", "real operator+(real)", "vector operator+(vector)",
    "row_vector operator+(row_vector)", "matrix operator+(matrix)",
    "int operator!(int)", "int operator!(real)",
    "row_vector operator'(vector)", "vector operator'(row_vector)", "matrix operator'(matrix)",
    // comparison and logic: int and real operands, int result
    "int operator<(real, real)", "int operator<=(real, real)", "int operator>(real, real)",
    "int operator>=(real, real)", "int operator==(real, real)", "int operator!=(real, real)",
    "int operator&&(real, real)", "int operator||(real, real)",
};

static const char* const kFunctions[] = {
    // ---- elementwise (vectorised) real functions: T -> T with int promoted to real
    "T log(T)", "T exp(T)", "T log1p(T)", "T expm1(T)", "T sqrt(T)", "T square(T)", "T cbrt(T)",
    "T inv(T)", "T inv_sqrt(T)", "T inv_square(T)", "T inv_logit(T)", "T logit(T)", "T log1m(T)",
    "T log1p_exp(T)", "T log1m_exp(T)", "T log_inv_logit(T)", "T log1m_inv_logit(T)", "T inv_cloglog(T)",
    "T lgamma(T)", "T tgamma(T)", "T digamma(T)", "T trigamma(T)", "T erf(T)", "T erfc(T)", "T Phi(T)",
    "T Phi_approx(T)", "T inv_Phi(T)", "T fabs(T)", "T floor(T)", "T ceil(T)", "T round(T)", "T trunc(T)",
    "T sin(T)", "T cos(T)", "T tan(T)", "T asin(T)", "T acos(T)", "T atan(T)", "T sinh(T)", "T cosh(T)",
    "T tanh(T)", "T asinh(T)", "T acosh(T)", "T atanh(T)", "T log2(T)", "T log10(T)", "T exp2(T)",
    "T step(T)",
    "int abs(int)", "T abs(T)",
    "real pow(real, real)", "T pow(T, real)", "T pow(T, T)",
    // ---- scalar functions of several arguments
    "real fmin(real, real)", "real fmax(real, real)", "real fdim(real, real)", "real fmod(real, real)",
    "real hypot(real, real)", "real atan2(real, real)", "real log_diff_exp(real, real)",
    "real log_sum_exp(real, real)", "real lbeta(real, real)", "real lchoose(real, real)",
    "real binomial_coefficient_log(real, real)", "int choose(int, int)", "real fma(real, real, real)",
    "real log_mix(real, real, real)", "real lmultiply(real, real)", "real log_inv_logit_diff(real, real)", "real owens_t(real, real)",
    "real inc_beta(real, real, real)", "real gamma_p(real, real)", "real gamma_q(real, real)",
    "real falling_factorial(real, int)", "real rising_factorial(real, int)", "real lmgamma(int, real)",
    "int min(int, int)", "real min(real, real)", "int max(int, int)", "real max(real, real)",
    "int int_step(real)", "int is_inf(real)", "int is_nan(real)", "int to_int(real)",
    "array[] int to_int(array[] real)", "int logical_negation(real)",
    "real positive_infinity()", "real negative_infinity()", "real not_a_number()",
    "real machine_precision()", "real pi()", "real e()", "real sqrt2()", "real log2()", "real log10()",
    // ---- reductions
    "int sum(array[] int)", "real sum(array[] real)", "real sum(vector)", "real sum(row_vector)", "real sum(matrix)",
    "int prod(array[] int)", "real prod(array[] real)", "real prod(vector)", "real prod(row_vector)",
    "real prod(matrix)",
    "int min(array[] int)", "real min(array[] real)", "real min(vector)", "real min(row_vector)", "real min(matrix)",
    "int max(array[] int)", "real max(array[] real)", "real max(vector)", "real max(row_vector)", "real max(matrix)",
    "real mean(array[] real)", "real mean(vector)", "real mean(row_vector)", "real mean(matrix)",
    "real sd(array[] real)", "real sd(vector)", "real sd(row_vector)", "real sd(matrix)",
    "real variance(array[] real)", "real variance(vector)", "real variance(row_vector)", "real variance(matrix)",
    "real log_sum_exp(array[] real)", "real log_sum_exp(vector)", "real log_sum_exp(row_vector)",
    "real log_sum_exp(matrix)",
    "real dot_product(vector, vector)", "real dot_product(row_vector, row_vector)",
    "real dot_product(vector, row_vector)", "real dot_product(row_vector, vector)",
    "real dot_product(array[] real, array[] real)",
    "real dot_self(vector)", "real dot_self(row_vector)",
    "vector rows_dot_product(vector, vector)", "vector rows_dot_product(row_vector, row_vector)",
    "vector rows_dot_product(matrix, matrix)",
    "row_vector columns_dot_product(vector, vector)", "row_vector columns_dot_product(row_vector, row_vector)",
    "row_vector columns_dot_product(matrix, matrix)",
    "vector rows_dot_self(matrix)", "row_vector columns_dot_self(matrix)",
    "real squared_distance(vector, vector)", "real squared_distance(row_vector, row_vector)",
    "real distance(vector, vector)", "real distance(row_vector, row_vector)",
    "real norm1(vector)", "real norm1(row_vector)", "real norm2(vector)", "real norm2(row_vector)",
    // ---- linear algebra
    "matrix diag_pre_multiply(vector, matrix)", "matrix diag_pre_multiply(row_vector, matrix)",
    // mvc's mapped forms (item by item over arrays of the same size; Stan has none)
    "array[] matrix diag_pre_multiply(array[] vector, array[] matrix)",
    "array[] vector rows_dot_product(array[] matrix, array[] matrix)",
    "matrix diag_post_multiply(matrix, vector)", "matrix diag_post_multiply(matrix, row_vector)",
    "matrix diag_matrix(vector)", "vector diagonal(matrix)",
    "matrix quad_form(matrix, matrix)", "real quad_form(matrix, vector)",
    "matrix quad_form_sym(matrix, matrix)", "real quad_form_sym(matrix, vector)",
    "matrix quad_form_diag(matrix, vector)", "matrix quad_form_diag(matrix, row_vector)",
    "real trace_quad_form(matrix, matrix)",
    "matrix multiply_lower_tri_self_transpose(matrix)", "matrix tcrossprod(matrix)", "matrix crossprod(matrix)",
    "matrix cholesky_decompose(matrix)",
    "vector mdivide_left_tri_low(matrix, vector)", "matrix mdivide_left_tri_low(matrix, matrix)",
    "row_vector mdivide_right_tri_low(row_vector, matrix)", "matrix mdivide_right_tri_low(matrix, matrix)",
    "vector mdivide_left_spd(matrix, vector)", "matrix mdivide_left_spd(matrix, matrix)",
    "row_vector mdivide_right_spd(row_vector, matrix)", "matrix mdivide_right_spd(matrix, matrix)",
    "vector mdivide_left(matrix, vector)", "matrix mdivide_left(matrix, matrix)",
    "matrix inverse(matrix)", "matrix inverse_spd(matrix)", "matrix chol2inv(matrix)",
    "real determinant(matrix)", "real log_determinant(matrix)", "real log_determinant_spd(matrix)",
    "real trace(matrix)",
    "vector eigenvalues_sym(matrix)", "matrix eigenvectors_sym(matrix)", "vector singular_values(matrix)",
    "matrix add_diag(matrix, real)", "matrix add_diag(matrix, vector)", "matrix add_diag(matrix, row_vector)",
    "matrix identity_matrix(int)", "matrix transpose(matrix)", "row_vector transpose(vector)",
    "vector transpose(row_vector)",
    "vector softmax(vector)", "vector log_softmax(vector)",
    "matrix cov_exp_quad(array[] real, real, real)", "matrix gp_exp_quad_cov(array[] real, real, real)",
    "matrix gp_exp_quad_cov(array[] vector, real, real)",
    // ---- construction and conversion
    "vector rep_vector(real, int)", "row_vector rep_row_vector(real, int)", "matrix rep_matrix(real, int, int)",
    "matrix rep_matrix(vector, int)", "matrix rep_matrix(row_vector, int)",
    "array1 rep_array(any, int)", "array2 rep_array(any, int, int)", "array3 rep_array(any, int, int, int)",
    "vector to_vector(vector)", "vector to_vector(row_vector)", "vector to_vector(matrix)",
    "vector to_vector(array[] real)", "vector to_vector(array[] int)",
    "row_vector to_row_vector(vector)", "row_vector to_row_vector(row_vector)",
    "row_vector to_row_vector(matrix)", "row_vector to_row_vector(array[] real)",
    "row_vector to_row_vector(array[] int)",
    "matrix to_matrix(matrix)", "matrix to_matrix(vector)", "matrix to_matrix(row_vector)",
    "matrix to_matrix(matrix, int, int)", "matrix to_matrix(vector, int, int)",
    "matrix to_matrix(row_vector, int, int)", "matrix to_matrix(array[] real, int, int)",
    "matrix to_matrix(array[] int, int, int)", "matrix to_matrix(array[,] real)", "matrix to_matrix(array[,] int)",
    "array[] real to_array_1d(vector)", "array[] real to_array_1d(row_vector)", "array[] real to_array_1d(matrix)",
    "array[] real to_array_1d(array[] real)", "array[] real to_array_1d(array[,] real)",
    "array[] real to_array_1d(array[,,] real)", "array[] int to_array_1d(array[] int)",
    "array[] int to_array_1d(array[,] int)", "array[] int to_array_1d(array[,,] int)",
    "array[,] real to_array_2d(matrix)",
    "vector linspaced_vector(int, real, real)", "row_vector linspaced_row_vector(int, real, real)",
    "array[] real linspaced_array(int, real, real)", "array[] int linspaced_int_array(int, int, int)",
    "vector one_hot_vector(int, int)", "row_vector one_hot_row_vector(int, int)",
    "array[] int one_hot_int_array(int, int)", "array[] real one_hot_array(int, int)",
    "vector zeros_vector(int)", "row_vector zeros_row_vector(int)", "vector ones_vector(int)",
    "row_vector ones_row_vector(int)", "array[] int zeros_int_array(int)", "array[] real zeros_array(int)",
    "array[] int ones_int_array(int)", "array[] real ones_array(int)", "vector uniform_simplex(int)",
    // ---- slicing and reshaping
    "vector segment(vector, int, int)", "row_vector segment(row_vector, int, int)", "same segment(any, int, int)",
    "vector head(vector, int)", "row_vector head(row_vector, int)", "same head(any, int)",
    "vector tail(vector, int)", "row_vector tail(row_vector, int)", "same tail(any, int)",
    "vector col(matrix, int)", "row_vector row(matrix, int)", "matrix block(matrix, int, int, int, int)",
    "vector sub_col(matrix, int, int, int)", "row_vector sub_row(matrix, int, int, int)",
    "vector append_row(vector, vector)", "vector append_row(real, vector)", "vector append_row(vector, real)",
    "matrix append_row(matrix, matrix)", "matrix append_row(matrix, row_vector)",
    "matrix append_row(row_vector, matrix)", "matrix append_row(row_vector, row_vector)",
    "matrix append_col(matrix, matrix)", "matrix append_col(matrix, vector)", "matrix append_col(vector, matrix)",
    "matrix append_col(vector, vector)", "row_vector append_col(row_vector, row_vector)",
    "row_vector append_col(real, row_vector)", "row_vector append_col(row_vector, real)",
    "same append_array(any, any)",
    "array[] int cumulative_sum(array[] int)", "array[] real cumulative_sum(array[] real)",
    "vector cumulative_sum(vector)", "row_vector cumulative_sum(row_vector)",
    "same sort_asc(any)", "same sort_desc(any)", "same reverse(any)",
    "array[] int sort_indices_asc(any)", "array[] int sort_indices_desc(any)", "int rank(any, int)",
    // ---- sizes
    "int size(any)", "int num_elements(any)", "int rows(vector)", "int rows(row_vector)", "int rows(matrix)",
    "int cols(vector)", "int cols(row_vector)", "int cols(matrix)", "array[] int dims(any)",
};

// Functions removed from or renamed in Stan, with what to write instead.
static const std::pair<const char*, const char*> kRemovedFunctions[] = {
    {"increment_log_prob", "it was removed from Stan; write 'target += ...;' instead"},
    {"get_lp", "it was removed from Stan; use target() instead"},
    {"if_else", "it was removed from Stan; use the conditional operator cond ? a : b"},
    {"multiply_log", "it was removed from Stan; use lmultiply(a, b)"},
    {"integrate_ode", "the ODE solvers are not supported by mvc yet"},
    {"integrate_ode_rk45", "the ODE solvers are not supported by mvc yet"},
    {"ode_rk45", "the ODE solvers are not supported by mvc yet"},
    {"map_rect", "map_rect is not supported by mvc; write the loop, mvc vectorises it"},
    {"reduce_sum", "reduce_sum is not supported by mvc; write the sum directly, mvc parallelises chains instead"},
};

std::string removedFunctionHint(const std::string& name) {
  for (const auto& [removed, instead] : kRemovedFunctions)
    if (name == removed) return instead;
  return "";
}

void registerBuiltinFunctions(SignatureTable& table) {
  for (const char* row : kOperators) table.addFunction(row);
  for (const char* row : kFunctions) table.addFunction(row);
}

}  // namespace mvc
