// InlineFunctions: every call of a user-defined function is replaced by a copy of the
// function's body at the call site, so that the later passes, autodiff and code generation
// see only built-ins (and optimise across the call). A `return` becomes a store into a result
// variable; code after an `if` whose branch returns is moved into the branches that do not,
// so control flow stays structured. Functions that call themselves (directly or not) and
// returns inside loops are left as calls, with a note; code generation compiles those
// functions as functions of their own (docs/codegen.md).
//
//   before:  function real twice(real) { ^%0 : real
//              %1 : int = const.int 2;  %2 : real = call operator*(int, real) %1, %0;  return %2 }
//            %7 : real = call.user "twice" %5
//   after:   %8 : real = var "twice.result"
//            %9 : int = const.int 2
//            %10 : real = call operator*(int, real) %9, %5
//            store %8, %10
//            %11 : real = load %8           (uses of %7 use %11)
#include <unordered_map>

#include "ir/builder.h"
#include "ir/rewrite.h"
#include "passes/pipeline.h"
#include "support/diagnostics.h"

namespace mvc::passes {
namespace {
using namespace ir;

struct CannotInline {
  std::string why;
};

class Inliner {
 public:
  explicit Inliner(Module& m) : m_(m), b_(m) {
    for (const auto& f : m.functions) functions_[f.name] = &f;
  }

  void run() {
    for (auto& [name, r] : m_.sections()) region(*r);
    // Replace uses of inlined calls, then drop the functions nothing calls any more.
    replaceUses(m_, replace_);
    // Keep the functions that a remaining call reaches (decided for all before any is moved:
    // stillCalled walks the bodies of the others, e.g. is_odd is reached through is_even).
    std::vector<bool> keep;
    for (auto& f : m_.functions) keep.push_back(stillCalled(f.name));
    std::vector<Function> kept;
    for (size_t k = 0; k < m_.functions.size(); ++k)
      if (keep[k]) kept.push_back(std::move(m_.functions[k]));
    m_.functions = std::move(kept);
  }

 private:
  bool stillCalled(const std::string& name) {
    bool found = false;
    for (auto& [section, r] : m_.sections())
      forEachNode(*r, [&](Node& n) { found = found || (n.op == Op::CallUser && reachesCall(n, name)); });
    return found;
  }
  // Does a remaining call (in a section) reach `name`, directly or through other functions?
  bool reachesCall(const Node& call, const std::string& name) {
    std::vector<std::string> todo{call.s};
    std::unordered_map<std::string, bool> seen;
    while (!todo.empty()) {
      std::string f = todo.back();
      todo.pop_back();
      if (f == name) return true;
      if (seen[f]) continue;
      seen[f] = true;
      auto it = functions_.find(f);
      if (it == functions_.end() || !it->second->body) continue;
      forEachNode(*it->second->body, [&](Node& n) {
        if (n.op == Op::CallUser) todo.push_back(n.s);
      });
    }
    return false;
  }

  void region(Region& r) {
    for (size_t i = 0; i < r.nodes.size(); ++i) {
      Node* n = r.nodes[i].get();
      for (auto& sub : n->regions) region(*sub);
      if (n->op != Op::CallUser) continue;
      auto f = functions_.find(n->s);
      if (f == functions_.end() || !f->second->body) continue;
      std::vector<std::string> stack{n->s};
      std::vector<std::unique_ptr<Node>> made;
      try {
        made = inlineCall(*n, *f->second, stack);
      } catch (const CannotInline& e) {
        m_.notes.push_back("InlineFunctions: the call of '" + n->s + "' at line " +
                           std::to_string(n->range.begin.line) + " is not inlined: " + e.why);
        continue;
      }
      // Splice the copy in before the call; the call itself goes (its uses were redirected).
      for (auto& x : made) x->parent = &r;
      size_t count = made.size();
      // Keep the call alive until its uses are replaced (a new node must not reuse its address).
      graveyard_.push_back(std::move(r.nodes[i]));
      r.nodes.erase(r.nodes.begin() + static_cast<long>(i));
      r.nodes.insert(r.nodes.begin() + static_cast<long>(i), std::make_move_iterator(made.begin()),
                     std::make_move_iterator(made.end()));
      i += count - 1;
    }
  }

  // The copy of f's body for `call`, as nodes for the call's region. Calls inside the copy
  // are inlined too (stack: the functions being inlined, to detect recursion).
  std::vector<std::unique_ptr<Node>> inlineCall(Node& call, const Function& f, std::vector<std::string>& stack) {
    Region tmp;
    b_.setRegion(&tmp);
    b_.setRole(call.role);
    b_.setRange(call.range);
    Node* result = nullptr;
    if (!f.returnType.isVoid()) {
      result = b_.create(Op::Var, IrType{call.type.base, {}}, {});
      result->s = f.name + ".result";
    }
    std::unordered_map<const Node*, Node*> map;
    for (size_t k = 0; k < f.body->args.size() && k < call.inputs.size(); ++k) map[f.body->args[k]] = call.inputs[k];
    std::vector<const Node*> seq;
    for (const auto& n : f.body->nodes) seq.push_back(n.get());
    cloneSeq(seq, map, result, stack);
    b_.setRange(call.range);
    if (result) {
      Node* value = b_.create(Op::Load, call.type, {result});
      replace_[&call] = value;
    }
    return std::move(tmp.nodes);
  }

