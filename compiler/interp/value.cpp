#include "interp/value.h"

#include <sstream>

namespace mvc::interp {

void flatten(const Value& v, std::vector<double>& out) {
  switch (v.kind) {
    case Value::Int: out.push_back(static_cast<double>(v.i)); break;
    case Value::Real: out.push_back(v.d); break;
    case Value::Vec:
    case Value::Row:
    case Value::Mat:
      for (Eigen::Index k = 0; k < v.m.size(); ++k) out.push_back(v.m.data()[k]);
      break;
    case Value::Array:
      for (const Value& e : v.a) flatten(e, out);
      break;
  }
}

size_t fill(Value& v, const double* data) {
  switch (v.kind) {
    case Value::Int: v.i = static_cast<int64_t>(data[0]); return 1;
    case Value::Real: v.d = data[0]; return 1;
    case Value::Vec:
    case Value::Row:
    case Value::Mat:
      for (Eigen::Index k = 0; k < v.m.size(); ++k) v.m.data()[k] = data[k];
      return static_cast<size_t>(v.m.size());
    case Value::Array: {
      size_t n = 0;
      for (Value& e : v.a) n += fill(e, data + n);
      return n;
    }
  }
  return 0;
}

Value zerosLike(const Value& v) {
  switch (v.kind) {
    case Value::Int:
    case Value::Real: return Value::real(0);
    case Value::Array: {
      std::vector<Value> a;
      for (const Value& e : v.a) a.push_back(zerosLike(e));
      return Value::array(std::move(a));
    }
    default: {
      Value z = v;
      z.m.setZero();
      return z;
    }
  }
}

std::string describe(const Value& v) {
  std::ostringstream s;
  switch (v.kind) {
    case Value::Int: s << v.i; break;
    case Value::Real: s << v.d; break;
    case Value::Vec: s << "vector[" << v.m.rows() << "]"; break;
    case Value::Row: s << "row_vector[" << v.m.cols() << "]"; break;
    case Value::Mat: s << "matrix[" << v.m.rows() << ", " << v.m.cols() << "]"; break;
    case Value::Array: s << "array[" << v.a.size() << "]"; break;
  }
  return s.str();
}

}  // namespace mvc::interp
