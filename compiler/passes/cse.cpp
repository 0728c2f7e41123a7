// CSE: common subexpression elimination. A pure node equal to one computed earlier (same op,
// attributes, type and inputs) in the same or an enclosing region, or in an earlier section,
// is replaced by it.
//
//   before:  %5 : real = call operator-(int, int) %0, %1      [tdata]
//            ...
//            %9 : real = call operator-(int, int) %0, %1      [model]
//   after:   uses of %9 use %5; %9 is left for DCE
//
// Generated quantities never reuse a value of the model block, which does not run when they
// are computed.
//
// Loads are not pure (a store may come between two loads), so values of variables are never
// merged.
#include <cstring>
#include <map>
#include <sstream>

#include "frontend/signatures.h"
#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {
namespace {
using ir::Node;

std::string key(const Node& n) {
  std::ostringstream k;
  uint64_t bits;
  std::memcpy(&bits, &n.d, sizeof bits);
  k << static_cast<int>(n.op) << '|' << n.sig << '|' << n.i << '|' << bits << '|' << n.s << '|' << n.transform << '|'
    << ir::typeToString(n.type) << '|';
  for (const Node* in : n.inputs) k << in->id << ',';
  return k.str();
}

class Cse {
 public:
  explicit Cse(ir::Module& m) : m_(m) {}

  void run() {
    for (auto& fn : m_.functions) {
      std::vector<std::map<std::string, Node*>> saved;
      saved.swap(scopes_);
      region(*fn.body);
      scopes_.swap(saved);
    }
    scopes_.emplace_back();  // sections share one scope: later sections see earlier values
    for (auto& [name, r] : m_.sections()) walk(*r);
    ir::replaceUses(m_, replace_);
  }

 private:
  void region(ir::Region& r) {
    scopes_.emplace_back();
    walk(r);
    scopes_.pop_back();
  }

  void walk(ir::Region& r) {
    for (auto& np : r.nodes) {
      Node& n = *np;
      for (Node*& in : n.inputs) {
        auto it = replace_.find(in);
        if (it != replace_.end()) in = it->second;
      }
      for (auto& sub : n.regions) region(*sub);
      if (!n.pure() || !n.regions.empty()) continue;
      std::string k = key(n);
      Node* found = nullptr;
      for (auto s = scopes_.rbegin(); s != scopes_.rend() && !found; ++s) {
        auto it = s->find(k);
        if (it != s->end()) found = it->second;
      }
      // Generated quantities run without the model block (write_array), so they may not
      // reuse its values.
      if (found && found->role == ir::Role::Model && n.role == ir::Role::GeneratedQuantity) found = nullptr;
      if (found) replace_[&n] = found;
      else scopes_.back()[k] = &n;
    }
  }

  ir::Module& m_;
  std::vector<std::map<std::string, Node*>> scopes_;
  std::unordered_map<const Node*, Node*> replace_;
};

}  // namespace

void cse(ir::Module& m) { Cse(m).run(); }

}  // namespace mvc::passes
