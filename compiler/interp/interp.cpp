// The interpreter's core: sections, control flow, variables, indexing, parameters.
// Built-ins are in builtins.cpp, densities in densities.cpp, transforms in params.cpp.
#include "interp/interp.h"

#include <cmath>
#include <limits>

#include "frontend/signatures.h"
#include "interp/internal.h"
#include "interp/params.h"
#include "ir/activity.h"

namespace mvc::interp {
using namespace ir;

// ------------------------------------------------------------------ shapes and indexes

Value shaped(ElemType elem, int arrayDims, const std::vector<int64_t>& dims, size_t k) {
  auto dim = [&](size_t j) -> int64_t { return j < dims.size() ? dims[j] : 0; };
  if (arrayDims > 0) {
    std::vector<Value> a;
    for (int64_t j = 0; j < dim(k); ++j) a.push_back(shaped(elem, arrayDims - 1, dims, k + 1));
    return Value::array(std::move(a));
  }
  double nan = std::numeric_limits<double>::quiet_NaN();
  switch (elem) {
    case ElemType::Int: return Value::integer(0);
    case ElemType::Real: return Value::real(nan);
    case ElemType::Vector: return Value::vec(Eigen::MatrixXd::Constant(dim(k), 1, nan));
    case ElemType::RowVector: return Value::row(Eigen::MatrixXd::Constant(1, dim(k), nan));
    case ElemType::Matrix: return Value::mat(Eigen::MatrixXd::Constant(dim(k), dim(k + 1), nan));
    default: throw Error("interpreter: values of type " + std::string(elemTypeName(elem)) + " are not supported");
  }
}

std::vector<IndexPos> indexPositions(const std::string& kinds, const std::vector<const Value*>& operands) {
  std::vector<IndexPos> out;
  size_t o = 0;
  for (char c : kinds) {
    IndexPos p{c, {}};
    int take = c == 'a' ? 0 : c == 'r' ? 2 : 1;
    for (int t = 0; t < take; ++t) {
      if (o >= operands.size()) throw Error("interpreter: index operands do not match their kinds");
      p.ops.push_back(operands[o++]);
    }
    out.push_back(p);
  }
  return out;
}

namespace {

struct Sel {
  bool single = false;
  std::vector<int64_t> idx;  // 0-based
};

Sel select(const std::vector<IndexPos>& pos, size_t k, int64_t n) {
  Sel s;
  char c = k < pos.size() ? pos[k].kind : 'a';
  auto check = [&](int64_t i) {
    if (i < 1 || i > n)
      throw Error("index " + std::to_string(i) + " out of range; expecting index to be between 1 and " +
                  std::to_string(n));
    return i - 1;
  };
  auto range = [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i <= hi; ++i) s.idx.push_back(check(i));
  };
  switch (c) {
    case 's': s.single = true; s.idx.push_back(check(pos[k].ops[0]->i)); break;
    case 'r': range(pos[k].ops[0]->i, pos[k].ops[1]->i); break;
    case 'l': range(pos[k].ops[0]->i, n); break;
    case 'u': range(1, pos[k].ops[0]->i); break;
    case 'a': range(1, n); break;
    case 'm':
      for (const Value& e : pos[k].ops[0]->a) s.idx.push_back(check(e.i));
      break;
    default: throw Error(std::string("interpreter: unknown index kind '") + c + "'");
  }
  return s;
}

}  // namespace

