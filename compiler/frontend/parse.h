// Parsing: source text -> AST. Lexical problems (a stray character, an unclosed comment or
// string, #include), unbalanced brackets and syntax errors become diagnostics; the AST is
// returned whenever the grammar accepted the program (possibly with recovered errors).
#pragma once
#include <memory>

#include "frontend/ast.h"
#include "support/diagnostics.h"

namespace mvc {

// Returns null if the program could not be parsed; `diags` says why.
std::unique_ptr<Program> parseProgram(std::shared_ptr<SourceFile> file, Diagnostics& diags);

}  // namespace mvc
