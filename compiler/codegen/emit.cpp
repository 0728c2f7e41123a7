// IR -> LLVM IR (see emit.h). One Emitter builds the four functions of a model; each IR op
// has one case in Emitter::node, which is a call of the runtime function of
// runtime/include/mvc/compiled.h with the same name, or control flow.
#include "codegen/emit.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>

#include <chrono>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "codegen/native_target.h"
#include "codegen/scalar_ops.h"
#include "frontend/signatures.h"
#include "ir/activity.h"
#include "ir/rewrite.h"
#include "support/diagnostics.h"

namespace mvc::codegen {
using namespace ir;

namespace {

// The runtime's element codes (enum mvc_elem).
int elemCode(const Type& t, const Node& where) {
  switch (t.elem) {
    case ElemType::Int: return 0;
    case ElemType::Real: return 1;
    case ElemType::Vector: return 2;
    case ElemType::RowVector: return 3;
    case ElemType::Matrix: return 4;
    default:
      throw Unsupported(std::string("values of type ") + elemTypeName(t.elem) + " (line " +
                        std::to_string(where.range.begin.line) + ") are not supported by the code generator yet");
  }
}

std::string where(const Node& n) {
  return n.range.begin.line > 0 ? " (line " + std::to_string(n.range.begin.line) + ")" : "";
}

enum class FnKind { Construct, LogDensity, WriteArray, Unconstrain, User };

// The deepest chain of calls of user-defined functions (recursion) before a run-time error.
constexpr int kMaxCallDepth = 10000;

class Emitter {
 public:
  Emitter(const Module& m, llvm::LLVMContext& c) : m_(m), C(c), B(c) {
    M = newHostModule(c, m.name.empty() ? "model" : m.name);
    ptrT = llvm::PointerType::getUnqual(C);
    i64T = llvm::Type::getInt64Ty(C);
    i32T = llvm::Type::getInt32Ty(C);
    f64T = llvm::Type::getDoubleTy(C);
    voidT = llvm::Type::getVoidTy(C);
  }

  std::unique_ptr<llvm::Module> run() {
    active_ = activeNodes(const_cast<Module&>(m_));
    // Slots: every value computed at construction (top level of data / transformed data).
    for (Region* r : {m_.data.get(), m_.transformedData.get()})
      for (const auto& n : r->nodes)
        if (n->hasValue()) slot_[n.get()] = nslots_++;
    for (const auto& n : m_.parameters->nodes)
      if (n->op == Op::Param) paramIndex_[n.get()] = static_cast<int>(params_.size()), params_.push_back(n.get());
    for (Region* r : {m_.model.get(), m_.generated.get()})
      for (const auto& n : r->nodes)
        if (n->op == Op::Var && n->i == 1) outIndex_[n.get()] = static_cast<int>(params_.size() + outs_.size()), outs_.push_back(n.get());

    for (const auto& [name, r] : m_.sections())
      forEachNode(*r, [&](Node& n) {
        for (const Node* x : n.inputs) users_[x].push_back(&n);
      });
    for (const Node* n : active_) modelReadsTarget_ = modelReadsTarget_ || n->op == Op::TargetGet;  // (always active)
    findPreparable(*m_.model);
    findUnboxedParams();

    // User-defined functions that InlineFunctions left as calls: declared first (they may call
    // each other), then each body.
    for (const Function& f : m_.functions) declareUserFunction(f);
    for (const Function& f : m_.functions) userFunction(f);

    llvm::Function* construct = function("mvc_cg_construct", FnKind::Construct);
    llvm::Function* logDensity = function("mvc_cg_log_density", FnKind::LogDensity);
    llvm::Function* writeArray = function("mvc_cg_write_array", FnKind::WriteArray);
    llvm::Function* unconstrain = function("mvc_cg_unconstrain", FnKind::Unconstrain);

    auto* descT = llvm::StructType::create(C, {ptrT, i32T, ptrT, ptrT, ptrT, ptrT}, "mvc_cg_module");
    auto* init = llvm::ConstantStruct::get(descT, {str(m_.name), llvm::ConstantInt::get(i32T, nslots_), construct,
                                                   logDensity, writeArray, unconstrain});
    new llvm::GlobalVariable(*M, descT, true, llvm::GlobalValue::ExternalLinkage, init, "mvc_cg_module_desc");
    return std::move(M);
  }

 private:
  // ---------------------------------------------------------------- LLVM helpers
  llvm::FunctionCallee rt(const std::string& name, llvm::Type* ret, std::vector<llvm::Type*> params) {
    llvm::FunctionCallee f = M->getOrInsertFunction(name, llvm::FunctionType::get(ret, params, false));
    // Reading a value cannot fail and changes nothing, so LLVM may merge and hoist these.
    if (name == "mvc_v_as_int" || name == "mvc_v_as_real" || name == "mvc_st_slots" || name == "mvc_st_wants_gradient" ||
        name == "mvc_st_include_gq") {
      auto* fn = llvm::cast<llvm::Function>(f.getCallee());
      fn->setOnlyReadsMemory();
      fn->setDoesNotThrow();
      fn->setWillReturn();
    }
    return f;
  }
  llvm::Constant* str(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) return it->second;
    auto* data = llvm::ConstantDataArray::getString(C, s, true);
    auto* g = new llvm::GlobalVariable(*M, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, ".str");
    g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    strings_[s] = g;
    return g;
  }
  llvm::Value* i32(int64_t v) { return llvm::ConstantInt::get(i32T, v); }
  llvm::Value* i64(int64_t v) { return llvm::ConstantInt::get(i64T, v); }
  llvm::Value* nullPtr() { return llvm::ConstantPointerNull::get(ptrT); }

  // An array in the function's entry block (so loops do not grow the stack), filled here.
  llvm::Value* array(llvm::Type* elemT, const std::vector<llvm::Value*>& xs) {
    if (xs.empty()) return nullPtr();
    llvm::IRBuilder<> eb(&F->getEntryBlock(), F->getEntryBlock().begin());
    llvm::Value* a = eb.CreateAlloca(elemT, i32(xs.size()));
    for (size_t k = 0; k < xs.size(); ++k) B.CreateStore(xs[k], B.CreateConstGEP1_32(elemT, a, k));
    return a;
  }
  llvm::Value* handles(const std::vector<llvm::Value*>& xs) { return array(ptrT, xs); }
  llvm::Value* handlesOf(const std::vector<Node*>& ns, size_t from = 0, size_t to = SIZE_MAX) {
    std::vector<llvm::Value*> xs;
    for (size_t k = from; k < ns.size() && k < to; ++k) xs.push_back(value(ns[k]));
    return handles(xs);
  }

