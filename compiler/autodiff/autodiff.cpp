// Reverse mode as an IR -> IR transformation; the design is in docs/autodiff.md and the
// before/after example in autodiff.h.
#include "autodiff/autodiff.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "autodiff/adjoints.h"
#include "frontend/signatures.h"
#include "ir/activity.h"
#include "ir/builder.h"
#include "support/diagnostics.h"

namespace mvc::autodiff {
using namespace ir;

namespace {

bool isEffectToSkip(Op op) {
  return op == Op::TargetAdd || op == Op::Print || op == Op::Reject || op == Op::FatalError || op == Op::Check;
}

bool containsStore(const Region& r) {
  for (const auto& n : r.nodes) {
    if (n->op == Op::Store || n->op == Op::StoreIndex) return true;
    for (const auto& sub : n->regions)
      if (containsStore(*sub)) return true;
  }
  return false;
}

// Whether the reverse sweep must recompute a loop or branch: it stores, jumps (a break or
// continue decides what else runs), or holds tape marks (which must be pushed again).
bool mustRecompute(const Region& r) {
  for (const auto& n : r.nodes) {
    if (n->op == Op::Store || n->op == Op::StoreIndex || n->op == Op::Break || n->op == Op::Continue ||
        n->op == Op::TapeMark)
      return true;
    for (const auto& sub : n->regions)
      if (mustRecompute(*sub)) return true;
  }
  return false;
}

std::string where(const Node& n) {
  if (n.range.begin.line > 0) return " (line " + std::to_string(n.range.begin.line) + ")";
  return "";
}

class Differentiator {
 public:
  explicit Differentiator(Module& m) : m_(m), b_(m) {}

  void run() {
    active_ = activeNodes(m_);
    checkUserCalls();
    b_.setRole(Role::Model);
    instrumentRegion(*m_.model);
    b_.setRegion(m_.model.get());
    grad_ = b_.create(Op::Gradient, IrType{Type::voidType(), {}}, {});
    b_.addRegions(grad_);
    b_.setRegion(grad_->regions[0].get());
    if (checkTargetGets()) {
      // adj(target): the adjoint of the running total, 1 at the end; every target() that
      // flows back into the target adds its adjoint to it (see reverse(TargetGet)).
      targetAdj_ = b_.create(Op::AdjVar, IrType{Type::real(), {}}, {b_.constReal(0)});
      b_.create(Op::AdjAdd, IrType{Type::voidType(), {}}, {targetAdj_, b_.constReal(1)});
    }
    // Accumulators for the top-level active values of both sections (and active vars).
    for (Region* r : {m_.parameters.get(), m_.model.get()})
      for (const auto& n : r->nodes)
        if (n.get() != grad_) makeAdj(n.get());
    reverseRegion(*m_.model, /*skipLast=*/true);
    reverseRegion(*m_.parameters, false);
    // A parameter whose accumulator nothing adds to (its gradient went straight into the
    // gradient vector, mask 'p') needs no param.grad, and its accumulator is dropped.
    std::unordered_set<const Node*> used;
    forEach(*grad_->regions[0], [&](Node& x) {
      for (const Node* i : x.inputs) used.insert(i);
    });
    std::unordered_set<const Node*> dropped;
    for (const auto& n : m_.parameters->nodes) {
      if (n->op != Op::Param || !adj_.count(n.get()) || paramGradDone_.count(n.get())) continue;
      if (!used.count(adj_.at(n.get())) && n->transform.empty()) {
        dropped.insert(adj_.at(n.get()));
        continue;
      }
      b_.create(Op::ParamGrad, IrType{Type::voidType(), {}}, {n.get(), adj_.at(n.get())});
    }
    auto& nodes = grad_->regions[0]->nodes;
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(),
                               [&](const std::unique_ptr<Node>& x) { return dropped.count(x.get()) > 0; }),
                nodes.end());
    std::string problems = verify(m_);
    if (!problems.empty()) throw InternalError("autodiff produced malformed IR:\n" + problems);
  }

 private:
  bool isActive(const Node* n) const {
    return active_.count(n) && n->type.base.elem != ElemType::Int && n->hasValue();
  }

  Node* v(Node* n) {
    auto it = map_.find(n);
    return it == map_.end() ? n : it->second;
  }

  // ---- calls of user-defined functions that InlineFunctions left (recursive, or returning
  // from inside a loop). Code generation makes them functions without a reverse, so in the
  // parameters and model sections they may depend only on data: no argument that carries a
  // derivative (an int argument computed from parameters is fine) and no access to target.
  void checkUserCalls() {
    for (Region* r : {m_.parameters.get(), m_.model.get()})
      forEach(*r, [&](Node& n) {
        if (n.op != Op::CallUser) return;
        if (std::string t = touchesTarget(n.s); !t.empty())
          throw Unsupported("autodiff: the user-defined function '" + n.s + "'" + where(n) + " uses the log density (" +
                            t + "), but " + notInlinedWhy(n.s) +
                            ", so it is not inlined, and such calls are not supported in the model yet");
        for (const Node* in : n.inputs)
          if (isActive(in)) throw Unsupported(userCallMessage(n));
      });
  }

