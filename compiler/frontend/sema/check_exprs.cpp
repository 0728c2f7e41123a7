// Expressions: names, literals, operators, indexing, function calls.
// Each expression gets its type and whether it is data-only. After an error the expression's
// type is the error type, which every later check accepts silently, so that one mistake gives
// one message.
#include <algorithm>

#include "frontend/ast_printer.h"
#include "frontend/sema/checker.h"

namespace mvc {
namespace {

std::string opSpelling(const std::string& op) { return "'" + op + "'"; }

// A hint for the most common operator mistakes, in the program's own terms.
std::string operatorHint(const std::string& op, const std::vector<Type>& t) {
  auto is = [&](size_t i, ElemType e) { return t.size() > i && t[i].arrayDims == 0 && t[i].elem == e; };
  if (op == "*" && t.size() == 2 && ((is(0, ElemType::Vector) && is(1, ElemType::Vector)) ||
                                     (is(0, ElemType::RowVector) && is(1, ElemType::RowVector))))
    return "; for an elementwise product use '.*', for a dot product use dot_product(a, b)";
  if (op == "/" && t.size() == 2 && t[1].isLinAlg()) return "; for elementwise division use './'";
  if (std::any_of(t.begin(), t.end(), [](const Type& x) { return x.isArray(); }))
    return "; arithmetic operators do not apply to arrays: use a vector, or loop over the elements";
  return "";
}

}  // namespace

std::string Checker::typeList(const std::vector<Type>& types) const {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? ", " : "") + types[i].str();
  return s + ")";
}

Type Checker::resolveOperator(const std::string& op, const std::vector<Expr*>& operands, SourceRange range,
                              const Signature** sig) {
  std::vector<Type> types;
  for (Expr* e : operands) {
    if (e->type.isError()) return Type::error();
    types.push_back(e->type);
  }
  Resolution r = builtins_.resolve("operator" + op, types);
  if (!r.signature) {
    std::string desc = operands.size() == 1 ? "operator " + opSpelling(op) + " cannot be applied to " + types[0].str()
                                            : "operator " + opSpelling(op) + " cannot be applied to " + types[0].str() +
                                                  " and " + types[1].str();
    diags_.report(DiagKind::NoMatchingSignature, range, desc + operatorHint(op, types));
    return Type::error();
  }
  if (sig) *sig = r.signature;
  return r.type;
}

