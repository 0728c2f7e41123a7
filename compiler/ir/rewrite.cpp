#include "ir/rewrite.h"

namespace mvc::ir {

void forEachNode(Region& r, const std::function<void(Node&)>& f) {
  for (auto& n : r.nodes) {
    f(*n);
    for (auto& sub : n->regions) forEachNode(*sub, f);
  }
}

void forEachNode(Module& m, const std::function<void(Node&)>& f) {
  for (auto& fn : m.functions) forEachNode(*fn.body, f);
  for (auto& [name, r] : m.sections()) forEachNode(*r, f);
}

void replaceUses(Module& m, const std::unordered_map<const Node*, Node*>& replacement) {
  if (replacement.empty()) return;
  auto fix = [&](const Node* n) -> Node* {
    auto it = replacement.find(n);
    return it == replacement.end() ? const_cast<Node*>(n) : it->second;
  };
  forEachNode(m, [&](Node& n) {
    for (Node*& in : n.inputs) in = fix(in);
    for (Dim& d : n.type.dims)
      if (d.kind == Dim::Value) d.value = fix(d.value);
  });
}

std::unordered_map<const Node*, int> countUses(Module& m) {
  std::unordered_map<const Node*, int> uses;
  forEachNode(m, [&](Node& n) {
    for (const Node* in : n.inputs) ++uses[in];
    for (const Dim& d : n.type.dims)
      if (d.kind == Dim::Value) ++uses[d.value];
  });
  return uses;
}

}  // namespace mvc::ir
