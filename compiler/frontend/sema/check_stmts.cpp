// Statements and the block rules: what may be assigned where, where '~' and target += may
// appear, loops, conditions, break/continue/return.
#include <algorithm>

#include "frontend/ast_printer.h"
#include "frontend/sema/checker.h"

namespace mvc {
namespace {

// The variable an assignment writes to: the Var at the root of a (possibly indexed) lvalue.
Expr* rootVar(Expr& e) {
  Expr* p = &e;
  while (p->kind == ExprKind::Index) p = p->args[0].get();
  return p->kind == ExprKind::Var ? p : nullptr;
}

// Why a variable may not be assigned in the current context, or "" if it may.
std::string whyReadOnly(const VarDecl& d, BlockKind block, bool inFunction) {
  switch (d.origin) {
    case Origin::Data: return "it is data, which is read-only; to change it, declare a new variable in transformed data";
    case Origin::Parameter:
      return "it is a parameter, whose values come from the sampler; derived quantities belong in transformed "
             "parameters";
    case Origin::FunctionArg: return "it is a function argument, which is read-only; copy it into a local variable first";
    case Origin::LoopVar: return "it is a loop variable, which only the loop may change";
    case Origin::TransformedData:
      return block == BlockKind::TransformedData && !inFunction ? "" : "it is transformed data, which can only be set in the transformed data block";
    case Origin::TransformedParameter:
      return block == BlockKind::TransformedParameters && !inFunction
                 ? ""
                 : "it is a transformed parameter, which can only be set in the transformed parameters block";
    case Origin::GeneratedQuantity:
      return block == BlockKind::GeneratedQuantities && !inFunction
                 ? ""
                 : "it is a generated quantity, which can only be set in the generated quantities block";
    case Origin::ModelLocal:
    case Origin::Local: return "";
  }
  return "";
}

}  // namespace

void Checker::checkAssignable(const Expr& value, const Type& to, const std::string& target) {
  const Type& from = value.type;
  if (from.isError() || to.isError() || isAssignable(from, to)) return;
  if (from.isVoid()) {
    diags_.report(DiagKind::TypeMismatch, value.range,
                  value.name + "(...) returns nothing (it is a void function), so it has no value to store in " + target);
    return;
  }
  std::string hint;
  bool fromArray1 = from.arrayDims == 1 && (from.elem == ElemType::Real || from.elem == ElemType::Int);
  if (to.elem == ElemType::Int && from.elem == ElemType::Real && to.arrayDims == from.arrayDims)
    hint = "; a real is never converted to int implicitly (use to_int() if that is what you mean)";
  else if (fromArray1 && to == Type::vector())
    hint = "; convert it with to_vector(...)";
  else if (fromArray1 && to == Type::rowVector())
    hint = "; convert it with to_row_vector(...)";
  else if ((from == Type::vector() || from == Type::rowVector()) && to == Type::arrayOf(Type::real()))
    hint = "; convert it with to_array_1d(...)";
  diags_.report(DiagKind::TypeMismatch, value.range,
                "cannot store a value of type " + from.str() + " in " + target + " of type " + to.str() + hint);
}

void Checker::checkStmts(std::vector<StmtPtr>& items) {
  for (auto& s : items) checkStmt(*s);
}

void Checker::checkStmt(Stmt& s) {
  switch (s.kind) {
    case StmtKind::Decl:
      checkDecl(*s.decl);
      declare(*s.decl);
      return;

    case StmtKind::Assign: {
      checkExpr(*s.lhs);
      // 'y = normal(mu, sigma);' -- '=' where '~' was meant.
      if (s.name == "=" && s.rhs->kind == ExprKind::Call && builtins_.isDistribution(s.rhs->name) &&
          !builtins_.has(s.rhs->name) && userFunctions(s.rhs->name).empty()) {
        std::string args;
        for (size_t i = 0; i < s.rhs->args.size(); ++i) args += (i ? ", " : "") + exprToString(*s.rhs->args[i]);
        diags_.report(DiagKind::DistributionAsFunction, s.range,
                      "'" + s.rhs->name + "' is a distribution, not a function; to say that " + exprToString(*s.lhs) +
                          " has this distribution write '" + exprToString(*s.lhs) + " ~ " + s.rhs->name + "(" + args +
                          ");' ('=' stores a value, '~' states a distribution)");
        return;
      }
      checkExpr(*s.rhs);
      if (s.rhs->type.isError()) return;  // already reported: one mistake, one message
      Expr* root = rootVar(*s.lhs);
      if (root && root->decl) {
        std::string why = whyReadOnly(*root->decl, block_, inFunction());
        if (!why.empty()) {
          diags_.report(DiagKind::AssignToReadOnly, s.lhs->range, "cannot assign to '" + root->name + "': " + why);
          diags_.note(root->decl->nameRange, "'" + root->name + "' is declared here");
          return;
        }
      }
      const Type& lt = s.lhs->type;
      const Type& rt = s.rhs->type;
      if (lt.isError() || rt.isError()) return;
      if (s.name == "=") {
        checkAssignable(*s.rhs, lt, "'" + exprToString(*s.lhs) + "'");
        return;
      }
      // Compound assignment: x op= y means x = x op y, and the result must fit x.
      std::string op = s.name.substr(0, s.name.size() - 1);
      Type result = resolveOperator(op, {s.lhs.get(), s.rhs.get()}, s.range);
      if (!result.isError() && !isAssignable(result, lt)) {
        diags_.report(DiagKind::TypeMismatch, s.range,
                      "'" + s.name + "' would give a " + result.str() + ", which cannot be stored in '" +
                          exprToString(*s.lhs) + "' of type " + lt.str());
      }
      return;
    }

    case StmtKind::Tilde: {
      checkExpr(*s.lhs);
      for (auto& a : s.args) checkExpr(*a);
      if (s.truncLo) checkExpr(*s.truncLo);
      if (s.truncHi) checkExpr(*s.truncHi);
      if (!targetAllowed()) {
        diags_.report(DiagKind::TargetNotAllowed, s.range,
                      std::string("'~' statements belong in the model block (or in functions ending in _lp), not in ") +
                          contextName());
        return;
      }
      std::vector<Type> types{s.lhs->type};
      for (auto& a : s.args) types.push_back(a->type);
      if (std::any_of(types.begin(), types.end(), [](const Type& t) { return t.isError(); })) return;
      const std::string& fam = s.name;
      for (const char* suffix : {"_lpdf", "_lpmf", "_lupdf", "_lupmf", "_log"}) {
        std::string base = fam.substr(0, fam.size() - std::min(fam.size(), std::string(suffix).size()));
        bool known = builtins_.isDistribution(fam) || !userFunctions(fam + "_lpdf").empty() ||
                     !userFunctions(fam + "_lpmf").empty();
        if (!known && endsWith(fam, suffix) &&
            (builtins_.isDistribution(base) || !userFunctions(base + "_lpdf").empty() ||
             !userFunctions(base + "_lpmf").empty())) {
          diags_.report(DiagKind::UnknownDistribution, s.nameRange,
                        "in a '~' statement write the distribution without its suffix: 'y ~ " + base + "(...)'");
          return;
        }
      }
      bool anyUser = false;
      const FunctionDef* user = resolveUser(fam + "_lpdf", types, &anyUser);
      if (!user) user = resolveUser(fam + "_lpmf", types, &anyUser);
      if (user) {
        s.userFunction = user;
      } else if (builtins_.isDistribution(fam)) {
        std::string fn = builtins_.has(fam + "_lpdf") ? fam + "_lpdf" : fam + "_lpmf";
        Resolution r = builtins_.resolve(fn, types);
        if (!r.signature) {
          std::vector<Type> params(types.begin() + 1, types.end());
          diags_.report(DiagKind::NoMatchingSignature, s.range,
                        "no signature of " + fam + " matches " + types[0].str() + " ~ " + fam + typeList(params));
          std::string avail;
          for (const Signature* sig : builtins_.overloads(fn)) {
            std::string d = sig->describe();
            avail += "\n    " + d.substr(0, d.find(" =>"));
          }
          diags_.note(SourceRange{}, "available signatures:" + avail);
          return;
        }
        s.signature = r.signature;
      } else if (!anyUser) {
        std::vector<std::string> names = builtins_.distributionNames();
        for (const auto& [fname, defs] : functions_) {
          for (const char* suf : {"_lpdf", "_lpmf"})
            if (endsWith(fname, suf)) names.push_back(fname.substr(0, fname.size() - 5));
        }
        diags_.report(DiagKind::UnknownDistribution, s.nameRange, "unknown distribution '" + fam + "'");
        std::string foreign = foreignDistributionHint(fam);
        std::string guess = closestName(fam, names);
        if (!foreign.empty()) diags_.note(SourceRange{}, "in Stan's language this is " + foreign);
        else if (!guess.empty()) diags_.note(SourceRange{}, "did you mean '" + guess + "'?");
        return;
      } else {
        diags_.report(DiagKind::NoMatchingSignature, s.range,
                      "no signature of " + fam + " matches the arguments " + typeList(types));
        return;
      }
      if (s.hasTruncation) {
        bool userCdf = !userFunctions(fam + "_lcdf").empty() && !userFunctions(fam + "_lccdf").empty();
        bool ok = (s.signature && s.signature->truncatable) || (s.userFunction && userCdf);
        if (!ok) {
          diags_.report(DiagKind::TruncationNotAllowed, s.range,
                        "'" + fam + "' cannot be truncated with T[,]: truncation needs a univariate distribution with a "
                        "cumulative distribution function (_lcdf and _lccdf)");
          return;
        }
        for (Expr* b : {s.truncLo.get(), s.truncHi.get()}) {
          if (b && !b->type.isError() && !b->type.isScalar()) {
            diags_.report(DiagKind::TypeMismatch, b->range, "a truncation bound must be an int or real, but this is " + b->type.str());
          }
        }
      }
      return;
    }

    case StmtKind::TargetPlus:
      checkExpr(*s.rhs);
      if (!targetAllowed()) {
        diags_.report(DiagKind::TargetNotAllowed, s.range,
                      std::string("'target +=' belongs in the model block (or in functions ending in _lp), not in ") +
                          contextName());
        return;
      }
      if (!s.rhs->type.isError() && (s.rhs->type.isVoid() || s.rhs->type.elem == ElemType::Complex)) {
        diags_.report(DiagKind::TypeMismatch, s.rhs->range,
                      "'target +=' needs a number or a container of numbers, not " + s.rhs->type.str());
      }
      return;

    case StmtKind::ForRange:
    case StmtKind::ForEach: {
      Type varType = Type::integer();
      bool data = true;
      if (s.kind == StmtKind::ForRange) {
        checkExpr(*s.lo);
        checkExpr(*s.hi);
        for (Expr* b : {s.lo.get(), s.hi.get()}) {
          if (!b->type.isError() && !b->type.isIntScalar()) {
            diags_.report(DiagKind::LoopRange, b->range,
                          "the bounds of a for loop must be ints, but this is " + b->type.str() +
                              "; to loop over the elements of a container write 'for (x in container)'");
          }
        }
        data = s.lo->isData && s.hi->isData;
      } else {
        checkExpr(*s.rhs);
        const Type& c = s.rhs->type;
        data = s.rhs->isData;
        if (c.isArray()) {
          varType = c.elementOf();
        } else if (c.isLinAlg()) {
          varType = Type::real();
        } else if (!c.isError()) {
          diags_.report(DiagKind::LoopRange, s.rhs->range,
                        "'for (" + s.name + " in ...)' needs an array, vector, row_vector or matrix to loop over, but this is " +
                            c.str() + "; for a range of numbers write 'for (" + s.name + " in 1:N)'");
          varType = Type::error();
        }
      }
      ScopeGuard scope(scopes_);
      s.loopVarDecl = std::make_unique<VarDecl>();
      VarDecl& v = *s.loopVarDecl;
      v.name = s.name;
      v.range = v.nameRange = s.nameRange;
      v.origin = Origin::LoopVar;
      v.vtype = varType;
      v.dataOnly = data || varType.elem == ElemType::Int;
      s.loopVar = &v;
      declare(v);
      ++loopDepth_;
      checkStmt(*s.body);
      --loopDepth_;
      return;
    }

    case StmtKind::While:
    case StmtKind::If: {
      checkExpr(*s.cond);
      const Type& c = s.cond->type;
      if (!c.isError() && !c.isScalar()) {
        diags_.report(DiagKind::ConditionType, s.cond->range,
                      std::string("the condition of ") + (s.kind == StmtKind::If ? "'if'" : "'while'") +
                          " must be an int or real, but this is " + c.str());
      }
      if (s.kind == StmtKind::While) ++loopDepth_;
      {
        ScopeGuard scope(scopes_);
        checkStmt(*s.body);
      }
      if (s.kind == StmtKind::While) --loopDepth_;
      if (s.elseBody) {
        ScopeGuard scope(scopes_);
        checkStmt(*s.elseBody);
      }
      return;
    }

    case StmtKind::Break:
    case StmtKind::Continue:
      if (loopDepth_ == 0) {
        diags_.report(DiagKind::BreakOutsideLoop, s.range,
                      std::string(s.kind == StmtKind::Break ? "'break'" : "'continue'") + " is only allowed inside a loop");
      }
      return;

    case StmtKind::Return: {
      if (s.rhs) checkExpr(*s.rhs);
      if (!function_) {
        diags_.report(DiagKind::ReturnType, s.range, "'return' is only allowed inside a function");
        return;
      }
      const Type& want = function_->returnType;
      if (want.isVoid()) {
        if (s.rhs) {
          diags_.report(DiagKind::ReturnType, s.rhs->range,
                        "function " + function_->name + " is declared void, so it cannot return a value");
        }
        return;
      }
      if (!s.rhs) {
        diags_.report(DiagKind::ReturnType, s.range,
                      "function " + function_->name + " must return a value of type " + want.str());
        return;
      }
      if (!s.rhs->type.isError() && !isAssignable(s.rhs->type, want)) {
        diags_.report(DiagKind::ReturnType, s.rhs->range,
                      "function " + function_->name + " returns " + want.str() + ", but this value is " + s.rhs->type.str());
        diags_.note(function_->nameRange, "declared here");
      }
      return;
    }

    case StmtKind::Print:
    case StmtKind::Reject:
    case StmtKind::FatalError:
      for (auto& p : s.printables) {
        if (!p.expr) continue;
        checkExpr(*p.expr);
        if (p.expr->type.isVoid()) {
          diags_.report(DiagKind::TypeMismatch, p.expr->range, "a void function call has no value to print");
        }
      }
      return;

    case StmtKind::Profile: {
      ScopeGuard scope(scopes_);
      checkStmt(*s.body);
      return;
    }
    case StmtKind::Block: {
      ScopeGuard scope(scopes_);
      checkStmts(s.items);
      return;
    }
    case StmtKind::CallStmt:
      checkExpr(*s.rhs);
      if (!s.rhs->type.isError() && !s.rhs->type.isVoid()) {
        diags_.report(DiagKind::TypeMismatch, s.rhs->range,
                      "the value of " + s.rhs->name + "(...) is not used; assign it to a variable (only void functions "
                      "can be called as statements)");
      }
      return;
    case StmtKind::Empty: return;
  }
}

}  // namespace mvc
