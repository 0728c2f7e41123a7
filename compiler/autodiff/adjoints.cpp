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
      // ---- special functions: partials in the shape parameters have no closed form; the
      // kernel differentiates the series / continued fraction in forward mode (runtime/math/special.h)
      {"gamma_p(real, real)", "y = P(a, z): adj(z) += adj(y) z^(a-1) e^-z / Gamma(a), adj(a) += adj(y) dP/da  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"gamma_q(real, real)", "y = Q(a, z) = 1 - P(a, z): adj(z) -= adj(y) z^(a-1) e^-z / Gamma(a), adj(a) -= adj(y) dP/da  (kernel)",
       [](RuleCtx& c, int k) { return c.kernel(k); }},
      {"inc_beta(real, real, real)", "y = I_x(a, b): adj(x) += adj(y) x^(a-1) (1-x)^(b-1) / B(a, b), adj(a), adj(b) += adj(y) dI/da, dI/db  (kernel)",
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
      {"to_matrix", "to_matrix(x, m, n): adj(x) += adj(Y)  (column-major order)",
       [](RuleCtx& c, int k) -> Node* { return k == 0 && !c.x[0]->type.base.isArray() ? c.adjY : nullptr; }},
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
