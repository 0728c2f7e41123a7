// Prints the AST as indented text: one statement or declaration per line, expressions fully
// parenthesised so that precedence and associativity are visible. Golden tests compare it.
#pragma once
#include <ostream>
#include <string>

#include "frontend/ast.h"

namespace mvc {

void printAst(const Program& program, std::ostream& out);
std::string exprToString(const Expr& e);
std::string sizedTypeToString(const SizedType& t);

}  // namespace mvc
