// VectorizeBatchedMvn: many multivariate normals become one batched node (DESIGN.md sections
// 1 and 2). Four forms are rewritten into `density.batched`:
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
// 4. One density at the top level of the model whose matrix is a local filled block by block
//    from parameters (kron-style): a batched node over the blocks (BlockDiagonalRewriter,
//    below, with its own before/after example).
//
// Loops that cannot be proven equivalent (a store in the body, a second density, a print, an
// argument that depends on the loop index through something that is not pure) are left alone,
// with a note saying why (visible under --print-ir-after=VectorizeBatchedMvn).
#include <algorithm>
#include <functional>
#include <map>
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

bool isDensityNode(const Node& n) {
  return n.sig && (n.op == Op::Density || (n.op == Op::Call && n.sig->kind == FunctionKind::Density));
}

// How a density of a loop becomes a batched node: 'm' a multivariate family the runtime
// batches (its items whole), 'u' a univariate family whose arguments are all elementwise (the
// items laid end to end), 0 neither.
char batchedFamily(const Node& d) {
  static const std::set<std::string> kMultivariate{"multi_normal",  "multi_normal_cholesky", "multi_normal_prec",
                                                   "multi_student_t", "lkj_corr_cholesky",   "lkj_corr",
                                                   "dirichlet",       "wishart",             "inv_wishart"};
  if (kMultivariate.count(d.sig->family)) return 'm';
  for (const ArgSpec& a : d.sig->args)
    if (a.cls != ArgClass::Reals && a.cls != ArgClass::Ints) return 0;
  return 'u';
}

std::string where(const Node& n) { return "line " + std::to_string(n.range.begin.line); }

// The attributes of a node copied onto its copy (whose op, type and inputs are set).
void copyAttributes(const Node& from, Node& to) {
  to.i = from.i;
  to.d = from.d;
  to.s = from.s;
  to.sig = from.sig;
  to.transform = from.transform;
}

// A node's position in its region.
size_t positionOf(const Node& n) {
  auto& nodes = n.parent->nodes;
  for (size_t k = 0; k < nodes.size(); ++k)
    if (nodes[k].get() == &n) return k;
  throw InternalError("node not in its parent region");
}

// Removes a node (nothing may use it any more) from its region.
void removeNode(Node& n) {
  auto& nodes = n.parent->nodes;
  nodes.erase(nodes.begin() + static_cast<long>(positionOf(n)));
}

// A new node at position `at` of region r (then at is the position after it).
Node* createAt(Builder& b, Region& r, size_t& at, Op op, IrType type, std::vector<Node*> in) {
  Node* x = nullptr;
  b.inRegion(&r, [&] { x = b.create(op, std::move(type), std::move(in)); });
  MVC_ASSERT(!r.nodes.empty() && r.nodes.back().get() == x, "a new node is not the last of its region");
  std::unique_ptr<Node> owned = std::move(r.nodes.back());
  r.nodes.pop_back();
  r.nodes.insert(r.nodes.begin() + static_cast<long>(at++), std::move(owned));
  return x;
}