  // A node's value as a handle (boxing a scalar kept in a register, once per block).
  llvm::Value* value(const Node* n) {
    if (auto a = accSlot_.find(n); a != accSlot_.end()) {  // a scalar accumulator, boxed for a call
      for (auto& [slot, h] : accWriteBack_)  // one box per accumulator and node: it may be passed twice
        if (slot == a->second) return h;
      llvm::Value* h = call("mvc_v_real", ptrT, {ptrT, f64T}, {st_, B.CreateLoad(f64T, a->second)});
      accWriteBack_.push_back({a->second, h});
      return h;
    }
    auto it = vals_.find(n);
    if (it != vals_.end() && it->second.h) return it->second.h;
    auto s = slot_.find(n);
    if (s != slot_.end() && kind_ != FnKind::Construct)
      return B.CreateLoad(ptrT, B.CreateConstGEP1_32(ptrT, slots_, s->second));
    if (it != vals_.end() && it->second.s) {
      auto key = std::make_pair(n, B.GetInsertBlock());
      auto b = boxed_.find(key);
      if (b != boxed_.end()) return b->second;
      llvm::Value* h = isInt(n) ? call("mvc_v_int", ptrT, {ptrT, i64T}, {st_, it->second.s})
                                : call("mvc_v_real", ptrT, {ptrT, f64T}, {st_, it->second.s});
      boxed_[key] = h;
      return h;
    }
    throw InternalError("codegen: %" + std::to_string(n->id) + " (" + opInfo(n->op).mnemonic + ") used before it is computed");
  }

  static bool isInt(const Node* n) { return n->type.base.elem == ElemType::Int; }
  static bool isScalar(const Node* n) { return n->type.base.isScalar(); }

  // A scalar node's value in a register: i64 for an int, double for a real.
  llvm::Value* scalar(const Node* n) {
    if (n->op == Op::ConstInt) return i64(n->i);
    if (n->op == Op::ConstReal) return llvm::ConstantFP::get(f64T, n->d);
    auto it = vals_.find(n);
    if (it != vals_.end() && it->second.s) return it->second.s;
    llvm::Value* h = value(n);
    return isInt(n) ? call("mvc_v_as_int", i64T, {ptrT}, {h}) : call("mvc_v_as_real", f64T, {ptrT}, {h});
  }
  llvm::Value* realOf(const Node* n) {
    llvm::Value* v = scalar(n);
    return isInt(n) ? B.CreateSIToFP(v, f64T) : v;
  }
  // Is the node's value in a register only (no handle made yet)?
  bool inRegister(const Node* n) {
    if (n->op == Op::ConstInt || n->op == Op::ConstReal) return true;
    auto it = vals_.find(n);
    return it != vals_.end() && it->second.s && !it->second.h;
  }

  // Resolved sizes of a type: an i64 array and its length (0 when the sizes are unknown).
  std::pair<llvm::Value*, int> dims(const IrType& t, const Node& forWhat) {
    std::vector<llvm::Value*> d;
    for (const Dim& x : t.dims) {
      if (x.kind == Dim::Const) d.push_back(i64(x.constant));
      else if (x.kind == Dim::Value) d.push_back(scalar(x.value));
      else return {nullPtr(), 0};
    }
    (void)forWhat;
    return {array(i64T, d), static_cast<int>(d.size())};
  }

  // ---------------------------------------------------------------- functions
  // A function of the module, internal, tuned for the host; runtime errors are C++ exceptions
  // passing through it.
  llvm::Function* newFunction(llvm::FunctionType* type, const std::string& name) {
    auto* fn = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, *M);
    fn->setUWTableKind(llvm::UWTableKind::Async);
    tuneForHost(*fn);
    return fn;
  }

  // Starts emitting the body of fn (its first argument is the state): per-function state reset.
  void begin(llvm::Function* fn, FnKind kind) {
    F = fn;
    kind_ = kind;
    vals_.clear();
    boxed_.clear();
    accSlot_.clear();
    loops_.clear();
    currentFn_ = nullptr;
    depth_ = nullptr;
    B.SetInsertPoint(llvm::BasicBlock::Create(C, "entry", F));
    st_ = F->getArg(0);
  }

  llvm::Function* function(const std::string& name, FnKind kind) {
    begin(newFunction(llvm::FunctionType::get(voidT, {ptrT}, false), name), kind);
    slots_ = B.CreateCall(rt("mvc_st_slots", ptrT, {ptrT}), {st_});
    switch (kind) {
      case FnKind::Construct: {
        region(*m_.data);
        region(*m_.transformedData);
        for (const Prep& p : preps_) {
          llvm::Value* h = p.stats ? call("mvc_v_batched_stats", ptrT, {ptrT, i64T, i64T, ptrT, ptrT},
                                          {st_, scalar(p.inputs[0]), scalar(p.inputs[1]), value(p.inputs[2]),
                                           p.mode == 'g' ? value(p.inputs[5]) : nullPtr()})
                                   : call("mvc_v_batched_prepare", ptrT, {ptrT, ptrT, i32T, ptrT},
                                          {st_, str(p.family), i32(p.mode), value(p.cov)});
          B.CreateStore(h, B.CreateConstGEP1_32(ptrT, slots_, p.slot));
          for (int k = 0; k < 2; ++k)
            if (p.pack[k] >= 0)
              B.CreateStore(call("mvc_v_pack_items", ptrT, {ptrT, ptrT}, {st_, value(p.inputs[2 + static_cast<size_t>(k)])}),
                            B.CreateConstGEP1_32(ptrT, slots_, p.pack[k]));
        }
        for (const Node* p : params_) {
          auto [d, nd] = declDims(*p, "parameter");
          B.CreateCall(rt("mvc_st_declare_param", voidT, {ptrT, ptrT, ptrT, i32T, i32T, i32T, ptrT}),
                       {st_, str(p->s), str(p->transform), i32(elemCode(p->type.base, *p)),
                        i32(p->type.base.arrayDims), i32(nd), d});
        }
        for (const Node* o : outs_) {
          auto [d, nd] = declDims(*o, o->role == Role::GeneratedQuantity ? "generated quantity" : "transformed parameter");
          B.CreateCall(rt("mvc_st_declare_out", voidT, {ptrT, ptrT, i32T, i32T, i32T, i32T, ptrT}),
                       {st_, str(o->s), i32(o->role == Role::GeneratedQuantity ? 2 : 1),
                        i32(elemCode(o->type.base, *o)), i32(o->type.base.arrayDims), i32(nd), d});
        }
        break;
      }
      case FnKind::LogDensity:
        region(*m_.parameters);
        region(*m_.model);
        break;
      case FnKind::Unconstrain: region(*m_.parameters); break;
      case FnKind::User: throw InternalError("codegen: function() of a user-defined function");
      case FnKind::WriteArray: {
        region(*m_.parameters);
        for (const Node* p : params_)
          B.CreateCall(rt("mvc_v_out", voidT, {ptrT, i32T, ptrT}), {st_, i32(paramIndex_.at(p)), value(p)});
        region(*m_.model, /*writeArray=*/true);
        writeOuts(Role::TransformedParameter);
        llvm::Value* gq = B.CreateCall(rt("mvc_st_include_gq", i32T, {ptrT}), {st_});
        branchIf(B.CreateICmpNE(gq, i32(0)), [&] {
          region(*m_.generated);
          writeOuts(Role::GeneratedQuantity);
        }, nullptr);
        break;
      }
    }
    B.CreateRetVoid();
    return F;
  }

