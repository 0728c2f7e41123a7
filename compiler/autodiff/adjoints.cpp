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

Node* RuleCtx::kernel(int k) {
  Node* g = b.create(Op::CallGrad, x[k]->type, {});
  g->inputs = {adjY, y};
  for (Node* a : x) g->inputs.push_back(a);
  g->i = k;
  g->sig = sig;
  return g;
}

namespace {

// y = f(x) elementwise: adj(x) += adj(y) .* d, with d = f'(x) built by `d`.
AdjointRow unary(const char* key, const char* math, std::function<Node*(RuleCtx&)> d) {
  return {key, math, [d](RuleCtx& c, int) { return c.mul(c.adjY, d(c)); }};
}

bool isScalar(const Node* n) { return n->type.base.isScalar(); }

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
      {"operator/", "a / b (b scalar): adj(a) += adj(y) / b, adj(b) -= sum(adj(y) .* y) / b",
       [](RuleCtx& c, int k) -> Node* {
         if (!isScalar(c.x[1])) return nullptr;
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
      unary("logit", "logit(x): adj(x) += adj(y) ./ (x .* (1 - x))",
            [](RuleCtx& c) { return c.call("inv", {c.mul(c.x[0], c.call("operator-", {c.real(1), c.x[0]}))}); }),
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
      // ---- reductions
      {"sum", "sum(x): adj(x) += adj(y)  (broadcast)", [](RuleCtx& c, int) { return c.adjY; }},
      {"log_sum_exp", "log_sum_exp(x): adj(x) += adj(y) * exp(x - y)",
       [](RuleCtx& c, int) -> Node* {
         if (c.x[0]->type.base.isArray()) return nullptr;
         return c.mul(c.adjY, c.call("exp", {c.call("operator-", {c.x[0], c.y})}));
       }},
      {"dot_product", "dot_product(a, b): adj(a) += adj(y) * b, adj(b) += adj(y) * a",
       [](RuleCtx& c, int k) -> Node* {
         if (c.x[1 - k]->type.base.isArray()) return nullptr;
         return c.mul(c.adjY, c.x[1 - k]);
       }},
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
      // ---- reshaping: the adjoint is adj(y) in the argument's layout (adj.add adds in storage order)
      {"to_vector", "to_vector(x): adj(x) += adj(y)  (column-major order)", [](RuleCtx& c, int) { return c.adjY; }},
      {"to_row_vector", "to_row_vector(x): adj(x) += adj(y)  (column-major order)", [](RuleCtx& c, int) { return c.adjY; }},
      {"to_matrix", "to_matrix(x, m, n): adj(x) += adj(Y)  (column-major order)",
       [](RuleCtx& c, int k) -> Node* { return k == 0 && !c.x[0]->type.base.isArray() ? c.adjY : nullptr; }},
      {"rep_vector(real, int)", "rep_vector(x, n): adj(x) += sum(adj(y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
      {"rep_row_vector(real, int)", "rep_row_vector(x, n): adj(x) += sum(adj(y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
      {"rep_matrix(real, int, int)", "rep_matrix(x, m, n): adj(x) += sum(adj(Y))", [](RuleCtx& c, int) { return c.call("sum", {c.adjY}); }},
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