// Density d (a `density` or a `call` of an _lpdf) becomes density.batched in place with
// inputs lo, hi, then the arguments (each followed by its index array in mode g).
void becomeBatched(Node& d, std::vector<Node*> inputs, std::string modes) {
  const bool propto = d.op == Op::Density && d.i;
  d.op = Op::DensityBatched;
  d.inputs = std::move(inputs);
  d.s = std::move(modes);
  d.i = propto ? 1 : 0;
}

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
    // The body: densities, each added to target once and used by nothing else, and pure values.
    std::vector<Node*> densities;
    std::unordered_map<const Node*, int> adds;
    for (const auto& node : body_.nodes) {
      if (isDensityNode(*node)) {
        densities.push_back(node.get());
      } else if (node->op == Op::TargetAdd) {
        ++adds[node->inputs[0]];
      } else if (!node->pure() || !node->regions.empty()) {
        return std::string("the body also has a '") + opInfo(node->op).mnemonic + "' (line " +
               std::to_string(node->range.begin.line) + "), so its iterations are not independent densities";
      }
    }
    bool multivariate = false;
    for (Node* d : densities) multivariate |= batchedFamily(*d) == 'm';
    if (!multivariate) return "no multivariate density in the body";
    for (const auto& node : body_.nodes)
      for (Node* in : node->inputs)
        if (isDensityNode(*in) && node->op != Op::TargetAdd) return "a density's value is used for more than target";
    for (const auto& [value, count] : adds)
      if (!isDensityNode(*value) || count != 1) return "the body adds something other than a density's value to target";
    for (Node* d : densities) {
      if (adds.count(d) == 0) return "a density's value is not added to target";
      if (!batchedFamily(*d)) return d->sig->family + " has no batched form";
    }
    // Check every argument before anything is emitted, then build one batched node per density
    // where the loop was, and drop the loop.
    for (Node* d : densities)
      for (Node* in : d->inputs) {
        BatchedArg a;
        std::string why = classify(in, a, true);
        if (!why.empty()) return why;
      }
    b_.setRegion(loop_.parent);
    b_.setRole(loop_.role);
    b_.setRange(loop_.range);
    insertAt_ = positionOf(loop_);
    for (Node* density : densities) {
      std::vector<Node*> inputs{loop_.inputs[0], loop_.inputs[1]};
      std::string modes;
      for (Node* in : density->inputs) {
        BatchedArg a;
        classify(in, a, false);
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
      summary_ += (summary_.empty() ? "" : "; ") + density->sig->family + " over n (modes " + commaSeparated(modes) + ")";
    }
    removeNode(loop_);
    return "";
  }

  const std::string& summary() const { return summary_; }

 private:
  // Nodes are created in the loop's region just before the loop.
  Node* emit(Op op, IrType type, std::vector<Node*> in) {
    return createAt(b_, *loop_.parent, insertAt_, op, std::move(type), std::move(in));
  }


  bool inBody(const Node* n) const { return inBody_.count(n) > 0; }

  // G[n] for a G defined outside the loop: the group index of observation n.
  bool isGroupIndex(const Node* n, Node** G) const {
    if (n->op != Op::Index || n->s != "s" || n->inputs.size() != 2 || n->inputs[1] != n_) return false;
    if (inBody(n->inputs[0]) || n->inputs[0]->type.base != Type::arrayOf(Type::integer())) return false;
    *G = n->inputs[0];
    return true;
  }

  // dry: only whether v can be an argument (nothing is emitted).
  std::string classify(Node* v, BatchedArg& a, bool dry) {
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
    if (!dependsOnIndex(v)) {  // the same for every n (a constant written in the body): computed once, before
      if (!dry) a = {'b', hoist(v), nullptr};
      return "";
    }
    // A pure function of the loop's values: compute it once per group if it depends on n only
    // through one group index G[n], otherwise once per n.
    Node* G = nullptr;
    bool perGroup = dependsOnlyThroughGroup(v, &G) && G;
    if (dry) return perGroup && !groupSource(v, G) ? "cannot tell how many groups the group index selects from" : "";
    return materialize(v, perGroup ? G : nullptr, a);
  }

  // Whether v depends on the loop index, or on something in the body that is not a pure value.
  bool dependsOnIndex(const Node* v) const {
    if (v == n_) return true;
    if (!inBody(v)) return false;
    if (!v->pure() || !v->regions.empty()) return true;
    for (const Node* in : v->inputs)
      if (dependsOnIndex(in)) return true;
    return false;
  }

  // A copy of v's computation in front of the loop (v does not depend on the loop index).
  Node* hoist(Node* v) {
    if (!inBody(v)) return v;
    auto it = hoisted_.find(v);
    if (it != hoisted_.end()) return it->second;
    std::vector<Node*> in;
    for (Node* x : v->inputs) in.push_back(hoist(x));
    b_.setRange(v->range);
    Node* c = emit(v->op, v->type, in);
    copyAttributes(*v, *c);
    return hoisted_[v] = c;
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

  // v = f(X1[G[n]], X2[G[n]], ...) with arrays X of the same declared size and a mapped form
  // of f (f over arrays, item by item): f(X1, X2, ...), one call for every group.
  Node* mappedCall(Node* v, Node* G) {
    if (v->op != Op::Call || !v->sig || v->inputs.empty() || v->type.dims.empty()) return nullptr;
    std::vector<Node*> arrays;
    std::vector<Type> types;
    for (Node* in : v->inputs) {
      Node* g = nullptr;
      if (!inBody(in) || in->op != Op::Index || in->s != "s" || in->inputs.size() != 2 || inBody(in->inputs[0]) ||
          !isGroupIndex(in->inputs[1], &g) || g != G)
        return nullptr;
      Node* X = in->inputs[0];
      if (X->type.dims.empty() || X->type.dims[0].kind == Dim::Unknown ||
          (!arrays.empty() && !(X->type.dims[0] == arrays[0]->type.dims[0])))
        return nullptr;
      arrays.push_back(X);
      types.push_back(X->type.base);
    }
    Resolution r = SignatureTable::builtins().resolve(v->sig->name, types);
    if (!r.signature || r.signature->name != v->sig->name || r.signature->ret != RetRule::Fixed || !(r.signature->retType == Type::arrayOf(v->type.base)))
      return nullptr;
    IrType t{Type::arrayOf(v->type.base), {arrays[0]->type.dims[0]}};
    t.dims.insert(t.dims.end(), v->type.dims.begin(), v->type.dims.end());
    b_.setRange(v->range);
    Node* c = emit(Op::Call, t, arrays);
    c->sig = r.signature;
    return c;
  }

  // Computes v for every group k (G given) or every n into a new array variable.
  std::string materialize(Node* v, Node* G, BatchedArg& a) {
    if (G)
      if (Node* mapped = mappedCall(v, G)) {
        a = BatchedArg{'g', mapped, G};
        return "";
      }
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
    copyAttributes(*v, *c);
    done[v] = c;
    return c;
  }

  Module& m_;
  Builder b_;
  Node& loop_;
  Region& body_;
  Node* n_;
  std::set<const Node*> inBody_;
  std::unordered_map<const Node*, Node*> hoisted_;
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
  size_t at = positionOf(d);
  // Nodes go in front of d: lo = 1, hi = size of the first array argument.
  Node* lo = createAt(b, *d.parent, at, Op::ConstInt, IrType{Type::integer(), {}}, {});
  lo->i = 1;
  Node* hi;
  if (first) {
    hi = createAt(b, *d.parent, at, Op::Call, IrType{Type::integer(), {}}, {first});
    hi->sig = SignatureTable::builtins().resolve("size", {first->type.base}).signature;
  } else {
    hi = lo;  // one item
  }
  std::vector<Node*> in{lo, hi};
  in.insert(in.end(), d.inputs.begin(), d.inputs.end());
  becomeBatched(d, in, modes);
  m.notes.push_back("VectorizeBatchedMvn: " + where(d) + ": " + d.sig->family +
                    (first ? " over arrays is one batched node (modes " + commaSeparated(modes) + ")"
                           : " with a matrix of data is a batched node over one item (its matrix factored once)"));
}

