// Parse tree -> AST (used only by parse.cpp; the rest of the compiler never sees the parse tree).
#pragma once
#include <memory>

#include "StanParser.h"
#include "frontend/ast.h"
#include "support/diagnostics.h"

namespace mvc {

std::unique_ptr<Program> buildAst(grammar::StanParser::ProgramContext* tree, std::shared_ptr<SourceFile> file,
                                  Diagnostics& diags);

}  // namespace mvc
