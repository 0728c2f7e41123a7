// Semantic analysis: names and scopes, types, block rules, user-defined functions.
// Fills in the "sema" fields of the AST (types, data-only flags, resolved declarations and
// signatures) and reports every user error it finds as a diagnostic. Returns true if the
// program has no errors.
#pragma once
#include "frontend/ast.h"
#include "support/diagnostics.h"

namespace mvc {

bool checkProgram(Program& program, Diagnostics& diags);

}  // namespace mvc
