// Typed AST -> IR: the only bridge between the two. The program's blocks become the module's
// sections; statements keep their structure (loops stay loops, with their own regions);
// expressions become SSA values. Variables that the program assigns become `var` nodes; data,
// parameters, loop indexes and function arguments are plain values.
#include "lower/lower.h"

#include <unordered_map>

#include "frontend/signatures.h"
#include "ir/builder.h"
#include "support/diagnostics.h"

namespace mvc {
namespace {
using namespace ir;

// The transform of a declaration: the constrained type's own name (simplex, cov_matrix, ...),
// or the kind of bounds it has; "" when unconstrained.
const char* transformName(const SizedType& t) {
  switch (t.base) {
    case DeclBase::Int:
    case DeclBase::Real:
    case DeclBase::Complex:
    case DeclBase::Vector:
    case DeclBase::RowVector:
    case DeclBase::Matrix: break;
    default: return declBaseName(t.base);
  }
  if (t.lower && t.upper) return "lower_upper";
  if (t.lower) return "lower";
  if (t.upper) return "upper";
  if (t.offset || t.multiplier) return "offset_multiplier";
  return "";
}

class Lowerer {
 public:
  Lowerer(Module& m) : m_(m), b_(m) {}

  void program(const Program& p) {
    for (const auto& f : p.functions)
      if (f->body) function(*f);

    b_.setRegion(m_.data.get());
    b_.setRole(Role::Data);
    for (const auto& s : p.block(BlockKind::Data).items) dataDecl(*s->decl);

    b_.setRegion(m_.transformedData.get());
    b_.setRole(Role::TransformedData);
    stmts(p.block(BlockKind::TransformedData).items);
    checks(p.block(BlockKind::TransformedData).items);

    b_.setRegion(m_.parameters.get());
    b_.setRole(Role::Parameter);
    for (const auto& s : p.block(BlockKind::Parameters).items) paramDecl(*s->decl);

    b_.setRegion(m_.model.get());
    b_.setRole(Role::TransformedParameter);
    stmts(p.block(BlockKind::TransformedParameters).items);
    checks(p.block(BlockKind::TransformedParameters).items);
    b_.setRole(Role::Model);
    stmts(p.block(BlockKind::Model).items);

    b_.setRegion(m_.generated.get());
    b_.setRole(Role::GeneratedQuantity);
    stmts(p.block(BlockKind::GeneratedQuantities).items);
    checks(p.block(BlockKind::GeneratedQuantities).items);
  }

 private:
  // ---------------------------------------------------------------- declarations
  IrType declType(const VarDecl& d) {
    IrType t{d.vtype, {}};
    auto dim = [&](const Expr& e) {
      if (e.kind == ExprKind::IntLit) return Dim::of(e.intValue);
      return Dim::of(expr(e));
    };
    for (const auto& e : d.type.arrayDims) t.dims.push_back(dim(*e));
    for (const auto& e : d.type.sizes) t.dims.push_back(dim(*e));
    // cholesky_factor_cov[M] is M x M; the square constrained types have one size for two dims.
    int want = totalDims(d.vtype);
    if (static_cast<int>(t.dims.size()) == want - 1 && d.vtype.elem == ElemType::Matrix) t.dims.push_back(t.dims.back());
    if (static_cast<int>(t.dims.size()) != want) t.dims.clear();
    return t;
  }

  std::vector<Node*> bounds(const SizedType& t) {
    std::vector<Node*> out;
    if (t.lower) out.push_back(expr(*t.lower));
    if (t.upper) out.push_back(expr(*t.upper));
    if (t.offset || t.multiplier) {
      out.push_back(t.offset ? expr(*t.offset) : b_.constReal(0));
      out.push_back(t.multiplier ? expr(*t.multiplier) : b_.constReal(1));
    }
    return out;
  }

  void dataDecl(const VarDecl& d) {
    b_.setRange(d.range);
    Node* n = b_.create(Op::Data, declType(d), {});
    n->s = d.name;
    values_[&d] = n;
    checkConstraint(d, n);
  }

