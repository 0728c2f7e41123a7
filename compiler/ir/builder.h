// Builds IR nodes at an insertion point, checking each node as it is made (inputs have values,
// calls match their signature's arity, region counts match the op table). The verifier checks
// the whole module again after every pass.
#pragma once
#include "ir/ir.h"

namespace mvc::ir {

class Builder {
 public:
  explicit Builder(Module& m) : m_(m) {}

  void setRegion(Region* r) { region_ = r; }
  Region* region() const { return region_; }
  void setRole(Role r) { role_ = r; }
  Role role() const { return role_; }
  void setRange(SourceRange r) { range_ = r; }

  Node* create(Op op, IrType type, std::vector<Node*> inputs);
  Node* constInt(int64_t v);
  Node* constReal(double v);
  Node* call(const Signature* sig, std::vector<Node*> args, IrType type);
  // Adds the op's regions to `owner`, the first with `firstRegionArgs` argument nodes.
  void addRegions(Node* owner, int firstRegionArgs = 0);

  // Runs `body` with the insertion point inside `r`, then restores it.
  template <class F>
  void inRegion(Region* r, F&& body) {
    Region* saved = region_;
    region_ = r;
    body();
    region_ = saved;
  }

  Module& module() { return m_; }

 private:
  Module& m_;
  Region* region_ = nullptr;
  Role role_ = Role::Model;
  SourceRange range_;
};

// A fresh Arg node for a region (loop index, function argument).
Node* addArg(Module& m, Region& r, IrType type, Role role);

}  // namespace mvc::ir
