// The inline scalar built-ins (see scalar_ops.h): one row per name, with the int and real
// forms it has. Integer division and modulus are not here: they must report a division by
// zero, which the runtime does.
#include "codegen/scalar_ops.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <map>

namespace mvc::codegen {
namespace {

using Args = std::vector<llvm::Value*>;
using B = llvm::IRBuilderBase;

enum class Form {
  IntOrReal,  // ints when every argument is an int and the result is int, else reals
  Real,       // reals (ints converted)
  Compare,    // int result 0/1 from ints or reals
  Logical,    // int result 0/1 from the truth of the arguments
};

struct Row {
  int arity;
  Form form;
  std::function<llvm::Value*(B&, llvm::Module&, const Args&)> intForm;   // may be empty
  std::function<llvm::Value*(B&, llvm::Module&, const Args&)> realForm;  // may be empty
};

llvm::Value* libm(B& b, llvm::Module& m, const char* fn, const Args& a) {
  std::vector<llvm::Type*> types(a.size(), b.getDoubleTy());
  auto callee = m.getOrInsertFunction(fn, llvm::FunctionType::get(b.getDoubleTy(), types, false));
  auto* call = b.CreateCall(callee, a);
  call->setDoesNotThrow();
  return call;
}

llvm::Value* intrinsic(B& b, llvm::Intrinsic::ID id, const Args& a) {
  return b.CreateIntrinsic(id, {b.getDoubleTy()}, a);
}

#define REAL1(expr) [](B& b, llvm::Module& m, const Args& a) -> llvm::Value* { (void)m; return expr; }
#define LIBM1(fn) [](B& b, llvm::Module& m, const Args& a) -> llvm::Value* { return libm(b, m, fn, a); }

const std::multimap<std::string, Row>& table() {
  static const std::multimap<std::string, Row> t = {
      // arithmetic: x + y, x - y, x * y, -x, +x; real division x / y
      {"operator+", {2, Form::IntOrReal, REAL1(b.CreateAdd(a[0], a[1])), REAL1(b.CreateFAdd(a[0], a[1]))}},
      {"operator-", {2, Form::IntOrReal, REAL1(b.CreateSub(a[0], a[1])), REAL1(b.CreateFSub(a[0], a[1]))}},
      {"operator*", {2, Form::IntOrReal, REAL1(b.CreateMul(a[0], a[1])), REAL1(b.CreateFMul(a[0], a[1]))}},
      {"operator-", {1, Form::IntOrReal, REAL1(b.CreateNeg(a[0])), REAL1(b.CreateFNeg(a[0]))}},
      {"operator+", {1, Form::IntOrReal, REAL1(a[0]), REAL1(a[0])}},
      {"operator/", {2, Form::Real, nullptr, REAL1(b.CreateFDiv(a[0], a[1]))}},
      // comparisons: NaN compares false except !=, as in C++ (and Stan)
      {"operator<", {2, Form::Compare, REAL1(b.CreateICmpSLT(a[0], a[1])), REAL1(b.CreateFCmpOLT(a[0], a[1]))}},
      {"operator<=", {2, Form::Compare, REAL1(b.CreateICmpSLE(a[0], a[1])), REAL1(b.CreateFCmpOLE(a[0], a[1]))}},
      {"operator>", {2, Form::Compare, REAL1(b.CreateICmpSGT(a[0], a[1])), REAL1(b.CreateFCmpOGT(a[0], a[1]))}},
      {"operator>=", {2, Form::Compare, REAL1(b.CreateICmpSGE(a[0], a[1])), REAL1(b.CreateFCmpOGE(a[0], a[1]))}},
      {"operator==", {2, Form::Compare, REAL1(b.CreateICmpEQ(a[0], a[1])), REAL1(b.CreateFCmpOEQ(a[0], a[1]))}},
      {"operator!=", {2, Form::Compare, REAL1(b.CreateICmpNE(a[0], a[1])), REAL1(b.CreateFCmpUNE(a[0], a[1]))}},
      // logic on truth values (the arguments arrive as i1)
      {"operator!", {1, Form::Logical, REAL1(b.CreateNot(a[0])), nullptr}},
      {"operator&&", {2, Form::Logical, REAL1(b.CreateAnd(a[0], a[1])), nullptr}},
      {"operator||", {2, Form::Logical, REAL1(b.CreateOr(a[0], a[1])), nullptr}},
      // real functions
      {"exp", {1, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::exp, a))}},
      {"log", {1, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::log, a))}},
      {"sqrt", {1, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::sqrt, a))}},
      {"fabs", {1, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::fabs, a))}},
      {"pow", {2, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::pow, a))}},
      {"operator^", {2, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::pow, a))}},
      {"fmin", {2, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::minnum, a))}},
      {"fmax", {2, Form::Real, nullptr, REAL1(intrinsic(b, llvm::Intrinsic::maxnum, a))}},
      {"square", {1, Form::Real, nullptr, REAL1(b.CreateFMul(a[0], a[0]))}},
      {"inv", {1, Form::Real, nullptr, REAL1(b.CreateFDiv(llvm::ConstantFP::get(b.getDoubleTy(), 1.0), a[0]))}},
      {"log1p", {1, Form::Real, nullptr, LIBM1("log1p")}},
      {"expm1", {1, Form::Real, nullptr, LIBM1("expm1")}},
      {"erf", {1, Form::Real, nullptr, LIBM1("erf")}},
      {"erfc", {1, Form::Real, nullptr, LIBM1("erfc")}},
      {"sin", {1, Form::Real, nullptr, LIBM1("sin")}},
      {"cos", {1, Form::Real, nullptr, LIBM1("cos")}},
      {"tan", {1, Form::Real, nullptr, LIBM1("tan")}},
      {"tanh", {1, Form::Real, nullptr, LIBM1("tanh")}},
      {"atan", {1, Form::Real, nullptr, LIBM1("atan")}},
  };
  return t;
}