Value indexValue(const Value& b, const std::vector<IndexPos>& pos, size_t k) {
  if (k >= pos.size()) return b;
  switch (b.kind) {
    case Value::Array: {
      Sel s = select(pos, k, static_cast<int64_t>(b.a.size()));
      if (s.single) return indexValue(b.a[s.idx[0]], pos, k + 1);
      std::vector<Value> out;
      for (int64_t i : s.idx) out.push_back(indexValue(b.a[i], pos, k + 1));
      return Value::array(std::move(out));
    }
    case Value::Vec:
    case Value::Row: {
      Sel s = select(pos, k, b.m.size());
      if (s.single) return Value::real(b.m.data()[s.idx[0]]);
      Eigen::MatrixXd m(b.kind == Value::Vec ? s.idx.size() : 1, b.kind == Value::Vec ? 1 : s.idx.size());
      for (size_t j = 0; j < s.idx.size(); ++j) m.data()[j] = b.m.data()[s.idx[j]];
      Value v = b;
      v.m = m;
      return v;
    }
    case Value::Mat: {
      Sel r = select(pos, k, b.m.rows());
      Sel c = select(pos, k + 1, b.m.cols());
      if (r.single && c.single) return Value::real(b.m(r.idx[0], c.idx[0]));
      Eigen::MatrixXd m(r.idx.size(), c.idx.size());
      for (size_t i = 0; i < r.idx.size(); ++i)
        for (size_t j = 0; j < c.idx.size(); ++j) m(i, j) = b.m(r.idx[i], c.idx[j]);
      if (r.single) return Value::row(m);
      if (c.single) return Value::vec(m);
      return Value::mat(m);
    }
    default: throw Error("interpreter: indexing a scalar");
  }
}

namespace {

void setLeaf(double& dst, double src, AssignMode mode) {
  if (mode == AssignMode::Set) dst = src;
  else if (mode == AssignMode::Add) dst += src;
  else dst = 0;
}

// The whole value: b = v, b += v (a scalar v broadcast), or b = 0.
void assignWhole(Value& b, const Value& v, AssignMode mode) {
  if (mode == AssignMode::Set) {
    if (b.kind == Value::Real && v.kind == Value::Int) b.d = static_cast<double>(v.i);
    else if (b.kind == Value::Array && v.kind == Value::Array && b.a.size() == v.a.size()) {
      for (size_t i = 0; i < b.a.size(); ++i) assignWhole(b.a[i], v.a[i], mode);
    } else {
      Value w = v;
      b = std::move(w);
    }
    return;
  }
  switch (b.kind) {
    case Value::Int:
    case Value::Real:
      if (b.kind == Value::Int) b = Value::real(static_cast<double>(b.i));
      setLeaf(b.d, v.num(), mode);
      return;
    case Value::Array:
      for (size_t i = 0; i < b.a.size(); ++i) assignWhole(b.a[i], v.kind == Value::Array ? v.a.at(i) : v, mode);
      return;
    default:
      if (mode == AssignMode::Zero) b.m.setZero();
      else if (v.scalar()) b.m.array() += v.num();
      else {
        if (v.m.size() != b.m.size()) throw Error("interpreter: adjoint of size " + describe(v) + " added to " + describe(b));
        for (Eigen::Index i = 0; i < b.m.size(); ++i) b.m.data()[i] += v.m.data()[i];
      }
  }
}

}  // namespace

void assignInto(Value& b, const std::vector<IndexPos>& pos, size_t k, const Value& v, AssignMode mode) {
  if (k >= pos.size()) return assignWhole(b, v, mode);
  switch (b.kind) {
    case Value::Array: {
      Sel s = select(pos, k, static_cast<int64_t>(b.a.size()));
      if (s.single) return assignInto(b.a[s.idx[0]], pos, k + 1, v, mode);
      for (size_t j = 0; j < s.idx.size(); ++j)
        assignInto(b.a[s.idx[j]], pos, k + 1, v.kind == Value::Array ? v.a.at(j) : v, mode);
      return;
    }
    case Value::Vec:
    case Value::Row: {
      Sel s = select(pos, k, b.m.size());
      for (size_t j = 0; j < s.idx.size(); ++j)
        setLeaf(b.m.data()[s.idx[j]], v.scalar() ? v.num() : v.m.data()[j], mode);
      return;
    }
    case Value::Mat: {
      Sel r = select(pos, k, b.m.rows());
      Sel c = select(pos, k + 1, b.m.cols());
      for (size_t i = 0; i < r.idx.size(); ++i)
        for (size_t j = 0; j < c.idx.size(); ++j) {
          double src;
          if (v.scalar()) src = v.num();
          else if (r.single) src = v.m.data()[j];
          else if (c.single) src = v.m.data()[i];
          else src = v.m(i, j);
          setLeaf(b.m(r.idx[i], c.idx[j]), src, mode);
        }
      return;
    }
    default: throw Error("interpreter: indexed assignment into a scalar");
  }
}

// ------------------------------------------------------------------ execution

