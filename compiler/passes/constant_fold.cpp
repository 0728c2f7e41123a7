// ConstantFold: evaluates built-in calls whose arguments are all constants.
//
//   before:  %1 : int = const.int 2
//            %2 : int = const.int 3
//            %3 : int = call operator*(int, int) %1, %2
//   after:   %3 : int = const.int 6          (%1 and %2 are left for DCE)
//
// Only operations whose result is exact and cannot fail are folded: integer + - * without
// overflow, integer division and modulus by a non-zero constant, real arithmetic, unary minus,
// and a few elementwise functions on scalars. Everything else runs when the model does, so that
// an error (say, log of a negative number) is reported at run time as Stan would.
#include <cmath>
#include <functional>
#include <map>

#include "frontend/signatures.h"
#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {
namespace {
using ir::Node;
using ir::Op;

bool isConst(const Node* n) { return n->op == Op::ConstInt || n->op == Op::ConstReal; }
double asReal(const Node* n) { return n->op == Op::ConstInt ? static_cast<double>(n->i) : n->d; }

void becomeInt(Node& n, int64_t v) {
  n.op = Op::ConstInt;
  n.i = v;
  n.inputs.clear();
  n.sig = nullptr;
}

void becomeReal(Node& n, double v) {
  n.op = Op::ConstReal;
  n.d = v;
  n.inputs.clear();
  n.sig = nullptr;
}

const std::map<std::string, double (*)(double)>& realFunctions() {
  static const std::map<std::string, double (*)(double)> f = {
      {"exp", [](double x) { return std::exp(x); }},    {"log1p", [](double x) { return std::log1p(x); }},
      {"expm1", [](double x) { return std::expm1(x); }}, {"square", [](double x) { return x * x; }},
      {"inv_logit", [](double x) { return 1 / (1 + std::exp(-x)); }},
  };
  return f;
}

void fold(Node& n) {
  if (n.op != Op::Call || !n.sig) return;
  for (const Node* in : n.inputs)
    if (!isConst(in)) return;
  const std::string& name = n.sig->name;
  bool intResult = n.type.base.isIntScalar();
  if (n.inputs.size() == 2 && intResult && n.inputs[0]->op == Op::ConstInt && n.inputs[1]->op == Op::ConstInt) {
    int64_t a = n.inputs[0]->i, b = n.inputs[1]->i, r = 0;
    bool ok = true;
    if (name == "operator+") ok = !__builtin_add_overflow(a, b, &r);
    else if (name == "operator-") ok = !__builtin_sub_overflow(a, b, &r);
    else if (name == "operator*") ok = !__builtin_mul_overflow(a, b, &r);
    else if (name == "operator/" || name == "operator%/%") ok = b != 0, r = ok ? a / b : 0;
    else if (name == "operator%") ok = b != 0, r = ok ? a % b : 0;
    else return;
    if (ok && r >= INT32_MIN && r <= INT32_MAX) becomeInt(n, r);
    return;
  }
  if (n.inputs.size() == 1 && name == "operator-") {
    if (intResult && n.inputs[0]->i != INT32_MIN) becomeInt(n, -n.inputs[0]->i);
    else if (!intResult) becomeReal(n, -asReal(n.inputs[0]));
    return;
  }
  if (!n.type.base.isScalar() || intResult) return;
  if (n.inputs.size() == 2) {
    double a = asReal(n.inputs[0]), b = asReal(n.inputs[1]);
    if (name == "operator+") becomeReal(n, a + b);
    else if (name == "operator-") becomeReal(n, a - b);
    else if (name == "operator*") becomeReal(n, a * b);
    else if (name == "operator/" && b != 0) becomeReal(n, a / b);
    return;
  }
  auto f = realFunctions().find(name);
  if (n.inputs.size() == 1 && f != realFunctions().end()) {
    double v = f->second(asReal(n.inputs[0]));
    if (std::isfinite(v)) becomeReal(n, v);
  }
}

}  // namespace

void constantFold(ir::Module& m) { ir::forEachNode(m, fold); }

}  // namespace mvc::passes