const Row* find(const std::string& name, size_t arity) {
  auto range = table().equal_range(name);
  for (auto it = range.first; it != range.second; ++it)
    if (static_cast<size_t>(it->second.arity) == arity) return &it->second;
  return nullptr;
}

bool allInt(const std::vector<bool>& isInt) {
  for (bool b : isInt)
    if (!b) return false;
  return true;
}

}  // namespace

bool hasScalarOp(const std::string& name, const std::vector<bool>& argIsInt, bool intResult) {
  const Row* r = find(name, argIsInt.size());
  if (!r) return false;
  switch (r->form) {
    case Form::IntOrReal: return intResult ? (allInt(argIsInt) && r->intForm) : static_cast<bool>(r->realForm);
    case Form::Real: return !intResult && r->realForm;
    case Form::Compare:
    case Form::Logical: return intResult;
  }
  return false;
}

llvm::Value* emitScalarOp(llvm::IRBuilderBase& b, llvm::Module& m, const std::string& name,
                          const std::vector<llvm::Value*>& args, const std::vector<bool>& argIsInt, bool intResult) {
  if (!hasScalarOp(name, argIsInt, intResult)) return nullptr;
  const Row& r = *find(name, args.size());
  auto reals = [&] {
    Args a;
    for (size_t k = 0; k < args.size(); ++k)
      a.push_back(argIsInt[k] ? b.CreateSIToFP(args[k], b.getDoubleTy()) : args[k]);
    return a;
  };
  switch (r.form) {
    case Form::IntOrReal:
      if (intResult) return r.intForm(b, m, args);
      return r.realForm(b, m, reals());
    case Form::Real: return r.realForm(b, m, reals());
    case Form::Compare: {
      llvm::Value* c = allInt(argIsInt) ? r.intForm(b, m, args) : r.realForm(b, m, reals());
      return b.CreateZExt(c, b.getInt64Ty());
    }
    case Form::Logical: {
      Args t;
      for (size_t k = 0; k < args.size(); ++k)
        t.push_back(argIsInt[k] ? b.CreateICmpNE(args[k], b.getInt64(0))
                                : b.CreateFCmpUNE(args[k], llvm::ConstantFP::get(b.getDoubleTy(), 0.0)));
      return b.CreateZExt(r.intForm(b, m, t), b.getInt64Ty());
    }
  }
  return nullptr;
}

}  // namespace mvc::codegen
