// Synthetic data for a program, from its IR's data section: every declared variable gets
// values of the declared shape that satisfy its bounds and constraint, so that programs of
// the parser corpus (which come without data) can be compiled and evaluated. Sizes (ints used
// in other declarations' dimensions) are 3 unless bounds say otherwise.
#pragma once
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "frontend/signatures.h"
#include "ir/ir.h"

namespace mvc::test {

class DataSynth {
 public:
  explicit DataSynth(const ir::Module& m) : m_(m) {}

  // CmdStan JSON, or "" when a size or bound is an expression this cannot evaluate.
  std::string json() {
    std::ostringstream out;
    out << "{";
    bool first = true;
    const auto& nodes = m_.data->nodes;
    for (const auto& n : nodes) {
      if (n->op != ir::Op::Data) continue;
      Bounds b = boundsOf(*n);
      std::vector<int64_t> dims;
      for (const ir::Dim& d : n->type.dims) {
        double v;
        if (d.kind == ir::Dim::Const) dims.push_back(d.constant);
        else if (d.kind == ir::Dim::Value && eval(d.value, v)) dims.push_back(static_cast<int64_t>(v));
        else return "";
      }
      if (!b.ok) return "";
      bool isInt = n->type.base.elem == ElemType::Int;
      if (isInt && n->type.base.arrayDims == 0) {
        // A scalar int: a size (3) within its bounds.
        double v = 3;
        if (b.lo && v < *b.lo) v = *b.lo;
        if (b.hi && v > *b.hi) v = *b.hi;
        scalars_[n.get()] = v;
      } else if (n->type.base.arrayDims == 0 && n->type.base.elem == ElemType::Real) {
        scalars_[n.get()] = realIn(b, 0);
      }
      if (!first) out << ", ";
      first = false;
      out << "\"" << n->s << "\": ";
      counter_ = 0;
      value(out, *n, b, dims, 0, isInt);
    }
    out << "}";
    return out.str();
  }

 private:
  struct Bounds {
    bool ok = true;
    std::optional<double> lo, hi;
    std::string transform;
  };

  bool eval(const ir::Node* n, double& v) {
    switch (n->op) {
      case ir::Op::ConstInt: v = static_cast<double>(n->i); return true;
      case ir::Op::ConstReal: v = n->d; return true;
      case ir::Op::Data: {
        auto it = scalars_.find(n);
        if (it == scalars_.end()) return false;
        v = it->second;
        return true;
      }
      case ir::Op::Call: {
        std::vector<double> a;
        for (const ir::Node* in : n->inputs) {
          double x;
          if (!eval(in, x)) return false;
          a.push_back(x);
        }
        const std::string& f = n->sig->name;
        if (f == "operator+" && a.size() == 2) v = a[0] + a[1];
        else if (f == "operator-" && a.size() == 2) v = a[0] - a[1];
        else if (f == "operator-" && a.size() == 1) v = -a[0];
        else if (f == "operator*" && a.size() == 2) v = a[0] * a[1];
        else if (f == "operator/" && a.size() == 2 && a[1] != 0) v = n->type.base.elem == ElemType::Int ? std::trunc(a[0] / a[1]) : a[0] / a[1];
        else return false;
        return true;
      }
      default: return false;
    }
  }

  Bounds boundsOf(const ir::Node& data) {
    Bounds b;
    for (const auto& c : m_.data->nodes) {
      if (c->op != ir::Op::Check || c->inputs.empty() || c->inputs[0] != &data) continue;
      b.transform = c->transform;
      auto get = [&](size_t k) -> std::optional<double> {
        double v;
        if (k < c->inputs.size() && c->inputs[k]->type.base.isScalar() && eval(c->inputs[k], v)) return v;
        if (k < c->inputs.size()) b.ok = false;
        return std::nullopt;
      };
      if (c->transform == "lower") b.lo = get(1);
      else if (c->transform == "upper") b.hi = get(1);
      else if (c->transform == "lower_upper") b.lo = get(1), b.hi = get(2);
    }
    return b;
  }

  double realIn(const Bounds& b, int k) {
    double z = std::sin(1.7 * k + 0.3) * 1.3;  // deterministic, varied
    if (b.lo && b.hi) return *b.lo + (*b.hi - *b.lo) * (0.5 + 0.4 * std::sin(2.3 * k + 0.1));
    if (b.lo) return *b.lo + 0.5 + std::fabs(z);
    if (b.hi) return *b.hi - 0.5 - std::fabs(z);
    return z;
  }

  int64_t intIn(const Bounds& b, int k) {
    if (b.lo && b.hi) return static_cast<int64_t>(*b.lo) + k % (static_cast<int64_t>(*b.hi - *b.lo) + 1);
    if (b.lo) return static_cast<int64_t>(*b.lo) + k % 4;
    if (b.hi) return static_cast<int64_t>(*b.hi) - k % 4;
    return 1 + k % 3;
  }

  // Nested JSON: array dims, then rows (vector) or rows x cols (matrix, row-major nesting).
  void value(std::ostringstream& out, const ir::Node& n, const Bounds& b, const std::vector<int64_t>& dims, size_t k,
             bool isInt) {
    int ad = n.type.base.arrayDims;
    if (static_cast<int>(k) < ad) {
      out << "[";
      for (int64_t i = 0; i < dims[k]; ++i) {
        if (i) out << ", ";
        value(out, n, b, dims, k + 1, isInt);
      }
      out << "]";
      return;
    }
    ElemType e = n.type.base.elem;
    if (e == ElemType::Int) {
      out << intIn(b, counter_++);
      return;
    }
    if (e == ElemType::Real) {
      out << realIn(b, counter_++);
      return;
    }
    int64_t rows = dims[k], cols = e == ElemType::Matrix ? dims[k + 1] : 1;
    if (e == ElemType::RowVector) std::swap(rows, cols);
    auto elem = [&](int64_t i, int64_t j) -> double {
      const std::string& t = b.transform;
      if (t == "cov_matrix") return i == j ? 2.0 : 0.5;
      if (t == "corr_matrix" || t == "cholesky_factor_corr" || t == "cholesky_factor_cov") return i == j ? 1.0 : 0.0;
      if (t == "simplex") return 1.0 / static_cast<double>(rows);
      if (t == "ordered" || t == "positive_ordered") return static_cast<double>(i + 1);
      if (t == "unit_vector") return i == 0 ? 1.0 : 0.0;
      return realIn(b, counter_++);
    };
    if (e == ElemType::Vector || e == ElemType::RowVector) {
      out << "[";
      int64_t len = e == ElemType::Vector ? rows : cols;
      for (int64_t i = 0; i < len; ++i) out << (i ? ", " : "") << elem(i, 0);
      out << "]";
      return;
    }
    out << "[";
    for (int64_t i = 0; i < rows; ++i) {
      out << (i ? ", [" : "[");
      for (int64_t j = 0; j < cols; ++j) out << (j ? ", " : "") << elem(i, j);
      out << "]";
    }
    out << "]";
  }

  const ir::Module& m_;
  std::map<const ir::Node*, double> scalars_;
  int counter_ = 0;
};

}  // namespace mvc::test