  // ---------------------------------------------------------------- user-defined functions
  // A function that is still called after InlineFunctions (recursive, or returning from
  // inside a loop) is an LLVM function of its own:
  //   RET mvc_fn.NAME(mvc_st* st, i32 depth, ARG...)
  // with int and real scalars as i64 and double (arguments and result), everything else as
  // handles (mvc_v*), and void for a void function. Its values are SSA values and its
  // variables runtime values made by mvc_v_var when the `var` node runs, so each activation
  // has its own locals and a recursive call cannot clobber its caller's. `depth` counts the
  // chain of calls (1 from a model function); past kMaxCallDepth the call is a run-time error
  // rather than a stack overflow.
  static bool realBased(const Type& t) { return t.elem == ElemType::Real; }
  llvm::Type* llvmTypeOf(const Type& t) {
    if (t.isVoid()) return voidT;
    if (t.isScalar()) return t.elem == ElemType::Int ? i64T : f64T;
    return ptrT;
  }

  void declareUserFunction(const Function& f) {
    if (!f.body) return;
    if (userFns_.count(f.name))
      throw Unsupported("the overloaded user-defined function '" + f.name +
                        "' is recursive or returns from inside a loop; overloads of such functions are not supported "
                        "by the code generator yet");
    std::vector<llvm::Type*> params{ptrT, i32T};
    for (const Node* a : f.body->args) params.push_back(llvmTypeOf(a->type.base));
    userFns_[f.name] = {&f, newFunction(llvm::FunctionType::get(llvmTypeOf(f.returnType), params, false), "mvc_fn." + f.name)};
  }

  void userFunction(const Function& f) {
    if (!f.body) return;
    begin(userFns_.at(f.name).F, FnKind::User);
    currentFn_ = &f;
    depth_ = F->getArg(1);
    slots_ = nullptr;  // a function reads only its arguments
    branchIf(B.CreateICmpSGT(depth_, i32(kMaxCallDepth)), [&] {
      call("mvc_fn_too_deep", voidT, {ptrT, ptrT, i32T}, {st_, str(f.name), i32(kMaxCallDepth)});
      B.CreateUnreachable();
    }, nullptr);
    for (size_t k = 0; k < f.body->args.size(); ++k) {
      const Node* a = f.body->args[k];
      if (isScalar(a)) setScalar(*a, F->getArg(static_cast<unsigned>(k + 2)));
      else set(*a, F->getArg(static_cast<unsigned>(k + 2)));
    }
    region(*f.body);
    if (!B.GetInsertBlock()->getTerminator()) {
      if (f.returnType.isVoid()) {
        B.CreateRetVoid();
      } else {  // sema makes every path return; this block is unreachable in practice
        call("mvc_fn_no_return", voidT, {ptrT, ptrT}, {st_, str(f.name)});
        B.CreateUnreachable();
      }
    }
    currentFn_ = nullptr;
    depth_ = nullptr;
  }

  // A value passed or returned as type `to` (an int, or int array, where reals are declared).
  llvm::Value* asType(const Node* x, const Type& to) {
    if (to.isScalar()) return to.elem == ElemType::Int ? scalar(x) : realOf(x);
    llvm::Value* h = value(x);
    if (realBased(to) && x->type.base.elem == ElemType::Int) h = call("mvc_v_promote_real", ptrT, {ptrT, ptrT}, {st_, h});
    return h;
  }

  void callUser(const Node& n) {
    auto it = userFns_.find(n.s);
    if (it == userFns_.end())
      throw Unsupported("the user-defined function '" + n.s + "'" + where(n) +
                        " has no body; it cannot be compiled");
    const Function& f = *it->second.f;
    if (f.body->args.size() != n.inputs.size())
      throw InternalError("codegen: call of '" + n.s + "' with " + std::to_string(n.inputs.size()) + " arguments");
    std::vector<llvm::Value*> args{st_, depth_ ? B.CreateAdd(depth_, i32(1)) : i32(1)};
    for (size_t k = 0; k < n.inputs.size(); ++k) args.push_back(asType(n.inputs[k], f.body->args[k]->type.base));
    llvm::Value* r = B.CreateCall(it->second.F, args);
    if (f.returnType.isVoid()) return;
    if (f.returnType.isScalar()) {
      // The call's type is the function's, but be safe about int -> real.
      if (!isInt(&n) && f.returnType.elem == ElemType::Int) r = B.CreateSIToFP(r, f64T);
      setScalar(n, r);
    } else {
      set(n, r);
    }
  }

  void returnFrom(const Node& n) {
    if (!currentFn_) throw Unsupported("return" + where(n) + " outside a function is not supported by the code generator");
    if (currentFn_->returnType.isVoid() || n.inputs.empty()) {
      B.CreateRetVoid();
      return;
    }
    B.CreateRet(asType(n.inputs[0], currentFn_->returnType));
  }

  void writeOuts(Role role) {
    for (const Node* o : outs_)
      if (o->role == role) B.CreateCall(rt("mvc_v_out", voidT, {ptrT, i32T, ptrT}), {st_, i32(outIndex_.at(o)), value(o)});
  }

  // Sizes of a parameter or output, which must be known after construction.
  std::pair<llvm::Value*, int> declDims(const Node& n, const char* what) {
    for (const Dim& x : n.type.dims)
      if (x.kind == Dim::Value && !slot_.count(x.value))
        throw Unsupported(std::string("the sizes of ") + what + " '" + n.s + "'" + where(n) +
                          " must be data (computed from the data and transformed data blocks)");
    if (n.type.dims.empty() && totalDims(n.type.base) > 0)
      throw Unsupported(std::string("the sizes of ") + what + " '" + n.s + "'" + where(n) + " are not known");
    return dims(n.type, n);
  }

  // if (cond) then() else otherwise(); either may leave the block terminated (break).
  void branchIf(llvm::Value* cond, const std::function<void()>& then, const std::function<void()>& otherwise) {
    auto* thenBB = llvm::BasicBlock::Create(C, "then", F);
    auto* elseBB = llvm::BasicBlock::Create(C, "else", F);
    auto* endBB = llvm::BasicBlock::Create(C, "endif", F);
    B.CreateCondBr(cond, thenBB, elseBB);
    B.SetInsertPoint(thenBB);
    then();
    if (!B.GetInsertBlock()->getTerminator()) B.CreateBr(endBB);
    B.SetInsertPoint(elseBB);
    if (otherwise) otherwise();
    if (!B.GetInsertBlock()->getTerminator()) B.CreateBr(endBB);
    B.SetInsertPoint(endBB);
  }

