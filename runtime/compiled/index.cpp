// Indexing (x[i], x[a:b, :], x[idxs]) and assignment through indexes (x[i] = v, adj[i] += v).
#include <set>

#include "values.h"

namespace mvc::values {

void IndexPositions::push_back(const IndexPos& p) {
  if (n_ < kInline) {
    small_[n_++] = p;
    return;
  }
  if (n_ == kInline) big_.assign(small_, small_ + kInline);
  big_.push_back(p);
  ++n_;
}

IndexPositions indexPositions(const std::string& kinds, const Args& operands) {
  return indexPositions(kinds.c_str(), operands);
}

IndexPositions indexPositions(const char* kinds, const Args& operands) {
  IndexPositions out;
  size_t o = 0;
  for (const char* at = kinds; *at; ++at) {
    const char c = *at;
    IndexPos p{c, {nullptr, nullptr}};
    int take = c == 'a' ? 0 : c == 'r' ? 2 : 1;
    for (int t = 0; t < take; ++t) {
      if (o >= operands.size())
        throw Error("index kinds '" + std::string(kinds) + "' need more operands than the " + std::to_string(operands.size()) +
                        " given",
                    Error::kFatal);
      const Value* v = operands.data()[o++];
      bool ok = c == 'm' ? v->kind == Value::Array : v->kind == Value::Int;
      if (!ok) throw Error("an index must be an int" + std::string(c == 'm' ? " array" : "") + ", not " + describe(*v),
                           Error::kFatal);
      p.ops[t] = v;
    }
    out.push_back(p);
  }
  return out;
}

void indexOutOfRange(int64_t i, int64_t n) {
  throw Error("index " + std::to_string(i) + " out of range; expecting index to be between 1 and " + std::to_string(n));
}

void checkIndexRange(int64_t lo, int64_t hi, int64_t n) {
  if (hi >= lo && (lo < 1 || hi > n)) indexOutOfRange(lo < 1 ? lo : hi, n);
}

namespace {

// The selected 0-based positions along one dimension: first, first + 1, ... (count of them),
// or a multi-index's list.
struct Sel {
  bool single = false;
  int64_t first = 0, count = 0;
  std::vector<int64_t> list;  // kind 'm' only
  bool multi = false;
  size_t size() const { return static_cast<size_t>(count); }
  int64_t operator[](size_t j) const { return multi ? list[j] : first + static_cast<int64_t>(j); }
};

int64_t checked(int64_t i, int64_t n) {
  if (i < 1 || i > n) indexOutOfRange(i, n);
  return i - 1;
}

Sel select(const IndexPositions& pos, size_t k, int64_t n) {
  Sel s;
  char c = k < pos.size() ? pos[k].kind : 'a';
  auto range = [&](int64_t lo, int64_t hi) {
    if (hi < lo) return;
    if (lo < 1) indexOutOfRange(lo, n);  // (the first index outside 1..n, as element by element)
    if (hi > n) indexOutOfRange(std::max(lo, n + 1), n);
    s.first = lo - 1;
    s.count = hi - lo + 1;
  };
  switch (c) {
    case 's': s.single = true; s.first = checked(pos[k].ops[0]->i, n); s.count = 1; break;
    case 'r': range(pos[k].ops[0]->i, pos[k].ops[1]->i); break;
    case 'l': range(pos[k].ops[0]->i, n); break;
    case 'u': range(1, pos[k].ops[0]->i); break;
    case 'a': range(1, n); break;
    case 'm':
      s.multi = true;
      for (const Value& e : pos[k].ops[0]->a) {
        if (e.kind != Value::Int) throw Error("a multi-index must be an int array, not an array of " + describe(e));
        s.list.push_back(checked(e.i, n));
      }
      s.count = static_cast<int64_t>(s.list.size());
      break;
    default: throw Error(std::string("unknown index kind '") + c + "'", Error::kFatal);
  }
  return s;
}

}  // namespace

namespace {

// b[pos[k], ...] of a vector, row vector or matrix b into out, reusing out's storage when the
// shape allows (no allocation once warm).
void sliceInto(Value& out, const Value& b, const IndexPositions& pos, size_t k) {
  auto real = [&](double x) {
    out.kind = Value::Real;
    out.d = x;
    out.a.clear();
  };
  out.a.clear();
  if (b.kind == Value::Vec || b.kind == Value::Row) {
    if (k + 1 < pos.size()) throw Error("too many indexes for " + describe(b), Error::kFatal);
    Sel s = select(pos, k, b.m.size());
    if (s.single) return real(b.m.data()[s.first]);
    const auto n = static_cast<Eigen::Index>(s.size());
    out.kind = b.kind;
    out.m.resize(b.kind == Value::Vec ? n : 1, b.kind == Value::Vec ? 1 : n);
    for (size_t j = 0; j < s.size(); ++j) out.m.data()[j] = b.m.data()[s[j]];
    return;
  }
  if (k + 2 < pos.size()) throw Error("too many indexes for " + describe(b), Error::kFatal);
  Sel r = select(pos, k, b.m.rows()), c = select(pos, k + 1, b.m.cols());
  if (r.single && c.single) return real(b.m(r.first, c.first));
  out.kind = r.single ? Value::Row : c.single ? Value::Vec : Value::Mat;
  out.m.resize(r.single ? 1 : static_cast<Eigen::Index>(r.size()), c.single ? 1 : static_cast<Eigen::Index>(c.size()));
  double* d = out.m.data();
  for (size_t j = 0; j < c.size(); ++j)  // column-major, as the result's storage
    for (size_t i = 0; i < r.size(); ++i) *d++ = b.m(r[i], c[j]);
}

}  // namespace

Value indexValue(const Value& b, const IndexPositions& pos, size_t k) {
  if (k >= pos.size()) return b;
  switch (b.kind) {
    case Value::Array: {
      Sel s = select(pos, k, static_cast<int64_t>(b.a.size()));
      if (s.single) return indexValue(b.a[s[0]], pos, k + 1);
      std::vector<Value> out;
      out.reserve(s.size());
      for (size_t j = 0; j < s.size(); ++j) out.push_back(indexValue(b.a[s[j]], pos, k + 1));
      return Value::array(std::move(out));
    }
    case Value::Vec:
    case Value::Row:
    case Value::Mat: {
      Value out;
      sliceInto(out, b, pos, k);
      return out;
    }
    default: throw Error("indexing a scalar (" + describe(b) + ")", Error::kFatal);
  }
}

void indexValueInto(Value& out, const Value& base, const IndexPositions& pos) {
  const Value* b = &base;
  size_t k = 0;
  for (; k < pos.size() && b->kind == Value::Array && pos[k].kind == 's'; ++k)
    b = &b->a[static_cast<size_t>(checked(pos[k].ops[0]->i, static_cast<int64_t>(b->a.size())))];
  if (k == pos.size()) return copyInto(out, *b);
  if (b->linalg()) return sliceInto(out, *b, pos, k);
  out = indexValue(*b, pos, k);
}

const Value& indexScalar(const Value& base, int n, const int64_t* idx) {
  static thread_local Value element;
  const Value* b = &base;
  for (int k = 0; k < n; ++k) {
    switch (b->kind) {
      case Value::Array: b = &b->a[checked(idx[k], static_cast<int64_t>(b->a.size()))]; break;
      case Value::Vec:
      case Value::Row:
        if (k + 1 != n) throw Error("too many indexes for " + describe(*b), Error::kFatal);
        element = Value::real(b->m.data()[checked(idx[k], b->m.size())]);
        return element;
      case Value::Mat: {
        if (k + 2 != n) throw Error("a matrix element needs two indexes", Error::kFatal);
        int64_t r = checked(idx[k], b->m.rows()), c = checked(idx[k + 1], b->m.cols());
        element = Value::real(b->m(r, c));
        return element;
      }
      default: throw Error("indexing a scalar (" + describe(*b) + ")", Error::kFatal);
    }
  }
  if (!b->scalar()) throw Error("the indexes select " + describe(*b) + ", not a scalar", Error::kFatal);
  return *b;
}

namespace {
// Zeros position k of result dimension d of v (arrays outermost, then rows, then columns).
void zeroSlice(Value& v, int d, int64_t k) {
  if (v.kind == Value::Array) {
    if (d == 0) zerosLikeInto(v.a.at(static_cast<size_t>(k)), Value(v.a.at(static_cast<size_t>(k))));
    else
      for (Value& e : v.a) zeroSlice(e, d - 1, k);
  } else if (v.kind == Value::Vec || v.kind == Value::Row) {
    v.m.data()[k] = 0;
  } else if (v.kind == Value::Mat) {
    if (d == 0) v.m.row(k).setZero();
    else v.m.col(k).setZero();
  }
}
}  // namespace

Value storeAdjoint(const Value& acc, const IndexPositions& pos) {
  Value r = indexValue(acc, pos);
  int d = 0;
  for (const IndexPos& p : pos) {
    if (p.kind == 's') continue;
    if (p.kind == 'm' && p.ops[0] && p.ops[0]->kind == Value::Array) {
      const auto& idx = p.ops[0]->a;
      std::set<int64_t> later;
      for (size_t k = idx.size(); k-- > 0;)
        if (!later.insert(idx[k].i).second) zeroSlice(r, d, static_cast<int64_t>(k));
    }
    ++d;
  }
  return r;
}

double* realLeaf(Value& base, int n, const int64_t* idx) {
  Value* b = &base;
  for (int k = 0; k < n; ++k) {
    switch (b->kind) {
      case Value::Array: b = &b->a[checked(idx[k], static_cast<int64_t>(b->a.size()))]; break;
      case Value::Vec:
      case Value::Row:
        if (k + 1 != n) return nullptr;
        return b->m.data() + checked(idx[k], b->m.size());
      case Value::Mat: {
        if (k + 2 != n) return nullptr;
        int64_t r = checked(idx[k], b->m.rows()), c = checked(idx[k + 1], b->m.cols());
        return &b->m(r, c);
      }
      default: return nullptr;
    }
  }
  return b->kind == Value::Real ? &b->d : nullptr;
}

namespace {

void setLeaf(double& dst, double src, AssignMode mode) {
  if (mode == AssignMode::Set) dst = src;
  else if (mode == AssignMode::Add) dst += src;
  else dst = 0;
}

void sizeMismatch(const Value& b, const Value& v, AssignMode mode) {
  throw Error(std::string(mode == AssignMode::Set ? "assigning " : "adding ") + describe(v) +
              (mode == AssignMode::Set ? " to " : " into ") + describe(b) + ": the sizes do not match");
}

// The whole value: b = v, b += v (a scalar v broadcast), or b = 0.
void assignWhole(Value& b, const Value& v, AssignMode mode) {
  if (mode == AssignMode::Set) {
    if (b.kind == Value::Real && v.kind == Value::Int) {
      b.d = static_cast<double>(v.i);
    } else if (b.kind == Value::Array && v.kind == Value::Array && b.a.size() == v.a.size()) {
      for (size_t i = 0; i < b.a.size(); ++i) assignWhole(b.a[i], v.a[i], mode);
    } else if (b.linalg() && v.kind == b.kind && b.m.rows() == v.m.rows() && b.m.cols() == v.m.cols()) {
      b.m = v.m;  // no reallocation
    } else {
      b = v;
    }
    return;
  }
  switch (b.kind) {
    case Value::Int:
    case Value::Real:
      if (b.kind == Value::Int) b = Value::real(static_cast<double>(b.i));
      if (mode == AssignMode::Add && !v.scalar()) sizeMismatch(b, v, mode);
      setLeaf(b.d, mode == AssignMode::Add ? v.num() : 0, mode);
      return;
    case Value::Array:
      if (mode == AssignMode::Add && v.kind == Value::Array && v.a.size() != b.a.size()) sizeMismatch(b, v, mode);
      for (size_t i = 0; i < b.a.size(); ++i) assignWhole(b.a[i], v.kind == Value::Array ? v.a[i] : v, mode);
      return;
    default:
      if (mode == AssignMode::Zero) b.m.setZero();
      else if (v.scalar()) b.m.array() += v.num();
      else {
        if (!v.linalg() || v.m.size() != b.m.size()) sizeMismatch(b, v, mode);
        for (Eigen::Index i = 0; i < b.m.size(); ++i) b.m.data()[i] += v.m.data()[i];
      }
  }
}

}  // namespace

void assignInto(Value& b, const IndexPositions& pos, size_t k, const Value& v, AssignMode mode) {
  if (k >= pos.size()) return assignWhole(b, v, mode);
  switch (b.kind) {
    case Value::Array: {
      Sel s = select(pos, k, static_cast<int64_t>(b.a.size()));
      if (s.single) return assignInto(b.a[s[0]], pos, k + 1, v, mode);
      if (v.kind == Value::Array && v.a.size() != s.size()) sizeMismatch(b, v, mode);
      for (size_t j = 0; j < s.size(); ++j)
        assignInto(b.a[s[j]], pos, k + 1, v.kind == Value::Array ? v.a[j] : v, mode);
      return;
    }
    case Value::Vec:
    case Value::Row: {
      Sel s = select(pos, k, b.m.size());
      if (!v.scalar() && (!v.linalg() || static_cast<size_t>(v.m.size()) != s.size())) sizeMismatch(b, v, mode);
      for (size_t j = 0; j < s.size(); ++j)
        setLeaf(b.m.data()[s[j]], v.scalar() ? v.num() : v.m.data()[j], mode);
      return;
    }
    case Value::Mat: {
      Sel r = select(pos, k, b.m.rows());
      Sel c = select(pos, k + 1, b.m.cols());
      if (!v.scalar() && (!v.linalg() || static_cast<size_t>(v.m.size()) != r.size() * c.size()))
        sizeMismatch(b, v, mode);
      for (size_t i = 0; i < r.size(); ++i)
        for (size_t j = 0; j < c.size(); ++j) {
          double src;
          if (v.scalar()) src = v.num();
          else if (r.single) src = v.m.data()[j];
          else if (c.single) src = v.m.data()[i];
          else src = v.m(i, j);
          setLeaf(b.m(r[i], c[j]), src, mode);
        }
      return;
    }
    default: throw Error("indexed assignment into a scalar", Error::kFatal);
  }
}

}  // namespace mvc::values
