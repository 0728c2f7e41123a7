// Entry point of semantic analysis: the program blocks in order, with one global scope that
// grows block by block (data, transformed data, parameters, transformed parameters, generated
// quantities); the model block's variables are local to it.
#include "frontend/sema.h"

#include "frontend/sema/checker.h"

namespace mvc {

Checker::Checker(Program& program, Diagnostics& diags)
    : program_(program), diags_(diags), builtins_(SignatureTable::builtins()) {}

bool Checker::rngAllowed() const {
  if (function_) return endsWith(function_->name, "_rng");
  return block_ == BlockKind::TransformedData || block_ == BlockKind::GeneratedQuantities;
}

bool Checker::targetAllowed() const {
  if (function_) return endsWith(function_->name, "_lp");
  return block_ == BlockKind::Model;
}

const char* Checker::contextName() const {
  if (function_) return "this function";
  switch (block_) {
    case BlockKind::Functions: return "the functions block";
    case BlockKind::Data: return "the data block";
    case BlockKind::TransformedData: return "the transformed data block";
    case BlockKind::Parameters: return "the parameters block";
    case BlockKind::TransformedParameters: return "the transformed parameters block";
    case BlockKind::Model: return "the model block";
    case BlockKind::GeneratedQuantities: return "the generated quantities block";
  }
  return "this block";
}

bool Checker::run() {
  for (auto& b : program_.blocks)
    for (auto& s : b.items)
      if (s->kind == StmtKind::Decl && s->decl->topLevel) allTopLevel_.emplace(s->decl->name, s->decl.get());

  collectFunctions();
  checkFunctionBodies();

  scopes_.push();  // the program's global scope
  for (int b = 1; b < kNumBlocks; ++b) {
    block_ = static_cast<BlockKind>(b);
    ProgramBlock& blk = program_.blocks[b];
    if (block_ == BlockKind::Model) {
      ScopeGuard local(scopes_);
      checkStmts(blk.items);
    } else {
      checkStmts(blk.items);
    }
  }
  scopes_.pop();
  return !diags_.hasErrors();
}

bool checkProgram(Program& program, Diagnostics& diags) { return Checker(program, diags).run(); }

}  // namespace mvc
