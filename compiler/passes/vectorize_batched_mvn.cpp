// VectorizeBatchedMvn: many multivariate normals become one batched node (DESIGN.md sections
// 1 and 2). Two forms are rewritten into `density.batched`:
//
// 1. A loop whose body is one multivariate density and its `target.add`, with every argument
//    either the same for all n, or an array indexed by the loop index, or an array indexed
//    through a group index (L[g[n]]), or a pure function of those:
//
//    before:  for %1, %0 {
//               ^%35 : int
//               %36 : vector[q] = index [s] %12, %35            y[n]
//               %37 : int = index [s] %9, %35                   g[n]
//               %38 : vector[q] = index [s] %16, %37            tau[g[n]]
//               %40 : matrix[q, q] = index [s] %14, %37         L[g[n]]
//               %41 : matrix = call diag_pre_multiply(vector, matrix) %38, %40
//               %42 : real = density multi_normal_cholesky_lpdf propto %36, %13, %41
//               target.add %42
//             }
//    after:   %50 : array[K] matrix = var "diag_pre_multiply.batched" %6
//             for %1, %6 {                                      once per group k, not per n
//               ^%51 : int
//               %52 = index [s] %16, %51;  %53 = index [s] %14, %51
//               %54 : matrix = call diag_pre_multiply(vector, matrix) %52, %53
//               store.index [s] %50, %54, %51
//             }
//             %55 = load %50
//             %56 : real = density.batched multi_normal_cholesky_lpdf propto [s,b,g] %1, %0, %12, %13, %55, %9
//             target.add %56
//
//    A value that depends on n in another way (mu[n] + delta) is computed into an array over n
//    first, so the density is still one node.
// 2. A density whose arguments are already arrays (`x ~ multi_normal(mu, Sigma)` with array[N]
//    vector mu and array[N] cov_matrix Sigma), mvc's batched syntax, becomes the same node.
// 3. One density at the top level of the model whose matrix argument does not depend on
//    parameters becomes a batched node over one item (modes b,b,b): code generation factors
//    the matrix once at construction (runtime batchedMvnPrepare), and when it is block
//    diagonal with equal blocks -- the kron-style construction `B[(n-1)q+1:nq, (n-1)q+1:nq] =
//    Sigma[n]` of one big multi_normal over N q values -- each block is factored on its own and
//    the vectors' consecutive segments are the batch's items (N q x q factorisations instead of
//    one (N q)^3; latent model N = 500, q = 4: 3.3 s -> 2.1 us per gradient).
//
//    before:  %26 : real = density multi_normal_lpdf propto %13, %25, %7
//    after:   %125 : int = const.int 1
//             %26 : real = density.batched multi_normal_lpdf propto [b,b,b] %125, %125, %13, %25, %7
//
// Loops that cannot be proven equivalent (a store in the body, a second density, a print, an
// argument that depends on the loop index through something that is not pure) are left alone,
// with a note saying why (visible under --print-ir-after=VectorizeBatchedMvn).
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "frontend/signatures.h"
#include "ir/activity.h"
#include "ir/builder.h"
#include "ir/rewrite.h"
#include "passes/pipeline.h"
#include "support/diagnostics.h"

namespace mvc::passes {
namespace {
using namespace ir;

bool isMvnDensity(const Node& n) {
  if (!n.sig || (n.op != Op::Density && !(n.op == Op::Call && n.sig->kind == FunctionKind::Density))) return false;
  const std::string& f = n.sig->family;
  return f == "multi_normal" || f == "multi_normal_cholesky" || f == "multi_normal_prec" || f == "multi_student_t";
}

std::string where(const Node& n) { return "line " + std::to_string(n.range.begin.line); }

std::string commaSeparated(const std::string& modes) {
  std::string out;
  for (char c : modes) out += std::string(out.empty() ? "" : ",") + c;
  return out;
}

struct BatchedArg {
  char mode = 'b';          // b: same for every n; s: array indexed by n; g: array indexed by G[n]
  Node* value = nullptr;
  Node* gather = nullptr;   // G, for mode g
};

class LoopRewriter {
 public:
  LoopRewriter(Module& m, Node& loop) : m_(m), b_(m), loop_(loop), body_(*loop.regions[0]), n_(body_.args[0]) {
    for (const auto& node : body_.nodes) inBody_.insert(node.get());
  }

