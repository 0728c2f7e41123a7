// Values of the reference interpreter: int, real, vector, row_vector, matrix, arrays of them.
// Vectors are Eigen column matrices (n x 1), row vectors 1 x n, so every linear-algebra value
// is one Eigen::MatrixXd.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mvc::interp {

// A run-time error of the interpreted program (a kernel's domain error, an index out of range)
// or an op the interpreter does not support; what() says which.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Value {
  enum Kind { Int, Real, Vec, Row, Mat, Array } kind = Real;
  int64_t i = 0;
  double d = 0;
  Eigen::MatrixXd m;
  std::vector<Value> a;

  static Value integer(int64_t v) { Value x; x.kind = Int; x.i = v; return x; }
  static Value real(double v) { Value x; x.kind = Real; x.d = v; return x; }
  static Value vec(Eigen::MatrixXd v) { Value x; x.kind = Vec; x.m = std::move(v); return x; }
  static Value row(Eigen::MatrixXd v) { Value x; x.kind = Row; x.m = std::move(v); return x; }
  static Value mat(Eigen::MatrixXd v) { Value x; x.kind = Mat; x.m = std::move(v); return x; }
  static Value array(std::vector<Value> v) { Value x; x.kind = Array; x.a = std::move(v); return x; }

  bool scalar() const { return kind == Int || kind == Real; }
  bool linalg() const { return kind == Vec || kind == Row || kind == Mat; }
  double num() const { return kind == Int ? static_cast<double>(i) : d; }
};

// All reals of a value in Stan's order (arrays row-major over their elements, matrices
// column-major), and the inverse: fill a value of the same structure from a flat list.
void flatten(const Value& v, std::vector<double>& out);
size_t fill(Value& v, const double* data);
// Zeros with the structure of v (ints become reals).
Value zerosLike(const Value& v);
std::string describe(const Value& v);

}  // namespace mvc::interp