  void region(const Region& r, bool writeArray = false) {
    for (const auto& n : r.nodes) {
      if (writeArray && (n->role == Role::Model || n->op == Op::Gradient)) continue;
      // Code after break/continue is unreachable; give it a block of its own.
      if (B.GetInsertBlock()->getTerminator()) B.SetInsertPoint(llvm::BasicBlock::Create(C, "dead", F));
      node(*n);
      if (kind_ == FnKind::Construct && slot_.count(n.get()))
        B.CreateStore(value(n.get()), B.CreateConstGEP1_32(ptrT, slots_, slot_.at(n.get())));
    }
  }

  uint32_t activeMask(const std::vector<Node*>& args, size_t from = 0) {
    uint32_t m = 0;
    for (size_t k = from; k < args.size(); ++k)
      if (active_.count(args[k])) m |= 1u << (k - from);
    return m;
  }

  void set(const Node& n, llvm::Value* h) { vals_[&n].h = h; }
  void setScalar(const Node& n, llvm::Value* s) { vals_[&n].s = s; }

  llvm::Value* call(const char* name, llvm::Type* ret, std::vector<llvm::Type*> types, std::vector<llvm::Value*> args) {
    return B.CreateCall(rt(name, ret, std::move(types)), args);
  }

  // ---------------------------------------------------------------- one node
  void node(const Node& n) {
    emitNode(n);
    // Scalar accumulators that a runtime function got boxed: read back what it wrote.
    for (auto& [slot, h] : accWriteBack_) B.CreateStore(call("mvc_v_as_real", f64T, {ptrT}, {h}), slot);
    accWriteBack_.clear();
  }