// ---- form 4: a covariance assembled block by block from parameters --------------------------
//
// An integer expression as a polynomial with integer coefficients in the values it is made of
// (the loop index, data sizes): monomial (sorted symbol list) -> coefficient. Enough to prove
// that a loop writes the blocks (n - 1) q + 1 : n q for n in 1:H of a matrix of size H q.
using Monomial = std::vector<const Node*>;
using Poly = std::map<Monomial, int64_t>;

Poly polyConst(int64_t c) { return c ? Poly{{Monomial{}, c}} : Poly{}; }
Poly polyAdd(const Poly& a, const Poly& b, int64_t sign) {
  Poly out = a;
  for (const auto& [m, c] : b)
    if ((out[m] += sign * c) == 0) out.erase(m);
  return out;
}
Poly polyMul(const Poly& a, const Poly& b) {
  Poly out;
  for (const auto& [ma, ca] : a)
    for (const auto& [mb, cb] : b) {
      Monomial m = ma;
      m.insert(m.end(), mb.begin(), mb.end());
      std::sort(m.begin(), m.end());
      if ((out[m] += ca * cb) == 0) out.erase(m);
    }
  return out;
}
Poly polyOf(const Node* n) {
  if (n->op == Op::ConstInt) return polyConst(n->i);
  if (n->op == Op::Call && n->sig && n->type.base == Type::integer()) {
    const std::string& f = n->sig->name;
    if (n->inputs.size() == 2 && (f == "operator+" || f == "operator-" || f == "operator*")) {
      Poly a = polyOf(n->inputs[0]), b = polyOf(n->inputs[1]);
      return f == "operator*" ? polyMul(a, b) : polyAdd(a, b, f == "operator+" ? 1 : -1);
    }
    if (n->inputs.size() == 1 && f == "operator-") return polyAdd({}, polyOf(n->inputs[0]), -1);
  }
  return Poly{{Monomial{n}, 1}};
}
bool polyOfDim(const Dim& d, Poly& out) {
  if (d.kind == Dim::Const) out = polyConst(d.constant);
  else if (d.kind == Dim::Value) out = polyOf(d.value);
  else return false;
  return true;
}

