// Declarations: sizes, constraints, initial values, and where each kind of declaration may
// appear (no int parameters, no values in data or parameters, constraints only at top level).
#include "frontend/ast_printer.h"
#include "frontend/sema/checker.h"

namespace mvc {
void Checker::checkDecl(VarDecl& d) {
  SizedType& t = d.type;
  d.vtype = t.type();
  if (t.base == DeclBase::Complex) {
    diags_.report(DiagKind::Unsupported, d.range, "complex numbers are not supported by mvc yet");
  }
  // Sizes: int, and for top-level variables known before sampling starts (data only).
  auto checkSize = [&](Expr& e, const char* what) {
    checkExpr(e);
    if (e.type.isError()) return;
    if (!e.type.isIntScalar()) {
      diags_.report(DiagKind::TypeMismatch, e.range,
                    std::string("the ") + what + " of '" + d.name + "' must be an int, but this is " + e.type.str());
    } else if (d.topLevel && !e.isData) {
      diags_.report(DiagKind::SizeNotData, e.range,
                    std::string("the ") + what + " of '" + d.name +
                        "' depends on parameters; sizes of variables in program blocks must be fixed by the data");
    }
  };
  for (auto& e : t.arrayDims) checkSize(*e, "array size");
  for (auto& e : t.sizes) checkSize(*e, "size");

  // Constraints: only where Stan allows them (top-level variables of the program blocks).
  if (t.hasConstraint() && !d.topLevel) {
    std::string what = t.constraintRange.valid() ? "a <...> constraint" : std::string("the constrained type ") + declBaseName(t.base);
    diags_.report(DiagKind::ConstraintNotAllowed, t.constraintRange.valid() ? t.constraintRange : d.range,
                  "local variable '" + d.name + "' cannot have " + what +
                      "; constraints belong on the variables of the data, transformed data, parameters, "
                      "transformed parameters and generated quantities blocks");
  }
  for (ExprPtr* bound : {&t.lower, &t.upper, &t.offset, &t.multiplier}) {
    if (!*bound) continue;
    Expr& b = **bound;
    checkExpr(b);
    if (b.type.isError()) continue;
    Type elemOnly = d.vtype;
    elemOnly.arrayDims = 0;
    if (!(b.type.isScalar() || promotable(b.type, elemOnly) || promotable(b.type, d.vtype))) {
      diags_.report(DiagKind::TypeMismatch, b.range,
                    "a bound of '" + d.name + "' must be a real or a " + elemOnly.str() + ", but this is " + b.type.str());
    }
  }

  // What each block may declare.
  if (d.origin == Origin::Parameter && t.base == DeclBase::Int) {
    diags_.report(DiagKind::IntParameter, d.range,
                  "parameter '" + d.name +
                      "' is an int, but parameters must be continuous (real, vector, matrix, ...); "
                      "an integer unknown has to be marginalised out, or moved to data");
  }
  if (d.origin == Origin::TransformedParameter && t.base == DeclBase::Int) {
    diags_.report(DiagKind::IntParameter, d.range,
                  "transformed parameter '" + d.name +
                      "' is an int, but transformed parameters must be real-valued; compute integer quantities "
                      "in generated quantities instead");
  }
  if (d.init && (d.origin == Origin::Data || d.origin == Origin::Parameter)) {
    diags_.report(DiagKind::InitializerNotAllowed, d.init->range,
                  std::string("'") + d.name + "' is declared in the " + (d.origin == Origin::Data ? "data" : "parameters") +
                      " block, where variables cannot be given a value" +
                      (d.origin == Origin::Data ? "; their values come from the data file"
                                                : "; their values come from the sampler (use transformed parameters for derived values)"));
  }
  if (d.init) {
    checkExpr(*d.init);
    checkAssignable(*d.init, d.vtype, "'" + d.name + "'");
  }

  // Data-only: values fixed before sampling (data, transformed data, and ints everywhere).
  switch (d.origin) {
    case Origin::Data:
    case Origin::TransformedData: d.dataOnly = true; break;
    case Origin::Local:
      d.dataOnly = block_ == BlockKind::TransformedData || (!function_ && d.vtype.elem == ElemType::Int);
      break;
    default: d.dataOnly = d.vtype.elem == ElemType::Int; break;
  }
  if (d.name.size() > 2 && d.name.compare(d.name.size() - 2, 2, "__") == 0) {
    diags_.report(DiagKind::ReservedName, d.nameRange,
                  "names ending in '__' are reserved for the sampler's own columns (lp__, ...); rename '" + d.name + "'");
  }
}

void Checker::declare(VarDecl& d) {
  if (const VarDecl* prev = scopes_.declare(&d)) {
    diags_.report(DiagKind::Redeclaration, d.nameRange,
                  "'" + d.name + "' is already declared" +
                      (prev->origin != Origin::Local && prev->origin != Origin::LoopVar
                           ? std::string(" as a ") + originName(prev->origin)
                           : std::string()) +
                      "; Stan does not allow a name to be reused while the first one is in scope");
    if (prev->nameRange.valid()) diags_.note(prev->nameRange, "'" + d.name + "' was declared here");
  }
}

}  // namespace mvc