  std::string userCallMessage(const Node& n) {
    std::string why = notInlinedWhy(n.s);
    return "autodiff: the user-defined function '" + n.s + "' is called with parameters" + where(n) + ", but " + why +
           ", so it is not inlined, and " +
           (why.find("recursive") != std::string::npos ? std::string("recursion on parameters is not supported yet")
                                                       : std::string("calls of such functions on parameters are not "
                                                                     "supported yet"));
  }

  const Function* functionNamed(const std::string& name) const {
    for (const auto& f : m_.functions)
      if (f.name == name && f.body) return &f;
    return nullptr;
  }
  // The functions a call of `name` may run (itself included).
  std::vector<const Function*> reachable(const std::string& name) const {
    std::vector<const Function*> out;
    std::vector<std::string> todo{name};
    std::unordered_set<std::string> seen;
    while (!todo.empty()) {
      std::string f = todo.back();
      todo.pop_back();
      if (!seen.insert(f).second) continue;
      const Function* fn = functionNamed(f);
      if (!fn) continue;
      out.push_back(fn);
      forEach(*fn->body, [&](Node& x) {
        if (x.op == Op::CallUser) todo.push_back(x.s);
      });
    }
    return out;
  }
  bool recursive(const std::string& name) const {
    for (const Function* f : reachable(name)) {
      bool self = false;
      forEach(*f->body, [&](Node& x) {
        if (x.op == Op::CallUser)
          for (const Function* g : reachable(x.s)) self = self || g == f;
      });
      if (self) return true;
    }
    return false;
  }
  std::string notInlinedWhy(const std::string& name) const {
    return recursive(name) ? "it is recursive" : "it returns from inside a loop";
  }
  // "target +=" or "target()" when a call of `name` may change or read the log density.
  std::string touchesTarget(const std::string& name) const {
    std::string what;
    for (const Function* f : reachable(name))
      forEach(*f->body, [&](Node& x) {
        if (what.empty() && x.op == Op::TargetAdd) what = "target +=";
        if (what.empty() && x.op == Op::TargetGet) what = "target()";
      });
    return what;
  }

  void makeAdj(Node* n) {
    if (!isActive(n) || adj_.count(n)) return;
    if (n->op == Op::CallUser) throw Unsupported(userCallMessage(*n));  // checkUserCalls reports these first
    Node* a = b_.create(Op::AdjVar, n->type, {v(n)});
    adj_[n] = a;
  }

  Node* adjOf(Node* n) {
    auto it = adj_.find(n);
    MVC_ASSERT(it != adj_.end(), "autodiff: no accumulator for %" + std::to_string(n->id));
    return it->second;
  }

  Node* get(Node* n) {
    Node* acc = adjOf(n);
    return b_.create(Op::AdjGet, acc->type, {acc});
  }

  void add(Node* target, Node* value, const std::string& kinds = "", std::vector<Node*> idx = {}) {
    std::vector<Node*> in{adjOf(target), value};
    in.insert(in.end(), idx.begin(), idx.end());
    b_.create(Op::AdjAdd, IrType{Type::voidType(), {}}, in)->s = kinds;
  }

  // A loop is reversed as a map (iterations in any order, each recomputed) when its iterations
  // are independent: no break, and every variable declared outside it that it
  // stores to is never read in it and is written only at elements indexed first by the loop
  // index (x[n] = ..., each iteration its own element). ClassifyLoops's maps are such loops;
  // this also admits variables declared inside the loop (iteration-local) and other effects.
  static void collectVarUse(const Region& r, std::vector<const Node*>& stores, std::unordered_set<const Node*>& loaded,
                            bool& jumps) {
    for (const auto& n : r.nodes) {
      if (n->op == Op::Store || n->op == Op::StoreIndex) stores.push_back(n.get());
      if (n->op == Op::Load || n->op == Op::LoadIndex) loaded.insert(n->inputs[0]);
      if (n->op == Op::Break) jumps = true;  // (a continue leaves the other iterations as they are)
      for (const auto& sub : n->regions) collectVarUse(*sub, stores, loaded, jumps);
    }
  }
  static bool inside(const Node* n, const Node* loop) {
    for (const Region* r = n->parent; r; r = r->owner ? r->owner->parent : nullptr)
      if (r->owner == loop) return true;
    return false;
  }
  static bool iterationsIndependent(const Node& loop) {
    std::vector<const Node*> stores;
    std::unordered_set<const Node*> loaded;
    bool jumps = false;
    collectVarUse(*loop.regions[0], stores, loaded, jumps);
    if (jumps) return false;
    const Node* index = loop.regions[0]->args[0];
    for (const Node* st : stores) {
      const Node* var = st->inputs[0];
      if (inside(var, &loop)) continue;
      bool ownElement = st->op == Op::StoreIndex && !st->s.empty() && st->s[0] == 's' && st->inputs.size() > 2 &&
                        st->inputs[2] == index;
      if (!ownElement || loaded.count(var)) return false;
    }
    return true;
  }