  void emitNode(const Node& n) {
    const auto& in = n.inputs;
    int nin = static_cast<int>(in.size());
    switch (n.op) {
      case Op::ConstInt:
      case Op::ConstReal: setScalar(n, scalar(&n)); return;
      case Op::Data: {
        auto [d, nd] = dims(n.type, n);
        set(n, call("mvc_v_data", ptrT, {ptrT, ptrT, ptrT, i32T, i32T, i32T, ptrT},
                    {st_, str(n.s), str(declaredType(n)), i32(elemCode(n.type.base, n)), i32(n.type.base.arrayDims),
                     i32(nd), d}));
        return;
      }
      case Op::Param: {
        if (kind_ == FnKind::LogDensity && unboxed_.count(&n)) return;  // read from theta where used
        int k = paramIndex_.at(&n);
        const char* fn = kind_ == FnKind::Unconstrain ? "mvc_v_param_unconstrain" : "mvc_v_param";
        set(n, call(fn, ptrT, {ptrT, i32T, i32T, ptrT}, {st_, i32(k), i32(nin), handlesOf(in)}));
        return;
      }
      case Op::Var: {
        auto [d, nd] = dims(n.type, n);
        set(n, call("mvc_v_var", ptrT, {ptrT, i32T, i32T, i32T, ptrT},
                    {st_, i32(elemCode(n.type.base, n)), i32(n.type.base.arrayDims), i32(nd), d}));
        return;
      }
      case Op::Load:
        if (isScalar(&n)) {
          setScalar(n, isInt(&n) ? call("mvc_v_as_int", i64T, {ptrT}, {value(in[0])})
                                 : call("mvc_v_as_real", f64T, {ptrT}, {value(in[0])}));
          return;
        }
        set(n, call("mvc_v_load", ptrT, {ptrT, ptrT}, {st_, value(in[0])}));
        return;
      case Op::Store:
        if (isScalar(in[0]) && isScalar(in[1])) {
          if (isInt(in[0])) call("mvc_v_store_int", voidT, {ptrT, ptrT, i64T}, {st_, value(in[0]), scalar(in[1])});
          else call("mvc_v_store_real", voidT, {ptrT, ptrT, f64T}, {st_, value(in[0]), realOf(in[1])});
          return;
        }
        call("mvc_v_store", voidT, {ptrT, ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, value(in[0]), value(in[1]), str(""), i32(0), nullPtr()});
        return;
      case Op::StoreIndex:
        if (isScalar(in[1]) && !isInt(in[0]) && singles(n, 2)) {
          call("mvc_v_store_real_at", voidT, {ptrT, ptrT, f64T, i32T, ptrT},
               {st_, value(in[0]), realOf(in[1]), i32(nin - 2), indexArray(n, 2)});
          return;
        }
        call("mvc_v_store", voidT, {ptrT, ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, value(in[0]), value(in[1]), str(n.s), i32(nin - 2), handlesOf(in, 2)});
        return;
      case Op::TapeMark: call("mvc_v_tape_mark", voidT, {ptrT, i64T}, {st_, i64(n.i)}); return;
      case Op::TapeSave:
        if (singles(n, 1)) {
          call("mvc_v_tape_save_at", voidT, {ptrT, ptrT, i32T, ptrT}, {st_, value(in[0]), i32(nin - 1), indexArray(n, 1)});
          return;
        }
        call("mvc_v_tape_save", voidT, {ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, value(in[0]), str(n.s), i32(nin - 1), handlesOf(in, 1)});
        return;
      case Op::TapePop: call("mvc_v_tape_pop", voidT, {ptrT}, {st_}); return;
      case Op::TapeRestore: call("mvc_v_tape_restore", voidT, {ptrT, i64T}, {st_, i64(n.i)}); return;
      case Op::TapeMore:
        setScalar(n, call("mvc_v_tape_more", i64T, {ptrT, i64T, i64T}, {st_, i64(n.i), i64(static_cast<int64_t>(n.d))}));
        return;
      case Op::Arg: return;  // bound by the loop that owns the region
      case Op::Call: {
        if (n.sig->kind == FunctionKind::Density || n.sig->kind == FunctionKind::Cdf) {
          bool canDrop = n.sig->name.find("_lup") != std::string::npos;
          set(n, density(n, canDrop, 0));
          return;
        }
        if (kind_ == FnKind::LogDensity && n.sig->name == "size" && nin == 1 && unboxed_.count(in[0])) {
          setScalar(n, B.CreateSExt(call("mvc_st_param_len", i32T, {ptrT, i32T}, {st_, i32(paramIndex_.at(in[0]))}), i64T));
          return;
        }
        if (isScalar(&n)) {
          std::vector<llvm::Value*> args;
          std::vector<bool> ints;
          bool scalars = true;
          for (const Node* a : in) scalars = scalars && isScalar(a);
          if (scalars) {
            for (const Node* a : in) args.push_back(scalar(a)), ints.push_back(isInt(a));
            if (llvm::Value* r = emitScalarOp(B, *M, n.sig->name, args, ints, isInt(&n))) {
              setScalar(n, r);
              return;
            }
          }
        }
        auto* cache = new llvm::GlobalVariable(*M, ptrT, false, llvm::GlobalValue::InternalLinkage, nullPtrConst(),
                                               "cache." + n.sig->name);
        set(n, call("mvc_v_call", ptrT, {ptrT, ptrT, ptrT, i32T, i32T, i32T, ptrT},
                    {st_, cache, str(n.sig->name), i32(elemCode(n.type.base, n)), i32(n.type.base.arrayDims), i32(nin),
                     handlesOf(in)}));
        return;
      }
      case Op::CallUser: callUser(n); return;
      case Op::Index:
      case Op::LoadIndex:  // the base is the var's handle: read in place
        return index(n);
      case Op::MakeArray:
        set(n, call("mvc_v_make_array", ptrT, {ptrT, i32T, i32T, ptrT},
                    {st_, i32(n.type.base.elem == ElemType::Real), i32(nin), handlesOf(in)}));
        return;
      case Op::MakeRow:
        set(n, call("mvc_v_make_row", ptrT, {ptrT, i32T, ptrT}, {st_, i32(nin), handlesOf(in)}));
        return;
      case Op::Select: {
        llvm::Value* c = truth(in[0]);
        auto* thenBB = llvm::BasicBlock::Create(C, "sel.then", F);
        auto* elseBB = llvm::BasicBlock::Create(C, "sel.else", F);
        auto* endBB = llvm::BasicBlock::Create(C, "sel.end", F);
        B.CreateCondBr(c, thenBB, elseBB);
        B.SetInsertPoint(thenBB);
        llvm::Value* a = value(yieldOf(*n.regions[0]));
        llvm::BasicBlock* aBB = B.GetInsertBlock();
        B.CreateBr(endBB);
        B.SetInsertPoint(elseBB);
        llvm::Value* b = value(yieldOf(*n.regions[1]));
        llvm::BasicBlock* bBB = B.GetInsertBlock();
        B.CreateBr(endBB);
        B.SetInsertPoint(endBB);
        llvm::PHINode* phi = B.CreatePHI(ptrT, 2);
        phi->addIncoming(a, aBB);
        phi->addIncoming(b, bBB);
        set(n, phi);
        return;
      }
      case Op::Yield: yield_ = in[0]; return;
      case Op::TargetGet: set(n, call("mvc_v_target_get", ptrT, {ptrT}, {st_})); return;
      case Op::Rng:
        set(n, call("mvc_v_rng", ptrT, {ptrT, ptrT, i32T, i32T, i32T, ptrT},
                    {st_, str(n.sig->name), i32(elemCode(n.type.base, n)), i32(n.type.base.arrayDims), i32(nin),
                     handlesOf(in)}));
        return;
      case Op::TargetAdd:
        if (isScalar(in[0]) && inRegister(in[0])) {
          call("mvc_v_target_add_real", voidT, {ptrT, f64T}, {st_, realOf(in[0])});
          return;
        }
        call("mvc_v_target_add", voidT, {ptrT, ptrT}, {st_, value(in[0])});
        return;
      case Op::Density: set(n, density(n, n.i != 0, 0)); return;
      case Op::DensityBatched:
        if (const Prep* p = prepOf(n.sig, in, 0); p && p->direct && kind_ == FnKind::LogDensity) {
          std::vector<llvm::Value*> vals;
          for (int k = 0; k < 2; ++k)
            vals.push_back(p->param[k] >= 0 ? nullPtr()
                           : p->pack[k] >= 0 ? slotValue(p->pack[k])
                                             : value(in[2 + static_cast<size_t>(k)]));
          llvm::Value* params = array(i32T, {i32(p->param[0]), i32(p->param[1])});
          setScalar(n, call("mvc_v_density_batched_direct", f64T,
                            {ptrT, ptrT, ptrT, i32T, ptrT, i32T, i64T, i64T, ptrT, ptrT},
                            {st_, slotValue(p->slot), str(n.sig->family), i32(n.i != 0), str(n.s),
                             i32(batchedMask(n, 0)), scalar(in[0]), scalar(in[1]), params, handles(vals)}));
          return;
        }
        if (const Prep* p = prepOf(n.sig, in, 0)) {
          set(n, call("mvc_v_density_batched_prepared", ptrT, {ptrT, ptrT, ptrT, ptrT, i32T, ptrT, i32T, i32T, ptrT},
                      {st_, slotValue(p->slot), str(n.sig->name), str(n.sig->family), i32(n.i != 0), str(n.s),
                       i32(batchedMask(n, 0)), i32(nin), handlesOf(in)}));
          return;
        }
        set(n, call("mvc_v_density_batched", ptrT, {ptrT, ptrT, ptrT, i32T, ptrT, i32T, i32T, ptrT},
                    {st_, str(n.sig->name), str(n.sig->family), i32(n.i != 0), str(n.s), i32(batchedMask(n, 0)),
                     i32(nin), handlesOf(in)}));
        return;
      case Op::For: forLoop(n); return;
      case Op::While: whileLoop(n); return;
      case Op::If:
        branchIf(truth(in[0]), [&] { region(*n.regions[0]); }, [&] { region(*n.regions[1]); });
        return;
      case Op::Break:
      case Op::Continue:
        if (loops_.empty()) throw InternalError("codegen: break/continue outside a loop");
        B.CreateBr(n.op == Op::Break ? loops_.back().second : loops_.back().first);
        return;
      case Op::Return: returnFrom(n); return;
      case Op::Print:
        call("mvc_v_print", voidT, {ptrT, ptrT, i32T, ptrT}, {st_, str(n.s), i32(nin), handlesOf(in)});
        return;
      case Op::Reject:
      case Op::FatalError:
        call("mvc_v_reject", voidT, {ptrT, i32T, ptrT, i32T, ptrT},
             {st_, i32(n.op == Op::FatalError), str(n.s), i32(nin), handlesOf(in)});
        return;
      case Op::Check:
        call("mvc_v_check", voidT, {ptrT, ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, str(n.s), str(n.transform), value(in[0]), i32(nin - 1), handlesOf(in, 1)});
        return;
      case Op::Gradient: {
        llvm::Value* want = call("mvc_st_wants_gradient", i32T, {ptrT}, {st_});
        branchIf(B.CreateICmpNE(want, i32(0)), [&] { region(*n.regions[0]); }, nullptr);
        return;
      }
      case Op::AdjVar:
        if (isScalar(&n)) {
          llvm::IRBuilder<> eb(&F->getEntryBlock(), F->getEntryBlock().begin());
          llvm::AllocaInst* a = eb.CreateAlloca(f64T);
          B.CreateStore(llvm::ConstantFP::get(f64T, 0.0), a);
          accSlot_[&n] = a;
          return;
        }
        set(n, call("mvc_v_adj", ptrT, {ptrT, ptrT}, {st_, value(in[0])}));
        return;
      case Op::AdjGet:
        if (nin == 1 && accSlot_.count(in[0])) {
          setScalar(n, B.CreateLoad(f64T, accSlot_.at(in[0])));
          return;
        }
        if (nin == 1) {
          set(n, call("mvc_v_adj_get", ptrT, {ptrT, ptrT}, {st_, value(in[0])}));
          return;
        }
        if (n.s.find('m') != std::string::npos) {  // a multi-index may repeat: the last write wins
          set(n, call("mvc_v_adj_get_at", ptrT, {ptrT, ptrT, ptrT, i32T, ptrT},
                      {st_, value(in[0]), str(n.s), i32(nin - 1), handlesOf(in, 1)}));
          return;
        }
        return index(n);  // acc[indexes], read in place
      case Op::AdjAdd:
        if (nin == 2 && accSlot_.count(in[0]) && isScalar(in[1])) {
          llvm::AllocaInst* a = accSlot_.at(in[0]);
          B.CreateStore(B.CreateFAdd(B.CreateLoad(f64T, a), realOf(in[1])), a);
          return;
        }
        if (isScalar(in[1]) && singles(n, 2)) {
          call("mvc_v_adj_add_real_at", voidT, {ptrT, ptrT, f64T, i32T, ptrT},
               {st_, value(in[0]), realOf(in[1]), i32(nin - 2), indexArray(n, 2)});
          return;
        }
        call("mvc_v_adj_add", voidT, {ptrT, ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, value(in[0]), value(in[1]), str(n.s), i32(nin - 2), handlesOf(in, 2)});
        return;
      case Op::AdjZero:
        if (nin == 1 && accSlot_.count(in[0])) {
          B.CreateStore(llvm::ConstantFP::get(f64T, 0.0), accSlot_.at(in[0]));
          return;
        }
        if (singles(n, 1)) {
          call("mvc_v_adj_zero_at", voidT, {ptrT, ptrT, i32T, ptrT}, {st_, value(in[0]), i32(nin - 1), indexArray(n, 1)});
          return;
        }
        call("mvc_v_adj_zero", voidT, {ptrT, ptrT, ptrT, i32T, ptrT},
             {st_, value(in[0]), str(n.s), i32(nin - 1), handlesOf(in, 1)});
        return;
      case Op::CallGrad:
        set(n, call("mvc_v_call_grad", ptrT, {ptrT, ptrT, i32T, ptrT, ptrT, i32T, ptrT},
                    {st_, str(n.sig->name), i32(n.i), value(in[0]), value(in[1]), i32(nin - 2), handlesOf(in, 2)}));
        return;
      case Op::DensityGrad: {
        int nargs = static_cast<int>(n.s.size());
        call("mvc_v_density_grad", voidT, {ptrT, ptrT, ptrT, i32T, i32T, ptrT, ptrT, i32T, ptrT, i32T, ptrT},
             {st_, str(n.sig->name), str(n.sig->family), i32(n.sig->kind == FunctionKind::Cdf), i32(n.i != 0),
              str(n.s), value(in[0]), i32(nargs), handlesOf(in, 1, 1 + nargs), i32(nin - 1 - nargs),
              handlesOf(in, 1 + nargs)});
        return;
      }
      case Op::DensityBatchedGrad: {
        if (const Prep* p = prepOf(n.sig, in, 1); p && p->direct) return;  // the forward call did it
        std::string modes = n.s.substr(0, n.s.find('/')), mask = n.s.substr(n.s.find('/') + 1);
        int nb = 2;
        for (char c : modes) nb += c == 'g' ? 2 : 1;
        // After the inputs: per 'a' an accumulator, per 'p' the parameter itself, whose
        // gradient goes straight into the gradient vector (mvc_st_grad_at).
        std::vector<llvm::Value*> accs, flat;
        size_t t = 1 + static_cast<size_t>(nb);
        for (char c : mask) {
          if (c != 'a' && c != 'p') continue;
          const Node* target = in[t++];
          accs.push_back(c == 'a' ? value(target) : nullPtr());
          flat.push_back(c == 'p' ? call("mvc_st_grad_at", ptrT, {ptrT, i32T}, {st_, i32(paramIndex_.at(target))})
                                  : nullPtr());
        }
        llvm::Value* accArray = handles(accs);
        llvm::Value* flatArray = array(ptrT, flat);
        if (const Prep* p = prepOf(n.sig, in, 1)) {
          call("mvc_v_density_batched_grad_prepared", voidT,
               {ptrT, ptrT, ptrT, ptrT, i32T, ptrT, ptrT, i32T, ptrT, i32T, ptrT, ptrT},
               {st_, slotValue(p->slot), str(n.sig->name), str(n.sig->family), i32(n.i != 0), str(n.s), value(in[0]),
                i32(nb), handlesOf(in, 1, 1 + nb), i32(static_cast<int>(accs.size())), accArray, flatArray});
          return;
        }
        call("mvc_v_density_batched_grad", voidT, {ptrT, ptrT, ptrT, i32T, ptrT, ptrT, i32T, ptrT, i32T, ptrT, ptrT},
             {st_, str(n.sig->name), str(n.sig->family), i32(n.i != 0), str(n.s), value(in[0]), i32(nb),
              handlesOf(in, 1, 1 + nb), i32(static_cast<int>(accs.size())), accArray, flatArray});
        return;
      }
      case Op::ParamGrad: {
        const Node* p = in[0];
        call("mvc_v_param_grad", voidT, {ptrT, i32T, ptrT, i32T, ptrT, ptrT, ptrT, ptrT},
             {st_, i32(paramIndex_.at(p)), value(p), i32(static_cast<int>(p->inputs.size())), handlesOf(p->inputs),
              value(in[1]), str(n.s), handlesOf(in, 2)});
        return;
      }
    }
    throw InternalError(std::string("codegen: no case for op ") + opInfo(n.op).mnemonic);
  }

