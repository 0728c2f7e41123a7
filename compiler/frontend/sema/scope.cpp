#include "frontend/sema/scope.h"

namespace mvc {

const VarDecl* Scopes::declare(const VarDecl* decl) {
  if (const VarDecl* prev = lookup(decl->name)) return prev;
  scopes_.back()[decl->name] = decl;
  return nullptr;
}

const VarDecl* Scopes::lookup(const std::string& name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return f->second;
  }
  return nullptr;
}

std::vector<std::string> Scopes::visibleNames() const {
  std::vector<std::string> out;
  for (const auto& s : scopes_)
    for (const auto& [name, decl] : s) out.push_back(name);
  return out;
}

}  // namespace mvc