class Exec {
 public:
  Exec(Interpreter& in, const EvalOptions& o, const double* theta, double* grad, bool runGradient)
      : I(in), o_(o), theta_(theta), grad_(grad), runGradient_(runGradient) {}

  double target = 0;

  enum Flow { Normal, Break, Continue };

  Flow region(const Region& r) {
    for (const auto& n : r.nodes) {
      Flow f = node(*n);
      if (f != Normal) return f;
    }
    return Normal;
  }

  const Value& val(const Node* n) {
    auto it = I.env_.find(n);
    if (it == I.env_.end())
      throw Error("interpreter: %" + std::to_string(n->id) + " (" + opInfo(n->op).mnemonic + ") has no value");
    return it->second;
  }
  Value& slot(const Node* n) { return const_cast<Value&>(val(n)); }

  std::vector<Value> inputs(const Node& n, size_t from = 0) {
    std::vector<Value> v;
    for (size_t k = from; k < n.inputs.size(); ++k) v.push_back(val(n.inputs[k]));
    return v;
  }

  std::vector<int64_t> dims(const IrType& t) {
    std::vector<int64_t> d;
    for (const Dim& x : t.dims) {
      if (x.kind == Dim::Const) d.push_back(x.constant);
      else if (x.kind == Dim::Value) d.push_back(val(x.value).i);
      else return {};
    }
    return d;
  }

  uint32_t activeMask(const std::vector<Node*>& args) {
    uint32_t m = 0;
    for (size_t k = 0; k < args.size(); ++k)
      if (I.active_.count(args[k])) m |= 1u << k;
    return m;
  }

  static Value promote(const Value& v, const Type& t) {
    if (t.elem != ElemType::Real) return v;
    if (v.kind == Value::Int) return Value::real(static_cast<double>(v.i));
    if (v.kind == Value::Array) {
      Value r = v;
      for (Value& e : r.a) e = promote(e, t.elementOf());
      return r;
    }
    return v;
  }

