// The adjoint table. Each row: the built-in, the math (y = f(x), adj(.) the adjoints), and
// the rule that builds the contribution to adj(x_k) as IR in the reverse region.
// To add a row: see docs/autodiff.md ("Adding an adjoint rule"); the test
// tests/unit/compiler/autodiff/adjoints_test.cpp fails until the row has a check.
#include "autodiff/adjoints.h"

#include "autodiff/autodiff.h"
#include "frontend/signatures.h"

namespace mvc::autodiff {
using namespace ir;

Node* RuleCtx::call(const std::string& name, std::vector<Node*> args) {
  std::vector<Type> types;
  for (Node* a : args) types.push_back(a->type.base);
  Resolution r = SignatureTable::builtins().resolve(name, types);
  if (!r.signature) {
    std::string t;
    for (const Type& ty : types) t += (t.empty() ? "" : ", ") + ty.str();
    throw Unsupported("autodiff: the adjoint needs " + name + "(" + t + "), which does not exist");
  }
  return b.call(r.signature, std::move(args), IrType{r.type, {}});
}

Node* RuleCtx::real(double v) { return b.constReal(v); }

Node* RuleCtx::integer(int64_t v) { return b.constInt(v); }

Node* RuleCtx::index(Node* base, const std::string& kinds, std::vector<Node*> idx, int k) {
  std::vector<Node*> in{base};
  in.insert(in.end(), idx.begin(), idx.end());
  Node* n = b.create(Op::Index, IrType{x[k]->type.base, {}}, in);
  n->s = kinds;
  return n;
}

Node* RuleCtx::mul(Node* a, Node* c) {
  if (a->type.base.isScalar() || c->type.base.isScalar()) return call("operator*", {a, c});
  if (a->type.base.isArray() || c->type.base.isArray())
    throw Unsupported("autodiff: elementwise adjoints of arrays are not supported by autodiff yet");
  return call("operator.*", {a, c});
}

Node* RuleCtx::div(Node* a, Node* c) {
  if (a->type.base.isScalar() && c->type.base.isScalar()) return call("operator/", {a, c});
  if (a->type.base.isArray() || c->type.base.isArray())
    throw Unsupported("autodiff: elementwise adjoints of arrays are not supported by autodiff yet");
  return call("operator./", {a, c});
}

Node* RuleCtx::fit(Node* c, int k) {
  if (x[k]->type.base.isScalar() && !c->type.base.isScalar()) return call("sum", {c});
  return c;
}

Node* RuleCtx::shared(const std::string& key, const std::function<Node*()>& make) {
  auto it = memo.find(key);
  if (it != memo.end()) return it->second;
  Node* n = make();
  memo[key] = n;
  return n;
}

Node* RuleCtx::kernel(int k) {
  Node* g = b.create(Op::CallGrad, x[k]->type, {});
  g->inputs = {adjY, y};
  for (Node* a : x) g->inputs.push_back(a);
  g->i = k;
  g->sig = sig;
  return g;
}

namespace {

// y = f(x) elementwise: adj(x) += adj(y) .* d, with d = f'(x) built by `d`. On a 1-D array of
// reals (no arithmetic on arrays in the language) the rule is built on to_vector of x, y and
// adj(y), and its result turned back into an array.
AdjointRow unary(const char* key, const char* math, std::function<Node*(RuleCtx&)> d) {
  return {key, math, [d](RuleCtx& c, int) -> Node* {
            const Type& t = c.x[0]->type.base;
            if (t.arrayDims == 1 && t.elem == ElemType::Real) {
              RuleCtx v = c;
              v.x[0] = c.call("to_vector", {c.x[0]});
              v.y = c.call("to_vector", {c.y});
              v.adjY = c.call("to_vector", {c.adjY});
              return c.call("to_array_1d", {v.mul(v.adjY, d(v))});
            }
            return c.mul(c.adjY, d(c));
          }};
}

bool isScalar(const Node* n) { return n->type.base.isScalar(); }
bool isArray(const Node* n) { return n->type.base.isArray(); }
ElemType elemOf(const Node* n) { return n->type.base.elem; }

// append_row / append_col: y = [x0; x1] (or [x0, x1]). The part of adj(y) that belongs to x_k:
// a single row (column) when x_k is a scalar or a row_vector (vector), else a range. `extent`
// is rows or cols; a matrix result indexes the other dimension with ':'.
Node* appendPart(RuleCtx& c, int k, const char* extent, bool byRow) {
  bool matrixResult = elemOf(c.y) == ElemType::Matrix;
  auto single = [&](int j) {
    return isScalar(c.x[j]) || (matrixResult && elemOf(c.x[j]) == (byRow ? ElemType::RowVector : ElemType::Vector));
  };
  Node* n0 = single(0) ? c.integer(1) : c.call(extent, {c.x[0]});
  char kind;
  Node* at;
  if (k == 0) {
    kind = single(0) ? 's' : 'u';
    at = single(0) ? c.integer(1) : n0;
  } else {
    kind = single(1) ? 's' : 'l';
    at = c.call("operator+", {n0, c.integer(1)});
  }
  std::string kinds(1, kind);
  if (matrixResult) kinds = byRow ? kinds + "a" : "a" + kinds;
  return c.index(c.adjY, kinds, {at}, k);
}

Node* tr(RuleCtx& c, Node* a) { return c.call("operator'", {a}); }
Node* neg(RuleCtx& c, Node* a) { return c.call("operator-", {a}); }
Node* plus(RuleCtx& c, Node* a, Node* b) { return c.call("operator+", {a, b}); }
Node* minus(RuleCtx& c, Node* a, Node* b) { return c.call("operator-", {a, b}); }
Node* times(RuleCtx& c, Node* a, Node* b) { return c.call("operator*", {a, b}); }  // matrix product

// arr[i] of an int array (an index the rule computes, e.g. sort_indices_desc(x)[1]).
Node* intAt(RuleCtx& c, Node* arr, Node* i) {
  Node* n = c.b.create(Op::Index, IrType{Type::integer(), {}}, {arr, i});
  n->s = "s";
  return n;
}

// A function of a vector's elements given as a vector: an array[] real argument is
// converted with to_vector, and the contribution back with to_array_1d.
Node* asVec(RuleCtx& c, Node* x) { return isArray(x) ? c.call("to_vector", {x}) : x; }
Node* likeArg(RuleCtx& c, Node* g, int k) { return isArray(c.x[k]) ? c.call("to_array_1d", {g}) : g; }

// y = A \ B (mdivide_left): g = A' \ adj(Y); adj(B) += g, adj(A) -= g Y'.
Node* mdivideLeft(RuleCtx& c, int k) {
  Node* g = c.shared("g", [&] { return c.call("mdivide_left", {tr(c, c.x[0]), c.adjY}); });
  return k == 1 ? g : neg(c, times(c, g, tr(c, c.y)));
}

// max/min of a container: adj(y) goes to the first element where the extremum is (Stan's
// convention for ties), found with sort_indices_desc/asc (stable). Nothing for an empty one.
Node* extremum(RuleCtx& c, bool isMax) {
  Node* idx = c.call(isMax ? "sort_indices_desc" : "sort_indices_asc", {c.x[0]});
  if (elemOf(c.x[0]) == ElemType::Matrix && !isArray(c.x[0])) {
    // column-major position p -> [(p - 1) % rows + 1, (p - 1) / rows + 1]
    Node* p = c.call("operator-", {intAt(c, idx, c.integer(1)), c.integer(1)});
    Node* rows = c.call("rows", {c.x[0]});
    c.addKinds = "ss";
    c.addIdx = {c.call("operator+", {c.call("operator%", {p, rows}), c.integer(1)}),
                c.call("operator+", {c.call("operator/", {p, rows}), c.integer(1)})};
    return c.adjY;
  }
  c.addKinds = "m";
  c.addIdx = {c.call("head", {idx, c.call("min", {c.integer(1), c.call("size", {c.x[0]})})})};
  return c.adjY;
}

// y = pow(a, b) / a .^ b elementwise (either may be a scalar): adj(a) += adj(y) .* b .* a .^ (b - 1),
// adj(b) += adj(y) .* y .* log(a), each summed onto a scalar argument.
Node* powRule(RuleCtx& c, int k) {
  if (k == 0)
    return c.fit(c.mul(c.adjY, c.mul(c.x[1], c.call("operator.^", {c.x[0], c.call("operator-", {c.x[1], c.real(1)})}))), 0);
  return c.fit(c.mul(c.adjY, c.mul(c.y, c.call("log", {c.x[0]}))), 1);
}

// quad_form(A, B) = B' A B (b' A b for a vector): adj(A) += B adj(Y) B', adj(B) += A B adj(Y)' + A' B adj(Y).
Node* quadForm(RuleCtx& c, int k) {
  Node* A = c.x[0];
  Node* B = c.x[1];
  if (elemOf(B) == ElemType::Vector) {
    if (k == 0) return c.mul(c.adjY, times(c, B, tr(c, B)));
    return c.mul(c.adjY, times(c, plus(c, A, tr(c, A)), B));
  }
  if (k == 0) return times(c, times(c, B, c.adjY), tr(c, B));
  return plus(c, times(c, times(c, A, B), tr(c, c.adjY)), times(c, times(c, tr(c, A), B), c.adjY));
}

// lchoose(n, k) = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1).
Node* lchooseRule(RuleCtx& c, int k) {
  Node* nk1 = c.call("digamma", {plus(c, minus(c, c.x[0], c.x[1]), c.real(1))});
  Node* d = k == 0 ? minus(c, c.call("digamma", {plus(c, c.x[0], c.real(1))}), nk1)
                   : minus(c, nk1, c.call("digamma", {plus(c, c.x[1], c.real(1))}));
  return c.mul(c.adjY, d);
}

// A sub-block of a matrix: adj(y) goes into that block of adj(M).
AdjointRow block(const char* key, const char* math, const char* kinds,
                 std::function<std::vector<Node*>(RuleCtx&)> idx) {
  return {key, math, [kinds, idx](RuleCtx& c, int) {
            c.addKinds = kinds;
            c.addIdx = idx(c);
            return c.adjY;
          }};
}

// linspaced_*(n, lo, hi) = lo + (hi - lo) t, t = linspaced_*(n, 0, 1) (t = [1] for n = 1, as y = [hi]).
Node* linspaced(RuleCtx& c, int k) {
  Node* hi = c.shared("hi", [&] {
    Node* t = c.call(c.sig->name, {c.x[0], c.real(0), c.real(1)});
    return c.call("dot_product", {c.adjY, t});
  });
  return k == 2 ? hi : minus(c, c.call("sum", {c.adjY}), hi);
}

// last = first + n - 1
Node* lastOf(RuleCtx& c, Node* first, Node* n) { return c.call("operator-", {c.call("operator+", {first, n}), c.integer(1)}); }

}  // namespace

const std::vector<AdjointRow>& adjointTable() {
  static const std::vector<AdjointRow> t = {
      // ---- arithmetic operators (scalars broadcast: their adjoint is the sum)
      {"operator+", "a + b: adj(a) += adj(y), adj(b) += adj(y)  (summed onto a scalar); +a: adj(a) += adj(y)",
       [](RuleCtx& c, int k) { return c.fit(c.adjY, k); }},
      {"operator-", "a - b: adj(a) += adj(y), adj(b) -= adj(y)  (summed onto a scalar); -a: adj(a) -= adj(y)",
       [](RuleCtx& c, int k) {
         Node* g = k == 0 && c.x.size() == 2 ? c.adjY : c.call("operator-", {c.adjY});
         return c.fit(g, k);
       }},
      {"operator*", "a * b: a or b scalar: adj(a) += sum(adj(y) .* b), adj(b) += a * adj(y); else adj(A) += adj(Y) * B', adj(B) += A' * adj(Y)",
       [](RuleCtx& c, int k) -> Node* {
         Node* other = c.x[1 - k];
         if (isScalar(c.x[0]) || isScalar(c.x[1])) return c.fit(c.mul(c.adjY, other), k);
         if (k == 0) return c.call("operator*", {c.adjY, c.call("operator'", {other})});
         return c.call("operator*", {c.call("operator'", {other}), c.adjY});
       }},
      {"operator/", "a / b (b scalar): adj(a) += adj(y) / b, adj(b) -= sum(adj(y) .* y) / b; "
                    "B / A (mdivide_right, A a matrix): g = (A \\ adj(Y)')', adj(B) += g, adj(A) -= Y' g",
       [](RuleCtx& c, int k) -> Node* {
         if (!isScalar(c.x[1])) {
           Node* g = c.shared("g", [&] { return tr(c, c.call("mdivide_left", {c.x[1], tr(c, c.adjY)})); });
           return k == 0 ? g : neg(c, times(c, tr(c, c.y), g));
         }
         if (k == 0) return c.call("operator/", {c.adjY, c.x[1]});
         return c.call("operator-", {c.call("operator/", {c.fit(c.mul(c.adjY, c.y), 1), c.x[1]})});
       }},
      {"operator.*", "a .* b: adj(a) += adj(y) .* b, adj(b) += adj(y) .* a",
       [](RuleCtx& c, int k) { return c.fit(c.mul(c.adjY, c.x[1 - k]), k); }},
      {"operator./", "a ./ b: adj(a) += adj(y) ./ b, adj(b) -= adj(y) .* y ./ b",
       [](RuleCtx& c, int k) -> Node* {
         if (k == 0) return c.fit(c.div(c.adjY, c.x[1]), 0);
         return c.fit(c.call("operator-", {c.div(c.mul(c.adjY, c.y), c.x[1])}), 1);
       }},
      {"operator'", "x': adj(x) += adj(y)'", [](RuleCtx& c, int) { return c.call("operator'", {c.adjY}); }},
      {"pow(real, real)", "a ^ b: adj(a) += adj(y) * b * a^(b-1), adj(b) += adj(y) * y * log(a)",
       [](RuleCtx& c, int k) -> Node* {
         if (k == 0)
           return c.mul(c.adjY, c.mul(c.x[1], c.call("pow", {c.x[0], c.call("operator-", {c.x[1], c.real(1)})})));
         return c.mul(c.adjY, c.mul(c.y, c.call("log", {c.x[0]})));
       }},
      {"operator^(real, real)", "a ^ b: adj(a) += adj(y) * b * a^(b-1), adj(b) += adj(y) * y * log(a)",
       [](RuleCtx& c, int k) -> Node* {
         if (k == 0)
           return c.mul(c.adjY, c.mul(c.x[1], c.call("pow", {c.x[0], c.call("operator-", {c.x[1], c.real(1)})})));
         return c.mul(c.adjY, c.mul(c.y, c.call("log", {c.x[0]})));
       }},
      // ---- elementwise functions: adj(x) += adj(y) .* f'(x)
      unary("exp", "exp(x): adj(x) += adj(y) .* y", [](RuleCtx& c) { return c.y; }),
      unary("log", "log(x): adj(x) += adj(y) ./ x", [](RuleCtx& c) { return c.call("inv", {c.x[0]}); }),
      unary("log1p", "log1p(x): adj(x) += adj(y) ./ (1 + x)",
            [](RuleCtx& c) { return c.call("inv", {c.call("operator+", {c.real(1), c.x[0]})}); }),
      unary("expm1", "expm1(x): adj(x) += adj(y) .* (y + 1)", [](RuleCtx& c) { return c.call("operator+", {c.y, c.real(1)}); }),
      unary("sqrt", "sqrt(x): adj(x) += adj(y) .* 0.5 / y", [](RuleCtx& c) { return c.mul(c.real(0.5), c.call("inv", {c.y})); }),
      unary("square", "square(x): adj(x) += adj(y) .* 2x", [](RuleCtx& c) { return c.mul(c.real(2), c.x[0]); }),
      unary("inv", "inv(x): adj(x) -= adj(y) .* y^2",
            [](RuleCtx& c) { return c.call("operator-", {c.call("square", {c.y})}); }),
      unary("inv_logit", "inv_logit(x): adj(x) += adj(y) .* y .* (1 - y)",
            [](RuleCtx& c) { return c.mul(c.y, c.call("operator-", {c.real(1), c.y})); }),
      unary("log_inv_logit", "log_inv_logit(x): adj(x) += adj(y) .* inv_logit(-x)",
            [](RuleCtx& c) { return c.call("inv_logit", {c.call("operator-", {c.x[0]})}); }),
      unary("log1p_exp", "log1p_exp(x): adj(x) += adj(y) .* inv_logit(x)", [](RuleCtx& c) { return c.call("inv_logit", {c.x[0]}); }),
      unary("log1m", "log1m(x): adj(x) -= adj(y) ./ (1 - x)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("inv", {c.call("operator-", {c.real(1), c.x[0]})})}); }),
      unary("lgamma", "lgamma(x): adj(x) += adj(y) .* digamma(x)", [](RuleCtx& c) { return c.call("digamma", {c.x[0]}); }),
      unary("tanh", "tanh(x): adj(x) += adj(y) .* (1 - y^2)",
            [](RuleCtx& c) { return c.call("operator-", {c.real(1), c.call("square", {c.y})}); }),
      unary("sin", "sin(x): adj(x) += adj(y) .* cos(x)", [](RuleCtx& c) { return c.call("cos", {c.x[0]}); }),
      unary("cos", "cos(x): adj(x) -= adj(y) .* sin(x)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("sin", {c.x[0]})}); }),
      unary("tan", "tan(x): adj(x) += adj(y) .* (1 + y^2)",
            [](RuleCtx& c) { return c.call("operator+", {c.real(1), c.call("square", {c.y})}); }),
      unary("logit", "logit(x): adj(x) += adj(y) ./ (x .* (1 - x))",
            [](RuleCtx& c) { return c.call("inv", {c.mul(c.x[0], c.call("operator-", {c.real(1), c.x[0]}))}); }),
      unary("log1m_exp", "log1m_exp(x) = log(1 - exp(x)), x < 0: adj(x) -= adj(y) ./ expm1(-x)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("inv", {c.call("expm1", {c.call("operator-", {c.x[0]})})})}); }),
      unary("log1m_inv_logit", "log1m_inv_logit(x) = log(1 - inv_logit(x)): adj(x) -= adj(y) .* inv_logit(x)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("inv_logit", {c.x[0]})}); }),
      unary("inv_cloglog", "inv_cloglog(x) = 1 - exp(-exp(x)): adj(x) += adj(y) .* exp(x) .* (1 - y)",
            [](RuleCtx& c) { return c.mul(c.call("exp", {c.x[0]}), c.call("operator-", {c.real(1), c.y})); }),
      unary("cbrt", "cbrt(x): adj(x) += adj(y) ./ (3 y^2)",
            [](RuleCtx& c) { return c.call("inv", {c.mul(c.real(3), c.call("square", {c.y}))}); }),
      unary("inv_sqrt", "inv_sqrt(x) = x^(-1/2): adj(x) -= adj(y) .* 0.5 y^3",
            [](RuleCtx& c) { return c.mul(c.real(-0.5), c.mul(c.y, c.call("square", {c.y}))); }),
      unary("inv_square", "inv_square(x) = x^-2: adj(x) -= adj(y) .* 2 y ./ x",
            [](RuleCtx& c) { return c.mul(c.real(-2), c.div(c.y, c.x[0])); }),
      unary("tgamma", "tgamma(x): adj(x) += adj(y) .* y .* digamma(x)",
            [](RuleCtx& c) { return c.mul(c.y, c.call("digamma", {c.x[0]})); }),
      unary("erf", "erf(x): adj(x) += adj(y) .* 2 / sqrt(pi) exp(-x^2)",
            [](RuleCtx& c) { return c.mul(c.real(1.1283791670955126), c.call("exp", {c.call("operator-", {c.call("square", {c.x[0]})})})); }),
      unary("erfc", "erfc(x): adj(x) -= adj(y) .* 2 / sqrt(pi) exp(-x^2)",
            [](RuleCtx& c) { return c.mul(c.real(-1.1283791670955126), c.call("exp", {c.call("operator-", {c.call("square", {c.x[0]})})})); }),
      unary("Phi", "Phi(x): adj(x) += adj(y) .* exp(-x^2 / 2) / sqrt(2 pi)",
            [](RuleCtx& c) { return c.mul(c.real(0.3989422804014327), c.call("exp", {c.mul(c.real(-0.5), c.call("square", {c.x[0]}))})); }),
      unary("inv_Phi", "inv_Phi(x): adj(x) += adj(y) .* sqrt(2 pi) exp(y^2 / 2)",
            [](RuleCtx& c) { return c.mul(c.real(2.5066282746310002), c.call("exp", {c.mul(c.real(0.5), c.call("square", {c.y}))})); }),
      unary("Phi_approx", "Phi_approx(x) = inv_logit(0.07056 x^3 + 1.5976 x): adj(x) += adj(y) .* y .* (1 - y) .* (0.21168 x^2 + 1.5976)",
            [](RuleCtx& c) {
              Node* inner = c.call("operator+", {c.mul(c.real(0.21168), c.call("square", {c.x[0]})), c.real(1.5976)});
              return c.mul(c.mul(c.y, c.call("operator-", {c.real(1), c.y})), inner);
            }),
      unary("fabs", "fabs(x): adj(x) += adj(y) .* sign(x)  (0 at x = 0, as Stan)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("step", {c.x[0]}), c.call("step", {c.call("operator-", {c.x[0]})})}); }),
      unary("asin", "asin(x): adj(x) += adj(y) ./ sqrt(1 - x^2)",
            [](RuleCtx& c) { return c.call("inv_sqrt", {c.call("operator-", {c.real(1), c.call("square", {c.x[0]})})}); }),
      unary("acos", "acos(x): adj(x) -= adj(y) ./ sqrt(1 - x^2)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("inv_sqrt", {c.call("operator-", {c.real(1), c.call("square", {c.x[0]})})})}); }),
      unary("atan", "atan(x): adj(x) += adj(y) ./ (1 + x^2)",
            [](RuleCtx& c) { return c.call("inv", {c.call("operator+", {c.real(1), c.call("square", {c.x[0]})})}); }),
      unary("sinh", "sinh(x): adj(x) += adj(y) .* cosh(x)", [](RuleCtx& c) { return c.call("cosh", {c.x[0]}); }),
      unary("cosh", "cosh(x): adj(x) += adj(y) .* sinh(x)", [](RuleCtx& c) { return c.call("sinh", {c.x[0]}); }),
      unary("asinh", "asinh(x): adj(x) += adj(y) ./ sqrt(x^2 + 1)",
            [](RuleCtx& c) { return c.call("inv_sqrt", {c.call("operator+", {c.call("square", {c.x[0]}), c.real(1)})}); }),
      unary("acosh", "acosh(x): adj(x) += adj(y) ./ sqrt(x^2 - 1)",
            [](RuleCtx& c) { return c.call("inv_sqrt", {c.call("operator-", {c.call("square", {c.x[0]}), c.real(1)})}); }),
      unary("atanh", "atanh(x): adj(x) += adj(y) ./ (1 - x^2)",
            [](RuleCtx& c) { return c.call("inv", {c.call("operator-", {c.real(1), c.call("square", {c.x[0]})})}); }),
      unary("log2", "log2(x): adj(x) += adj(y) ./ (x log 2)",
            [](RuleCtx& c) { return c.call("inv", {c.mul(c.real(0.6931471805599453), c.x[0])}); }),
      unary("log10", "log10(x): adj(x) += adj(y) ./ (x log 10)",
            [](RuleCtx& c) { return c.call("inv", {c.mul(c.real(2.302585092994046), c.x[0])}); }),
      unary("exp2", "exp2(x): adj(x) += adj(y) .* y log 2", [](RuleCtx& c) { return c.mul(c.real(0.6931471805599453), c.y); }),
      // Piecewise constant: the derivative is 0 where it exists (Stan's convention everywhere).
      unary("floor", "floor(x): adj(x) += 0", [](RuleCtx& c) { return c.mul(c.real(0), c.x[0]); }),
      unary("ceil", "ceil(x): adj(x) += 0", [](RuleCtx& c) { return c.mul(c.real(0), c.x[0]); }),
      unary("round", "round(x): adj(x) += 0", [](RuleCtx& c) { return c.mul(c.real(0), c.x[0]); }),
      unary("trunc", "trunc(x): adj(x) += 0", [](RuleCtx& c) { return c.mul(c.real(0), c.x[0]); }),
      unary("step", "step(x): adj(x) += 0", [](RuleCtx& c) { return c.mul(c.real(0), c.x[0]); }),
      // ---- binary scalar functions
      {"fma(real, real, real)", "fma(a, b, c) = a*b + c: adj(a) += adj(y) b, adj(b) += adj(y) a, adj(c) += adj(y)",
       [](RuleCtx& c, int k) { return k == 2 ? c.adjY : c.mul(c.adjY, c.x[1 - k]); }},
      {"log_sum_exp(real, real)", "log_sum_exp(a, b): adj(a) += adj(y) exp(a - y), adj(b) += adj(y) exp(b - y)",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.call("exp", {c.call("operator-", {c.x[k], c.y})})); }},
      {"log_diff_exp(real, real)", "log_diff_exp(a, b): adj(a) += adj(y) exp(a - y), adj(b) -= adj(y) exp(b - y)",
       [](RuleCtx& c, int k) {
         Node* g = c.mul(c.adjY, c.call("exp", {c.call("operator-", {c.x[k], c.y})}));
         return k == 0 ? g : c.call("operator-", {g});
       }},
      {"lmultiply(real, real)", "lmultiply(a, b) = a log b: adj(a) += adj(y) log(b), adj(b) += adj(y) a / b",
       [](RuleCtx& c, int k) {
         return k == 0 ? c.mul(c.adjY, c.call("log", {c.x[1]})) : c.mul(c.adjY, c.call("operator/", {c.x[0], c.x[1]}));
       }},
      {"atan2(real, real)", "atan2(a, b): adj(a) += adj(y) b / (a^2 + b^2), adj(b) -= adj(y) a / (a^2 + b^2)",
       [](RuleCtx& c, int k) {
         Node* r2 = c.call("operator+", {c.call("square", {c.x[0]}), c.call("square", {c.x[1]})});
         Node* g = c.mul(c.adjY, c.div(c.x[1 - k], r2));
         return k == 0 ? g : c.call("operator-", {g});
       }},
      // ---- reductions
      {"sum", "sum(x): adj(x) += adj(y)  (broadcast)", [](RuleCtx& c, int) { return c.adjY; }},
      {"log_sum_exp", "log_sum_exp(x): adj(x) += adj(y) * exp(x - y)  (through to_vector for an array)",
       [](RuleCtx& c, int) -> Node* {
         return likeArg(c, c.mul(c.adjY, c.call("exp", {c.call("operator-", {asVec(c, c.x[0]), c.y})})), 0);
       }},
      {"dot_product", "dot_product(a, b): adj(a) += adj(y) * b, adj(b) += adj(y) * a  (through to_vector for arrays)",
       [](RuleCtx& c, int k) -> Node* { return likeArg(c, c.mul(c.adjY, asVec(c, c.x[1 - k])), k); }},
      {"dot_self", "dot_self(x): adj(x) += 2 adj(y) x", [](RuleCtx& c, int) { return c.mul(c.mul(c.real(2), c.adjY), c.x[0]); }},
      // ---- linear algebra
      {"rows_dot_product(matrix, matrix)", "rows_dot_product(A, B): adj(A) += diag(adj(y)) B, adj(B) += diag(adj(y)) A",
       [](RuleCtx& c, int k) { return c.call("diag_pre_multiply", {c.adjY, c.x[1 - k]}); }},
      {"columns_dot_product(matrix, matrix)", "columns_dot_product(A, B): adj(A) += B diag(adj(y)), adj(B) += A diag(adj(y))",
       [](RuleCtx& c, int k) { return c.call("diag_post_multiply", {c.x[1 - k], c.adjY}); }},
      {"diag_pre_multiply", "diag_pre_multiply(v, M) = diag(v) M: adj(v) += rows_dot_product(adj(Y), M), adj(M) += diag(v) adj(Y)",
       [](RuleCtx& c, int k) {
         return k == 0 ? c.call("rows_dot_product", {c.adjY, c.x[1]}) : c.call("diag_pre_multiply", {c.x[0], c.adjY});
       }},
      {"diag_post_multiply", "diag_post_multiply(M, v) = M diag(v): adj(M) += adj(Y) diag(v), adj(v) += columns_dot_product(adj(Y), M)",
       [](RuleCtx& c, int k) {
         return k == 0 ? c.call("diag_post_multiply", {c.adjY, c.x[1]}) : c.call("columns_dot_product", {c.adjY, c.x[0]});
       }},
      {"diag_matrix(vector)", "diag_matrix(v): adj(v) += diagonal(adj(Y))", [](RuleCtx& c, int) { return c.call("diagonal", {c.adjY}); }},
      {"diagonal(matrix)", "diagonal(M): adj(M) += diag_matrix(adj(y))", [](RuleCtx& c, int) { return c.call("diag_matrix", {c.adjY}); }},
      {"tcrossprod(matrix)", "tcrossprod(A) = A A': adj(A) += (adj(Y) + adj(Y)') A",
       [](RuleCtx& c, int) {
         return c.call("operator*", {c.call("operator+", {c.adjY, c.call("operator'", {c.adjY})}), c.x[0]});
       }},
      {"crossprod(matrix)", "crossprod(A) = A' A: adj(A) += A (adj(Y) + adj(Y)')",
       [](RuleCtx& c, int) {
         return c.call("operator*", {c.x[0], c.call("operator+", {c.adjY, c.call("operator'", {c.adjY})})});
       }},
      {"add_diag", "add_diag(M, d): adj(M) += adj(Y), adj(d) += diagonal(adj(Y))  (summed for a scalar d)",
       [](RuleCtx& c, int k) { return k == 0 ? c.adjY : c.fit(c.call("diagonal", {c.adjY}), 1); }},
      {"multiply_lower_tri_self_transpose(matrix)", "Y = L L' (L = tril(X)): adj(X) += tril((adj(Y) + adj(Y)') L)  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"cholesky_decompose(matrix)", "L = chol(A): adj(A) += sym(L^-T Phi(L' adj(L)) L^-1), Phi = lower triangle, halved diagonal (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      // ---- special functions: partials in the shape parameters have no closed form; the
      // kernel differentiates the series / continued fraction in forward mode (runtime/math/special.h)
      {"gamma_p(real, real)", "y = P(a, z): adj(z) += adj(y) z^(a-1) e^-z / Gamma(a), adj(a) += adj(y) dP/da  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"gamma_q(real, real)", "y = Q(a, z) = 1 - P(a, z): adj(z) -= adj(y) z^(a-1) e^-z / Gamma(a), adj(a) -= adj(y) dP/da  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"inc_beta(real, real, real)", "y = I_x(a, b): adj(x) += adj(y) x^(a-1) (1-x)^(b-1) / B(a, b), adj(a), adj(b) += adj(y) dI/da, dI/db  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"trigamma", "trigamma(x) = psi'(x): adj(x) += adj(y) .* psi''(x)  (kernel: psi'' by recurrence, asymptotic series and reflection)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"owens_t(real, real)", "y = T(h, a): adj(h) -= adj(y) phi(h) (Phi(a h) - 1/2), adj(a) += adj(y) exp(-h^2 (1 + a^2) / 2) / (2 pi (1 + a^2))  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"quad_form_diag", "quad_form_diag(M, v) = diag(v) M diag(v): adj(M) += diag(v) adj(Y) diag(v), adj(v) += (W + W') v with W = adj(Y) .* M",
       [](RuleCtx& c, int k) {
         if (k == 0) return c.call("diag_pre_multiply", {c.x[1], c.call("diag_post_multiply", {c.adjY, c.x[1]})});
         Node* w = c.call("operator.*", {c.adjY, c.x[0]});
         Node* s = c.call("operator+", {w, c.call("operator'", {w})});
         return elemOf(c.x[1]) == ElemType::Vector ? c.call("operator*", {s, c.x[1]}) : c.call("operator*", {c.x[1], s});
       }},
      {"softmax(vector)", "y = softmax(v): adj(v) += y .* (adj(y) - dot_product(adj(y), y))",
       [](RuleCtx& c, int) {
         return c.mul(c.y, c.call("operator-", {c.adjY, c.call("dot_product", {c.adjY, c.y})}));
       }},
      {"log_softmax(vector)", "y = log_softmax(v) = v - log_sum_exp(v): adj(v) += adj(y) - exp(y) * sum(adj(y))",
       [](RuleCtx& c, int) {
         return c.call("operator-", {c.adjY, c.mul(c.call("exp", {c.y}), c.call("sum", {c.adjY}))});
       }},
      // ---- reshaping: the adjoint is adj(y) in the argument's layout (adj.add adds in storage order)
      {"to_vector", "to_vector(x): adj(x) += adj(y)  (column-major order; to_array_1d(adj(y)) for an array x)",
       [](RuleCtx& c, int) { return isArray(c.x[0]) ? c.call("to_array_1d", {c.adjY}) : c.adjY; }},
      {"to_row_vector", "to_row_vector(x): adj(x) += adj(y)  (column-major order; to_array_1d(adj(y)) for an array x)",
       [](RuleCtx& c, int) { return isArray(c.x[0]) ? c.call("to_array_1d", {c.adjY}) : c.adjY; }},
      {"to_matrix", "to_matrix(x, m, n): adj(x) += adj(Y)  (column-major order; to_array_1d(adj(Y)) for an array x, "
                    "to_array_2d(adj(Y)) for an array[,] x)",
       [](RuleCtx& c, int k) -> Node* {
         if (k != 0) return nullptr;
         if (!isArray(c.x[0])) return c.adjY;
         return c.call(c.x[0]->type.base.arrayDims == 2 ? "to_array_2d" : "to_array_1d", {c.adjY});
       }},
      {"to_array_1d", "to_array_1d(x): adj(x) += adj(y)  (column-major for a matrix: to_vector(adj(y)); row-major for "
                      "array[m, n]: to_array_2d(to_matrix(adj(y), n, m)'))",
       [](RuleCtx& c, int) -> Node* {
         const Type& t = c.x[0]->type.base;
         if (!t.isArray()) return c.call("to_vector", {c.adjY});
         if (t.arrayDims == 1) return c.adjY;
         if (t.arrayDims != 2) return nullptr;
         Node* d = c.call("dims", {c.x[0]});
         Node* m = c.call("to_matrix", {c.adjY, intAt(c, d, c.integer(2)), intAt(c, d, c.integer(1))});
         return c.call("to_array_2d", {tr(c, m)});
       }},
      {"to_array_2d(matrix)", "to_array_2d(M): adj(M) += to_matrix(adj(y))", [](RuleCtx& c, int) { return c.call("to_matrix", {c.adjY}); }},
      {"rep_vector(real, int)", "rep_vector(x, n): adj(x) += sum(adj(y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
      {"rep_row_vector(real, int)", "rep_row_vector(x, n): adj(x) += sum(adj(y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
      {"rep_matrix(real, int, int)", "rep_matrix(x, m, n): adj(x) += sum(adj(Y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
      {"rep_matrix(vector, int)", "rep_matrix(v, n) = [v ... v]: adj(v) += adj(Y) * rep_vector(1, n)",
       [](RuleCtx& c, int) { return c.call("operator*", {c.adjY, c.call("rep_vector", {c.real(1), c.x[1]})}); }},
      {"rep_matrix(row_vector, int)", "rep_matrix(r, m) = [r; ...; r]: adj(r) += rep_row_vector(1, m) * adj(Y)",
       [](RuleCtx& c, int) { return c.call("operator*", {c.call("rep_row_vector", {c.real(1), c.x[1]}), c.adjY}); }},
      {"rep_array", "rep_array(x, n...) of a real x: adj(x) += sum(adj(y))  (to_array_1d first for 2 or 3 dims)",
       [](RuleCtx& c, int k) -> Node* {
         if (k != 0 || !isScalar(c.x[0])) return nullptr;
         return c.call("sum", {c.x.size() == 2 ? c.adjY : c.call("to_array_1d", {c.adjY})});
       }},
      // ---- slicing and concatenation: adj(y) goes into the part of adj(x) it came from
      {"head", "head(x, n): adj(x)[:n] += adj(y)",
       [](RuleCtx& c, int) {
         c.addKinds = "u";
         c.addIdx = {c.x[1]};
         return c.adjY;
       }},
      {"tail", "tail(x, n): adj(x)[size(x) - n + 1:] += adj(y)",
       [](RuleCtx& c, int) {
         c.addKinds = "l";
         c.addIdx = {c.call("operator+", {c.call("operator-", {c.call("size", {c.x[0]}), c.x[1]}), c.integer(1)})};
         return c.adjY;
       }},
      {"segment", "segment(x, i, n): adj(x)[i:i + n - 1] += adj(y)",
       [](RuleCtx& c, int) {
         c.addKinds = "r";
         c.addIdx = {c.x[1], c.call("operator-", {c.call("operator+", {c.x[1], c.x[2]}), c.integer(1)})};
         return c.adjY;
       }},
      {"append_row", "y = append_row(a, b) = [a; b]: adj(a) += adj(y)[:rows(a)], adj(b) += adj(y)[rows(a) + 1:]  (a single row for a real or row_vector)",
       [](RuleCtx& c, int k) { return appendPart(c, k, "rows", true); }},
      {"append_col", "y = append_col(a, b) = [a, b]: adj(a) += adj(y)[:, :cols(a)], adj(b) += adj(y)[:, cols(a) + 1:]  (a single column for a real or vector)",
       [](RuleCtx& c, int k) { return appendPart(c, k, "cols", false); }},
      {"append_array", "y = append_array(a, b): adj(a) += adj(y)[:size(a)], adj(b) += adj(y)[size(a) + 1:]",
       [](RuleCtx& c, int k) {
         Node* n = c.call("size", {c.x[0]});
         return k == 0 ? c.index(c.adjY, "u", {n}, 0) : c.index(c.adjY, "l", {c.call("operator+", {n, c.integer(1)})}, 1);
       }},
      block("col(matrix, int)", "col(M, j): adj(M)[:, j] += adj(y)", "as", [](RuleCtx& c) { return std::vector<Node*>{c.x[1]}; }),
      block("row(matrix, int)", "row(M, i): adj(M)[i, :] += adj(y)", "sa", [](RuleCtx& c) { return std::vector<Node*>{c.x[1]}; }),
      block("block(matrix, int, int, int, int)", "block(M, i, j, m, n): adj(M)[i:i + m - 1, j:j + n - 1] += adj(Y)", "rr",
            [](RuleCtx& c) { return std::vector<Node*>{c.x[1], lastOf(c, c.x[1], c.x[3]), c.x[2], lastOf(c, c.x[2], c.x[4])}; }),
      block("sub_col(matrix, int, int, int)", "sub_col(M, i, j, n): adj(M)[i:i + n - 1, j] += adj(y)", "rs",
            [](RuleCtx& c) { return std::vector<Node*>{c.x[1], lastOf(c, c.x[1], c.x[3]), c.x[2]}; }),
      block("sub_row(matrix, int, int, int)", "sub_row(M, i, j, n): adj(M)[i, j:j + n - 1] += adj(y)", "sr",
            [](RuleCtx& c) { return std::vector<Node*>{c.x[1], c.x[2], lastOf(c, c.x[2], c.x[3])}; }),
      {"reverse", "reverse(x): adj(x) += reverse(adj(y))", [](RuleCtx& c, int) { return c.call("reverse", {c.adjY}); }},
      {"cumulative_sum", "y = cumulative_sum(x): adj(x) += reverse(cumulative_sum(reverse(adj(y))))",
       [](RuleCtx& c, int) { return c.call("reverse", {c.call("cumulative_sum", {c.call("reverse", {c.adjY})})}); }},
      {"sort_asc", "y = sort_asc(x) = x[p], p = sort_indices_asc(x): adj(x)[p] += adj(y)  (vectors and arrays of reals)",
       [](RuleCtx& c, int) -> Node* {
         if (!isArray(c.x[0]) && elemOf(c.x[0]) == ElemType::Matrix) return nullptr;
         c.addKinds = "m";
         c.addIdx = {c.call("sort_indices_asc", {c.x[0]})};
         return c.adjY;
       }},
      {"sort_desc", "y = sort_desc(x) = x[p], p = sort_indices_desc(x): adj(x)[p] += adj(y)  (vectors and arrays of reals)",
       [](RuleCtx& c, int) -> Node* {
         if (!isArray(c.x[0]) && elemOf(c.x[0]) == ElemType::Matrix) return nullptr;
         c.addKinds = "m";
         c.addIdx = {c.call("sort_indices_desc", {c.x[0]})};
         return c.adjY;
       }},
      {"transpose", "transpose(x) = x': adj(x) += adj(y)'", [](RuleCtx& c, int) { return tr(c, c.adjY); }},
      {"linspaced_vector", "y = lo + (hi - lo) t, t = linspaced_vector(n, 0, 1): adj(hi) += dot_product(adj(y), t), adj(lo) += sum(adj(y)) - that",
       linspaced},
      {"linspaced_row_vector", "y = lo + (hi - lo) t, t = linspaced_row_vector(n, 0, 1): adj(hi) += dot_product(adj(y), t), adj(lo) += sum(adj(y)) - that",
       linspaced},
      {"linspaced_array", "y = lo + (hi - lo) t, t = linspaced_array(n, 0, 1): adj(hi) += dot_product(adj(y), t), adj(lo) += sum(adj(y)) - that",
       linspaced},
      // ---- more elementwise and scalar functions
      unary("digamma", "digamma(x): adj(x) += adj(y) .* trigamma(x)", [](RuleCtx& c) { return c.call("trigamma", {c.x[0]}); }),
      unary("abs", "abs(x) (real): adj(x) += adj(y) .* sign(x)  (0 at x = 0, as fabs)",
            [](RuleCtx& c) { return c.call("operator-", {c.call("step", {c.x[0]}), c.call("step", {c.call("operator-", {c.x[0]})})}); }),
      {"pow", "pow(a, b) elementwise: adj(a) += adj(y) .* b .* a .^ (b - 1), adj(b) += adj(y) .* y .* log(a)  (summed onto a scalar)", powRule},
      {"operator.^", "a .^ b: adj(a) += adj(y) .* b .* a .^ (b - 1), adj(b) += adj(y) .* y .* log(a)  (summed onto a scalar)", powRule},
      {"fmax(real, real)", "fmax(a, b): adj(a) += adj(y) (a >= b), adj(b) += adj(y) (a < b)  (a wins a tie)",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.call(k == 0 ? "operator>=" : "operator<", {c.x[0], c.x[1]})); }},
      {"max(real, real)", "max(a, b): adj(a) += adj(y) (a >= b), adj(b) += adj(y) (a < b)  (a wins a tie)",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.call(k == 0 ? "operator>=" : "operator<", {c.x[0], c.x[1]})); }},
      {"fmin(real, real)", "fmin(a, b): adj(a) += adj(y) (a <= b), adj(b) += adj(y) (a > b)  (a wins a tie)",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.call(k == 0 ? "operator<=" : "operator>", {c.x[0], c.x[1]})); }},
      {"min(real, real)", "min(a, b): adj(a) += adj(y) (a <= b), adj(b) += adj(y) (a > b)  (a wins a tie)",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.call(k == 0 ? "operator<=" : "operator>", {c.x[0], c.x[1]})); }},
      {"fdim(real, real)", "fdim(a, b) = max(a - b, 0): adj(a) += adj(y) (a > b), adj(b) -= adj(y) (a > b)",
       [](RuleCtx& c, int k) {
         Node* g = c.mul(c.adjY, c.call("operator>", {c.x[0], c.x[1]}));
         return k == 0 ? g : neg(c, g);
       }},
      {"fmod(real, real)", "fmod(a, b) = a - trunc(a / b) b: adj(a) += adj(y), adj(b) -= adj(y) trunc(a / b)",
       [](RuleCtx& c, int k) {
         return k == 0 ? c.adjY : neg(c, c.mul(c.adjY, c.call("trunc", {c.call("operator/", {c.x[0], c.x[1]})})));
       }},
      {"hypot(real, real)", "hypot(a, b) = sqrt(a^2 + b^2): adj(a) += adj(y) a / y, adj(b) += adj(y) b / y",
       [](RuleCtx& c, int k) { return c.mul(c.adjY, c.div(c.x[k], c.y)); }},
      {"log_mix(real, real, real)", "log_mix(t, a, b) = log(t e^a + (1 - t) e^b): adj(t) += adj(y) (exp(a - y) - exp(b - y)), "
                                    "adj(a) += adj(y) t exp(a - y), adj(b) += adj(y) (1 - t) exp(b - y)",
       [](RuleCtx& c, int k) {
         auto w = [&](int j) { return c.call("exp", {minus(c, c.x[j], c.y)}); };
         if (k == 0) return c.mul(c.adjY, minus(c, w(1), w(2)));
         if (k == 1) return c.mul(c.adjY, c.mul(c.x[0], w(1)));
         return c.mul(c.adjY, c.mul(minus(c, c.real(1), c.x[0]), w(2)));
       }},
      {"log_inv_logit_diff(real, real)", "log_inv_logit_diff(a, b) = log(inv_logit(a) - inv_logit(b)): "
                                         "adj(a) -= adj(y) (inv_logit(a) + 1 / expm1(b - a)), adj(b) += adj(y) (inv_logit(-b) + 1 / expm1(b - a))",
       [](RuleCtx& c, int k) {
         Node* e = c.call("inv", {c.call("expm1", {minus(c, c.x[1], c.x[0])})});
         if (k == 0) return neg(c, c.mul(c.adjY, plus(c, c.call("inv_logit", {c.x[0]}), e)));
         return c.mul(c.adjY, plus(c, c.call("inv_logit", {neg(c, c.x[1])}), e));
       }},
      {"lbeta(real, real)", "lbeta(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b): adj(a) += adj(y) (digamma(a) - digamma(a + b)), same for b",
       [](RuleCtx& c, int k) {
         return c.mul(c.adjY, minus(c, c.call("digamma", {c.x[k]}), c.call("digamma", {plus(c, c.x[0], c.x[1])})));
       }},
      {"lchoose(real, real)", "lchoose(n, k) = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1): "
                              "adj(n) += adj(y) (digamma(n + 1) - digamma(n - k + 1)), adj(k) += adj(y) (digamma(n - k + 1) - digamma(k + 1))",
       lchooseRule},
      {"binomial_coefficient_log(real, real)", "binomial_coefficient_log(n, k) = lchoose(n, k): "
                                               "adj(n) += adj(y) (digamma(n + 1) - digamma(n - k + 1)), adj(k) += adj(y) (digamma(n - k + 1) - digamma(k + 1))",
       lchooseRule},
      {"falling_factorial(real, int)", "falling_factorial(x, n) = exp(lgamma(x + 1) - lgamma(x - n + 1)): adj(x) += adj(y) y (digamma(x + 1) - digamma(x - n + 1))",
       [](RuleCtx& c, int) {
         Node* d = minus(c, c.call("digamma", {plus(c, c.x[0], c.real(1))}),
                         c.call("digamma", {plus(c, minus(c, c.x[0], c.x[1]), c.real(1))}));
         return c.mul(c.mul(c.adjY, c.y), d);
       }},
      {"rising_factorial(real, int)", "rising_factorial(x, n) = exp(lgamma(x + n) - lgamma(x)): adj(x) += adj(y) y (digamma(x + n) - digamma(x))",
       [](RuleCtx& c, int) {
         Node* d = minus(c, c.call("digamma", {plus(c, c.x[0], c.x[1])}), c.call("digamma", {c.x[0]}));
         return c.mul(c.mul(c.adjY, c.y), d);
       }},
      {"lmgamma(int, real)", "lmgamma(k, x) = k (k - 1) / 4 log(pi) + sum_j lgamma(x + (1 - j) / 2): "
                             "adj(x) += adj(y) sum(digamma(x + (1 - linspaced_vector(k, 1, k)) / 2))",
       [](RuleCtx& c, int) {
         Node* j = c.call("linspaced_vector", {c.x[0], c.real(1), c.x[0]});
         Node* a = plus(c, c.x[1], c.mul(c.real(0.5), minus(c, c.real(1), j)));
         return c.mul(c.adjY, c.call("sum", {c.call("digamma", {a})}));
       }},
      // ---- more reductions
      {"mean", "mean(x): adj(x) += adj(y) / num_elements(x)  (broadcast)",
       [](RuleCtx& c, int) { return c.call("operator/", {c.adjY, c.call("num_elements", {c.x[0]})}); }},
      {"variance", "variance(x) = sum((x - mean(x))^2) / (n - 1): adj(x) += 2 adj(y) (x - mean(x)) / max(n - 1, 1)",
       [](RuleCtx& c, int) {
         Node* n1 = c.call("max", {minus(c, c.call("num_elements", {c.x[0]}), c.integer(1)), c.integer(1)});
         Node* d = minus(c, asVec(c, c.x[0]), c.call("mean", {c.x[0]}));
         return likeArg(c, c.mul(c.call("operator/", {c.mul(c.real(2), c.adjY), n1}), d), 0);
       }},
      {"sd", "sd(x) = sqrt(variance(x)): adj(x) += adj(y) (x - mean(x)) / (max(n - 1, 1) y)  (0 where y = 0)",
       [](RuleCtx& c, int) {
         Node* n1 = c.call("max", {minus(c, c.call("num_elements", {c.x[0]}), c.integer(1)), c.integer(1)});
         Node* den = plus(c, c.mul(n1, c.y), c.call("operator==", {c.y, c.real(0)}));
         Node* d = minus(c, asVec(c, c.x[0]), c.call("mean", {c.x[0]}));
         return likeArg(c, c.mul(c.call("operator/", {c.adjY, den}), d), 0);
       }},
      {"prod", "prod(x): adj(x_i) += adj(y) prod_{j != i} x_j  (kernel: prefix and suffix products, exact at zeros)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"max", "max(x) of a container: adj(x)[i] += adj(y), i the first position of the maximum (sort_indices_desc(x)[1])",
       [](RuleCtx& c, int) { return extremum(c, true); }},
      {"min", "min(x) of a container: adj(x)[i] += adj(y), i the first position of the minimum (sort_indices_asc(x)[1])",
       [](RuleCtx& c, int) { return extremum(c, false); }},
      {"norm1", "norm1(x) = sum(|x|): adj(x) += adj(y) sign(x)  (0 at 0)",
       [](RuleCtx& c, int) {
         return c.mul(c.adjY, minus(c, c.call("step", {c.x[0]}), c.call("step", {neg(c, c.x[0])})));
       }},
      {"norm2", "norm2(x) = sqrt(dot_self(x)): adj(x) += adj(y) x / y", [](RuleCtx& c, int) { return c.mul(c.div(c.adjY, c.y), c.x[0]); }},
      {"squared_distance", "squared_distance(a, b) = dot_self(a - b): adj(a) += 2 adj(y) (a - b), adj(b) -= 2 adj(y) (a - b)",
       [](RuleCtx& c, int k) {
         Node* g = c.mul(c.mul(c.real(2), c.adjY), minus(c, c.x[0], c.x[1]));
         return k == 0 ? g : neg(c, g);
       }},
      {"distance", "distance(a, b) = norm2(a - b): adj(a) += adj(y) (a - b) / y, adj(b) -= adj(y) (a - b) / y",
       [](RuleCtx& c, int k) {
         Node* g = c.mul(c.div(c.adjY, c.y), minus(c, c.x[0], c.x[1]));
         return k == 0 ? g : neg(c, g);
       }},
      {"rows_dot_self(matrix)", "rows_dot_self(M): adj(M) += diag(2 adj(y)) M",
       [](RuleCtx& c, int) { return c.call("diag_pre_multiply", {c.mul(c.real(2), c.adjY), c.x[0]}); }},
      {"columns_dot_self(matrix)", "columns_dot_self(M): adj(M) += M diag(2 adj(y))",
       [](RuleCtx& c, int) { return c.call("diag_post_multiply", {c.x[0], c.mul(c.real(2), c.adjY)}); }},
      {"rows_dot_product", "rows_dot_product(a, b) of vectors (a .* b) or row_vectors ([a b']): adj(a) += adj(y) .* b, "
                           "resp. adj(y)[1] b; the same for b",
       [](RuleCtx& c, int k) -> Node* {
         if (elemOf(c.x[0]) == ElemType::Vector) return c.mul(c.adjY, c.x[1 - k]);
         return c.mul(c.call("sum", {c.adjY}), c.x[1 - k]);
       }},
      {"columns_dot_product", "columns_dot_product(a, b) of row_vectors (a .* b) or vectors ([a' b]): adj(a) += adj(y) .* b, "
                              "resp. adj(y)[1] b; the same for b",
       [](RuleCtx& c, int k) -> Node* {
         if (elemOf(c.x[0]) == ElemType::RowVector) return c.mul(c.adjY, c.x[1 - k]);
         return c.mul(c.call("sum", {c.adjY}), c.x[1 - k]);
       }},
      // ---- more linear algebra (solves instead of inverses wherever the adjoint allows)
      {"mdivide_left", "Y = A \\ B: g = A' \\ adj(Y); adj(B) += g, adj(A) -= g Y'", mdivideLeft},
      {"operator\\", "Y = A \\ B: g = A' \\ adj(Y); adj(B) += g, adj(A) -= g Y'", mdivideLeft},
      {"mdivide_left_spd", "Y = A \\ B, A symmetric: g = mdivide_left_spd(A, adj(Y)); adj(B) += g, adj(A) -= g Y'",
       [](RuleCtx& c, int k) {
         Node* g = c.shared("g", [&] { return c.call("mdivide_left_spd", {c.x[0], c.adjY}); });
         return k == 1 ? g : neg(c, times(c, g, tr(c, c.y)));
       }},
      {"mdivide_right_spd", "Y = B / A, A symmetric: g = mdivide_right_spd(adj(Y), A); adj(B) += g, adj(A) -= Y' g",
       [](RuleCtx& c, int k) {
         Node* g = c.shared("g", [&] { return c.call("mdivide_right_spd", {c.adjY, c.x[1]}); });
         return k == 0 ? g : neg(c, times(c, tr(c, c.y), g));
       }},
      {"mdivide_left_tri_low", "Y = tril(L) \\ B: g = tril(L)' \\ adj(Y) = mdivide_right_tri_low(adj(Y)', L)'; adj(B) += g, "
                               "adj(L) -= tril(g Y')  (kernel for L: no tril built-in)",
       [](RuleCtx& c, int k) {
         if (k == 0) return c.kernel(0);
         return tr(c, c.call("mdivide_right_tri_low", {tr(c, c.adjY), c.x[0]}));
       }},
      {"mdivide_right_tri_low", "Y = B / tril(L): g = adj(Y) / tril(L)' = mdivide_left_tri_low(L, adj(Y)')'; adj(B) += g, "
                                "adj(L) -= tril(Y' g)  (kernel for L: no tril built-in)",
       [](RuleCtx& c, int k) {
         if (k == 1) return c.kernel(1);
         return tr(c, c.call("mdivide_left_tri_low", {c.x[1], tr(c, c.adjY)}));
       }},
      {"inverse(matrix)", "Y = inverse(A): adj(A) -= Y' adj(Y) Y'",
       [](RuleCtx& c, int) { return neg(c, times(c, times(c, tr(c, c.y), c.adjY), tr(c, c.y))); }},
      {"inverse_spd(matrix)", "Y = inverse_spd(A) (symmetric): adj(A) -= Y adj(Y) Y",
       [](RuleCtx& c, int) { return neg(c, times(c, times(c, c.y, c.adjY), c.y)); }},
      {"chol2inv(matrix)", "Y = (L L')^-1, L = tril(X): adj(X) -= tril(Y (adj(Y) + adj(Y)') Y L)  (kernel: no tril built-in)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"determinant(matrix)", "y = det(A): adj(A) += adj(y) y inverse(A)'",
       [](RuleCtx& c, int) { return c.mul(c.mul(c.adjY, c.y), tr(c, c.call("inverse", {c.x[0]}))); }},
      {"log_determinant(matrix)", "y = log |det(A)|: adj(A) += adj(y) inverse(A)'",
       [](RuleCtx& c, int) { return c.mul(c.adjY, tr(c, c.call("inverse", {c.x[0]}))); }},
      {"log_determinant_spd(matrix)", "y = log det(A), A symmetric positive definite: adj(A) += adj(y) A \\ I  (mdivide_left_spd)",
       [](RuleCtx& c, int) {
         Node* I = c.call("identity_matrix", {c.call("rows", {c.x[0]})});
         return c.mul(c.adjY, c.call("mdivide_left_spd", {c.x[0], I}));
       }},
      {"trace(matrix)", "trace(A): adj(A) += adj(y) I  (add_diag onto zeros shaped like A)",
       [](RuleCtx& c, int) {
         Node* z = c.call("rep_matrix", {c.real(0), c.call("rows", {c.x[0]}), c.call("cols", {c.x[0]})});
         return c.call("add_diag", {z, c.adjY});
       }},
      {"quad_form", "Y = B' A B: adj(A) += B adj(Y) B', adj(B) += A B adj(Y)' + A' B adj(Y)  (b' A b: adj(A) += adj(y) b b', adj(b) += adj(y) (A + A') b)",
       quadForm},
      {"quad_form_sym", "Y = B' A B (A symmetric; the runtime does not symmetrise Y): as quad_form: adj(A) += B adj(Y) B', "
                        "adj(B) += A B adj(Y)' + A' B adj(Y)",
       quadForm},
      {"trace_quad_form(matrix, matrix)", "y = trace(B' A B): adj(A) += adj(y) B B', adj(B) += adj(y) (A + A') B",
       [](RuleCtx& c, int k) {
         if (k == 0) return c.mul(c.adjY, times(c, c.x[1], tr(c, c.x[1])));
         return c.mul(c.adjY, times(c, plus(c, c.x[0], tr(c, c.x[0])), c.x[1]));
       }},
      {"eigenvalues_sym(matrix)", "y = eigenvalues_sym(A), V = eigenvectors_sym(A): adj(A) += V diag(adj(y)) V'",
       [](RuleCtx& c, int) {
         Node* V = c.call("eigenvectors_sym", {c.x[0]});
         return times(c, c.call("diag_post_multiply", {V, c.adjY}), tr(c, V));
       }},
      {"eigenvectors_sym(matrix)", "V = eigenvectors_sym(A), l its eigenvalues: adj(A) += V (F .* (V' adj(V))) V', "
                                   "F[i, j] = 1 / (l[j] - l[i]) off the diagonal, 0 on it  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"singular_values(matrix)", "y = singular_values(A) = diag(U' A V): adj(A) += U diag(adj(y)) V'  (kernel: no svd_U/svd_V built-ins)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"gp_exp_quad_cov", "K[i, j] = a^2 exp(-d2[i, j] / (2 r^2)), W = adj(K) .* K: adj(a) += 2 sum(W) / a, adj(r) += sum(W .* d2) / r^3, "
                          "adj(x[i]) -= sum_j (W[i, j] + W[j, i]) (x[i] - x[j]) / r^2  (kernel: d2 is not in the IR)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"cov_exp_quad", "as gp_exp_quad_cov: W = adj(K) .* K: adj(a) += 2 sum(W) / a, adj(r) += sum(W .* d2) / r^3, "
                       "adj(x[i]) -= sum_j (W[i, j] + W[j, i]) (x[i] - x[j]) / r^2  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
  };
  return t;
}

const AdjointRow* findAdjoint(const std::string& key, const std::string& name) {
  for (const AdjointRow& r : adjointTable())
    if (key == r.key) return &r;
  for (const AdjointRow& r : adjointTable())
    if (name == r.key) return &r;
  return nullptr;
}

}  // namespace mvc::autodiff