  // ---- the undo tape (docs/autodiff.md, "Loops that carry state")
  //
  // The reverse sweep recomputes loop bodies and branches, which read variables; for that it
  // keeps every variable exactly as the forward pass had it at the same point. The forward
  // pass saves what each store of the model section overwrites (tape.save), with a mark before
  // each loop or branch that stores and at the start of every iteration of a loop that carries
  // state. In the sweep, reversing a store restores the value it overwrote (tape.pop); a loop
  // or branch first restores everything it stored (tape.restore: the state it started from)
  // and then recomputes and sweeps its body; a loop that carries state is reversed last
  // iteration first, each iteration restored to the state it started from.
  bool needsTape(const Node& n) {
    if (n.op == Op::While) return regionActive(*n.regions[0]) || regionActive(*n.regions[1]);
    return n.op == Op::For && !n.i && !iterationsIndependent(n) && regionActive(*n.regions[0]);
  }

  // The body of a loop (a for's region 0, a while's region 1) and the id of its iteration
  // marks: the for's index node, minus (1 + the node's id) for a while, whose body has no
  // argument (ids are never negative, so it is unique too).
  static Region& bodyOf(Node& loop) { return *loop.regions[loop.op == Op::While ? 1 : 0]; }
  static int64_t iterationMark(const Node& loop) {
    return loop.op == Op::While ? -(loop.id + 1) : loop.regions[0]->args[0]->id;
  }

  // Creates a node at position `pos` of `r`.
  Node* insertAt(Region& r, size_t pos, Op op, std::vector<Node*> inputs, int64_t i = 0, const std::string& s = "") {
    Region* saved = b_.region();
    b_.setRegion(&r);
    Node* n = b_.create(op, IrType{Type::voidType(), {}}, std::move(inputs));
    b_.setRegion(saved);
    n->i = i;
    n->s = s;
    std::unique_ptr<Node> owned = std::move(r.nodes.back());
    r.nodes.pop_back();
    r.nodes.insert(r.nodes.begin() + static_cast<std::ptrdiff_t>(pos), std::move(owned));
    return n;
  }

  static bool storesIn(const Node& n) {
    for (const auto& sub : n.regions)
      if (containsStore(*sub)) return true;
    return false;
  }

  void instrumentRegion(Region& r) {
    for (size_t k = 0; k < r.nodes.size(); ++k) {
      Node& n = *r.nodes[k];
      if ((n.op == Op::Store || n.op == Op::StoreIndex) && !untaped_.count(&n)) {
        std::vector<Node*> in{n.inputs[0]};
        in.insert(in.end(), n.inputs.begin() + 2, n.inputs.end());
        insertAt(r, k++, Op::TapeSave, in, 0, n.op == Op::Store ? "" : n.s);
        logged_.insert(&n);
        continue;
      }
      if (n.regions.empty()) continue;
      // The body of every loop the sweep reverses: only the jumps it can follow.
      if ((n.op == Op::For || n.op == Op::While) && regionActive(bodyOf(n))) checkJumps(bodyOf(n));
      bool taped = needsTape(n);
      if (!taped && !storesIn(n)) continue;
      if (n.op == Op::Select)
        throw Unsupported("autodiff: a conditional expression that assigns" + where(n) + " is not supported by autodiff yet");
      insertAt(r, k++, Op::TapeMark, {}, n.id);
      logged_.insert(&n);
      if (taped && n.op == Op::For && hasBreakIn(*n.regions[0])) {
        // The iterations that ran are a prefix of the range: count them (not on the tape:
        // the sweep reads the final count) and reverse only those.
        Node* count = insertAt(r, k - 1, Op::Var, {});
        count->type = IrType{Type::integer(), {}};
        count->s = "iterations";
        count->role = n.role;
        Node* zero = insertAt(r, k, Op::ConstInt, {}, 0);
        zero->type = IrType{Type::integer(), {}};
        zero->role = n.role;
        untaped_.insert(insertAt(r, k + 1, Op::Store, {count, zero}));
        k += 3;
        Region& body = bodyOf(n);
        Node* old = insertAt(body, 0, Op::Load, {count});
        old->type = IrType{Type::integer(), {}};
        Node* one = insertAt(body, 1, Op::ConstInt, {}, 1);
        one->type = IrType{Type::integer(), {}};
        Node* next = insertAt(body, 2, Op::Call, {old, one});
        next->type = IrType{Type::integer(), {}};
        next->sig = SignatureTable::builtins().resolve("operator+", {Type::integer(), Type::integer()}).signature;
        untaped_.insert(insertAt(body, 3, Op::Store, {count, next}));
        for (Node* x : {old, one, next}) x->role = n.role;
        iterations_[&n] = count;
      }
      if (taped) {
        if (n.op == Op::While && containsStore(*n.regions[0]))
          throw Unsupported("autodiff: a while loop that involves parameters and assigns in its condition" + where(n) +
                            " is not supported by autodiff yet");
        taped_.insert(&n);
        insertAt(bodyOf(n), 0, Op::TapeMark, {}, iterationMark(n));
      }
      for (const auto& sub : n.regions) instrumentRegion(*sub);
    }
  }

