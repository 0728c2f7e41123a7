// Typed AST -> IR (the only bridge between the two). The program must have passed semantic
// analysis without errors.
#pragma once
#include <memory>
#include <string>

#include "frontend/ast.h"
#include "ir/ir.h"

namespace mvc {

std::unique_ptr<ir::Module> lowerProgram(const Program& program, const std::string& name);

}  // namespace mvc