  // Whether inputs [from, end) are single indexes (attr s all 's'; none at all counts), which
  // the scalar fast paths take as an i64 array.
  static bool singles(const Node& n, size_t from) {
    return n.s.find_first_not_of('s') == std::string::npos && n.s.size() == n.inputs.size() - from;
  }
  llvm::Value* indexArray(const Node& n, size_t from) {
    std::vector<llvm::Value*> idx;
    for (size_t k = from; k < n.inputs.size(); ++k) idx.push_back(scalar(n.inputs[k]));
    return array(i64T, idx);
  }

  // base[indexes] (index, load.index, adj.get with indexes): input 0 is the base's handle.
  void index(const Node& n) {
    const auto& in = n.inputs;
    int nin = static_cast<int>(in.size());
    if (isScalar(&n) && n.s.find_first_not_of('s') == std::string::npos && n.s.size() == in.size() - 1) {
      std::vector<llvm::Value*> idx;
      for (size_t k = 1; k < in.size(); ++k) idx.push_back(scalar(in[k]));
      setScalar(n, call(isInt(&n) ? "mvc_v_index_int" : "mvc_v_index_real", isInt(&n) ? i64T : f64T,
                        {ptrT, ptrT, i32T, ptrT}, {st_, value(in[0]), i32(nin - 1), array(i64T, idx)}));
      return;
    }
    set(n, call("mvc_v_index", ptrT, {ptrT, ptrT, ptrT, i32T, ptrT},
                {st_, value(in[0]), str(n.s), i32(nin - 1), handlesOf(in, 1)}));
  }

