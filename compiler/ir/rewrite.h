// Small utilities shared by passes: walking every node, replacing uses, counting uses.
#pragma once
#include <functional>
#include <unordered_map>

#include "ir/ir.h"

namespace mvc::ir {

// Calls f on every node of the module (functions, then sections, nested regions included),
// in program order.
void forEachNode(Module& m, const std::function<void(Node&)>& f);
void forEachNode(Region& r, const std::function<void(Node&)>& f);

// Replaces every use of a key (as an input or a shape dimension) by its value.
void replaceUses(Module& m, const std::unordered_map<const Node*, Node*>& replacement);

// How many times each node is used as an input or a shape dimension.
std::unordered_map<const Node*, int> countUses(Module& m);

}  // namespace mvc::ir
