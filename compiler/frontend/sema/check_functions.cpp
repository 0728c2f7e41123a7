// User-defined functions: overloads, forward declarations, the _lpdf/_lpmf/_rng/_lp suffix
// rules, and that a non-void function returns a value on every path.
#include "frontend/sema/checker.h"

namespace mvc {
namespace {

bool sameParams(const FunctionDef& a, const FunctionDef& b) {
  if (a.params.size() != b.params.size()) return false;
  for (size_t i = 0; i < a.params.size(); ++i)
    if (a.params[i].type != b.params[i].type) return false;
  return true;
}

}  // namespace

std::vector<FunctionDef*> Checker::userFunctions(const std::string& name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? std::vector<FunctionDef*>{} : it->second;
}

const FunctionDef* Checker::resolveUser(const std::string& name, const std::vector<Type>& args, bool* anyNamed) const {
  auto it = functions_.find(name);
  if (it == functions_.end()) return nullptr;
  *anyNamed = true;
  const FunctionDef* best = nullptr;
  int bestCost = -1;
  for (const FunctionDef* f : it->second) {
    if (f->params.size() != args.size()) continue;
    int total = 0;
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      int c = 0;
      ok = promotable(args[i], f->params[i].type, &c);
      total += c;
    }
    if (ok && (bestCost < 0 || total < bestCost)) {
      best = f->definition ? f->definition : f;
      bestCost = total;
    }
  }
  return best;
}

void Checker::collectFunctions() {
  for (auto& fp : program_.functions) {
    FunctionDef& f = *fp;
    auto& list = functions_[f.name];
    FunctionDef* twin = nullptr;
    for (FunctionDef* g : list)
      if (sameParams(*g, f)) twin = g;
    if (twin) {
      bool declThenDef = !twin->body && f.body;
      bool defThenDecl = twin->body && !f.body;
      if (declThenDef || defThenDecl) {
        if (twin->returnType != f.returnType) {
          diags_.report(DiagKind::ReturnType, f.nameRange,
                        "function " + f.name + " was declared to return " + twin->returnType.str() +
                            ", but this definition returns " + f.returnType.str());
          diags_.note(twin->nameRange, "declared here");
        }
        FunctionDef* def = f.body ? &f : twin;
        twin->definition = def;
        f.definition = def;
        if (declThenDef) {
          // Keep the definition as the list entry so calls resolve to it.
          for (auto*& g : list)
            if (g == twin) g = &f;
        }
      } else {
        diags_.report(DiagKind::DuplicateFunction, f.nameRange,
                      "function " + f.name + " is " + (f.body ? "defined" : "declared") +
                          " twice with the same argument types");
        diags_.note(twin->nameRange, "first here");
      }
      continue;
    }
    f.definition = f.body ? &f : nullptr;
    list.push_back(&f);

    // Suffix rules.
    auto firstArg = [&]() -> const Param* { return f.params.empty() ? nullptr : &f.params[0]; };
    if (endsWith(f.name, "_lpdf") || endsWith(f.name, "_lpmf")) {
      bool pmf = endsWith(f.name, "_lpmf");
      const Param* p = firstArg();
      if (!p) {
        diags_.report(DiagKind::SuffixRule, f.nameRange,
                      "function " + f.name + " needs at least one argument: the variate whose log " +
                          (pmf ? "mass" : "density") + " it computes");
      } else if (!pmf && p->type.elem == ElemType::Int) {
        diags_.report(DiagKind::SuffixRule, p->range,
                      "the first argument of an _lpdf function is the variate and must be real-valued, but it is " +
                          p->type.str() + "; for a distribution over integers name the function " +
                          f.name.substr(0, f.name.size() - 5) + "_lpmf");
      } else if (pmf && p->type.elem != ElemType::Int) {
        diags_.report(DiagKind::SuffixRule, p->range,
                      "the first argument of an _lpmf function is the variate and must be an int (or int array), but it is " +
                          p->type.str() + "; for a density over reals name the function " +
                          f.name.substr(0, f.name.size() - 5) + "_lpdf");
      }
      if (f.returnType != Type::real()) {
        diags_.report(DiagKind::SuffixRule, f.nameRange,
                      "function " + f.name + " must return real (a log " + (pmf ? "mass" : "density") + "), not " +
                          f.returnType.str());
      }
    }
    if ((endsWith(f.name, "_lcdf") || endsWith(f.name, "_lccdf")) && f.returnType != Type::real()) {
      diags_.report(DiagKind::SuffixRule, f.nameRange, "function " + f.name + " must return real, not " + f.returnType.str());
    }
    if (builtins_.has(f.name)) {
      // Overloading a built-in with a new signature is fine; replacing one is not.
      std::vector<Type> ps;
      for (const Param& p : f.params) ps.push_back(p.type);
      Resolution r = builtins_.resolve(f.name, ps);
      if (r.signature && r.signature->matchCost(ps) == 0) {
        diags_.report(DiagKind::DuplicateFunction, f.nameRange,
                      "function " + f.name + typeList(ps) + " is already a built-in function; choose another name");
      }
    }
  }
  for (auto& [name, list] : functions_) {
    for (FunctionDef* f : list) {
      if (!f->definition) {
        diags_.report(DiagKind::FunctionNotDefined, f->nameRange,
                      "function " + name + " is declared but never defined; add its body");
      }
    }
  }
}

bool Checker::returnsOnAllPaths(const Stmt& s) const {
  switch (s.kind) {
    case StmtKind::Return:
    case StmtKind::Reject:
    case StmtKind::FatalError: return true;
    case StmtKind::Block:
      for (const auto& it : s.items)
        if (returnsOnAllPaths(*it)) return true;
      return false;
    case StmtKind::If: return s.elseBody && returnsOnAllPaths(*s.body) && returnsOnAllPaths(*s.elseBody);
    case StmtKind::Profile: return returnsOnAllPaths(*s.body);
    // A `while (1)` loop that returns inside is common; treat a loop whose condition is the
    // literal 1 as never falling through.
    case StmtKind::While: return s.cond->kind == ExprKind::IntLit && s.cond->intValue != 0;
    default: return false;
  }
}

void Checker::checkFunctionBodies() {
  for (auto& fp : program_.functions) {
    FunctionDef& f = *fp;
    if (!f.body) continue;
    function_ = &f;
    scopes_.push();
    for (Param& p : f.params) {
      p.decl = std::make_unique<VarDecl>();
      VarDecl& d = *p.decl;
      d.name = p.name;
      d.range = d.nameRange = p.range;
      d.origin = Origin::FunctionArg;
      d.vtype = p.type;
      d.dataOnly = p.dataOnly || p.type.elem == ElemType::Int;
      declare(d);
    }
    int savedLoop = loopDepth_;
    loopDepth_ = 0;
    checkStmt(*f.body);
    loopDepth_ = savedLoop;
    scopes_.pop();
    if (!f.returnType.isVoid() && !returnsOnAllPaths(*f.body)) {
      SourceRange end = f.body->range;
      end.begin = end.end;
      diags_.report(DiagKind::MissingReturn, end,
                    "function " + f.name + " can reach its end without returning a value of type " + f.returnType.str());
      diags_.note(f.nameRange, "function " + f.name + " is declared here");
    }
    function_ = nullptr;
  }
}

}  // namespace mvc