  Flow node(const Node& n) {
    auto& env = I.env_;
    switch (n.op) {
      case Op::ConstInt: env[&n] = Value::integer(n.i); return Normal;
      case Op::ConstReal: env[&n] = Value::real(n.d); return Normal;
      case Op::Data: env[&n] = readData(I.data_, n, dims(n.type)); return Normal;
      case Op::Param: {
        std::vector<Value> bounds = inputs(n);
        const ParamInfo& p = paramOf(n);
        double lp = 0;
        env[&n] = constrainParam(n, dims(n.type), bounds, theta_ + p.offset, o_.jacobian ? &lp : nullptr);
        target += lp;
        return Normal;
      }
      case Op::Var: {
        std::vector<int64_t> d = dims(n.type);
        env[&n] = d.empty() && totalDims(n.type.base) > 0 ? shaped(n.type.base.elem, n.type.base.arrayDims, {})
                                                           : shaped(n.type.base.elem, n.type.base.arrayDims, d);
        return Normal;
      }
      case Op::Load: env[&n] = val(n.inputs[0]); return Normal;
      case Op::Store: {
        Value v = promote(val(n.inputs[1]), n.inputs[0]->type.base);
        assignInto(slot(n.inputs[0]), {}, 0, v, AssignMode::Set);
        return Normal;
      }
      case Op::StoreIndex:
      case Op::AdjAdd: {
        std::vector<const Value*> ops;
        for (size_t k = 2; k < n.inputs.size(); ++k) ops.push_back(&val(n.inputs[k]));
        Value v = val(n.inputs[1]);
        if (n.op == Op::StoreIndex && n.inputs[0]->type.base.elem == ElemType::Real) v = promote(v, Type::arrayOf(Type::real(), 8));
        assignInto(slot(n.inputs[0]), indexPositions(n.s, ops), 0, v,
                   n.op == Op::StoreIndex ? AssignMode::Set : AssignMode::Add);
        return Normal;
      }
      case Op::AdjZero: {
        std::vector<const Value*> ops;
        for (size_t k = 1; k < n.inputs.size(); ++k) ops.push_back(&val(n.inputs[k]));
        assignInto(slot(n.inputs[0]), indexPositions(n.s, ops), 0, Value::real(0), AssignMode::Zero);
        return Normal;
      }
      case Op::AdjVar: env[&n] = zerosLike(val(n.inputs[0])); return Normal;
      case Op::AdjGet: env[&n] = val(n.inputs[0]); return Normal;
      case Op::Arg: return Normal;
      case Op::Call: {
        std::vector<Value> args = inputs(n);
        if (n.sig->kind == FunctionKind::Density || n.sig->kind == FunctionKind::Cdf) {
          bool propto = o_.propto && n.sig->name.find("_lup") != std::string::npos;
          env[&n] = Value::real(callDensity(*n.sig, args, activeMask(n.inputs), propto));
        } else {
          env[&n] = callBuiltin(*n.sig, args, n.type);
        }
        return Normal;
      }
      case Op::CallGrad: {
        std::vector<Value> args = inputs(n, 2);
        env[&n] = builtinGrad(*n.sig, static_cast<int>(n.i), val(n.inputs[0]), val(n.inputs[1]), args);
        return Normal;
      }
      case Op::Index: {
        std::vector<const Value*> ops;
        for (size_t k = 1; k < n.inputs.size(); ++k) ops.push_back(&val(n.inputs[k]));
        env[&n] = indexValue(val(n.inputs[0]), indexPositions(n.s, ops), 0);
        return Normal;
      }
      case Op::MakeArray: {
        std::vector<Value> a = inputs(n);
        env[&n] = promote(Value::array(std::move(a)), n.type.base);
        return Normal;
      }
      case Op::MakeRow: {
        std::vector<Value> a = inputs(n);
        if (n.type.base.elem == ElemType::RowVector) {
          Eigen::MatrixXd m(1, a.size());
          for (size_t k = 0; k < a.size(); ++k) m(0, k) = a[k].num();
          env[&n] = Value::row(m);
        } else {
          Eigen::MatrixXd m(a.size(), a.empty() ? 0 : a[0].m.cols());
          for (size_t k = 0; k < a.size(); ++k) m.row(k) = a[k].m.row(0);
          env[&n] = Value::mat(m);
        }
        return Normal;
      }
      case Op::Select: {
        bool c = val(n.inputs[0]).num() != 0;
        region(*n.regions[c ? 0 : 1]);
        env[&n] = yield_;
        return Normal;
      }
      case Op::Yield: yield_ = val(n.inputs[0]); return Normal;
      case Op::TargetGet: env[&n] = Value::real(target); return Normal;
      case Op::TargetAdd: {
        std::vector<double> xs;
        flatten(val(n.inputs[0]), xs);
        for (double x : xs) target += x;
        return Normal;
      }
      case Op::Density: {
        bool propto = n.i && o_.propto;
        env[&n] = Value::real(callDensity(*n.sig, inputs(n), activeMask(n.inputs), propto));
        return Normal;
      }
      case Op::DensityBatched: {
        std::vector<Value> args = batchedArgs(n);
        bool propto = n.i && o_.propto;
        env[&n] = Value::real(callDensityBatched(*n.sig, args, batchedMask(n), propto));
        return Normal;
      }
      case Op::DensityGrad: return densityGrad(n);
      case Op::DensityBatchedGrad: return densityBatchedGrad(n);
      case Op::ParamGrad: {
        const Node* p = n.inputs[0];
        const ParamInfo& info = paramOf(*p);
        std::vector<Value> bounds;
        for (const Node* b : p->inputs) bounds.push_back(val(b));
        gradParam(*p, dims(p->type), bounds, theta_ + info.offset, val(p), val(n.inputs[1]), o_.jacobian,
                  grad_ + info.offset);
        return Normal;
      }
      case Op::Gradient:
        if (runGradient_) region(*n.regions[0]);
        return Normal;
      case Op::For: {
        int64_t lo = val(n.inputs[0]).i, hi = val(n.inputs[1]).i;
        const Region& body = *n.regions[0];
        for (int64_t i = lo; i <= hi; ++i) {
          env[body.args[0]] = Value::integer(i);
          if (region(body) == Break) break;
        }
        return Normal;
      }
      case Op::While:
        for (;;) {
          region(*n.regions[0]);
          if (yield_.num() == 0) break;
          if (region(*n.regions[1]) == Break) break;
        }
        return Normal;
      case Op::If: return region(*n.regions[val(n.inputs[0]).num() != 0 ? 0 : 1]);
      case Op::Break: return Break;
      case Op::Continue: return Continue;
      case Op::Print: return Normal;
      case Op::Reject:
      case Op::FatalError: throw Error("reject: " + n.s);
      case Op::Check: check(n); return Normal;
      default:
        throw Error(std::string("the interpreter does not support the op '") + opInfo(n.op).mnemonic + "' yet");
    }
  }