  // Returns "" when rewritten, or why not.
  std::string run() {
    Node* density = nullptr;
    Node* add = nullptr;
    for (const auto& node : body_.nodes) {
      if (isMvnDensity(*node)) {
        if (density) return "the body has more than one multivariate density";
        density = node.get();
      } else if (node->op == Op::TargetAdd) {
        if (add) return "the body adds to target more than once";
        add = node.get();
      } else if (!node->pure() || !node->regions.empty()) {
        return std::string("the body also has a '") + opInfo(node->op).mnemonic + "' (line " +
               std::to_string(node->range.begin.line) + "), so its iterations are not independent densities";
      }
    }
    if (!density) return "no multivariate density in the body";
    if (!add || add->inputs[0] != density) return "the density's value is not simply added to target";

    b_.setRegion(loop_.parent);
    b_.setRole(loop_.role);
    b_.setRange(loop_.range);
    insertAt_ = positionOf(loop_);
    std::vector<BatchedArg> args;
    for (Node* in : density->inputs) {
      BatchedArg a;
      std::string why = classify(in, a);
      if (!why.empty()) return why;
      args.push_back(a);
    }
    // Build the batched node where the loop was, then drop the loop.
    std::vector<Node*> inputs{loop_.inputs[0], loop_.inputs[1]};
    std::string modes;
    for (const BatchedArg& a : args) {
      modes += a.mode;
      inputs.push_back(a.value);
      if (a.mode == 'g') inputs.push_back(a.gather);
    }
    b_.setRange(density->range);
    Node* batched = emit(Op::DensityBatched, IrType{Type::real(), {}}, inputs);
    batched->sig = density->sig;
    batched->i = density->op == Op::Density ? density->i : 0;
    batched->s = modes;
    emit(Op::TargetAdd, IrType{Type::voidType(), {}}, {batched});
    summary_ = density->sig->family + " over n (modes " + commaSeparated(modes) + ")";
    removeLoop();
    return "";
  }

  const std::string& summary() const { return summary_; }

 private:
  // Nodes are created in the loop's region just before the loop.
  Node* emit(Op op, IrType type, std::vector<Node*> in) {
    Node* n = b_.create(op, std::move(type), std::move(in));
    auto& nodes = loop_.parent->nodes;
    std::unique_ptr<Node> owned = std::move(nodes.back());
    nodes.pop_back();
    nodes.insert(nodes.begin() + static_cast<long>(insertAt_++), std::move(owned));
    return n;
  }

  size_t positionOf(const Node& n) const {
    auto& nodes = n.parent->nodes;
    for (size_t k = 0; k < nodes.size(); ++k)
      if (nodes[k].get() == &n) return k;
    throw InternalError("node not in its parent region");
  }

  void removeLoop() {
    auto& nodes = loop_.parent->nodes;
    nodes.erase(nodes.begin() + static_cast<long>(positionOf(loop_)));
  }

  bool inBody(const Node* n) const { return inBody_.count(n) > 0; }

  // G[n] for a G defined outside the loop: the group index of observation n.
  bool isGroupIndex(const Node* n, Node** G) const {
    if (n->op != Op::Index || n->s != "s" || n->inputs.size() != 2 || n->inputs[1] != n_) return false;
    if (inBody(n->inputs[0]) || n->inputs[0]->type.base != Type::arrayOf(Type::integer())) return false;
    *G = n->inputs[0];
    return true;
  }

  std::string classify(Node* v, BatchedArg& a) {
    if (v == n_) return "the loop index itself is an argument of the density";
    if (!inBody(v)) {
      a = {'b', v, nullptr};
      return "";
    }
    if (v->op == Op::Index && v->s == "s" && v->inputs.size() == 2 && !inBody(v->inputs[0])) {
      Node* G = nullptr;
      if (v->inputs[1] == n_) {
        a = {'s', v->inputs[0], nullptr};
        return "";
      }
      if (isGroupIndex(v->inputs[1], &G)) {
        a = {'g', v->inputs[0], G};
        return "";
      }
    }
    if (!v->pure() || !v->regions.empty())
      return std::string("an argument is computed by '") + opInfo(v->op).mnemonic + "', which is not a pure value";
    // A pure function of the loop's values: compute it once per group if it depends on n only
    // through one group index G[n], otherwise once per n.
    Node* G = nullptr;
    bool perGroup = dependsOnlyThroughGroup(v, &G) && G;
    return materialize(v, perGroup ? G : nullptr, a);
  }

