// The semantic checker's shared state. Its member functions are split by concern:
//   check_program.cpp    entry point, program blocks, what each block may contain
//   check_decls.cpp      declarations: types, sizes, constraints, initial values
//   check_stmts.cpp      statements and the block rules (assignment, '~', target, loops)
//   check_exprs.cpp      expressions: names, types, indexing, calls, operators
//   check_functions.cpp  user-defined functions: signatures, suffix rules, returns
#pragma once
#include <map>
#include <string>
#include <vector>

#include "frontend/ast.h"
#include "frontend/sema/scope.h"
#include "frontend/signatures.h"
#include "support/diagnostics.h"

namespace mvc {

inline bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Checker {
 public:
  Checker(Program& program, Diagnostics& diags);
  bool run();

  // ---- declarations (check_decls.cpp)
  void checkDecl(VarDecl& d);
  void declare(VarDecl& d);

  // ---- statements (check_stmts.cpp)
  void checkStmt(Stmt& s);
  void checkStmts(std::vector<StmtPtr>& items);

  // ---- expressions (check_exprs.cpp)
  void checkExpr(Expr& e);
  Type resolveOperator(const std::string& op, const std::vector<Expr*>& operands, SourceRange range,
                       const Signature** sig = nullptr);
  bool isAssignable(const Type& from, const Type& to) const { return promotable(from, to); }
  // Reports a TypeMismatch if `value` cannot be stored in `target` (of type `to`).
  void checkAssignable(const Expr& value, const Type& to, const std::string& target);
  std::string typeList(const std::vector<Type>& types) const;

  // ---- functions (check_functions.cpp)
  void collectFunctions();
  void checkFunctionBodies();
  // User-defined overloads of a name (definitions and declarations).
  std::vector<FunctionDef*> userFunctions(const std::string& name) const;
  const FunctionDef* resolveUser(const std::string& name, const std::vector<Type>& args, bool* anyNamed) const;
  bool returnsOnAllPaths(const Stmt& s) const;

  // ---- context
  bool inFunction() const { return function_ != nullptr; }
  bool rngAllowed() const;
  bool targetAllowed() const;
  const char* contextName() const;

  Program& program_;
  Diagnostics& diags_;
  const SignatureTable& builtins_;
  Scopes scopes_;
  BlockKind block_ = BlockKind::Functions;
  FunctionDef* function_ = nullptr;
  int loopDepth_ = 0;
  std::map<std::string, std::vector<FunctionDef*>> functions_;
  // Every top-level declaration, to say "declared later, at line N" for a use before it.
  std::map<std::string, const VarDecl*> allTopLevel_;
};

}  // namespace mvc
