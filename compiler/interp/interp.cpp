// The interpreter's core: sections, control flow, variables, indexing, parameters.
// Built-ins are in builtins.cpp, densities in densities.cpp, transforms in params.cpp.
#include "interp/interp.h"

#include <cmath>
#include <exception>
#include <thread>
#include <limits>

#include "frontend/signatures.h"
#include "interp/params.h"
#include "ir/activity.h"
#include "ir/rewrite.h"

namespace mvc::interp {
using namespace ir;

namespace {

values::Elem elemOf(ElemType e) {
  switch (e) {
    case ElemType::Int: return values::Elem::Int;
    case ElemType::Real: return values::Elem::Real;
    case ElemType::Vector: return values::Elem::Vector;
    case ElemType::RowVector: return values::Elem::RowVector;
    case ElemType::Matrix: return values::Elem::Matrix;
    default: throw Error("interpreter: values of type " + std::string(elemTypeName(e)) + " are not supported", Error::kFatal);
  }
}

values::ResultType resultOf(const IrType& t) { return {elemOf(t.base.elem), t.base.arrayDims}; }

}  // namespace

// ------------------------------------------------------------------ execution

// Each case of node() is one IR op; its semantics are the value library's (the same function
// the compiled model's mvc_v_* calls, runtime/compiled/abi.cpp).
class Exec {
 public:
  Exec(Interpreter& in, const EvalOptions& o, const double* theta, double* grad, bool runGradient)
      : I(in), o_(o), theta_(theta), grad_(grad), runGradient_(runGradient) {}

  double target = 0;

  enum Flow { Normal, Break, Continue, Return };

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
      throw Error("interpreter: %" + std::to_string(n->id) + " (" + opInfo(n->op).mnemonic + ") has no value",
                  Error::kFatal);
    return it->second;
  }
  Value& slot(const Node* n) { return const_cast<Value&>(val(n)); }

