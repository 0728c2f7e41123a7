// The verifier: checks that a module is well formed. It runs after every pass in debug and
// test builds (passes/pipeline.cpp). Problems are bugs in mvc, never user errors.
#include <set>
#include <sstream>

#include "frontend/signatures.h"
#include "ir/ir.h"

namespace mvc::ir {
namespace {

class Verifier {
 public:
  std::string run(const Module& m) {
    for (const auto& f : m.functions) {
      std::set<const Node*> saved = visible_;
      region(*f.body, nullptr);
      visible_ = saved;  // a function sees only its own arguments and values
    }
    for (const auto& [name, r] : m.sections()) {
      section_ = name;
      region(*r, nullptr);
    }
    return problems_.str();
  }

 private:
  void fail(const Node& n, const std::string& what) {
    problems_ << section_ << ": %" << n.id << " (" << opInfo(n.op).mnemonic << "): " << what << "\n";
  }

  void region(const Region& r, const Node* owner) {
    if (r.owner != owner) problems_ << section_ << ": a region's owner pointer is wrong\n";
    std::set<const Node*> saved = visible_;
    for (const Node* a : r.args) visible_.insert(a);
    for (size_t k = 0; k < r.nodes.size(); ++k) {
      const Node& n = *r.nodes[k];
      if (n.parent != &r) fail(n, "parent pointer does not point at its region");
      if (!ids_.insert(n.id).second) fail(n, "id used twice");
      node(n);
      if (n.op == Op::Yield && k + 1 != r.nodes.size()) fail(n, "yield is not the last node of its region");
      visible_.insert(&n);
    }
    visible_ = saved;
    // Keep values of top-level sections visible to later sections.
    if (!owner) {
      for (const auto& n : r.nodes) visible_.insert(n.get());
    }
  }

  void expectInputs(const Node& n, size_t count) {
    if (n.inputs.size() != count)
      fail(n, "expected " + std::to_string(count) + " inputs, found " + std::to_string(n.inputs.size()));
  }

  void node(const Node& n) {
    for (const Node* in : n.inputs) {
      if (!in) {
        fail(n, "null input");
        continue;
      }
      if (!visible_.count(in)) fail(n, "uses %" + std::to_string(in->id) + ", which is not defined before it");
      if (!in->hasValue()) fail(n, "uses %" + std::to_string(in->id) + ", which has no value");
    }
    if (static_cast<int>(n.regions.size()) != opInfo(n.op).regions)
      fail(n, "has " + std::to_string(n.regions.size()) + " regions, the op table says " +
                  std::to_string(opInfo(n.op).regions));
    if (n.hasValue() && n.type.base.isError()) fail(n, "has no type");
    switch (n.op) {
      case Op::Load: expectInputs(n, 1); break;
      case Op::Store: expectInputs(n, 2); break;
      case Op::TargetAdd: expectInputs(n, 1); break;
      case Op::TapeMark:
      case Op::TapePop:
      case Op::TapeRestore:
      case Op::TapeMore: expectInputs(n, 0); break;
      case Op::For: expectInputs(n, 2); break;
      case Op::If:
      case Op::Select: expectInputs(n, 1); break;
      case Op::Call:
      case Op::Rng:
      case Op::Density:
        if (!n.sig) fail(n, "has no signature");
        else if (n.sig->args.size() != n.inputs.size()) fail(n, "argument count differs from its signature");
        break;
      case Op::DensityBatched: {
        size_t want = 2 + n.s.size();
        for (char c : n.s) want += c == 'g' ? 1 : 0;
        if (!n.sig) fail(n, "has no signature");
        else if (n.sig->args.size() != n.s.size()) fail(n, "one mode per argument of its signature is needed");
        if (n.inputs.size() != want) fail(n, "inputs do not match its modes");
        break;
      }
      default: break;
    }
    if ((n.op == Op::AdjGet || n.op == Op::AdjAdd || n.op == Op::AdjZero) &&
        (n.inputs.empty() || !n.inputs[0] || n.inputs[0]->op != Op::AdjVar))
      fail(n, "first input is not an adjoint accumulator");
    if ((n.op == Op::CallGrad || n.op == Op::DensityGrad || n.op == Op::DensityBatchedGrad) && !n.sig)
      fail(n, "has no signature");
    if (n.op == Op::ParamGrad) {
      bool ok = n.inputs.size() >= 2 && n.inputs[0]->op == Op::Param;
      for (size_t k = 1; ok && k < n.inputs.size(); ++k) ok = n.inputs[k]->op == Op::AdjVar;
      size_t marked = 0;
      for (char c : n.s) marked += c == 'a';
      if (!ok || n.inputs.size() != 2 + marked)
        fail(n, "needs a param, its accumulator and one accumulator per 'a' of its bound mask");
    }
    if ((n.op == Op::Load || n.op == Op::LoadIndex || n.op == Op::Store || n.op == Op::StoreIndex || n.op == Op::TapeSave) &&
        !n.inputs.empty() &&
        n.inputs[0] && n.inputs[0]->op != Op::Var)
      fail(n, "first input is not a var");
    if (n.op == Op::For && (n.regions.size() != 1 || n.regions[0]->args.size() != 1))
      fail(n, "a for loop needs one region with the loop index as its argument");
    if (n.op == Op::Select || n.op == Op::While) {
      const Region& yielding = *n.regions[0];
      if (yielding.nodes.empty() || yielding.nodes.back()->op != Op::Yield) fail(n, "first region does not end in yield");
    }
    for (const auto& r : n.regions) region(*r, &n);
  }

  std::set<const Node*> visible_;
  std::set<int> ids_;
  std::ostringstream problems_;
  std::string section_ = "functions";
};

}  // namespace

std::string verify(const Module& m) { return Verifier().run(m); }

}  // namespace mvc::ir