  // A reversed loop's body may `continue` only from a branch at its top level whose branches
  // assign nothing and involve no parameters (`if (missing[n]) continue;`, `if (x > 1)
  // continue;`): the recomputation decides as the forward pass did (its condition is recomputed
  // from the same state) and the sweep skips what did not run. `break`, and `continue`
  // anywhere else, are rejected.
  void checkJumps(const Region& body) {
    for (const auto& n : body.nodes) {
      if (n->op == Op::For || n->op == Op::While) continue;  // their own jumps
      bool simple = n->op == Op::If && !storesIn(*n) && !regionActive(*n->regions[0]) && !regionActive(*n->regions[1]);
      checkJumpsIn(*n, simple && hasJump(*n));
    }
  }
  void checkJumpsIn(const Node& n, bool jumpAllowed) {
    if ((n.op == Op::Break || n.op == Op::Continue) && !jumpAllowed)
      throw Unsupported("autodiff: " + std::string(n.op == Op::Break ? "break" : "continue") +
                        " in a loop whose body involves parameters" + where(n) +
                        " is not supported by autodiff yet (it is from an if at the top level of the body "
                        "whose branches assign nothing and involve no parameters)");
    if (n.op == Op::For || n.op == Op::While) return;
    for (const auto& sub : n.regions)
      for (const auto& c : sub->nodes) checkJumpsIn(*c, jumpAllowed);
  }

  // The reverse of a loop that carries state: iterations last first, each restored to the
  // state it started from, recomputed, swept, and restored again.
  void reverseTaped(Node& n) {
    RuleCtx c{b_, nullptr, nullptr, {}, nullptr, {}, {}, {}};
    // With a break, the iterations that ran: lo .. lo + count - 1.
    Node* hi = v(n.inputs[1]);
    if (auto it = iterations_.find(&n); it != iterations_.end()) {
      Node* count = b_.create(Op::Load, IrType{Type::integer(), {}}, {v(it->second)});
      hi = c.call("operator-", {c.call("operator+", {v(n.inputs[0]), count}), c.integer(1)});
    }
    Node* loop = b_.create(Op::For, IrType{Type::voidType(), {}}, {v(n.inputs[0]), hi});
    b_.addRegions(loop, 1);
    Region* saved = b_.region();
    b_.setRegion(loop->regions[0].get());
    Node* k = loop->regions[0]->args[0];
    map_[n.regions[0]->args[0]] = c.call("operator-", {c.call("operator+", {v(n.inputs[0]), hi}), k});
    b_.create(Op::TapeRestore, IrType{Type::voidType(), {}}, {})->i = iterationMark(n);
    b_.setRegion(saved);
    reverseBody(*n.regions[0], *loop->regions[0]);
    b_.setRegion(loop->regions[0].get());
    b_.create(Op::TapeRestore, IrType{Type::voidType(), {}}, {})->i = iterationMark(n);
    b_.setRegion(saved);
  }

  // The reverse of a while loop on parameters: while the tape holds iterations of it (marks
  // ITER above the loop's own mark), restore the newest, recompute it, sweep it, drop its mark.
  void reverseWhile(Node& n) {
    Node* loop = b_.create(Op::While, IrType{Type::voidType(), {}}, {});
    b_.addRegions(loop);
    Region* saved = b_.region();
    b_.setRegion(loop->regions[0].get());
    Node* more = b_.create(Op::TapeMore, IrType{Type::integer(), {}}, {});
    more->i = iterationMark(n);
    more->d = static_cast<double>(n.id);
    b_.create(Op::Yield, IrType{Type::voidType(), {}}, {more});
    b_.setRegion(loop->regions[1].get());
    b_.create(Op::TapeRestore, IrType{Type::voidType(), {}}, {})->i = iterationMark(n);
    b_.setRegion(saved);
    reverseBody(*n.regions[1], *loop->regions[1]);
    b_.setRegion(loop->regions[1].get());
    b_.create(Op::TapeRestore, IrType{Type::voidType(), {}}, {})->i = iterationMark(n);
    b_.setRegion(saved);
  }

  bool regionActive(const Region& r) {
    for (const auto& n : r.nodes) {
      if (active_.count(n.get())) return true;
      if ((n->op == Op::Store || n->op == Op::StoreIndex) && active_.count(n->inputs[0])) return true;
      if (n->op == Op::TargetAdd && active_.count(n->inputs[0])) return true;
      for (const auto& sub : n->regions)
        if (regionActive(*sub)) return true;
    }
    return false;
  }