  // The values of inputs [from, to) as arguments (pointers into the environment).
  std::vector<const Value*> ins(const Node& n, size_t from = 0, size_t to = SIZE_MAX) {
    std::vector<const Value*> v;
    for (size_t k = from; k < n.inputs.size() && k < to; ++k) v.push_back(&val(n.inputs[k]));
    return v;
  }
  std::vector<Value*> accs(const Node& n, size_t from) {
    std::vector<Value*> v;
    for (size_t k = from; k < n.inputs.size(); ++k) v.push_back(&slot(n.inputs[k]));
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

  Flow node(const Node& n) {
    auto& env = I.env_;
    switch (n.op) {
      case Op::ConstInt: env[&n] = Value::integer(n.i); return Normal;
      case Op::ConstReal: env[&n] = Value::real(n.d); return Normal;
      case Op::Data: env[&n] = readData(I.data_, n, dims(n.type)); return Normal;
      case Op::Param: {
        const ParamInfo& p = paramOf(n);
        double lp = 0;
        auto bounds = ins(n);
        env[&n] = values::constrainParam(n.s, n.transform, elemOf(n.type.base.elem), n.type.base.arrayDims,
                                         dims(n.type), values::Args(bounds), theta_ + p.offset,
                                         o_.jacobian ? &lp : nullptr);
        target += lp;
        return Normal;
      }
      case Op::Var: {
        std::vector<int64_t> d = dims(n.type);
        env[&n] = values::shaped(elemOf(n.type.base.elem), n.type.base.arrayDims, d);
        return Normal;
      }
      case Op::Load: env[&n] = val(n.inputs[0]); return Normal;
      case Op::LoadIndex: {
        auto ops = ins(n, 1);
        env[&n] = values::indexValue(val(n.inputs[0]), values::indexPositions(n.s, values::Args(ops)));
        return Normal;
      }
      case Op::Store:
      case Op::StoreIndex: {
        Value v = val(n.inputs[1]);
        if (n.inputs[0]->type.base.elem == ElemType::Real) v = values::promoteReal(std::move(v));
        auto ops = ins(n, 2);
        values::assignInto(slot(n.inputs[0]), values::indexPositions(n.op == Op::Store ? "" : n.s, values::Args(ops)),
                           0, v, values::AssignMode::Set);
        return Normal;
      }
      case Op::AdjAdd: {
        auto ops = ins(n, 2);
        values::assignInto(slot(n.inputs[0]), values::indexPositions(n.s, values::Args(ops)), 0, val(n.inputs[1]),
                           values::AssignMode::Add);
        return Normal;
      }
      case Op::AdjZero: {
        auto ops = ins(n, 1);
        values::assignInto(slot(n.inputs[0]), values::indexPositions(n.s, values::Args(ops)), 0, Value::real(0),
                           values::AssignMode::Zero);
        return Normal;
      }
      case Op::AdjVar: env[&n] = zerosLike(val(n.inputs[0])); return Normal;
      case Op::AdjGet: {
        if (n.inputs.size() == 1) {
          env[&n] = val(n.inputs[0]);
          return Normal;
        }
        auto ops = ins(n, 1);
        env[&n] = values::storeAdjoint(val(n.inputs[0]), values::indexPositions(n.s, values::Args(ops)));
        return Normal;
      }
      case Op::Arg: return Normal;
      case Op::Call: {
        auto args = ins(n);
        if (n.sig->kind == FunctionKind::Density || n.sig->kind == FunctionKind::Cdf) {
          bool propto = o_.propto && n.sig->name.find("_lup") != std::string::npos;
          env[&n] = Value::real(values::density(n.sig->name, n.sig->family, n.sig->kind == FunctionKind::Cdf,
                                                values::Args(args), activeMask(n.inputs), propto));
        } else {
          env[&n] = values::callBuiltin(n.sig->name, values::Args(args), resultOf(n.type));
        }
        return Normal;
      }
      case Op::CallGrad: {
        auto args = ins(n, 2);
        env[&n] = values::builtinGrad(n.sig->name, static_cast<int>(n.i), val(n.inputs[0]), val(n.inputs[1]),
                                      values::Args(args));
        return Normal;
      }
      case Op::Index: {
        auto ops = ins(n, 1);
        env[&n] = values::indexValue(val(n.inputs[0]), values::indexPositions(n.s, values::Args(ops)));
        return Normal;
      }
      case Op::MakeArray: {
        auto a = ins(n);
        env[&n] = values::makeArray(values::Args(a), n.type.base.elem == ElemType::Real);
        return Normal;
      }
      case Op::MakeRow: {
        auto a = ins(n);
        env[&n] = values::makeRow(values::Args(a));
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
        auto args = ins(n);
        env[&n] = Value::real(values::density(n.sig->name, n.sig->family, n.sig->kind == FunctionKind::Cdf,
                                              values::Args(args), activeMask(n.inputs), n.i && o_.propto));
        return Normal;
      }
      case Op::DensityBatched: {
        auto in = ins(n);
        env[&n] = Value::real(values::densityBatched(n.sig->family, n.s, values::Args(in), batchedMask(n),
                                                     n.i && o_.propto));
        return Normal;
      }
      case Op::DensityGrad: {
        // inputs: adj, the density's arguments, then the accumulators of active ones.
        size_t nargs = n.s.size();
        auto args = ins(n, 1, 1 + nargs);
        auto acc = accs(n, 1 + nargs);
        values::densityGrad(n.sig->name, n.sig->family, n.sig->kind == FunctionKind::Cdf, n.s, o_.propto && n.i,
                            val(n.inputs[0]).num(), values::Args(args), acc.data());
        return Normal;
      }
      case Op::DensityBatchedGrad: {
        // inputs: adj, the density.batched's inputs, then the accumulators of active ones.
        size_t nb = 2;
        for (char c : n.s.substr(0, n.s.find('/'))) nb += c == 'g' ? 2 : 1;
        auto in = ins(n, 1, 1 + nb);
        // After the inputs: per 'a' an accumulator, per 'p' the parameter, whose gradient goes
        // straight into the gradient vector.
        std::vector<Value*> acc;
        std::vector<double*> flat;
        size_t t = 1 + nb;
        for (char c : n.s.substr(n.s.find('/') + 1)) {
          if (c != 'a' && c != 'p') continue;
          const Node* target = n.inputs[t++];
          acc.push_back(c == 'a' ? &slot(target) : nullptr);
          flat.push_back(c == 'p' ? grad_ + paramOf(*target).offset : nullptr);
        }
        values::densityBatchedGrad(n.sig->family, n.s, o_.propto && n.i, val(n.inputs[0]).num(), values::Args(in),
                                   acc.data(), flat.data());
        return Normal;
      }
      case Op::ParamGrad: {
        const Node* p = n.inputs[0];
        const ParamInfo& info = paramOf(*p);
        auto bounds = ins(*p);
        // attr s: a/- per bound; the accumulators of the 'a' ones follow the param's.
        std::vector<Value*> boundAdj(bounds.size(), nullptr);
        for (size_t b = 0, next = 2; b < n.s.size() && b < bounds.size(); ++b)
          if (n.s[b] == 'a') boundAdj[b] = &slot(n.inputs[next++]);
        values::gradParam(p->s, p->transform, values::Args(bounds), theta_ + info.offset, val(p), val(n.inputs[1]),
                          o_.jacobian, grad_ + info.offset, boundAdj.data());
        return Normal;
      }
      case Op::Gradient:
        if (runGradient_) region(*n.regions[0]);
        return Normal;
      // The undo tape acts only when the gradient region will run (as mvc_v_tape_*).
      case Op::TapeMark:
        if (runGradient_) tape_.mark(n.i);
        return Normal;
      case Op::TapeSave:
        if (runGradient_) {
          auto ops = ins(n, 1);
          tape_.save(slot(n.inputs[0]), n.s, values::Args(ops));
        }
        return Normal;
      case Op::TapePop:
        if (runGradient_) tape_.pop();
        return Normal;
      case Op::TapeRestore:
        if (runGradient_) tape_.restore(n.i);
        return Normal;
      case Op::TapeMore:
        env[&n] = Value::integer(runGradient_ && tape_.more(n.i, static_cast<int64_t>(n.d)) ? 1 : 0);
        return Normal;
      case Op::For: {
        int64_t lo = val(n.inputs[0]).i, hi = val(n.inputs[1]).i;
        const Region& body = *n.regions[0];
        for (int64_t i = lo; i <= hi; ++i) {
          env[body.args[0]] = Value::integer(i);
          Flow f = region(body);
          if (f == Return) return Return;
          if (f == Break) break;
        }
        return Normal;
      }
      case Op::While:
        for (;;) {
          region(*n.regions[0]);
          if (yield_.num() == 0) break;
          Flow f = region(*n.regions[1]);
          if (f == Return) return Return;
          if (f == Break) break;
        }
        return Normal;
      case Op::If: return region(*n.regions[val(n.inputs[0]).num() != 0 ? 0 : 1]);
      case Op::CallUser: callUser(n); return Normal;
      case Op::Return:
        returned_ = n.inputs.empty() ? Value() : val(n.inputs[0]);
        return Return;
      case Op::Break: return Break;
      case Op::Continue: return Continue;
      case Op::Print: return Normal;
      case Op::Reject:
      case Op::FatalError: {
        auto in = ins(n);
        throw Error("reject: " + values::formatPieces(n.s, values::Args(in)),
                    n.op == Op::FatalError ? Error::kFatal : Error::kDomain);
      }
      case Op::Check: {
        auto in = ins(n);
        std::string msg = values::checkConstraint(n.transform, values::Args(in));
        if (!msg.empty()) throw Error(n.s + ": " + msg);
        return Normal;
      }
      default:
        throw Error(std::string("the interpreter does not support the op '") + opInfo(n.op).mnemonic + "' yet",
                    Error::kFatal);
    }
  }

  // A user-defined function InlineFunctions left as a call (recursive, or returning from inside
  // a loop): its body runs with the arguments bound to its args. Values are kept per node, so
  // the caller's values of the body's nodes (a recursive call) are saved and restored around it.
  // Ints passed or returned where reals are declared are converted, as code generation does.
  void callUser(const Node& n) {
    const Function* f = nullptr;
    for (const auto& fn : I.m_.functions)
      if (fn.name == n.s && fn.body) f = &fn;
    if (!f || f->body->args.size() != n.inputs.size())
      throw Error("interpreter: no body for the user-defined function '" + n.s + "'", Error::kFatal);
    if (depth_ >= kMaxCallDepth)
      throw Error("recursion deeper than " + std::to_string(kMaxCallDepth) + " calls in '" + n.s + "'",
                  constructing_ ? Error::kData : Error::kDomain);
    auto promoted = [](Value v, const Type& t) {
      return t.elem == ElemType::Real ? values::promoteReal(std::move(v)) : v;
    };
    std::vector<Value> args;
    for (size_t k = 0; k < n.inputs.size(); ++k) args.push_back(promoted(val(n.inputs[k]), f->body->args[k]->type.base));
    std::vector<const Node*> own(f->body->args.begin(), f->body->args.end());
    forEachNode(*f->body, [&](Node& x) {
      own.push_back(&x);
      for (const auto& r : x.regions) own.insert(own.end(), r->args.begin(), r->args.end());
    });
    std::vector<std::pair<const Node*, Value>> saved;
    auto& env = I.env_;
    for (const Node* x : own) {
      auto it = env.find(x);
      if (it != env.end()) {
        saved.emplace_back(x, std::move(it->second));
        env.erase(it);
      }
    }
    auto restore = [&] {
      for (const Node* x : own) env.erase(x);
      for (auto& [x, v] : saved) env[x] = std::move(v);
    };
    for (size_t k = 0; k < args.size(); ++k) env[f->body->args[k]] = std::move(args[k]);
    ++depth_;
    Flow flow = Normal;
    try {
      // About 1 KB of native stack per call (more with nested regions): every 256 calls
      // deep, continue on a new thread's stack, so that the depth limit, not the main
      // thread's stack, decides how deep a recursion may go.
      if (depth_ % 256 == 0) {
        std::exception_ptr failed;
        std::thread t([&] {
          try {
            flow = region(*f->body);
          } catch (...) {
            failed = std::current_exception();
          }
        });
        t.join();
        if (failed) std::rethrow_exception(failed);
      } else {
        flow = region(*f->body);
      }
    } catch (...) {
      --depth_;
      restore();
      throw;
    }
    --depth_;
    restore();
    if (f->returnType.isVoid()) return;
    if (flow != Return) throw Error("the function '" + n.s + "' ended without returning a value", Error::kFatal);
    env[&n] = promoted(std::move(returned_), f->returnType);
  }

  const ParamInfo& paramOf(const Node& n) {
    for (const ParamInfo& p : I.params_)
      if (p.node == &n) return p;
    throw Error("interpreter: unknown parameter " + n.s, Error::kFatal);
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

  Interpreter& I;
  EvalOptions o_;
  const double* theta_;
  double* grad_;
  bool runGradient_;
  Value yield_;
  values::Tape tape_;
  Value returned_;  // the value of the last `return`
  int depth_ = 0;   // calls of user-defined functions in progress
  // The same limit as compiled code (codegen/emit.cpp); the interpreter's frames are larger,
  // so it also needs a large enough stack (tests run it on the main thread).
  static constexpr int kMaxCallDepth = 10000;

 public:
  bool constructing_ = false;
};

Interpreter::Interpreter(const ir::Module& m, const io::DataMap& data) : m_(m), data_(data) {
  active_ = activeNodes(const_cast<ir::Module&>(m));
  Exec e(*this, EvalOptions{}, nullptr, nullptr, false);
  e.constructing_ = true;
  e.region(*m.data);
  e.region(*m.transformedData);
  // Parameter sizes (their dims are data).
  for (const auto& n : m.parameters->nodes) {
    if (n->op != Op::Param) {
      if (!active_.count(n.get())) e.node(*n);  // a bound computed from parameters is not a size
      continue;
    }
    ParamInfo p;
    p.node = n.get();
    p.name = n->s;
    p.offset = numUnc_;
    std::vector<int64_t> d = e.dims(n->type);
    if (d.size() != static_cast<size_t>(totalDims(n->type.base)))
      throw Error("interpreter: the sizes of parameter " + n->s + " are not known", Error::kFatal);
    p.size = static_cast<size_t>(
        values::unconstrainedSize(n->transform, elemOf(n->type.base.elem), n->type.base.arrayDims, d));
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

bool Interpreter::supportsBuiltin(const std::string& name) { return values::builtinSupported(name); }

}  // namespace mvc::interp