  void checkConstraint(const VarDecl& d, Node* value) {
    std::string tr = transformName(d.type);
    if (tr.empty()) return;
    std::vector<Node*> in{value};
    for (Node* bnd : bounds(d.type)) in.push_back(bnd);
    Node* c = b_.create(Op::Check, IrType{Type::voidType(), {}}, in);
    c->transform = tr;
    c->s = d.name;
  }

  // Constrained variables assigned in a block are checked at its end, as Stan does.
  void checks(const std::vector<StmtPtr>& items) {
    for (const auto& s : items) {
      if (s->kind != StmtKind::Decl || !s->decl->topLevel) continue;
      const VarDecl& d = *s->decl;
      if (transformName(d.type)[0] == '\0') continue;
      b_.setRange(d.range);
      Node* v = vars_.at(&d);
      checkConstraint(d, b_.create(Op::Load, v->type, {v}));
    }
  }

  void paramDecl(const VarDecl& d) {
    b_.setRange(d.range);
    IrType t = declType(d);
    std::vector<Node*> in = bounds(d.type);
    Node* n = b_.create(Op::Param, t, in);
    n->s = d.name;
    n->transform = transformName(d.type);
    values_[&d] = n;
  }

  void localDecl(const VarDecl& d) {
    b_.setRange(d.range);
    IrType t = declType(d);
    std::vector<Node*> sizes;
    for (const Dim& dim : t.dims)
      if (dim.kind == Dim::Value) sizes.push_back(const_cast<Node*>(dim.value));
    Node* v = b_.create(Op::Var, t, sizes);
    v->s = d.name;
    // attr i = 1: a declared output (a transformed parameter or generated quantity).
    if (d.topLevel && (b_.role() == Role::TransformedParameter || b_.role() == Role::GeneratedQuantity)) v->i = 1;
    vars_[&d] = v;
    if (d.init) {
      Node* value = expr(*d.init);
      b_.setRange(d.range);
      b_.create(Op::Store, IrType{Type::voidType(), {}}, {v, value});
    }
  }

  // ---------------------------------------------------------------- functions
  void function(const FunctionDef& f) {
    Function fn;
    fn.name = f.name;
    fn.returnType = f.returnType;
    fn.body = std::make_unique<Region>();
    Region* saved = b_.region();
    Role savedRole = b_.role();
    b_.setRole(Role::Function);
    for (const Param& p : f.params) {
      fn.params.push_back(p.type);
      values_[p.decl.get()] = addArg(m_, *fn.body, IrType{p.type, {}}, Role::Function);
    }
    b_.setRegion(fn.body.get());
    stmt(*f.body);
    b_.setRegion(saved);
    b_.setRole(savedRole);
    m_.functions.push_back(std::move(fn));
  }

  // ---------------------------------------------------------------- statements
  void stmts(const std::vector<StmtPtr>& items) {
    for (const auto& s : items) stmt(*s);
  }

  Node* none(Op op, std::vector<Node*> in) { return b_.create(op, IrType{Type::voidType(), {}}, std::move(in)); }