  const ParamInfo& paramOf(const Node& n) {
    for (const ParamInfo& p : I.params_)
      if (p.node == &n) return p;
    throw Error("interpreter: unknown parameter " + n.s);
  }

  void check(const Node& n) {
    std::vector<Value> in = inputs(n);
    std::string msg = checkConstraint(n.transform, in);
    if (!msg.empty()) throw Error(n.s + ": " + msg);
  }

  // Arguments of density.batched as arrays over n (gathered for 'g'), or one value ('b').
  std::vector<Value> batchedArgs(const Node& n) {
    int64_t lo = val(n.inputs[0]).i, hi = val(n.inputs[1]).i;
    std::vector<Value> out;
    size_t in = 2;
    for (char mode : n.s) {
      const Value& v = val(n.inputs[in++]);
      if (mode == 'b') {
        out.push_back(Value::array({v}));
      } else if (mode == 's') {
        std::vector<Value> a;
        for (int64_t i = lo; i <= hi; ++i) a.push_back(v.a.at(i - 1));
        out.push_back(Value::array(std::move(a)));
      } else {
        const Value& g = val(n.inputs[in++]);
        std::vector<Value> a;
        for (int64_t i = lo; i <= hi; ++i) a.push_back(v.a.at(g.a.at(i - 1).i - 1));
        out.push_back(Value::array(std::move(a)));
      }
    }
    return out;
  }

  uint32_t batchedMask(const Node& n) {
    uint32_t m = 0;
    size_t in = 2;
    for (size_t k = 0; k < n.s.size(); ++k) {
      if (I.active_.count(n.inputs[in])) m |= 1u << k;
      in += n.s[k] == 'g' ? 2 : 1;
    }
    return m;
  }

  // density.grad: inputs adj, the density's arguments, then accumulators of active ones.
  Flow densityGrad(const Node& n) {
    const std::string& mask = n.s;
    size_t nargs = mask.size();
    std::vector<Value> args;
    uint32_t active = 0;
    for (size_t k = 0; k < nargs; ++k) {
      args.push_back(val(n.inputs[1 + k]));
      if (mask[k] == 'a') active |= 1u << k;
    }
    std::vector<Value> grads(nargs);
    std::vector<Value*> gp(nargs, nullptr);
    for (size_t k = 0; k < nargs; ++k)
      if (mask[k] == 'a') {
        grads[k] = zerosLike(args[k]);
        gp[k] = &grads[k];
      }
    bool propto = o_.propto && n.i;
    // The forward activity of a density may include arguments that are inactive in this
    // evaluation's sense; the mask on the node is the truth.
    callDensityGrad(*n.sig, args, densityActive(n, active), propto, val(n.inputs[0]).num(), gp);
    size_t acc = 1 + nargs;
    for (size_t k = 0; k < nargs; ++k)
      if (mask[k] == 'a') assignInto(slot(n.inputs[acc++]), {}, 0, grads[k], AssignMode::Add);
    return Normal;
  }

  uint32_t densityActive(const Node& n, uint32_t mask) {
    (void)n;
    return mask;
  }