  // Clones `seq` at the insertion point; a return ends it (storing into `result`).
  void cloneSeq(const std::vector<const Node*>& seq, std::unordered_map<const Node*, Node*> map, Node* result,
                std::vector<std::string>& stack) {
    stack_ = &stack;
    for (size_t k = 0; k < seq.size(); ++k) {
      const Node& n = *seq[k];
      if (n.op == Op::Return) {
        if (result && !n.inputs.empty()) b_.create(Op::Store, IrType{Type::voidType(), {}}, {result, mapped(n.inputs[0], map)});
        return;
      }
      if (n.op == Op::If && containsReturn(n)) {
        Node* c = clone(n, map, /*withRegions=*/false);
        b_.addRegions(c);
        std::vector<const Node*> rest(seq.begin() + static_cast<long>(k) + 1, seq.end());
        for (size_t branch = 0; branch < 2; ++branch) {
          std::vector<const Node*> path;
          for (const auto& x : n.regions[branch]->nodes) path.push_back(x.get());
          path.insert(path.end(), rest.begin(), rest.end());
          b_.inRegion(c->regions[branch].get(), [&] { cloneSeq(path, map, result, stack); });
        }
        return;
      }
      if (n.op != Op::If && containsReturn(n)) throw CannotInline{"it returns from inside a loop"};
      if (n.op == Op::CallUser) {
        auto f = functions_.find(n.s);
        if (f == functions_.end() || !f->second->body) throw CannotInline{"'" + n.s + "' has no body"};
        for (const std::string& s : stack)
          if (s == n.s) throw CannotInline{"'" + n.s + "' is recursive"};
        // Inline the inner call here: its argument values are already mapped.
        Node shadow = shallowCopy(n, map);
        stack.push_back(n.s);
        Region* saved = b_.region();
        std::vector<std::unique_ptr<Node>> inner = inlineCall(shadow, *f->second, stack);
        stack.pop_back();
        b_.setRegion(saved);
        for (auto& x : inner) {
          x->parent = saved;
          saved->nodes.push_back(std::move(x));
        }
        if (replace_.count(&shadow)) {
          map[&n] = replace_.at(&shadow);
          replace_.erase(&shadow);
        }
        continue;
      }
      clone(n, map, true);
    }
  }

  // A node like n with mapped inputs, not in any region (the argument list of an inner call).
  Node shallowCopy(const Node& n, const std::unordered_map<const Node*, Node*>& map) {
    Node s;
    s.op = n.op;
    s.type = mapType(n.type, map);
    s.role = b_.role();
    s.range = n.range;
    s.s = n.s;
    for (Node* in : n.inputs) s.inputs.push_back(mapped(in, map));
    return s;
  }

  static Node* mapped(Node* in, const std::unordered_map<const Node*, Node*>& map) {
    auto it = map.find(in);
    return it == map.end() ? in : it->second;
  }

  IrType mapType(const IrType& t, const std::unordered_map<const Node*, Node*>& map) {
    IrType out = t;
    for (Dim& d : out.dims)
      if (d.kind == Dim::Value) d.value = mapped(const_cast<Node*>(d.value), map);
    return out;
  }

  Node* clone(const Node& n, std::unordered_map<const Node*, Node*>& map, bool withRegions) {
    std::vector<Node*> in;
    for (Node* x : n.inputs) in.push_back(mapped(x, map));
    b_.setRange(n.range);
    Node* c = b_.create(n.op, mapType(n.type, map), in);
    c->i = n.i;
    c->d = n.d;
    c->s = n.s;
    c->sig = n.sig;
    c->transform = n.transform;
    map[&n] = c;
    if (withRegions && !n.regions.empty()) {
      b_.addRegions(c, static_cast<int>(n.regions[0]->args.size()));
      for (size_t k = 0; k < n.regions.size(); ++k) {
        for (size_t a = 0; a < n.regions[k]->args.size(); ++a) map[n.regions[k]->args[a]] = c->regions[k]->args[a];
        std::vector<const Node*> body;
        for (const auto& x : n.regions[k]->nodes) body.push_back(x.get());
        b_.inRegion(c->regions[k].get(), [&] { cloneSeq(body, map, nullptr, *stack_); });
      }
    }
    return c;
  }

  static bool containsReturn(const Node& n) {
    if (n.op == Op::Return) return true;
    for (const auto& r : n.regions)
      for (const auto& x : r->nodes)
        if (containsReturn(*x)) return true;
    return false;
  }

  Module& m_;
  Builder b_;
  std::unordered_map<std::string, const Function*> functions_;
  std::unordered_map<const Node*, Node*> replace_;
  std::vector<std::unique_ptr<Node>> graveyard_;
  std::vector<std::string>* stack_ = nullptr;
};

}  // namespace

void inlineFunctions(Module& m) {
  if (m.functions.empty()) return;
  Inliner(m).run();
}

}  // namespace mvc::passes
