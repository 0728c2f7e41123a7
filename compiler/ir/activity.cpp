#include "ir/activity.h"

#include "ir/rewrite.h"

namespace mvc::ir {

std::unordered_set<const Node*> activeNodes(Module& m) {
  std::unordered_set<const Node*> active;
  // A var becomes active when an active value is stored into it, which may happen after a
  // load of it in program order (loops): iterate to a fixed point.
  bool changed = true;
  while (changed) {
    changed = false;
    for (Region* r : {m.parameters.get(), m.model.get()}) {
      forEachNode(*r, [&](Node& n) {
        if (active.count(&n)) return;
        bool a = n.op == Op::Param || n.op == Op::TargetGet;
        for (const Node* in : n.inputs) a = a || active.count(in);
        if (n.op == Op::Select)
          for (const auto& sub : n.regions)
            if (!sub->nodes.empty() && sub->nodes.back()->op == Op::Yield && active.count(sub->nodes.back()->inputs[0]))
              a = true;
        if (!a) return;
        active.insert(&n);
        changed = true;
        // A store of an active value makes its variable active.
        if ((n.op == Op::Store || n.op == Op::StoreIndex) && !active.count(n.inputs[0]) && active.count(n.inputs[1]))
          active.insert(n.inputs[0]);
      });
    }
  }
  // Effects without a value (stores, checks, target.add) are not values to differentiate.
  for (auto it = active.begin(); it != active.end();) it = (*it)->hasValue() ? std::next(it) : active.erase(it);
  return active;
}

}  // namespace mvc::ir
