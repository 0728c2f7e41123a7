// ClassifyLoops: marks each `for` whose iterations are independent as a map over its index
// (printed `for map`); the others keep their structured region as loops that carry state.
//
//   for map %1, %0 {                     Sigma[n] = L[n] * L[n]'  -- each n writes its own element
//     ^%15 : int
//     store.index [s] %12, %19, %15
//   }
//   for %7, %0 {                         mu[t] = mu[t - 1] + s  -- reads what the last iteration wrote
//     ^%9 : int
//     %10 = load %3 ... store.index [s] %3, %14, %9
//   }
//
// A loop is a map when its body (nested regions included) stores only to elements indexed
// first by the loop index, never reads a variable it stores to, does not draw random numbers
// (their order matters for reproducibility), print, reject, break or return. Adding to target
// is allowed: it is a sum, whose terms may be computed in any order. Autodiff reverses a map by
// recomputing each iteration; a loop that carries state needs a tape.
#include <set>

#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {
namespace {
using namespace ir;

bool isMap(Node& loop) {
  Node* index = loop.regions[0]->args[0];
  std::set<const Node*> stored, loaded;
  bool ok = true;
  forEachNode(*loop.regions[0], [&](Node& n) {
    switch (n.op) {
      case Op::Store: ok = false; break;  // a whole variable, the same one every iteration
      case Op::StoreIndex:
        stored.insert(n.inputs[0]);
        if (n.s.empty() || n.s[0] != 's' || n.inputs.size() < 3 || n.inputs[2] != index) ok = false;
        break;
      case Op::Load:
      case Op::LoadIndex: loaded.insert(n.inputs[0]); break;
      case Op::Rng:
      case Op::Print:
      case Op::Reject:
      case Op::FatalError:
      case Op::Break:
      case Op::Continue:
      case Op::Return:
      case Op::TargetGet:
      case Op::CallUser:  // may do any of the above
        ok = false;
        break;
      default: break;
    }
  });
  for (const Node* v : stored)
    if (loaded.count(v)) ok = false;
  return ok;
}

}  // namespace

void classifyLoops(Module& m) {
  forEachNode(m, [](Node& n) {
    if (n.op == Op::For) n.i = isMap(n) ? 1 : 0;
  });
}

}  // namespace mvc::passes