  bool dependsOnlyThroughGroup(const Node* v, Node** G) const {
    if (v == n_) return false;
    if (!inBody(v)) return true;
    Node* g = nullptr;
    if (isGroupIndex(v, &g)) {
      if (*G && *G != g) return false;
      *G = g;
      return true;
    }
    for (const Node* in : v->inputs)
      if (!dependsOnlyThroughGroup(in, G)) return false;
    return true;
  }

  // Computes v for every group k (G given) or every n into a new array variable.
  std::string materialize(Node* v, Node* G, BatchedArg& a) {
    Node* count = nullptr;
    Node* one = nullptr;
    if (G) {
      one = emit(Op::ConstInt, IrType{Type::integer(), {}}, {});
      one->i = 1;
      // Groups are numbered 1..K, K being the size of the arrays the group index selects from.
      const Node* source = groupSource(v, G);
      if (!source) return "cannot tell how many groups the group index selects from";
      const Dim& d = source->type.dims.empty() ? Dim{} : source->type.dims[0];
      if (d.kind == Dim::Value) count = const_cast<Node*>(d.value);
      else {
        Resolution r = SignatureTable::builtins().resolve("size", {source->type.base});
        Node* sz = emit(Op::Call, IrType{Type::integer(), {}}, {const_cast<Node*>(source)});
        sz->sig = r.signature;
        count = sz;
      }
    } else {
      count = loop_.inputs[1];  // arrays over n are indexed 1..hi
    }
    IrType varType{Type::arrayOf(v->type.base), {}};
    if (!v->type.dims.empty()) {
      varType.dims.push_back(Dim::of(count));
      varType.dims.insert(varType.dims.end(), v->type.dims.begin(), v->type.dims.end());
    }
    std::vector<Node*> sizes;
    for (const Dim& d : varType.dims)
      if (d.kind == Dim::Value) sizes.push_back(const_cast<Node*>(d.value));
    Node* var = emit(Op::Var, varType, sizes);
    var->s = (v->sig ? v->sig->name : std::string(opInfo(v->op).mnemonic)) + (G ? ".per_group" : ".per_n");
    Node* fill = emit(Op::For, IrType{Type::voidType(), {}}, {G ? one : loop_.inputs[0], count});
    b_.addRegions(fill, 1);
    Node* k = fill->regions[0]->args[0];
    std::unordered_map<const Node*, Node*> clones;
    b_.inRegion(fill->regions[0].get(), [&] {
      Node* value = clone(v, G, k, clones);
      Node* st = b_.create(Op::StoreIndex, IrType{Type::voidType(), {}}, {var, value, k});
      st->s = "s";
    });
    Node* loaded = emit(Op::Load, varType, {var});
    a = G ? BatchedArg{'g', loaded, G} : BatchedArg{'s', loaded, nullptr};
    return "";
  }

  // The array a group index selects from inside v (for the number of groups).
  const Node* groupSource(const Node* v, const Node* G) const {
    if (!inBody(v)) return nullptr;
    if (v->op == Op::Index && v->s == "s" && v->inputs.size() == 2) {
      Node* g = nullptr;
      if (isGroupIndex(v->inputs[1], &g) && g == G && !inBody(v->inputs[0])) return v->inputs[0];
    }
    for (const Node* in : v->inputs)
      if (const Node* s = groupSource(in, G)) return s;
    return nullptr;
  }

  // A copy of v's computation inside the fill loop, with n (or G[n]) replaced by k.
  Node* clone(Node* v, Node* G, Node* k, std::unordered_map<const Node*, Node*>& done) {
    if (!inBody(v)) return v == n_ ? k : v;
    Node* g = nullptr;
    if (G && isGroupIndex(v, &g)) return k;
    auto it = done.find(v);
    if (it != done.end()) return it->second;
    std::vector<Node*> in;
    for (Node* x : v->inputs) in.push_back(clone(x, G, k, done));
    b_.setRange(v->range);
    Node* c = b_.create(v->op, v->type, in);
    c->i = v->i;
    c->d = v->d;
    c->s = v->s;
    c->sig = v->sig;
    c->transform = v->transform;
    done[v] = c;
    return c;
  }