  // Clones a node into the current region (inputs, shape dims and nested regions remapped).
  Node* clone(const Node& n) {
    std::vector<Node*> in;
    for (Node* i : n.inputs) in.push_back(v(i));
    IrType t = n.type;
    for (Dim& d : t.dims)
      if (d.kind == Dim::Value) d.value = v(const_cast<Node*>(d.value));
    Node* c = b_.create(n.op, t, in);
    c->i = n.i;
    c->d = n.d;
    c->s = n.s;
    c->sig = n.sig;
    c->transform = n.transform;
    c->range = n.range;
    map_[&n] = c;
    // A loop's own continue statements stay jumps (not the flag of a body being reversed).
    bool loop = n.op == Op::For || n.op == Op::While;
    if (loop) continueFlag_.push_back(nullptr);
    for (const auto& sub : n.regions) {
      auto r = std::make_unique<Region>();
      r->owner = c;
      for (Node* a : sub->args) {
        Node* na = addArg(m_, *r, a->type, a->role);
        na->i = a->i;
        map_[a] = na;
      }
      Region* saved = b_.region();
      b_.setRegion(r.get());
      for (const auto& x : sub->nodes) recompute(*x);
      b_.setRegion(saved);
      c->regions.push_back(std::move(r));
    }
    if (loop) continueFlag_.pop_back();
    return c;
  }

  // The forward work of an iteration needed by its reverse: values, loads and stores (local
  // vars), nested control flow that stores; not target increments or prints.
  void recompute(const Node& n) {
    if (isEffectToSkip(n.op)) return;
    if (n.op == Op::CallUser && n.type.base.isVoid()) return;  // no value, no effect the sweep needs
    if ((n.op == Op::Continue || n.op == Op::Break) && !continueFlag_.empty() && continueFlag_.back()) {
      b_.create(Op::Store, IrType{Type::voidType(), {}}, {continueFlag_.back(), b_.constInt(1)});
      return;
    }
    if (!n.regions.empty() && n.op != Op::Select && !mustRecompute(*n.regions[0]) &&
        (n.regions.size() < 2 || !mustRecompute(*n.regions[1])))
      return;
    if (n.op == Op::Yield && n.parent && n.parent->owner && n.parent->owner->op != Op::Select && n.parent->owner->op != Op::While)
      return;
    clone(n);
  }

  void reverseRegion(const Region& r, bool skipLast) { reverseRange(r, 0, r.nodes.size() - (skipLast ? 1 : 0)); }

  // The sweep over nodes [begin, end) of a region, last first.
  void reverseRange(const Region& r, size_t begin, size_t end) {
    auto restore = [&](const Node& n) { b_.create(Op::TapeRestore, IrType{Type::voidType(), {}}, {})->i = n.id; };
    for (size_t k = end; k-- > begin;) {
      Node& n = *r.nodes[k];
      bool logged = logged_.count(&n) > 0, store = n.op == Op::Store || n.op == Op::StoreIndex;
      // A loop or branch is recomputed from the state before it; a loop that carries state
      // restores its iterations itself (from the forward pass's saves), then its mark.
      if (logged && !store && !taped_.count(&n)) restore(n);
      reverse(n);
      if (logged && store) b_.create(Op::TapePop, IrType{Type::voidType(), {}}, {});
      if (logged && taped_.count(&n)) restore(n);
    }
  }

  // A nested region's reverse: recompute it, make accumulators for its active values, sweep.
  void reverseBody(const Region& body, Region& out) {
    Region* saved = b_.region();
    b_.setRegion(&out);
    reverseFrom(body, 0);
    b_.setRegion(saved);
  }

  // Nodes [from, end) of a loop body. A `continue` (allowed only in a top-level branch without
  // parameters or stores, checkJumps) skips the rest of the iteration: the recomputation sets
  // a flag instead of jumping, and the rest is recomputed and swept only when the flag is 0.
  void reverseFrom(const Region& body, size_t from) {
    size_t j = from;
    while (j < body.nodes.size() && !hasJump(*body.nodes[j])) ++j;
    for (size_t k = from; k < j; ++k) recompute(*body.nodes[k]);
    if (j < body.nodes.size()) {
      Node* flag = b_.create(Op::Var, IrType{Type::integer(), {}}, {});
      flag->s = "continued";
      b_.create(Op::Store, IrType{Type::voidType(), {}}, {flag, b_.constInt(0)});
      continueFlag_.push_back(flag);
      clone(*body.nodes[j]);
      continueFlag_.pop_back();
      RuleCtx c{b_, nullptr, nullptr, {}, nullptr, {}, {}, {}};
      Node* notContinued = c.call("operator==", {b_.create(Op::Load, IrType{Type::integer(), {}}, {flag}), c.integer(0)});
      Node* rest = b_.create(Op::If, IrType{Type::voidType(), {}}, {notContinued});
      b_.addRegions(rest);
      Region* saved = b_.region();
      b_.setRegion(rest->regions[0].get());
      reverseFrom(body, j + 1);
      b_.setRegion(saved);
    }
    for (size_t k = from; k < j; ++k) makeAdj(body.nodes[k].get());
    reverseRange(body, from, j);
  }

