// FuseLoadIndex: reading an element or a slice of a variable no longer copies the variable.
//
//   %10 : vector[T] = load %3                  %12 : real = load.index [s] %3, %9
//   %11 : real = index [s] %10, %9      ->     (uses of %11 use %12; the load goes when
//                                               nothing else uses it)
//
// Lowering reads `mu[t - 1]` as a load of mu (a copy of the whole vector) and an index into it.
// In a loop over t that is O(T) work per iteration, and for autodiff the load's adjoint is a
// whole-vector accumulator per iteration: `mu[t] = mu[t - 1] + ...` cost O(T^2) per gradient.
// An index whose base is a load becomes one load.index when nothing between the two can store
// to the variable: both in the same region, and no store to it, user-defined call or nested
// region (which may store) in between.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "ir/builder.h"
#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {
namespace {
using namespace ir;

void fuseIn(Module& m, Region& r, std::unordered_map<const Node*, Node*>& replaced) {
  std::unordered_set<const Node*> fresh;  // loads of this region with no store to their var since
  for (size_t k = 0; k < r.nodes.size(); ++k) {
    Node& n = *r.nodes[k];
    for (auto& sub : n.regions) fuseIn(m, *sub, replaced);
    if (n.op == Op::Load) {
      fresh.insert(&n);
    } else if (n.op == Op::Store || n.op == Op::StoreIndex) {
      for (auto it = fresh.begin(); it != fresh.end();)
        it = (*it)->inputs[0] == n.inputs[0] ? fresh.erase(it) : std::next(it);
    } else if (n.op == Op::CallUser || !n.regions.empty()) {
      fresh.clear();
    } else if (n.op == Op::Index && fresh.count(n.inputs[0])) {
      Builder b(m);
      b.setRegion(&r);
      b.setRole(n.role);
      std::vector<Node*> in{n.inputs[0]->inputs[0]};
      in.insert(in.end(), n.inputs.begin() + 1, n.inputs.end());
      Node* f = b.create(Op::LoadIndex, n.type, in);  // appended: move it before the index
      f->s = n.s;
      f->range = n.range;
      std::rotate(r.nodes.begin() + static_cast<std::ptrdiff_t>(k), r.nodes.end() - 1, r.nodes.end());
      ++k;
      replaced[&n] = f;
    }
  }
}

template <class Dead>
void removeIf(Region& r, const Dead& dead) {
  for (auto& n : r.nodes)
    for (auto& sub : n->regions) removeIf(*sub, dead);
  r.nodes.erase(std::remove_if(r.nodes.begin(), r.nodes.end(), [&](const std::unique_ptr<Node>& n) { return dead(*n); }),
                r.nodes.end());
}

}  // namespace

void fuseLoadIndex(Module& m) {
  std::unordered_map<const Node*, Node*> replaced;
  for (auto& fn : m.functions) fuseIn(m, *fn.body, replaced);
  for (auto& [name, r] : m.sections()) fuseIn(m, *r, replaced);
  if (replaced.empty()) return;
  replaceUses(m, replaced);
  auto each = [&](const auto& dead) {
    for (auto& fn : m.functions) removeIf(*fn.body, dead);
    for (auto& [name, r] : m.sections()) removeIf(*r, dead);
  };
  each([&](const Node& n) { return replaced.count(&n) > 0; });  // the replaced index nodes
  auto uses = countUses(m);
  each([&](const Node& n) { return n.op == Op::Load && !uses.count(&n); });
}

}  // namespace mvc::passes