  Module& m_;
  Builder b_;
  Node& loop_;
  Region& body_;
  Node* n_;
  std::set<const Node*> inBody_;
  size_t insertAt_ = 0;
  std::string summary_;
};

// x ~ multi_normal(mu, Sigma) with array arguments: one batched node over 1..N.
void rewriteArrayDensity(Module& m, Node& d, const std::unordered_set<const Node*>& active) {
  std::string modes;
  Node* first = nullptr;
  for (size_t k = 0; k < d.inputs.size(); ++k) {
    const Type& t = d.inputs[k]->type.base;
    ArgClass cls = d.sig->args[k].cls;
    bool batched = (cls == ArgClass::Reals) ? !t.isScalar() : t.arrayDims == 1;
    modes += batched ? 's' : 'b';
    if (batched && !first) first = d.inputs[k];
  }
  if (!first) {
    // One density. With a matrix argument that does not depend on parameters it still becomes
    // a batched node over one item (modes b): code generation then factors the matrix once at
    // construction, and a block-diagonal one (kron(I, S), blocks filled in a loop) is found
    // there and factored block by block, its vectors taken as the blocks' items.
    const std::string& f = d.sig->family;
    // (At the top level of the model only: one inside a loop is the loop's rewrite to make.)
    if (f == "multi_student_t" || active.count(d.inputs.back()) || d.parent != m.model.get()) return;
  }
  Builder b(m);
  b.setRegion(d.parent);
  b.setRole(d.role);
  b.setRange(d.range);
  auto& nodes = d.parent->nodes;
  size_t at = 0;
  while (nodes[at].get() != &d) ++at;
  // Nodes go in front of d: lo = 1, hi = size of the first array argument.
  auto place = [&](Node* n) {
    std::unique_ptr<Node> owned = std::move(nodes.back());
    nodes.pop_back();
    nodes.insert(nodes.begin() + static_cast<long>(at++), std::move(owned));
    return n;
  };
  Node* lo = place(b.constInt(1));
  Node* hi;
  if (first) {
    hi = place(b.create(Op::Call, IrType{Type::integer(), {}}, {first}));
    hi->sig = SignatureTable::builtins().resolve("size", {first->type.base}).signature;
  } else {
    hi = lo;  // one item
  }
  std::vector<Node*> in{lo, hi};
  in.insert(in.end(), d.inputs.begin(), d.inputs.end());
  bool propto = d.op == Op::Density && d.i;
  d.op = Op::DensityBatched;
  d.inputs = in;
  d.s = modes;
  d.i = propto ? 1 : 0;
  m.notes.push_back("VectorizeBatchedMvn: " + where(d) + ": " + d.sig->family +
                    (first ? " over arrays is one batched node (modes " + commaSeparated(modes) + ")"
                           : " with a matrix of data is a batched node over one item (its matrix factored once)"));
}

void visit(Module& m, Region& r, const std::unordered_set<const Node*>& active) {
  // Collect first: rewriting changes the region.
  std::vector<Node*> loops, densities;
  for (auto& n : r.nodes) {
    for (auto& sub : n->regions) visit(m, *sub, active);
    if (n->op == Op::For) loops.push_back(n.get());
    if (isMvnDensity(*n)) densities.push_back(n.get());
  }
  for (Node* d : densities) rewriteArrayDensity(m, *d, active);
  for (Node* loop : loops) {
    bool hasMvn = false;
    forEachNode(*loop->regions[0], [&](Node& n) { hasMvn |= isMvnDensity(n); });
    if (!hasMvn) continue;
    std::string at = where(*loop);
    LoopRewriter rw(m, *loop);
    std::string why = rw.run();
    if (why.empty()) m.notes.push_back("VectorizeBatchedMvn: loop at " + at + " is one batched " + rw.summary());
    else m.notes.push_back("VectorizeBatchedMvn: loop at " + at + " left as a loop: " + why);
  }
}

}  // namespace

void vectorizeBatchedMvn(Module& m) {
  const std::unordered_set<const Node*> active = activeNodes(m);
  for (auto& [name, r] : m.sections())
    if (r == m.model.get()) visit(m, *r, active);
}

}  // namespace mvc::passes