bool isZeroMatrix(const Node* v) {
  if (v->op != Op::Call || !v->sig || v->sig->name != "rep_matrix" || v->inputs.size() != 3) return false;
  const Node* x = v->inputs[0];
  return (x->op == Op::ConstInt && x->i == 0) || (x->op == Op::ConstReal && x->d == 0);
}

// One multi_normal (or _cholesky, _prec) at the top level of the model whose matrix B is a
// local variable set to zeros and then filled by one loop, block by block:
//
//    before:  %9 : matrix[%7, %7] = var "B" %7, %7                 %7 = N * q
//             store %9, %13                                       %13 = rep_matrix(0, %7, %7)
//             for %19, %0 {                                       n in 1:N
//               ^%21 : int
//               %26 = (n - 1) * q + 1;  %27 = n * q
//               %35 : matrix[q, q] = ...                          the block, from parameters
//               store.index [rr] %9, %35, %26, %27, %26, %27
//             }
//             %65 = load %9
//             %66 : real = density multi_normal_lpdf propto %63, %64, %65
//    after:   %70 : array[N] matrix[q, q] = var "B.blocks" %0, %1
//             for %19, %0 { ...; store.index [s] %70, %35, %21 }
//             %71 = var "y.segments" %0, %1;  %72 = var "mu.segments" %0, %1
//             for %19, %0 { ^%73;  store.index [s] %71, (index [r] %63, a(%73), b(%73)), %73;  ... %72 ... }
//             %66 : real = density.batched multi_normal_lpdf propto [s,s,s] %19, %0, load %71, load %72, load %70
//
// The density of the whole vector is the sum of the blocks' densities, so this is exact, and
// the N q x N q matrix is never built. A block that does not depend on n (kron(I_N, S)) is
// computed once before the density instead (modes s,s,b: one factorisation per gradient).
// Not multi_student_t: a joint Student-t does not factor over blocks.
class BlockDiagonalRewriter {
 public:
  BlockDiagonalRewriter(Module& m, Node& d) : m_(m), b_(m), d_(d) {}

  // Whether d's matrix is a local variable of the model block that a loop fills by square
  // blocks, B[a:b, c:d] = ... (the form's candidates; the rest are not mentioned).
  bool candidate() const {
    const Node* load = d_.inputs.back();
    if (d_.parent != m_.model.get() || d_.sig->family == "multi_student_t" || load->op != Op::Load ||
        load->inputs[0]->op != Op::Var || load->inputs[0]->parent != m_.model.get())
      return false;
    bool blockStore = false;
    for (const auto& top : m_.model->nodes)
      if (top->op == Op::For)
        forEachNode(*top->regions[0], [&](Node& x) {
          blockStore |= x.op == Op::StoreIndex && x.s == "rr" && x.inputs[0] == load->inputs[0];
        });
    return blockStore;
  }