  void stmt(const Stmt& s) {
    b_.setRange(s.range);
    switch (s.kind) {
      case StmtKind::Decl: localDecl(*s.decl); return;
      case StmtKind::Assign: assign(s); return;
      case StmtKind::Tilde: tilde(s); return;
      case StmtKind::TargetPlus: {
        Node* v = expr(*s.rhs);
        b_.setRange(s.range);
        none(Op::TargetAdd, {v});
        return;
      }
      case StmtKind::ForRange: {
        Node* lo = expr(*s.lo);
        Node* hi = expr(*s.hi);
        b_.setRange(s.range);
        Node* loop = none(Op::For, {lo, hi});
        b_.addRegions(loop, 1);
        values_[s.loopVar] = loop->regions[0]->args[0];
        b_.inRegion(loop->regions[0].get(), [&] { stmt(*s.body); });
        return;
      }
      case StmtKind::ForEach: {
        // for (x in c) body  ==>  for i in 1:size(c) { x = c[i]; body }  (matrices column-major)
        Node* c = expr(*s.rhs);
        const SignatureTable& T = SignatureTable::builtins();
        if (c->type.base.elem == ElemType::Matrix && !c->type.base.isArray()) {
          c = b_.call(T.resolve("to_vector", {c->type.base}).signature, {c}, IrType{Type::vector(), {}});
        }
        Node* lo = b_.constInt(1);
        Node* hi = b_.call(T.resolve("num_elements", {c->type.base}).signature, {c}, IrType{Type::integer(), {}});
        if (c->type.base.isArray())
          hi = b_.call(T.resolve("size", {c->type.base}).signature, {c}, IrType{Type::integer(), {}});
        b_.setRange(s.range);
        Node* loop = none(Op::For, {lo, hi});
        b_.addRegions(loop, 1);
        b_.inRegion(loop->regions[0].get(), [&] {
          Node* i = loop->regions[0]->args[0];
          Node* x = b_.create(Op::Index, indexedType(c->type, "s", s.loopVar->vtype), {c, i});
          x->s = "s";
          values_[s.loopVar] = x;
          stmt(*s.body);
        });
        return;
      }
      case StmtKind::While: {
        Node* loop = none(Op::While, {});
        b_.addRegions(loop);
        b_.inRegion(loop->regions[0].get(), [&] { none(Op::Yield, {expr(*s.cond)}); });
        b_.inRegion(loop->regions[1].get(), [&] { stmt(*s.body); });
        return;
      }
      case StmtKind::If: {
        Node* c = expr(*s.cond);
        b_.setRange(s.range);
        Node* n = none(Op::If, {c});
        b_.addRegions(n);
        b_.inRegion(n->regions[0].get(), [&] { stmt(*s.body); });
        if (s.elseBody) b_.inRegion(n->regions[1].get(), [&] { stmt(*s.elseBody); });
        return;
      }
      case StmtKind::Break: none(Op::Break, {}); return;
      case StmtKind::Continue: none(Op::Continue, {}); return;
      case StmtKind::Return: {
        std::vector<Node*> in;
        if (s.rhs) in.push_back(expr(*s.rhs));
        b_.setRange(s.range);
        none(Op::Return, in);
        return;
      }
      case StmtKind::Print:
      case StmtKind::Reject:
      case StmtKind::FatalError: {
        std::vector<Node*> in;
        std::string pieces;
        for (const auto& p : s.printables) {
          if (!pieces.empty()) pieces += ", ";
          if (p.isString) {
            pieces += p.str;
          } else {
            pieces += "$";
            in.push_back(expr(*p.expr));
          }
        }
        b_.setRange(s.range);
        Op op = s.kind == StmtKind::Print ? Op::Print : s.kind == StmtKind::Reject ? Op::Reject : Op::FatalError;
        none(op, in)->s = pieces;
        return;
      }
      case StmtKind::Profile: stmt(*s.body); return;
      case StmtKind::Block: stmts(s.items); return;
      case StmtKind::CallStmt: expr(*s.rhs); return;
      case StmtKind::Empty: return;
    }
  }

  // The var at the root of an lvalue, and its index operands (a[i][j] is a[i, j]).
  Node* lvalue(const Expr& e, std::string& kinds, std::vector<Node*>& operands) {
    if (e.kind == ExprKind::Var) return vars_.at(e.decl);
    Node* root = lvalue(*e.args[0], kinds, operands);
    indexOperands(e, kinds, operands);
    return root;
  }

