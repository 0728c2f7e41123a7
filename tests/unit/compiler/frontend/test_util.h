// Helpers for frontend tests: run the parser (and checker) on a string.
#pragma once
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "frontend/ast_printer.h"
#include "frontend/parse.h"
#include "frontend/sema.h"

namespace mvc::test {

struct Compiled {
  std::unique_ptr<Program> program;
  std::shared_ptr<SourceFile> file;
  std::unique_ptr<Diagnostics> diags;
  bool ok() const { return program && !diags->hasErrors(); }
  std::string text() const { return diags->renderToString(); }
  std::vector<DiagKind> kinds() const {
    std::vector<DiagKind> k;
    for (const auto& d : diags->all()) k.push_back(d.kind);
    return k;
  }
  bool has(DiagKind k) const {
    for (const auto& d : diags->all())
      if (d.kind == k) return true;
    return false;
  }
};

inline Compiled compile(const std::string& src, bool check = true) {
  Compiled c;
  c.file = std::make_shared<SourceFile>("t.model", src);
  c.diags = std::make_unique<Diagnostics>(c.file);
  c.program = parseProgram(c.file, *c.diags);
  if (c.program && check) checkProgram(*c.program, *c.diags);
  return c;
}

// The printed form of the expression in `target += EXPR;` of a model block.
inline std::string parseExpr(const std::string& expr) {
  Compiled c = compile("model { target += " + expr + "; }", false);
  if (!c.program) return "<parse error: " + c.text() + ">";
  return exprToString(*c.program->block(BlockKind::Model).items.at(0)->rhs);
}

}  // namespace mvc::test