  // "" when rewritten, or why not.
  std::string run() {
    Node* load = d_.inputs.back();
    Node* B = load->inputs[0];
    if (B->i) return "the matrix is an output (a transformed parameter), so it has to be built";
    Poly M, M2;
    if (B->type.dims.size() != 2 || !polyOfDim(B->type.dims[0], M) || !polyOfDim(B->type.dims[1], M2) || M != M2)
      return "the matrix is not declared square";
    // Every use of B: one store of zeros, one block store in a loop, the load (used by d only).
    Node *init = nullptr, *store = nullptr;
    std::string why;
    forEachNode(m_, [&](Node& x) {
      for (Node* in : x.inputs) {
        if (in == load && &x != &d_ && why.empty()) why = "the matrix is also used at " + where(x);
        if (in != B || &x == load) continue;
        if (x.op == Op::Store && x.parent == m_.model.get() && !init) init = &x;
        else if (x.op == Op::StoreIndex && !store && x.parent->owner && x.parent->owner->op == Op::For &&
                 x.parent->owner->parent == m_.model.get())
          store = &x;
        else if (why.empty())
          why = std::string("the matrix is also used by a '") + opInfo(x.op).mnemonic + "' at " + where(x);
      }
    });
    if (!why.empty()) return why;
    if (!init || !isZeroMatrix(init->inputs[1]))
      return "the matrix is not set to zeros (rep_matrix(0, ...)) before it is filled";
    if (!store) return "the matrix is not filled by a loop";
    Node& loop = *store->parent->owner;
    if (!(positionOf(*init) < positionOf(loop) && positionOf(loop) < positionOf(*load)))
      return "the matrix is not set to zeros, filled, then used, in that order";
    Region& body = *loop.regions[0];
    Node* n = body.args[0];
    bool jumps = false;
    forEachNode(body, [&](Node& x) { jumps |= x.op == Op::Break || x.op == Op::Continue; });
    if (jumps) return "the filling loop has a break or continue";
    // The block store: B[a:b, a:b] = V with a = (n - 1) q + 1, b = n q, n in 1:H, B of size H q.
    if (store->s != "rr" || store->inputs.size() != 6) return "the loop does not store a square block of the matrix";
    Node *aNode = store->inputs[2], *bNode = store->inputs[3];
    Poly a = polyOf(aNode), bb = polyOf(bNode);
    if (polyOf(store->inputs[4]) != a || polyOf(store->inputs[5]) != bb) return "the loop stores a block off the diagonal";
    const Node* q = nullptr;
    if (bb.size() == 1 && bb.begin()->second == 1 && bb.begin()->first.size() == 2) {
      const Monomial& mono = bb.begin()->first;
      q = mono[0] == n ? mono[1] : mono[1] == n ? mono[0] : nullptr;
    }
    if (!q || q == n || inside(q, body)) return "the block's end is not n * q with q the same for every n";
    if (a != polyAdd(polyAdd(bb, Poly{{Monomial{q}, 1}}, -1), polyConst(1), 1))
      return "the block's start is not (n - 1) * q + 1";
    if (polyOf(loop.inputs[0]) != polyConst(1)) return "the filling loop does not start at 1";
    Node* H = loop.inputs[1];
    if (M != polyMul(polyOf(H), Poly{{Monomial{q}, 1}}))
      return "the blocks do not provably cover the matrix (its size is not the loop's count times q)";
    for (size_t k = 0; k + 1 < d_.inputs.size(); ++k) {
      Poly s;
      const IrType& t = d_.inputs[k]->type;
      if (t.base != Type::vector() || t.dims.size() != 1 || !polyOfDim(t.dims[0], s) || s != M)
        return "an argument of the density is not a vector declared with the matrix's size";
    }

    // The blocks: stored per n in the filling loop, or, when they do not depend on n, computed
    // once in front of the density.
    b_.setRole(d_.role);
    b_.setRange(d_.range);
    Node* V = store->inputs[1];
    Node* blocks = nullptr;
    if (variesWith(V, body, n)) {
      size_t at = positionOf(loop);
      blocks = varOver(H, V->type, B->s + ".blocks", *loop.parent, at);
      store->inputs = {blocks, V, n};
      store->s = "s";
    }
    size_t at = positionOf(d_);
    std::unordered_map<const Node*, Node*> done;
    Node* matrix = blocks ? nullptr : cloneInto(V, body, n, nullptr, done, *d_.parent, at);
    // The vectors' segments, per n.
    IrType segType{Type::vector(), {Dim::of(q)}};
    std::vector<Node*> segs;
    for (size_t k = 0; k + 1 < d_.inputs.size(); ++k)
      segs.push_back(varOver(H, segType, k == 0 ? "y.segments" : "mu.segments", *d_.parent, at));
    Node* one = make(*d_.parent, at, Op::ConstInt, IrType{Type::integer(), {}}, {});
    one->i = 1;
    Node* fill = make(*d_.parent, at, Op::For, IrType{Type::voidType(), {}}, {one, H});
    b_.addRegions(fill, 1);
    Region& fb = *fill->regions[0];
    Node* k = fb.args[0];
    done.clear();
    size_t in = 0;
    Node* lo = cloneInto(aNode, body, n, k, done, fb, in);
    Node* hi = cloneInto(bNode, body, n, k, done, fb, in);
    for (size_t j = 0; j < segs.size(); ++j) {
      Node* seg = make(fb, in, Op::Index, segType, {d_.inputs[j], lo, hi});
      seg->s = "r";
      Node* st = make(fb, in, Op::StoreIndex, IrType{Type::voidType(), {}}, {segs[j], seg, k});
      st->s = "s";
    }
    std::vector<Node*> inputs{one, H};
    for (Node* s : segs) inputs.push_back(make(*d_.parent, at, Op::Load, s->type, {s}));
    inputs.push_back(blocks ? make(*d_.parent, at, Op::Load, blocks->type, {blocks}) : matrix);
    if (!blocks) removeNode(*store);
    removeNode(*init);
    removeNode(*load);
    removeNode(*B);  // (its uses were the three above)
    becomeBatched(d_, inputs, std::string(segs.size(), 's') + (blocks ? 's' : 'b'));
    summary_ = std::string(blocks ? "one block per n" : "the same block for every n, computed once") +
               " (modes " + commaSeparated(d_.s) + ")";
    return "";
  }