  void assign(const Stmt& s) {
    std::string kinds;
    std::vector<Node*> operands;
    Node* var = lvalue(*s.lhs, kinds, operands);
    Node* value = expr(*s.rhs);
    b_.setRange(s.range);
    if (s.name != "=") {
      Node* old = expr(*s.lhs);
      std::string op = "operator" + s.name.substr(0, s.name.size() - 1);
      Resolution r = SignatureTable::builtins().resolve(op, {s.lhs->type, s.rhs->type});
      MVC_ASSERT(r.signature, "compound assignment passed the checker but has no operator");
      value = b_.call(r.signature, {old, value}, IrType{r.type, {}});
    }
    if (kinds.empty()) {
      none(Op::Store, {var, value});
    } else {
      std::vector<Node*> in{var, value};
      in.insert(in.end(), operands.begin(), operands.end());
      none(Op::StoreIndex, in)->s = kinds;
    }
  }

  void tilde(const Stmt& s) {
    std::vector<Node*> args{expr(*s.lhs)};
    for (const auto& a : s.args) args.push_back(expr(*a));
    b_.setRange(s.range);
    Node* term;
    if (s.userFunction) {
      term = b_.create(Op::CallUser, IrType{Type::real(), {}}, args);
      term->s = s.userFunction->name;
    } else {
      term = b_.create(Op::Density, IrType{Type::real(), {}}, args);
      term->sig = s.signature;
      term->i = 1;  // '~' drops constant terms
    }
    none(Op::TargetAdd, {term});
    if (!s.hasTruncation) return;
    // T[L, U]: subtract the log of the probability of [L, U] under the untruncated distribution.
    const SignatureTable& T = SignatureTable::builtins();
    auto cdf = [&](const char* suffix, Node* bound) {
      std::vector<Node*> in{bound};
      std::vector<Type> types{bound->type.base};
      for (size_t i = 1; i < args.size(); ++i) {
        in.push_back(args[i]);
        types.push_back(args[i]->type.base);
      }
      std::string fn = s.name + suffix;
      if (s.userFunction) {
        Node* n = b_.create(Op::CallUser, IrType{Type::real(), {}}, in);
        n->s = fn;
        return n;
      }
      Resolution r = T.resolve(fn, types);
      MVC_ASSERT(r.signature, "truncation without " + fn);
      return b_.call(r.signature, in, IrType{Type::real(), {}});
    };
    // A discrete variate keeps its lower bound: P(L <= y) = 1 - F(L - 1), as Stan (since 2.13).
    auto lowerBound = [&](Node* lo) {
      if (args[0]->type.base.elem != ElemType::Int) return lo;
      Resolution r = T.resolve("operator-", {lo->type.base, Type::integer()});
      return b_.call(r.signature, {lo, b_.constInt(1)}, IrType{r.type, {}});
    };
    Node* mass;
    if (s.truncLo && s.truncHi) {
      Node* hi = cdf("_lcdf", expr(*s.truncHi));
      Node* lo = cdf("_lcdf", lowerBound(expr(*s.truncLo)));
      mass = b_.call(T.resolve("log_diff_exp", {Type::real(), Type::real()}).signature, {hi, lo},
                     IrType{Type::real(), {}});
    } else if (s.truncLo) {
      mass = cdf("_lccdf", lowerBound(expr(*s.truncLo)));
    } else {
      mass = cdf("_lcdf", expr(*s.truncHi));
    }
    Node* neg = b_.call(T.resolve("operator-", {Type::real()}).signature, {mass}, IrType{Type::real(), {}});
    none(Op::TargetAdd, {neg});
  }

  // ---------------------------------------------------------------- expressions
  void indexOperands(const Expr& e, std::string& kinds, std::vector<Node*>& operands) {
    for (const Index& ix : e.indices) {
      switch (ix.kind) {
        case IndexKind::Single:
          kinds += ix.isMulti() ? 'm' : 's';
          operands.push_back(expr(*ix.lo));
          break;
        case IndexKind::Range:
          kinds += 'r';
          operands.push_back(expr(*ix.lo));
          operands.push_back(expr(*ix.hi));
          break;
        case IndexKind::Lower:
          kinds += 'l';
          operands.push_back(expr(*ix.lo));
          break;
        case IndexKind::Upper:
          kinds += 'u';
          operands.push_back(expr(*ix.hi));
          break;
        case IndexKind::All:
        case IndexKind::Omitted: kinds += 'a'; break;
      }
    }
  }