void Checker::checkExpr(Expr& e) {
  auto allData = [&]() {
    return std::all_of(e.args.begin(), e.args.end(), [](const ExprPtr& a) { return a->isData; });
  };
  switch (e.kind) {
    case ExprKind::IntLit:
      e.type = Type::integer();
      e.isData = true;
      return;
    case ExprKind::RealLit:
      e.type = Type::real();
      e.isData = true;
      return;
    case ExprKind::ImagLit:
      diags_.report(DiagKind::Unsupported, e.range, "complex numbers are not supported by mvc yet");
      e.type = Type::error();
      return;
    case ExprKind::Var: {
      const VarDecl* d = scopes_.lookup(e.name);
      if (!d) {
        e.type = Type::error();
        if (builtins_.has(e.name) || functions_.count(e.name)) {
          diags_.report(DiagKind::UndeclaredName, e.range,
                        "'" + e.name + "' is a function, not a variable; call it with arguments: " + e.name + "(...)");
          return;
        }
        diags_.report(DiagKind::UndeclaredName, e.range, "'" + e.name + "' is not declared");
        auto later = allTopLevel_.find(e.name);
        if (later != allTopLevel_.end() && later->second->range.begin.offset > e.range.begin.offset) {
          diags_.note(later->second->nameRange, "it is declared later, here; a variable must be declared before it is used");
        } else {
          std::string guess = closestName(e.name, scopes_.visibleNames());
          if (!guess.empty()) diags_.note(scopes_.lookup(guess)->nameRange, "did you mean '" + guess + "'?");
        }
        return;
      }
      e.decl = d;
      e.type = d->vtype;
      e.isData = d->dataOnly;
      return;
    }
    case ExprKind::TargetCall:
      e.type = Type::real();
      if (!targetAllowed()) {
        diags_.report(DiagKind::TargetNotAllowed, e.range,
                      std::string("target() is only available in the model block and in functions ending in _lp, not in ") +
                          contextName());
      }
      return;
    case ExprKind::Paren:
      checkExpr(*e.args[0]);
      e.type = e.args[0]->type;
      e.isData = e.args[0]->isData;
      return;
    case ExprKind::Binary:
    case ExprKind::Unary:
    case ExprKind::Transpose: {
      std::vector<Expr*> ops;
      for (auto& a : e.args) {
        checkExpr(*a);
        ops.push_back(a.get());
      }
      std::string op = e.kind == ExprKind::Transpose ? "'" : e.name;
      e.type = resolveOperator(op, ops, e.range, &e.signature);
      e.isData = allData();
      return;
    }
    case ExprKind::Ternary: {
      for (auto& a : e.args) checkExpr(*a);
      e.isData = allData();
      const Type& c = e.args[0]->type;
      if (!c.isError() && !c.isIntScalar()) {
        diags_.report(DiagKind::ConditionType, e.args[0]->range,
                      "the condition of '?:' must be an int, but this is " + c.str());
      }
      const Type& a = e.args[1]->type;
      const Type& b = e.args[2]->type;
      if (a.isError() || b.isError()) {
        e.type = Type::error();
      } else if (promotable(a, b)) {
        e.type = b;
      } else if (promotable(b, a)) {
        e.type = a;
      } else {
        diags_.report(DiagKind::TypeMismatch, e.range,
                      "the two branches of '?:' must have the same type, but they are " + a.str() + " and " + b.str());
        e.type = Type::error();
      }
      return;
    }
    case ExprKind::Index: {
      Expr& base = *e.args[0];
      checkExpr(base);
      e.isData = base.isData;
      Type t = base.type;
      bool bad = t.isError();
      // Each index position: array dimensions first, then rows, then columns.
      int arrayLeft = t.arrayDims, position = 0, keptArrays = 0;
      int linalgIndexes = 0;
      std::vector<bool> linalgSingle;
      for (Index& ix : e.indices) {
        for (Expr* part : {ix.lo.get(), ix.hi.get()}) {
          if (!part) continue;
          checkExpr(*part);
          e.isData = e.isData && part->isData;
          const Type& pt = part->type;
          bool okSingle = pt.isIntScalar();
          bool okMulti = ix.kind == IndexKind::Single && pt.elem == ElemType::Int && pt.arrayDims == 1;
          if (!pt.isError() && !okSingle && !okMulti) {
            diags_.report(DiagKind::BadIndex, part->range,
                          "an index must be an int" + std::string(ix.kind == IndexKind::Single ? " or an array[] int" : "") +
                              ", but this is " + pt.str());
            bad = true;
          }
        }
        bool single = !ix.isMulti();
        if (position < t.arrayDims) {
          if (!single) ++keptArrays;
          --arrayLeft;
        } else {
          ++linalgIndexes;
          linalgSingle.push_back(single);
        }
        ++position;
      }
      if (bad) {
        e.type = Type::error();
        return;
      }
      int maxLinalg = t.elem == ElemType::Matrix ? 2 : (t.elem == ElemType::Vector || t.elem == ElemType::RowVector) ? 1 : 0;
      if (linalgIndexes > maxLinalg) {
        int dims = totalDims(t);
        std::string what = base.kind == ExprKind::Var ? "'" + base.name + "'" : "this expression";
        diags_.report(DiagKind::BadIndex, e.range,
                      "too many indexes: " + what + " has type " + t.str() + ", which takes at most " +
                          std::to_string(dims) + " index" + (dims == 1 ? "" : "es") + ", but " +
                          std::to_string(e.indices.size()) + " were given");
        if (base.decl) diags_.note(base.decl->nameRange, "'" + base.name + "' is declared here");
        e.type = Type::error();
        return;
      }
      ElemType elem = t.elem;
      if (t.elem == ElemType::Vector || t.elem == ElemType::RowVector) {
        if (linalgIndexes == 1 && linalgSingle[0]) elem = ElemType::Real;
      } else if (t.elem == ElemType::Matrix) {
        if (linalgIndexes == 1) elem = linalgSingle[0] ? ElemType::RowVector : ElemType::Matrix;
        if (linalgIndexes == 2) {
          bool r = linalgSingle[0], c = linalgSingle[1];
          elem = r && c ? ElemType::Real : r ? ElemType::RowVector : c ? ElemType::Vector : ElemType::Matrix;
        }
      }
      e.type = Type{elem, keptArrays + std::max(arrayLeft, 0)};
      return;
    }
    case ExprKind::ArrayLit: {
      for (auto& a : e.args) checkExpr(*a);
      e.isData = allData();
      Type elem = Type::error();
      for (auto& a : e.args) {
        if (a->type.isError()) {
          e.type = Type::error();
          return;
        }
        if (elem.isError() || promotable(elem, a->type)) elem = a->type;
        else if (!promotable(a->type, elem)) {
          diags_.report(DiagKind::TypeMismatch, a->range,
                        "all elements of an array must have the same type; this one is " + a->type.str() +
                            ", an earlier one is " + elem.str());
          e.type = Type::error();
          return;
        }
      }
      e.type = Type::arrayOf(elem);
      return;
    }
    case ExprKind::RowVectorLit: {
      for (auto& a : e.args) checkExpr(*a);
      e.isData = allData();
      bool scalars = true, rows = true;
      for (auto& a : e.args) {
        if (a->type.isError()) {
          e.type = Type::error();
          return;
        }
        scalars = scalars && a->type.isScalar();
        rows = rows && a->type == Type::rowVector();
      }
      if (scalars) e.type = Type::rowVector();
      else if (rows) e.type = Type::matrix();
      else {
        diags_.report(DiagKind::TypeMismatch, e.range,
                      "the elements of [...] must all be numbers (giving a row_vector) or all row_vectors (giving a matrix)");
        e.type = Type::error();
      }
      return;
    }
    case ExprKind::Call: break;
  }

  // ---- function calls
  for (auto& a : e.args) checkExpr(*a);
  e.isData = allData();
  e.type = Type::error();
  std::vector<Type> types;
  for (auto& a : e.args) {
    if (a->type.isError()) return;
    types.push_back(a->type);
  }
  const std::string& name = e.name;
  bool densityLike = endsWith(name, "_lpdf") || endsWith(name, "_lpmf") || endsWith(name, "_lupdf") ||
                     endsWith(name, "_lupmf") || endsWith(name, "_cdf") || endsWith(name, "_lcdf") ||
                     endsWith(name, "_lccdf");
  if (e.conditional && !densityLike) {
    diags_.report(DiagKind::SyntaxError, e.range,
                  "the '|' notation is only for densities and distribution functions (_lpdf, _lpmf, _cdf, ...); "
                  "write " + name + "(a, b, ...)");
    return;
  }
  // Stan 2.33: f_lpdf(y | mu, sigma), not f_lpdf(y, mu, sigma); one-argument calls have no '|'.
  if (densityLike && !e.conditional && e.args.size() >= 2) {
    std::string rest;
    for (size_t i = 1; i < e.args.size(); ++i) rest += (i > 1 ? ", " : "") + exprToString(*e.args[i]);
    diags_.report(DiagKind::MissingBar, e.range,
                  "separate the first argument of " + name + " from the others with '|': write " + name + "(" +
                      exprToString(*e.args[0]) + " | " + rest + ")");
    return;
  }

  bool anyUser = false;
  const FunctionDef* user = resolveUser(name, types, &anyUser);
  Resolution r;
  if (!user) r = builtins_.resolve(name, types);
  if (!user && !r.signature) {
    if (!anyUser && !builtins_.has(name)) {
      if (builtins_.isDistribution(name)) {
        bool discrete = builtins_.has(name + "_lpmf");
        diags_.report(DiagKind::DistributionAsFunction, e.range,
                      "'" + name + "' is a distribution, not a function: to give a variable this distribution write 'y ~ " +
                          name + "(...);', and for its log " + (discrete ? "mass" : "density") + " call " + name +
                          (discrete ? "_lpmf" : "_lpdf") + "(y | ...)");
        return;
      }
      std::vector<std::string> candidates = builtins_.names();
      for (const auto& [fname, defs] : functions_) candidates.push_back(fname);
      std::string removed = removedFunctionHint(name);
      if (!removed.empty()) {
        diags_.report(DiagKind::UnknownFunction, e.range, "'" + name + "': " + removed);
        return;
      }
      diags_.report(DiagKind::UnknownFunction, e.range, "unknown function '" + name + "'");
      std::string guess = closestName(name, candidates);
      if (!guess.empty()) diags_.note(SourceRange{}, "did you mean '" + guess + "'?");
      return;
    }
    diags_.report(DiagKind::NoMatchingSignature, e.range,
                  std::string(r.ambiguous ? "ambiguous call: several signatures of " : "no signature of ") + name +
                      " matches " + typeList(types));
    std::string avail;
    int shown = 0;
    for (FunctionDef* f : userFunctions(name)) {
      std::vector<Type> ps;
      for (const Param& p : f->params) ps.push_back(p.type);
      avail += "\n    " + name + typeList(ps) + " => " + f->returnType.str();
      ++shown;
    }
    for (const Signature* s : builtins_.overloads(name)) {
      if (++shown > 12) {
        avail += "\n    ...";
        break;
      }
      avail += "\n    " + s->describe();
    }
    diags_.note(SourceRange{}, "available signatures:" + avail);
    return;
  }

  if (user) {
    e.userFunction = user;
    e.type = user->returnType;
    for (size_t i = 0; i < user->params.size(); ++i) {
      if (user->params[i].dataOnly && !e.args[i]->isData) {
        diags_.report(DiagKind::DataOnlyArgument, e.args[i]->range,
                      "argument " + std::to_string(i + 1) + " of " + name + " ('" + user->params[i].name +
                          "') is declared 'data', but this value depends on parameters");
        diags_.note(user->params[i].range, "declared here");
      }
    }
  } else {
    e.signature = r.signature;
    e.type = r.type;
  }
  // Where random numbers and the log density may be used.
  if (endsWith(name, "_rng") && !rngAllowed()) {
    diags_.report(DiagKind::RngNotAllowed, e.range,
                  "random number generator " + name + " cannot be used in " + std::string(contextName()) +
                      "; _rng functions are allowed in transformed data, generated quantities and functions ending in _rng");
  }
  if (user && endsWith(name, "_lp") && !targetAllowed() &&
      !(!function_ && block_ == BlockKind::TransformedParameters)) {
    diags_.report(DiagKind::TargetNotAllowed, e.range,
                  "function " + name + " changes the log density (its name ends in _lp), so it can only be called in the "
                  "model block, transformed parameters, or another _lp function, not in " + std::string(contextName()));
  }
  if ((endsWith(name, "_lupdf") || endsWith(name, "_lupmf")) && !(block_ == BlockKind::Model && !function_) &&
      !(function_ && (endsWith(function_->name, "_lpdf") || endsWith(function_->name, "_lpmf")))) {
    diags_.report(DiagKind::TargetNotAllowed, e.range,
                  name + " drops constant terms, so it may only be used in the model block or in _lpdf/_lpmf functions; use " +
                      name.substr(0, name.size() - 6) + (endsWith(name, "_lupdf") ? "_lpdf" : "_lpmf") + " instead");
  }
  if (e.type.isVoid()) e.isData = false;
}

}  // namespace mvc