  static bool hasBreakIn(const Region& r) {
    for (const auto& n : r.nodes) {
      if (n->op == Op::Break) return true;
      if (n->op == Op::For || n->op == Op::While) continue;  // its own
      for (const auto& sub : n->regions)
        if (hasBreakIn(*sub)) return true;
    }
    return false;
  }

  // A continue or break that leaves the current iteration (not one of a nested loop).
  static bool hasJump(const Node& n) {
    if (n.op == Op::Continue || n.op == Op::Break) return true;
    if (n.op == Op::For || n.op == Op::While) return false;  // its own
    for (const auto& sub : n.regions)
      for (const auto& c : sub->nodes)
        if (hasJump(*c)) return true;
    return false;
  }

  void reverse(Node& n) {
    switch (n.op) {
      case Op::TargetAdd:
        if (isActive(n.inputs[0]))
          add(n.inputs[0], targetAdj_ ? b_.create(Op::AdjGet, targetAdj_->type, {targetAdj_}) : b_.constReal(1));
        return;
      case Op::TargetGet:
        // t = target() = the sum of everything added before it: each of those terms gets
        // adj(t) on top of its seed, i.e. adj(target) += adj(t) from here back.
        if (targetAdj_ && isActive(&n))
          b_.create(Op::AdjAdd, IrType{Type::voidType(), {}}, {targetAdj_, get(&n)});
        return;
      case Op::Param:
        if (adj_.count(&n)) boundsGrad(n);
        return;
      case Op::Select:
        if (isActive(&n)) selectGrad(n);
        return;
      case Op::Density:
      case Op::DensityBatched:
        if (isActive(&n)) densityGrad(n);
        return;
      case Op::Call:
        if (!isActive(&n)) return;
        if (n.sig->kind == FunctionKind::Density || n.sig->kind == FunctionKind::Cdf) return densityGrad(n);
        return callGrad(n);
      case Op::Index:
        if (isActive(&n) && isActive(n.inputs[0])) {
          std::vector<Node*> idx;
          for (size_t k = 1; k < n.inputs.size(); ++k) idx.push_back(v(n.inputs[k]));
          add(n.inputs[0], get(&n), n.s, idx);
        }
        return;
      case Op::Load:
        if (isActive(&n)) add(n.inputs[0], get(&n));
        return;
      case Op::LoadIndex:
        if (isActive(&n) && adj_.count(n.inputs[0])) {
          std::vector<Node*> idx;
          for (size_t k = 1; k < n.inputs.size(); ++k) idx.push_back(v(n.inputs[k]));
          add(n.inputs[0], get(&n), n.s, idx);
        }
        return;
      case Op::Store:
        if (!adj_.count(n.inputs[0])) return;
        if (isActive(n.inputs[1])) add(n.inputs[1], get(n.inputs[0]));
        b_.create(Op::AdjZero, IrType{Type::voidType(), {}}, {adjOf(n.inputs[0])});
        return;
      case Op::StoreIndex: {
        if (!adj_.count(n.inputs[0])) return;
        std::vector<Node*> idx;
        for (size_t k = 2; k < n.inputs.size(); ++k) idx.push_back(v(n.inputs[k]));
        if (isActive(n.inputs[1])) {
          // adj(var)[idx], read in place (not a copy of the whole accumulator, then an index).
          std::vector<Node*> in{adjOf(n.inputs[0])};
          in.insert(in.end(), idx.begin(), idx.end());
          Node* part = b_.create(Op::AdjGet, n.inputs[1]->type, in);
          part->s = n.s;
          add(n.inputs[1], part);
        }
        std::vector<Node*> zin{adjOf(n.inputs[0])};
        zin.insert(zin.end(), idx.begin(), idx.end());
        b_.create(Op::AdjZero, IrType{Type::voidType(), {}}, zin)->s = n.s;
        return;
      }
      case Op::MakeArray:
      case Op::MakeRow:
        if (!isActive(&n)) return;
        for (size_t k = 0; k < n.inputs.size(); ++k) {
          if (!isActive(n.inputs[k])) continue;
          Node* i = b_.constInt(static_cast<int64_t>(k + 1));
          Node* part = b_.create(Op::Index, n.inputs[k]->type, {get(&n), i});
          part->s = "s";
          add(n.inputs[k], part);
        }
        return;
      case Op::For: {
        if (!regionActive(*n.regions[0])) return;
        if (taped_.count(&n)) return reverseTaped(n);
        Node* loop = b_.create(Op::For, IrType{Type::voidType(), {}}, {v(n.inputs[0]), v(n.inputs[1])});
        b_.addRegions(loop, 1);
        map_[n.regions[0]->args[0]] = loop->regions[0]->args[0];
        reverseBody(*n.regions[0], *loop->regions[0]);
        return;
      }
      case Op::If: {
        if (!regionActive(*n.regions[0]) && !regionActive(*n.regions[1])) return;
        Node* branch = b_.create(Op::If, IrType{Type::voidType(), {}}, {v(n.inputs[0])});
        b_.addRegions(branch);
        for (int k = 0; k < 2; ++k) reverseBody(*n.regions[k], *branch->regions[k]);
        return;
      }
      case Op::While:
        if (taped_.count(&n)) reverseWhile(n);
        return;
      case Op::Break:
      case Op::Continue:
        throw Unsupported("autodiff: break/continue in a loop that involves parameters" + where(n) +
                          " is not supported by autodiff yet");
      default: return;
    }
  }