  llvm::Constant* nullPtrConst() { return llvm::ConstantPointerNull::get(ptrT); }

  // ---------------------------------------------------------------- data covariances
  // A batched multivariate normal whose covariance argument is data gets its factors
  // computed once, at construction, into a model slot (mvc_v_batched_prepare): every matrix
  // of the argument, so the batch's bounds and gather index need not be known then.
  struct Prep {
    std::string family;
    char mode;
    const Node* cov;
    int slot;
    std::vector<const Node*> inputs;  // the density.batched's inputs, to find its gradient
    // The direct form (mvc_v_density_batched_direct): the term goes straight to target (its
    // adjoint is 1), y and mu are each an untransformed parameter array read from the
    // unconstrained vector with its gradient written in place (param: its index), data
    // packed once at construction (pack: the slot), or a broadcast value. The forward call
    // computes the gradient; the reverse node emits nothing.
    bool direct = false;
    int param[2] = {-1, -1};
    int pack[2] = {-1, -1};
    // Or, when the matrix is not data: y is data, mu one vector and the matrix one per group
    // of a data index (or one), so y is summarised per group at construction
    // (mvc_v_batched_stats: count, mean, scatter) and each group costs O(q^3) per gradient.
    bool stats = false;
  };

  void findPreparable(const Region& r) {
    for (const auto& np : r.nodes) {
      const Node& n = *np;
      for (const auto& sub : n.regions) findPreparable(*sub);
      if (n.op != Op::DensityBatched || n.s.size() < 3) continue;
      const std::string& fam = n.sig->family;
      if (fam != "multi_normal" && fam != "multi_normal_cholesky" && fam != "multi_normal_prec") continue;
      // inputs: lo, hi, then each argument (and its index array for g)
      size_t at = 2;
      for (size_t k = 0; k < 2; ++k) at += n.s[k] == 'g' ? 2 : 1;
      Prep p{fam, n.s[2], n.inputs[at], 0, {n.inputs.begin(), n.inputs.end()}};
      if (active_.count(p.cov) || !slot_.count(p.cov)) {  // the matrix is not data known at construction
        if (statsApply(n)) {
          p.stats = true;
          p.slot = nslots_++;
          preps_.push_back(p);
        }
        continue;
      }
      p.slot = nslots_++;
      decideDirect(n, p);
      preps_.push_back(p);
    }
  }

  // y data known at construction in mode s over bounds known then, mu one vector, the matrix
  // gathered through a data index or broadcast (inputs: lo, hi, y, mu, matrix[, G]).
  bool statsApply(const Node& n) const {
    if (n.s.size() != 3 || n.s[0] != 's' || n.s[1] != 'b' || (n.s[2] != 'g' && n.s[2] != 'b')) return false;
    auto known = [&](const Node* x) { return !active_.count(x) && (slot_.count(x) || x->op == Op::ConstInt); };
    return known(n.inputs[0]) && known(n.inputs[1]) && known(n.inputs[2]) && n.inputs[2]->op != Op::ConstInt &&
           (n.s[2] == 'b' || known(n.inputs[5]));
  }

  void decideDirect(const Node& n, Prep& p) {
    if (n.s.size() != 3 || n.s[0] == 'g' || n.s[1] == 'g' || n.s[2] == 'g') return;
    // Only at the top level of the model: the sweep recomputes what is inside a loop or branch
    // (a recomputed copy would not be this node), and only when nothing reads the target back
    // (target() makes a term's adjoint other than 1).
    if (n.parent != m_.model.get() || modelReadsTarget_) return;
    // Its adjoint is exactly 1: its value goes to target and nowhere else (the accumulator
    // the reverse sweep declares for it, `adj`, is fed only by that target.add).
    auto u = users_.find(&n);
    if (u == users_.end()) return;
    int toTarget = 0;
    for (const Node* x : u->second) {
      if (x->op == Op::TargetAdd) ++toTarget;
      else if (x->op != Op::AdjVar) return;
    }
    if (toTarget != 1) return;
    int param[2] = {-1, -1};
    bool pack[2] = {false, false};
    for (int k = 0; k < 2; ++k) {
      const Node* x = n.inputs[2 + static_cast<size_t>(k)];
      if (active_.count(x)) {
        bool plainArray = x->op == Op::Param && x->transform.empty() && x->inputs.empty() && n.s[k] == 's' &&
                          x->type.base.arrayDims == 1 &&
                          (x->type.base.elem == ElemType::Vector || x->type.base.elem == ElemType::RowVector);
        if (!plainArray) return;
        param[k] = paramIndex_.at(x);
      } else if (n.s[k] == 's') {
        if (!slot_.count(x)) return;  // per-item data not known at construction
        pack[k] = true;
      }
    }
    if (param[0] < 0 && param[1] < 0) return;  // nothing to read from theta: the general path
    for (int k = 0; k < 2; ++k) {
      p.param[k] = param[k];
      if (pack[k]) p.pack[k] = nslots_++;
    }
    p.direct = true;
  }

  // Parameters the log density never needs as values: every use is a direct batched node, its
  // (empty) reverse, or size() (answered from the declaration).
  void findUnboxedParams() {
    for (const Node* prm : params_) {
      auto u = users_.find(prm);
      if (u == users_.end() || !prm->transform.empty() || !prm->inputs.empty()) continue;
      bool all = true;
      for (const Node* x : u->second) {
        const Prep* p = x->op == Op::DensityBatched     ? prepOf(x->sig, x->inputs, 0)
                        : x->op == Op::DensityBatchedGrad ? prepOf(x->sig, x->inputs, 1)
                                                          : nullptr;
        bool ok = (p && p->direct) || (x->op == Op::Call && x->sig && x->sig->name == "size" && x->inputs.size() == 1);
        all = all && ok;
      }
      if (all) unboxed_.insert(prm);
    }
  }

  // The preparation for a density.batched (from = 0) or its .grad (from = 1: after adj).
  const Prep* prepOf(const Signature* sig, const std::vector<Node*>& in, size_t from) {
    for (const Prep& p : preps_) {
      if (p.family != sig->family || in.size() < from + p.inputs.size()) continue;
      bool same = true;
      for (size_t k = 0; k < p.inputs.size() && same; ++k) same = in[from + k] == p.inputs[k];
      if (same) return &p;
    }
    return nullptr;
  }

  llvm::Value* slotValue(int slot) { return B.CreateLoad(ptrT, B.CreateConstGEP1_32(ptrT, slots_, slot)); }

