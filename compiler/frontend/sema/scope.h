// Lexical scopes. Stan forbids a declaration from reusing any name visible in an enclosing
// scope (no shadowing of variables), so lookup walks every scope and declaration checks too.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "frontend/ast.h"

namespace mvc {

class Scopes {
 public:
  void push() { scopes_.emplace_back(); }
  void pop() { scopes_.pop_back(); }
  // Returns the earlier declaration if the name is already visible (and does not add it).
  const VarDecl* declare(const VarDecl* decl);
  const VarDecl* lookup(const std::string& name) const;
  std::vector<std::string> visibleNames() const;
  size_t depth() const { return scopes_.size(); }

 private:
  std::vector<std::unordered_map<std::string, const VarDecl*>> scopes_;
};

// Pushes a scope for the lifetime of the guard.
class ScopeGuard {
 public:
  explicit ScopeGuard(Scopes& s) : s_(s) { s_.push(); }
  ~ScopeGuard() { s_.pop(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  Scopes& s_;
};

}  // namespace mvc