  // y = c ? a : b: if (c) { recompute a; adj(a) += adj(y); reverse a } else { the same for b }.
  void selectGrad(Node& n) {
    Node* adjY = get(&n);
    Node* branch = b_.create(Op::If, IrType{Type::voidType(), {}}, {v(n.inputs[0])});
    b_.addRegions(branch);
    Region* saved = b_.region();
    for (int k = 0; k < 2; ++k) {
      const Region& body = *n.regions[k];
      b_.setRegion(branch->regions[k].get());
      size_t last = body.nodes.size() - 1;  // the yield
      MVC_ASSERT(body.nodes[last]->op == Op::Yield, "autodiff: a select region that does not end in yield");
      for (size_t j = 0; j < last; ++j) recompute(*body.nodes[j]);
      for (size_t j = 0; j < last; ++j) makeAdj(body.nodes[j].get());
      Node* yielded = body.nodes[last]->inputs[0];
      if (isActive(yielded)) add(yielded, adjY);
      for (size_t j = last; j-- > 0;) reverse(*body.nodes[j]);
    }
    b_.setRegion(saved);
  }

  // Bounds that are parameters (lower, upper, lower_upper, offset_multiplier): the parameter's
  // param.grad is emitted here, where adj(y) is complete (every use comes later in the
  // program), with the active bounds' accumulators, which the transform's kernel fills: the
  // log-Jacobians of lower_upper (log(ub - lb)) and of the multiplier (log sigma) depend on the
  // bounds, and whether the Jacobian is on is a run-time option only param.grad sees. A scalar
  // bound of a container, or a vector bound of an array of vectors, gets the sum over the
  // elements (docs/autodiff.md, "Bounds that are parameters").
  void boundsGrad(Node& p) {
    std::string mask;
    std::vector<Node*> in{&p, adjOf(&p)};
    for (Node* bnd : p.inputs) {
      mask += isActive(bnd) ? 'a' : '-';
      if (isActive(bnd)) in.push_back(adjOf(bnd));
    }
    if (mask.find('a') == std::string::npos) return;
    b_.create(Op::ParamGrad, IrType{Type::voidType(), {}}, in)->s = mask;
    paramGradDone_.insert(&p);
  }

  // target() nodes: returns whether one flows back into the target (then adj(target) is
  // tracked). Unsupported: one inside a nested region (recomputation would read a later
  // target) unless only printed; one flowing back into the target when parameters have
  // transforms (the log-Jacobian is part of target() but param.grad weighs its gradient by 1).
  bool checkTargetGets() {
    std::vector<Node*> gets;
    std::unordered_map<const Node*, std::vector<Node*>> users;
    forEach(*m_.model, [&](Node& n) {
      if (n.op == Op::TargetGet && active_.count(&n)) gets.push_back(&n);
      for (Node* in : n.inputs) users[in].push_back(&n);
    });
    bool constrained = false;
    for (const auto& n : m_.parameters->nodes) constrained = constrained || (n->op == Op::Param && !n->transform.empty());
    bool anyFlows = false;
    for (Node* t : gets) {
      std::unordered_set<const Node*> reach;
      std::vector<const Node*> work{t};
      while (!work.empty()) {
        const Node* n = work.back();
        work.pop_back();
        if (!reach.insert(n).second) continue;
        auto it = users.find(n);
        if (it != users.end())
          for (const Node* u : it->second) work.push_back(u);
        if (n->op == Op::Store || n->op == Op::StoreIndex) work.push_back(n->inputs[0]);
        if (n->op == Op::Yield && n->parent && n->parent->owner) work.push_back(n->parent->owner);
      }
      bool flows = false, onlyPrinted = true;
      for (const Node* n : reach) {
        flows = flows || n->op == Op::TargetAdd;
        bool printing = n->op == Op::TargetGet || n->op == Op::Call || n->op == Op::Index || n->op == Op::MakeArray ||
                        n->op == Op::MakeRow || n->op == Op::Print || n->op == Op::Reject || n->op == Op::FatalError;
        onlyPrinted = onlyPrinted && printing;
      }
      if (t->parent != m_.model.get() && !onlyPrinted)
        throw Unsupported("autodiff: target()" + where(*t) +
                          " inside a loop, branch or conditional expression, used other than for printing, is not supported by autodiff yet");
      if (flows && constrained)
        throw Unsupported("autodiff: target()" + where(*t) +
                          " flows back into the target of a model with constrained parameters (its log-Jacobian part) "
                          "and is not supported by autodiff yet");
      anyFlows = anyFlows || flows;
    }
    return anyFlows;
  }