  // density.batched.grad: inputs adj, then the density.batched's inputs (lo, hi, arguments
  // and gather indexes), then accumulators of active arguments. attr s = "MODES/MASK": the
  // modes, then one letter per argument, a active.
  Flow densityBatchedGrad(const Node& n) {
    const std::string modes = n.s.substr(0, n.s.find('/'));
    const std::string mask = n.s.substr(n.s.find('/') + 1);
    Node fake;
    fake.inputs.assign(n.inputs.begin() + 1, n.inputs.end());
    fake.s = modes;
    std::vector<Value> args = batchedArgs(fake);
    uint32_t active = 0;
    std::vector<Value> grads(args.size());
    std::vector<Value*> gp(args.size(), nullptr);
    for (size_t k = 0; k < args.size(); ++k)
      if (mask[k] == 'a') {
        active |= 1u << k;
        grads[k] = zerosLike(args[k]);
        gp[k] = &grads[k];
      }
    bool propto = o_.propto && n.i;
    callDensityBatchedGrad(*n.sig, args, active, propto, val(n.inputs[0]).num(), gp);
    // Scatter back: accumulators are for the whole argument values.
    int64_t lo = val(n.inputs[1]).i, hi = val(n.inputs[2]).i;
    size_t in = 3, acc = 1 + 2;
    for (char m : modes) acc += m == 'g' ? 2 : 1;
    for (size_t k = 0; k < modes.size(); ++k) {
      const Node* argNode = n.inputs[in];
      const Node* gNode = modes[k] == 'g' ? n.inputs[in + 1] : nullptr;
      in += modes[k] == 'g' ? 2 : 1;
      (void)argNode;
      if (mask[k] != 'a') continue;
      Value& accv = slot(n.inputs[acc++]);
      if (modes[k] == 'b') {
        assignInto(accv, {}, 0, grads[k].a.at(0), AssignMode::Add);
      } else {
        for (int64_t i = lo; i <= hi; ++i) {
          int64_t target = modes[k] == 's' ? i : val(gNode).a.at(i - 1).i;
          assignInto(accv.a.at(target - 1), {}, 0, grads[k].a.at(i - lo), AssignMode::Add);
        }
      }
    }
    return Normal;
  }

  Interpreter& I;
  EvalOptions o_;
  const double* theta_;
  double* grad_;
  bool runGradient_;
  Value yield_;
};

Interpreter::Interpreter(const ir::Module& m, const io::DataMap& data) : m_(m), data_(data) {
  active_ = activeNodes(const_cast<ir::Module&>(m));
  for (const auto& f : m.functions)
    throw Error("the interpreter does not support user-defined functions yet (" + f.name + ")");
  Exec e(*this, EvalOptions{}, nullptr, nullptr, false);
  e.region(*m.data);
  e.region(*m.transformedData);
  // Parameter sizes (their dims are data).
  for (const auto& n : m.parameters->nodes) {
    if (n->op != Op::Param) {
      e.node(*n);
      continue;
    }
    ParamInfo p;
    p.node = n.get();
    p.name = n->s;
    p.offset = numUnc_;
    p.size = unconstrainedSize(*n, e.dims(n->type));
    numUnc_ += p.size;
    params_.push_back(p);
  }
  dataEnv_ = env_;
}

double Interpreter::logDensity(const std::vector<double>& theta, const EvalOptions& o) {
  if (theta.size() != numUnc_)
    throw Error("expected " + std::to_string(numUnc_) + " unconstrained parameters, got " + std::to_string(theta.size()));
  env_ = dataEnv_;
  Exec e(*this, o, theta.data(), nullptr, false);
  e.region(*m_.parameters);
  e.region(*m_.model);
  return e.target;
}

double Interpreter::logDensityGradient(const std::vector<double>& theta, const EvalOptions& o,
                                       std::vector<double>& grad) {
  if (theta.size() != numUnc_)
    throw Error("expected " + std::to_string(numUnc_) + " unconstrained parameters, got " + std::to_string(theta.size()));
  bool hasGradient = false;
  for (const auto& n : m_.model->nodes) hasGradient = hasGradient || n->op == Op::Gradient;
  if (!hasGradient && numUnc_ > 0) throw Error("the module has no gradient node: run autodiff::differentiate first");
  grad.assign(numUnc_, 0.0);
  env_ = dataEnv_;
  Exec e(*this, o, theta.data(), grad.data(), true);
  e.region(*m_.parameters);
  e.region(*m_.model);
  return e.target;
}

const Value& Interpreter::valueOf(const ir::Node* n) const {
  auto it = env_.find(n);
  if (it == env_.end()) throw Error("no value for %" + std::to_string(n->id));
  return it->second;
}

bool Interpreter::supportsBuiltin(const std::string& name) { return builtinSupported(name); }

}  // namespace mvc::interp
