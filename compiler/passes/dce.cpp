// DCE: removes pure nodes whose values nobody uses (repeatedly, since removing one may leave
// its inputs unused).
//
//   before:  %1 : real = const.real 2.0
//            %2 : real = call exp(real) %1        (unused)
//   after:   (both gone)
//
// Effects (stores, target +=, prints, checks, loops), data and parameters are never removed.
#include <algorithm>

#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {
namespace {

bool removeDead(ir::Region& r, const std::unordered_map<const ir::Node*, int>& uses) {
  bool changed = false;
  for (auto& n : r.nodes)
    for (auto& sub : n->regions) changed |= removeDead(*sub, uses);
  auto dead = [&](const std::unique_ptr<ir::Node>& n) {
    return n->pure() && n->regions.empty() && !uses.count(n.get());
  };
  auto it = std::remove_if(r.nodes.begin(), r.nodes.end(), dead);
  changed |= it != r.nodes.end();
  r.nodes.erase(it, r.nodes.end());
  return changed;
}

}  // namespace

void dce(ir::Module& m) {
  bool changed = true;
  while (changed) {
    auto uses = ir::countUses(m);
    changed = false;
    for (auto& fn : m.functions) changed |= removeDead(*fn.body, uses);
    for (auto& [name, r] : m.sections()) changed |= removeDead(*r, uses);
  }
}

}  // namespace mvc::passes
