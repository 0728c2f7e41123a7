// Values: flatten / fill, shapes, conversions, array and row literals, print texts.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "values.h"

namespace mvc::values {

void flatten(const Value& v, std::vector<double>& out) {
  switch (v.kind) {
    case Value::Int: out.push_back(static_cast<double>(v.i)); break;
    case Value::Real: out.push_back(v.d); break;
    case Value::Vec:
    case Value::Row:
    case Value::Mat: out.insert(out.end(), v.m.data(), v.m.data() + v.m.size()); break;
    case Value::Array:
      for (const Value& e : v.a) flatten(e, out);
      break;
  }
}

namespace {
// An array whose elements are vectors or matrices (not arrays, not scalars): the common case
// of the hot walks below, done in one flat loop instead of a recursion per element.
inline bool leafArray(const Value& v) { return v.kind == Value::Array && !v.a.empty() && v.a[0].linalg(); }
}  // namespace

size_t addReals(const Value& v, double* out) {
  if (leafArray(v)) {
    size_t n = 0;
    for (const Value& e : v.a) {
      if (!e.linalg()) {
        n += addReals(e, out + n);
        continue;
      }
      const double* d = e.m.data();
      const Eigen::Index m = e.m.size();
      for (Eigen::Index k = 0; k < m; ++k) out[n + k] += d[k];
      n += static_cast<size_t>(m);
    }
    return n;
  }
  switch (v.kind) {
    case Value::Int: out[0] += static_cast<double>(v.i); return 1;
    case Value::Real: out[0] += v.d; return 1;
    case Value::Array: {
      size_t n = 0;
      for (const Value& e : v.a) n += addReals(e, out + n);
      return n;
    }
    default: {
      const double* d = v.m.data();
      for (Eigen::Index k = 0; k < v.m.size(); ++k) out[k] += d[k];
      return static_cast<size_t>(v.m.size());
    }
  }
}

size_t addFrom(Value& v, const double* data) {
  switch (v.kind) {
    case Value::Int: throw Error("cannot add a gradient into an int", Error::kFatal);
    case Value::Real: v.d += data[0]; return 1;
    case Value::Array: {
      size_t n = 0;
      for (Value& e : v.a) n += addFrom(e, data + n);
      return n;
    }
    default: {
      double* d = v.m.data();
      for (Eigen::Index k = 0; k < v.m.size(); ++k) d[k] += data[k];
      return static_cast<size_t>(v.m.size());
    }
  }
}

size_t fill(Value& v, const double* data) {
  if (leafArray(v)) {
    size_t n = 0;
    for (Value& e : v.a) {
      if (!e.linalg()) {
        n += fill(e, data + n);
        continue;
      }
      double* d = e.m.data();
      const Eigen::Index m = e.m.size();
      for (Eigen::Index k = 0; k < m; ++k) d[k] = data[n + k];
      n += static_cast<size_t>(m);
    }
    return n;
  }
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

size_t numReals(const Value& v) {
  switch (v.kind) {
    case Value::Int:
    case Value::Real: return 1;
    case Value::Array: {
      size_t n = 0;
      for (const Value& e : v.a) n += numReals(e);
      return n;
    }
    default: return static_cast<size_t>(v.m.size());
  }
}

Value zerosLike(const Value& v) {
  switch (v.kind) {
    case Value::Int:
    case Value::Real: return Value::real(0);
    case Value::Array: {
      std::vector<Value> a;
      a.reserve(v.a.size());
      for (const Value& e : v.a) a.push_back(zerosLike(e));
      return Value::array(std::move(a));
    }
    default: {
      Value z;
      z.kind = v.kind;
      z.m = Eigen::MatrixXd::Zero(v.m.rows(), v.m.cols());
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

namespace {
void printTo(std::ostringstream& s, const Value& v) {
  switch (v.kind) {
    case Value::Int: s << v.i; return;
    case Value::Real: s << v.d; return;
    case Value::Vec:
    case Value::Row:
      s << '[';
      for (Eigen::Index k = 0; k < v.m.size(); ++k) s << (k ? "," : "") << v.m.data()[k];
      s << ']';
      return;
    case Value::Mat:
      s << '[';
      for (Eigen::Index r = 0; r < v.m.rows(); ++r) {
        s << (r ? "," : "") << '[';
        for (Eigen::Index c = 0; c < v.m.cols(); ++c) s << (c ? "," : "") << v.m(r, c);
        s << ']';
      }
      s << ']';
      return;
    case Value::Array:
      s << '[';
      for (size_t k = 0; k < v.a.size(); ++k) {
        if (k) s << ',';
        printTo(s, v.a[k]);
      }
      s << ']';
      return;
  }
}
}  // namespace

std::string printText(const Value& v) {
  std::ostringstream s;
  printTo(s, v);
  return s.str();
}

namespace {
// out and v arrays of vectors or matrices of the same length: f(out element, v element) for
// each pair of the same shape (the storage is reused), whole(out element, v element) for the
// others. Returns false (nothing done) when out and v are not such a pair of arrays.
template <class F, class W>
bool sameLeafArrays(Value& out, const Value& v, F f, W whole) {
  if (!leafArray(v) || out.kind != Value::Array || out.a.size() != v.a.size()) return false;
  for (size_t k = 0; k < v.a.size(); ++k) {
    Value& o = out.a[k];
    const Value& e = v.a[k];
    if (o.kind == e.kind && o.m.rows() == e.m.rows() && o.m.cols() == e.m.cols())
      f(o.m.data(), e.m.data(), o.m.size());
    else
      whole(o, e);
  }
  return true;
}
}  // namespace

void zerosLikeInto(Value& out, const Value& v) {
  if (sameLeafArrays(
          out, v, [](double* d, const double*, Eigen::Index m) { std::fill(d, d + m, 0.0); },
          [](Value& o, const Value& e) { zerosLikeInto(o, e); }))
    return;
  switch (v.kind) {
    case Value::Int:
    case Value::Real:
      out.kind = Value::Real;
      out.d = 0;
      out.a.clear();
      return;
    case Value::Array:
      out.kind = Value::Array;
      out.a.resize(v.a.size());
      for (size_t k = 0; k < v.a.size(); ++k) zerosLikeInto(out.a[k], v.a[k]);
      return;
    default:
      out.kind = v.kind;
      out.a.clear();
      out.m.setZero(v.m.rows(), v.m.cols());  // no allocation when the size is unchanged
  }
}

void copyInto(Value& out, const Value& v) {
  if (sameLeafArrays(
          out, v, [](double* d, const double* x, Eigen::Index m) { std::copy(x, x + m, d); },
          [](Value& o, const Value& e) { copyInto(o, e); }))
    return;
  out.kind = v.kind;
  out.i = v.i;
  out.d = v.d;
  if (v.kind == Value::Array) {
    out.a.resize(v.a.size());
    for (size_t k = 0; k < v.a.size(); ++k) copyInto(out.a[k], v.a[k]);
  } else {
    out.a.clear();
    if (v.linalg()) out.m = v.m;  // Eigen reuses the storage when the size is unchanged
  }
}

namespace {
bool hasShape(const Value& v, Elem elem, int arrayDims, const std::vector<int64_t>& dims, size_t k) {
  auto dim = [&](size_t j) -> int64_t { return j < dims.size() && dims[j] > 0 ? dims[j] : 0; };
  if (arrayDims > 0) {
    if (v.kind != Value::Array || static_cast<int64_t>(v.a.size()) != dim(k)) return false;
    for (const Value& e : v.a)
      if (!hasShape(e, elem, arrayDims - 1, dims, k + 1)) return false;
    return true;
  }
  switch (elem) {
    case Elem::Int: return v.kind == Value::Int;
    case Elem::Real: return v.kind == Value::Real;
    case Elem::Vector: return v.kind == Value::Vec && v.m.rows() == dim(k) && v.m.cols() == 1;
    case Elem::RowVector: return v.kind == Value::Row && v.m.rows() == 1 && v.m.cols() == dim(k);
    case Elem::Matrix: return v.kind == Value::Mat && v.m.rows() == dim(k) && v.m.cols() == dim(k + 1);
  }
  return false;
}
}  // namespace

void reshapeInto(Value& out, Elem elem, int arrayDims, const std::vector<int64_t>& dims) {
  if (!hasShape(out, elem, arrayDims, dims, 0)) out = shaped(elem, arrayDims, dims);
}

Value shaped(Elem elem, int arrayDims, const std::vector<int64_t>& dims, size_t k) {
  auto dim = [&](size_t j) -> int64_t { return j < dims.size() && dims[j] > 0 ? dims[j] : 0; };
  if (arrayDims > 0) {
    std::vector<Value> a;
    a.reserve(static_cast<size_t>(dim(k)));
    for (int64_t j = 0; j < dim(k); ++j) a.push_back(shaped(elem, arrayDims - 1, dims, k + 1));
    return Value::array(std::move(a));
  }
  double nan = std::numeric_limits<double>::quiet_NaN();
  switch (elem) {
    case Elem::Int: return Value::integer(0);
    case Elem::Real: return Value::real(nan);
    case Elem::Vector: return Value::vec(Eigen::MatrixXd::Constant(dim(k), 1, nan));
    case Elem::RowVector: return Value::row(Eigen::MatrixXd::Constant(1, dim(k), nan));
    case Elem::Matrix: return Value::mat(Eigen::MatrixXd::Constant(dim(k), dim(k + 1), nan));
  }
  throw Error("values of element type " + std::to_string(static_cast<int>(elem)) + " are not supported",
              Error::kFatal);
}

Value promoteReal(Value v) {
  if (v.kind == Value::Int) return Value::real(static_cast<double>(v.i));
  if (v.kind == Value::Array)
    for (Value& e : v.a) e = promoteReal(std::move(e));
  return v;
}

Value makeArray(const Args& elems, bool promote) {
  std::vector<Value> a;
  a.reserve(elems.size());
  for (size_t k = 0; k < elems.size(); ++k) a.push_back(promote ? promoteReal(elems[k]) : elems[k]);
  return Value::array(std::move(a));
}

Value makeRow(const Args& a) {
  bool scalars = a.empty() || a[0].scalar();
  if (scalars) {
    Eigen::MatrixXd m(1, a.size());
    for (size_t k = 0; k < a.size(); ++k) {
      if (!a[k].scalar()) throw Error("[...]: mixes scalars and " + describe(a[k]));
      m(0, static_cast<Eigen::Index>(k)) = a[k].num();
    }
    return Value::row(std::move(m));
  }
  Eigen::Index cols = a[0].m.cols();
  Eigen::MatrixXd m(a.size(), cols);
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k].kind != Value::Row || a[k].m.cols() != cols)
      throw Error("[...]: the rows of a matrix must be row vectors of one size; row " + std::to_string(k + 1) +
                  " is " + describe(a[k]) + ", row 1 has " + std::to_string(cols) + " columns");
    m.row(static_cast<Eigen::Index>(k)) = a[k].m.row(0);
  }
  return Value::mat(std::move(m));
}

std::string formatPieces(const std::string& pieces, const Args& vals) {
  std::string out;
  size_t next = 0, i = 0, n = pieces.size();
  auto value = [&] {
    if (next >= vals.size()) throw Error("print: more $ placeholders than values in \"" + pieces + "\"", Error::kFatal);
    out += printText(vals[next++]);
  };
  while (i < n) {
    char c = pieces[i];
    if (c == ' ' || c == ',') {
      ++i;
    } else if (c == '$') {
      value();
      ++i;
    } else if (c == '"') {
      ++i;
      while (i < n && pieces[i] != '"') {
        if (pieces[i] == '\\' && i + 1 < n) {
          char e = pieces[++i];
          switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case '0': out += '\0'; break;
            default: out += e;  // \" \\ \' and anything else: the character itself
          }
        } else {
          out += pieces[i];
        }
        ++i;
      }
      ++i;  // the closing quote (or the end of an unterminated literal)
    } else {
      // Not the IR's format: keep the rest as text rather than fail.
      size_t end = pieces.find(',', i);
      out += pieces.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? n : end;
    }
  }
  // Values without a placeholder (should not happen): appended, so nothing is lost.
  while (next < vals.size()) value();
  return out;
}

}  // namespace mvc::values