  const std::string& summary() const { return summary_; }

 private:
  static bool inside(const Node* x, const Region& r) {
    for (const Region* p = x->parent; p; p = p->owner ? p->owner->parent : nullptr)
      if (p == &r) return true;
    return false;
  }
  // Whether v (inside the loop body) depends on the loop index or on anything the body does
  // that is not a pure value.
  static bool variesWith(const Node* v, const Region& body, const Node* n) {
    if (v == n) return true;
    if (!inside(v, body)) return false;
    if (!v->pure() || !v->regions.empty()) return true;
    for (const Node* x : v->inputs)
      if (variesWith(x, body, n)) return true;
    return false;
  }

  Node* make(Region& r, size_t& at, Op op, IrType type, std::vector<Node*> in) {
    return createAt(b_, r, at, op, std::move(type), std::move(in));
  }

  // An array variable of `count` values of type t, declared at position at of r.
  Node* varOver(Node* count, const IrType& t, const std::string& name, Region& r, size_t& at) {
    IrType vt{Type::arrayOf(t.base), {}};
    if (!t.dims.empty()) {
      vt.dims.push_back(Dim::of(count));
      vt.dims.insert(vt.dims.end(), t.dims.begin(), t.dims.end());
    }
    std::vector<Node*> sizes;
    for (const Dim& dim : vt.dims)
      if (dim.kind == Dim::Value) sizes.push_back(const_cast<Node*>(dim.value));
    Node* var = make(r, at, Op::Var, vt, sizes);
    var->s = name;
    return var;
  }

  // A copy of v's computation at position at of r, with the loop index n replaced by k.
  Node* cloneInto(Node* v, const Region& body, const Node* n, Node* k, std::unordered_map<const Node*, Node*>& done,
                  Region& r, size_t& at) {
    if (v == n) return k;
    if (!inside(v, body)) return v;
    auto it = done.find(v);
    if (it != done.end()) return it->second;
    std::vector<Node*> in;
    for (Node* x : v->inputs) in.push_back(cloneInto(x, body, n, k, done, r, at));
    b_.setRange(v->range);
    Node* c = make(r, at, v->op, v->type, in);
    copyAttributes(*v, *c);
    return done[v] = c;
  }

  Module& m_;
  Builder b_;
  Node& d_;
  std::string summary_;
};

void visit(Module& m, Region& r, const std::unordered_set<const Node*>& active) {
  // Collect first: rewriting changes the region.
  std::vector<Node*> loops, densities;
  for (auto& n : r.nodes) {
    for (auto& sub : n->regions) visit(m, *sub, active);
    if (n->op == Op::For) loops.push_back(n.get());
    if (isMvnDensity(*n)) densities.push_back(n.get());
  }
  for (Node* d : densities) {
    BlockDiagonalRewriter bd(m, *d);
    if (bd.candidate() && active.count(d->inputs.back())) {
      std::string at = where(*d), why = bd.run();
      if (why.empty()) {
        m.notes.push_back("VectorizeBatchedMvn: " + at + ": " + d->sig->family +
                          " over a block-diagonal matrix filled in a loop is one batched node over its blocks, " +
                          bd.summary());
        continue;
      }
      m.notes.push_back("VectorizeBatchedMvn: " + at + ": " + d->sig->family +
                        " over a matrix filled in a loop left as is: " + why);
    }
    rewriteArrayDensity(m, *d, active);
  }
  for (Node* loop : loops) {
    bool hasMultivariate = false;
    forEachNode(*loop->regions[0], [&](Node& n) { hasMultivariate |= isDensityNode(n) && batchedFamily(n) == 'm'; });
    if (!hasMultivariate) continue;
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