  // Shape of base[indexes] when the base's shape is known: single indexes drop a dimension,
  // ':' keeps it; ranges and multi-indexes have sizes known only at run time.
  static IrType indexedType(const IrType& base, const std::string& kinds, Type result) {
    IrType t{result, {}};
    if (base.dims.empty()) return t;
    for (size_t k = 0; k < base.dims.size(); ++k) {
      char c = k < kinds.size() ? kinds[k] : 'a';
      if (c == 's') continue;
      t.dims.push_back(c == 'a' ? base.dims[k] : Dim{});
    }
    if (static_cast<int>(t.dims.size()) != totalDims(result)) t.dims.clear();
    return t;
  }

  // Shapes of results of linear algebra, where they follow from the arguments' shapes.
  // Each rule gives the result's dims from the arguments' dims; {} when it cannot.
  static IrType shapeRule(const Expr& e, const std::vector<Node*>& args) {
    using Dims = std::vector<Dim>;
    auto dims = [&](size_t k) -> const Dims& { return args[k]->type.dims; };
    auto known = [&](size_t k, size_t n) { return args.size() > k && dims(k).size() == n; };
    auto value = [&](size_t k) { return Dim::of(args[k]); };
    const std::string& f = e.signature->name;
    const Type& r = e.type;
    Dims out;
    if ((f == "diag_pre_multiply" || f == "quad_form_sym") && known(1, 2)) out = dims(1);
    else if ((f == "diag_post_multiply" || f == "quad_form_diag" || f == "cholesky_decompose" ||
              f == "add_diag" || f == "inverse" || f == "inverse_spd") && known(0, 2)) out = dims(0);
    else if ((f == "multiply_lower_tri_self_transpose" || f == "tcrossprod") && known(0, 2)) out = {dims(0)[0], dims(0)[0]};
    else if (f == "crossprod" && known(0, 2)) out = {dims(0)[1], dims(0)[1]};
    else if (f == "diag_matrix" && known(0, 1)) out = {dims(0)[0], dims(0)[0]};
    else if (f == "diagonal" && known(0, 2)) out = {dims(0)[0]};
    else if ((f == "rep_vector" || f == "rep_row_vector") && args.size() == 2) out = {value(1)};
    else if (f == "rep_matrix" && args.size() == 3) out = {value(1), value(2)};
    else if (f == "operator'" && known(0, r == Type::matrix() ? 2 : 1))
      out = r == Type::matrix() ? Dims{dims(0)[1], dims(0)[0]} : dims(0);
    else if (f == "operator*" && args.size() == 2) {
      const Type& a = args[0]->type.base;
      const Type& b = args[1]->type.base;
      if (a == Type::matrix() && b == Type::matrix() && known(0, 2) && known(1, 2)) out = {dims(0)[0], dims(1)[1]};
      else if (a == Type::matrix() && b == Type::vector() && known(0, 2)) out = {dims(0)[0]};
      else if (a == Type::rowVector() && b == Type::matrix() && known(1, 2)) out = {dims(1)[1]};
      else if (a == Type::vector() && b == Type::rowVector() && known(0, 1) && known(1, 1)) out = {dims(0)[0], dims(1)[0]};
    }
    if (static_cast<int>(out.size()) != totalDims(r)) out.clear();
    return IrType{r, out};
  }