  static void forEach(Region& r, const std::function<void(Node&)>& f) {
    for (const auto& n : r.nodes) {
      f(*n);
      for (const auto& sub : n->regions) forEach(*sub, f);
    }
  }

  void callGrad(Node& n) {
    std::string d = n.sig->describe();
    const AdjointRow* row = findAdjoint(d.substr(0, d.find(" =>")), n.sig->name);
    if (!row) throw Unsupported("autodiff: the gradient of " + d.substr(0, d.find(" =>")) + where(n) +
                                " is not supported by autodiff yet (no adjoint rule)");
    RuleCtx c{b_, v(&n), get(&n), {}, n.sig, {}, {}, {}};
    for (Node* x : n.inputs) c.x.push_back(v(x));
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      if (!isActive(n.inputs[k])) continue;
      c.addKinds.clear();
      c.addIdx.clear();
      Node* contribution = row->rule(c, static_cast<int>(k));
      if (!contribution)
        throw Unsupported("autodiff: the gradient of " + d.substr(0, d.find(" =>")) + " with these argument types" +
                          where(n) + " is not supported by autodiff yet (no adjoint rule)");
      add(n.inputs[k], contribution, c.addKinds, c.addIdx);
    }
  }

  void densityGrad(Node& n) {
    Node* seed = get(&n);
    if (n.op == Op::DensityBatched) {
      std::string mask;
      std::vector<Node*> accs;
      size_t in = 2;
      const bool mvn = n.sig->family == "multi_normal" || n.sig->family == "multi_normal_cholesky" ||
                       n.sig->family == "multi_normal_prec" || n.sig->family == "multi_student_t";
      for (char mode : n.s) {
        Node* arg = n.inputs[in];
        in += mode == 'g' ? 2 : 1;
        if (!isActive(arg)) {
          mask += '-';
        } else if (mvn && arg->op == Op::Param && arg->transform.empty() && arg->type.base.elem == ElemType::Vector) {
          // An untransformed parameter (array of) vector: its gradient goes straight into the
          // gradient vector ('p'), with no accumulator to fill, walk and add.
          mask += 'p';
          accs.push_back(arg);
        } else {
          mask += 'a';
          accs.push_back(adjOf(arg));
        }
      }
      std::vector<Node*> inputs{seed};
      for (Node* x : n.inputs) inputs.push_back(v(x));
      inputs.insert(inputs.end(), accs.begin(), accs.end());
      Node* g = b_.create(Op::DensityBatchedGrad, IrType{Type::voidType(), {}}, inputs);
      g->sig = n.sig;
      g->i = n.i;
      g->s = n.s + "/" + mask;
      return;
    }
    std::string mask;
    std::vector<Node*> inputs{seed}, accs;
    for (Node* x : n.inputs) {
      inputs.push_back(v(x));
      if (isActive(x)) {
        mask += 'a';
        accs.push_back(adjOf(x));
      } else {
        mask += '-';
      }
    }
    inputs.insert(inputs.end(), accs.begin(), accs.end());
    Node* g = b_.create(Op::DensityGrad, IrType{Type::voidType(), {}}, inputs);
    g->sig = n.sig;
    g->i = n.op == Op::Density ? n.i : (n.sig->name.find("_lup") != std::string::npos ? 1 : 0);
    g->s = mask;
  }

  Module& m_;
  Builder b_;
  std::unordered_set<const Node*> active_;
  std::unordered_map<const Node*, Node*> adj_;
  std::unordered_map<const Node*, Node*> map_;
  Node* grad_ = nullptr;
  Node* targetAdj_ = nullptr;  // adj(target), when a target() flows back into it
  std::unordered_set<const Node*> paramGradDone_;  // param.grad emitted by boundsGrad
  std::vector<Node*> continueFlag_;  // while recomputing a branch that continues: the flag var
  std::unordered_set<const Node*> untaped_;                  // stores the tape does not log
  std::unordered_map<const Node*, Node*> iterations_;        // a for loop with a break: its iteration count
  std::unordered_set<const Node*> taped_;        // loops reversed with the undo tape
  std::unordered_set<const Node*> logged_;       // stores, and loops and branches that store
};

}  // namespace

void differentiate(Module& m) { Differentiator(m).run(); }

}  // namespace mvc::autodiff
