#include "ir/builder.h"

#include "frontend/signatures.h"
#include "support/diagnostics.h"

namespace mvc::ir {

Node* Builder::create(Op op, IrType type, std::vector<Node*> inputs) {
  MVC_ASSERT(region_, "IR builder has no insertion region");
  for (Node* in : inputs) {
    MVC_ASSERT(in, std::string("null input to ") + opInfo(op).mnemonic);
    MVC_ASSERT(in->hasValue(), std::string("input of ") + opInfo(op).mnemonic + " has no value");
  }
  auto n = std::make_unique<Node>();
  n->id = m_.nextId++;
  n->op = op;
  n->type = std::move(type);
  n->role = role_;
  n->range = range_;
  n->inputs = std::move(inputs);
  n->parent = region_;
  region_->nodes.push_back(std::move(n));
  return region_->nodes.back().get();
}

Node* Builder::constInt(int64_t v) {
  Node* n = create(Op::ConstInt, IrType{Type::integer(), {}}, {});
  n->i = v;
  return n;
}

Node* Builder::constReal(double v) {
  Node* n = create(Op::ConstReal, IrType{Type::real(), {}}, {});
  n->d = v;
  return n;
}

Node* Builder::call(const Signature* sig, std::vector<Node*> args, IrType type) {
  MVC_ASSERT(sig, "call without a signature");
  MVC_ASSERT(sig->args.size() == args.size(), "call of " + sig->name + " with the wrong number of arguments");
  Node* n = create(Op::Call, std::move(type), std::move(args));
  n->sig = sig;
  return n;
}

void Builder::addRegions(Node* owner, int firstRegionArgs) {
  int count = opInfo(owner->op).regions;
  for (int k = 0; k < count; ++k) {
    auto r = std::make_unique<Region>();
    r->owner = owner;
    if (k == 0)
      for (int a = 0; a < firstRegionArgs; ++a) addArg(m_, *r, IrType{Type::integer(), {}}, role_)->i = a;
    owner->regions.push_back(std::move(r));
  }
}

Node* addArg(Module& m, Region& r, IrType type, Role role) {
  auto a = std::make_unique<Node>();
  a->id = m.nextId++;
  a->op = Op::Arg;
  a->type = std::move(type);
  a->role = role;
  a->i = static_cast<int64_t>(r.args.size());
  r.args.push_back(a.get());
  r.argNodes.push_back(std::move(a));
  return r.args.back();
}

}  // namespace mvc::ir