  static IrType resultType(const Expr& e, const std::vector<Node*>& args) {
    // Elementwise functions keep the shape of their first argument.
    if (e.signature && e.signature->ret == RetRule::Elementwise && !args.empty())
      return IrType{e.type, args[0]->type.dims};
    if (e.signature) {
      IrType t = shapeRule(e, args);
      if (!t.dims.empty()) return t;
    }
    // Operators whose operands are scalars or of the result's type keep that operand's shape:
    // a scalar with a container (real * matrix), or an elementwise pair (vector + vector). Not
    // matrix products: their shape comes from both sides.
    if (!e.signature || e.signature->kind != FunctionKind::Operator) return IrType{e.type, {}};
    const std::string& op = e.signature->name;
    int containers = 0;
    const Node* shaped = nullptr;
    for (const Node* a : args) {
      if (a->type.base.isScalar()) continue;
      if (a->type.base != e.type) return IrType{e.type, {}};
      ++containers;
      if (!shaped && !a->type.dims.empty()) shaped = a;
    }
    bool elementwise = op == "operator+" || op == "operator-" || op == "operator.*" || op == "operator./";
    if (containers > 1 && !elementwise) return IrType{e.type, {}};
    return IrType{e.type, shaped ? shaped->type.dims : std::vector<Dim>{}};
  }

  Node* expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::IntLit: b_.setRange(e.range); return b_.constInt(e.intValue);
      case ExprKind::RealLit: b_.setRange(e.range); return b_.constReal(e.realValue);
      case ExprKind::Paren: return expr(*e.args[0]);
      case ExprKind::Var: {
        auto v = values_.find(e.decl);
        if (v != values_.end()) return v->second;
        Node* var = vars_.at(e.decl);
        b_.setRange(e.range);
        return b_.create(Op::Load, var->type, {var});
      }
      case ExprKind::TargetCall: b_.setRange(e.range); return b_.create(Op::TargetGet, IrType{Type::real(), {}}, {});
      case ExprKind::Binary:
      case ExprKind::Unary:
      case ExprKind::Transpose:
      case ExprKind::Call: {
        std::vector<Node*> args;
        for (const auto& a : e.args) args.push_back(expr(*a));
        b_.setRange(e.range);
        if (e.userFunction) {
          Node* n = b_.create(Op::CallUser, IrType{e.type, {}}, args);
          n->s = e.userFunction->name;
          return n;
        }
        MVC_ASSERT(e.signature, "call without a resolved signature: " + e.name);
        if (e.signature->kind == FunctionKind::Rng) {
          Node* n = b_.create(Op::Rng, IrType{e.type, {}}, args);
          n->sig = e.signature;
          return n;
        }
        return b_.call(e.signature, args, resultType(e, args));
      }
      case ExprKind::Index: {
        Node* base = expr(*e.args[0]);
        std::string kinds;
        std::vector<Node*> in{base};
        indexOperands(e, kinds, in);
        b_.setRange(e.range);
        Node* n = b_.create(Op::Index, indexedType(base->type, kinds, e.type), in);
        n->s = kinds;
        return n;
      }
      case ExprKind::ArrayLit:
      case ExprKind::RowVectorLit: {
        std::vector<Node*> args;
        for (const auto& a : e.args) args.push_back(expr(*a));
        b_.setRange(e.range);
        return b_.create(e.kind == ExprKind::ArrayLit ? Op::MakeArray : Op::MakeRow, IrType{e.type, {}}, args);
      }
      case ExprKind::Ternary: {
        Node* c = expr(*e.args[0]);
        b_.setRange(e.range);
        Node* n = b_.create(Op::Select, IrType{e.type, {}}, {c});
        b_.addRegions(n);
        for (int k = 0; k < 2; ++k)
          b_.inRegion(n->regions[k].get(), [&] { none(Op::Yield, {expr(*e.args[k + 1])}); });
        return n;
      }
      case ExprKind::ImagLit: break;
    }
    throw InternalError("lowering: unsupported expression");
  }

  Module& m_;
  Builder b_;
  std::unordered_map<const VarDecl*, Node*> values_;  // immutable values: data, params, args, loop indexes
  std::unordered_map<const VarDecl*, Node*> vars_;    // mutable variables: var nodes
};

}  // namespace

std::unique_ptr<ir::Module> lowerProgram(const Program& program, const std::string& name) {
  auto m = std::make_unique<ir::Module>();
  m->name = name;
  Lowerer(*m).program(program);
  return m;
}

}  // namespace mvc
