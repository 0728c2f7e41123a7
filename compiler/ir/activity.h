// Activity analysis: which values depend on the parameters. Only these get adjoints in the
// reverse pass; everything else is data to autodiff (DESIGN.md: data-only values get no
// adjoints).
#pragma once
#include <unordered_set>

#include "ir/ir.h"

namespace mvc::ir {

// The active nodes of the parameters and model sections (and of the functions they call,
// which are analysed per call site later: a user function is active when an argument is).
std::unordered_set<const Node*> activeNodes(Module& m);

}  // namespace mvc::ir