  // A condition: nonzero (NaN counts as true, as in C++).
  llvm::Value* truth(const Node* n) {
    if (!isScalar(n)) return B.CreateICmpNE(call("mvc_v_truth", i32T, {ptrT}, {value(n)}), i32(0));
    llvm::Value* v = scalar(n);
    return isInt(n) ? B.CreateICmpNE(v, i64(0)) : B.CreateFCmpUNE(v, llvm::ConstantFP::get(f64T, 0.0));
  }

  llvm::Value* density(const Node& n, bool canDrop, size_t from) {
    return call("mvc_v_density", ptrT, {ptrT, ptrT, ptrT, i32T, i32T, i32T, i32T, ptrT},
                {st_, str(n.sig->name), str(n.sig->family), i32(n.sig->kind == FunctionKind::Cdf), i32(canDrop),
                 i32(activeMask(n.inputs, from)), i32(static_cast<int>(n.inputs.size() - from)), handlesOf(n.inputs, from)});
  }

  // One bit per argument of density.batched (inputs: lo, hi, then arguments, each followed by
  // its index array in mode g).
  uint32_t batchedMask(const Node& n, size_t from) {
    uint32_t m = 0;
    size_t in = from + 2;
    for (size_t k = 0; k < n.s.size(); ++k) {
      if (active_.count(n.inputs[in])) m |= 1u << k;
      in += n.s[k] == 'g' ? 2 : 1;
    }
    return m;
  }

  const Node* yieldOf(const Region& r) {
    yield_ = nullptr;
    region(r);
    if (!yield_) throw InternalError("codegen: a region without yield");
    return yield_;
  }

  void forLoop(const Node& n) {
    llvm::Value* lo = scalar(n.inputs[0]);
    llvm::Value* hi = scalar(n.inputs[1]);
    llvm::BasicBlock* pre = B.GetInsertBlock();
    auto* head = llvm::BasicBlock::Create(C, "for.head", F);
    auto* body = llvm::BasicBlock::Create(C, "for.body", F);
    auto* latch = llvm::BasicBlock::Create(C, "for.next", F);
    auto* exit = llvm::BasicBlock::Create(C, "for.end", F);
    B.CreateBr(head);
    B.SetInsertPoint(head);
    llvm::PHINode* i = B.CreatePHI(i64T, 2, "i");
    i->addIncoming(lo, pre);
    B.CreateCondBr(B.CreateICmpSLE(i, hi), body, exit);
    B.SetInsertPoint(body);
    const Region& r = *n.regions[0];
    if (!r.args.empty()) setScalar(*r.args[0], i);
    loops_.push_back({latch, exit});
    region(r);
    loops_.pop_back();
    if (!B.GetInsertBlock()->getTerminator()) B.CreateBr(latch);
    B.SetInsertPoint(latch);
    i->addIncoming(B.CreateAdd(i, i64(1)), latch);
    B.CreateBr(head);
    B.SetInsertPoint(exit);
  }

  void whileLoop(const Node& n) {
    auto* head = llvm::BasicBlock::Create(C, "while.head", F);
    auto* body = llvm::BasicBlock::Create(C, "while.body", F);
    auto* exit = llvm::BasicBlock::Create(C, "while.end", F);
    B.CreateBr(head);
    B.SetInsertPoint(head);
    llvm::Value* c = truth(yieldOf(*n.regions[0]));
    B.CreateCondBr(c, body, exit);
    B.SetInsertPoint(body);
    loops_.push_back({head, exit});
    region(*n.regions[1]);
    loops_.pop_back();
    if (!B.GetInsertBlock()->getTerminator()) B.CreateBr(head);
    B.SetInsertPoint(exit);
  }

  // The declared type for messages: "array[N] real", as the IR prints it.
  static std::string declaredType(const Node& n) { return typeToString(n.type); }

  const Module& m_;
  llvm::LLVMContext& C;
  std::unique_ptr<llvm::Module> M;
  llvm::IRBuilder<> B;
  llvm::PointerType* ptrT;
  llvm::Type *i64T, *i32T, *f64T, *voidT;
  std::unordered_set<const Node*> active_;
  std::unordered_map<const Node*, int> slot_, paramIndex_, outIndex_;
  std::vector<const Node*> params_, outs_;
  std::vector<Prep> preps_;
  std::unordered_map<const Node*, std::vector<const Node*>> users_;
  std::unordered_set<const Node*> unboxed_;  // parameters the log density reads from theta only
  bool modelReadsTarget_ = false;             // target() in the parameters or model section
  int nslots_ = 0;
  std::map<std::string, llvm::Constant*> strings_;
  // per function
  llvm::Function* F = nullptr;
  FnKind kind_ = FnKind::Construct;
  llvm::Value* st_ = nullptr;
  llvm::Value* slots_ = nullptr;
  // A node's value in this function: a handle, a scalar in a register, or both.
  struct Val {
    llvm::Value* h = nullptr;
    llvm::Value* s = nullptr;
  };
  std::unordered_map<const Node*, Val> vals_;
  std::map<std::pair<const Node*, llvm::BasicBlock*>, llvm::Value*> boxed_;
  // Scalar accumulators of the reverse sweep live in stack slots (registers after mem2reg), not
  // in runtime handles; a runtime function that writes one gets a boxed copy, written back after.
  std::unordered_map<const Node*, llvm::AllocaInst*> accSlot_;
  std::vector<std::pair<llvm::AllocaInst*, llvm::Value*>> accWriteBack_;
  std::vector<std::pair<llvm::BasicBlock*, llvm::BasicBlock*>> loops_;  // continue, break targets
  const Node* yield_ = nullptr;
  // User-defined functions (by name) and, while emitting one, it and its depth argument.
  struct UserFn {
    const Function* f;
    llvm::Function* F;
  };
  std::map<std::string, UserFn> userFns_;
  const Function* currentFn_ = nullptr;
  llvm::Value* depth_ = nullptr;
};

}  // namespace

std::unique_ptr<llvm::Module> emitModule(const ir::Module& m, llvm::LLVMContext& context) {
  return Emitter(m, context).run();
}

std::string compileToObject(const ir::Module& m, const std::string& path, CompileTimings* timings,
                            std::string* llvmText) {
  auto t0 = std::chrono::steady_clock::now();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = emitModule(m, context);
  if (llvmText) {
    llvm::raw_string_ostream os(*llvmText);
    module->print(os, nullptr);
  }
  auto t1 = std::chrono::steady_clock::now();
  ObjectTimings ot;
  std::string err = emitObject(*module, path, &ot);
  if (timings) {
    timings->emitIrSeconds = std::chrono::duration<double>(t1 - t0).count();
    timings->optimizeSeconds = ot.optimizeSeconds;
    timings->objectSeconds = ot.emitSeconds;
  }
  return err;
}

std::string hostCpuName() { return llvm::sys::getHostCPUName().str(); }

}  // namespace mvc::codegen
