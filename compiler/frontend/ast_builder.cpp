// Parse tree -> AST. The only file that knows the shape of the generated parse tree.
// It also enforces what the grammar leaves open on purpose so that the message can be
// specific: block order and repetition, the removed '<-' operator, and the old array syntax
// (accepted, with a warning).
#include "frontend/ast_builder.h"

#include <cerrno>
#include <cstdlib>

namespace mvc {
namespace {
using P = grammar::StanParser;

class Builder {
 public:
  Builder(std::shared_ptr<SourceFile> file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  std::unique_ptr<Program> program(P::ProgramContext* ctx) {
    auto prog = std::make_unique<Program>();
    prog->file = file_;
    int lastBlock = -1;
    for (auto* pb : ctx->programBlock()) {
      BlockKind kind;
      antlr4::ParserRuleContext* header;
      std::vector<P::BlockItemContext*> items;
      std::vector<P::VarDeclContext*> decls;
      if (auto* b = pb->functionsBlock()) {
        kind = BlockKind::Functions, header = b;
      } else if (auto* b = pb->dataBlock()) {
        kind = BlockKind::Data, header = b, decls = b->varDecl();
      } else if (auto* b = pb->transformedDataBlock()) {
        kind = BlockKind::TransformedData, header = b, items = b->blockItem();
      } else if (auto* b = pb->parametersBlock()) {
        kind = BlockKind::Parameters, header = b, decls = b->varDecl();
      } else if (auto* b = pb->transformedParametersBlock()) {
        kind = BlockKind::TransformedParameters, header = b, items = b->blockItem();
      } else if (auto* b = pb->modelBlock()) {
        kind = BlockKind::Model, header = b, items = b->blockItem();
      } else {
        auto* g = pb->generatedQuantitiesBlock();
        kind = BlockKind::GeneratedQuantities, header = g, items = g->blockItem();
      }
      SourceRange headerRange = keywordRange(header);
      ProgramBlock& block = prog->block(kind);
      int k = static_cast<int>(kind);
      if (block.present) {
        diags_.report(DiagKind::DuplicateBlock, headerRange,
                      std::string("the ") + blockName(kind) + " block appears twice; merge the two into one");
        diags_.note(block.range, "first given here");
        continue;
      }
      if (k < lastBlock) {
        diags_.report(DiagKind::BlockOrder, headerRange,
                      std::string("the ") + blockName(kind) + " block must come before the " +
                          blockName(static_cast<BlockKind>(lastBlock)) +
                          " block; the order is: functions, data, transformed data, parameters, "
                          "transformed parameters, model, generated quantities");
      }
      lastBlock = std::max(lastBlock, k);
      block.present = true;
      block.range = headerRange;
      currentBlock_ = kind;
      if (kind == BlockKind::Functions) {
        for (auto* f : pb->functionsBlock()->functionDef()) prog->functions.push_back(functionDef(f));
      }
      for (auto* d : decls) block.items.push_back(declStmt(d, true));
      for (auto* it : items) block.items.push_back(blockItem(it, true));
    }
    return prog;
  }

 private:
  // ---------------------------------------------------------------- ranges
  SourceRange range(antlr4::ParserRuleContext* ctx) const {
    SourceRange r;
    const antlr4::Token* a = ctx->getStart();
    const antlr4::Token* b = ctx->getStop();
    r.begin = loc(a);
    if (!b || b->getTokenIndex() < a->getTokenIndex()) b = a;
    r.end = loc(b);
    std::string text = b->getText();
    r.end.column += text.empty() ? 0 : static_cast<int>(text.size()) - 1;
    r.end.offset += text.empty() ? 0 : text.size() - 1;
    return r;
  }
  SourceRange range(antlr4::tree::TerminalNode* node) const { return tokenRange(node->getSymbol()); }
  SourceRange tokenRange(const antlr4::Token* t) const {
    SourceRange r{loc(t), loc(t)};
    r.end.column += static_cast<int>(t->getText().size()) - 1;
    return r;
  }
  static SourceLoc loc(const antlr4::Token* t) {
    SourceLoc l;
    l.line = static_cast<int>(t->getLine());
    l.column = static_cast<int>(t->getCharPositionInLine()) + 1;
    l.offset = t->getStartIndex();
    return l;
  }
  // "transformed parameters" as a range, without the block's body
  SourceRange keywordRange(antlr4::ParserRuleContext* block) const {
    auto* first = dynamic_cast<antlr4::tree::TerminalNode*>(block->children.at(0));
    size_t n = 1;
    while (n < block->children.size() && block->children[n]->getText() != "{") ++n;
    auto* last = dynamic_cast<antlr4::tree::TerminalNode*>(block->children.at(n - 1));
    SourceRange r = tokenRange(first->getSymbol());
    r.end = tokenRange(last->getSymbol()).end;
    return r;
  }

  // ---------------------------------------------------------------- functions
  std::unique_ptr<FunctionDef> functionDef(P::FunctionDefContext* ctx) {
    auto f = std::make_unique<FunctionDef>();
    f->name = ctx->identifier()->getText();
    f->range = range(ctx);
    f->nameRange = range(ctx->identifier());
    if (ctx->returnType()->VOID()) {
      f->returnType = Type::voidType();
    } else {
      f->returnType = unsizedType(ctx->returnType()->unsizedType(), &f->oldArraySyntax);
    }
    for (auto* p : ctx->param()) {
      Param param;
      param.name = p->identifier()->getText();
      param.range = range(p);
      param.dataOnly = p->DATA() != nullptr;
      param.type = unsizedType(p->unsizedType(), &param.oldArraySyntax);
      if (p->rangeConstraint()) {
        diags_.report(DiagKind::ConstraintNotAllowed, range(p->rangeConstraint()),
                      "function argument '" + param.name +
                          "' cannot have a constraint; declare it without one and check the value in the body "
                          "(for example with reject())");
      }
      f->params.push_back(std::move(param));
    }
    if (ctx->block()) f->body = block(ctx->block());
    return f;
  }

  Type unsizedType(P::UnsizedTypeContext* ctx, bool* old) {
    ElemType elem = ElemType::Error;
    int dims = 0;
    P::ElementTypeContext* et = nullptr;
    if (auto* n = dynamic_cast<P::NewUnsizedTypeContext*>(ctx)) {
      et = n->elementType();
      dims = static_cast<int>(n->commas.size()) + 1;
    } else if (auto* o = dynamic_cast<P::OldUnsizedTypeContext*>(ctx)) {
      et = o->elementType();
      dims = static_cast<int>(o->commas.size()) + 1;
      *old = true;
      std::string elemText = et->getText();
      diags_.report(DiagKind::OldArraySyntax, range(ctx),
                    "old array syntax '" + ctx->getText() + "'; write 'array[" + std::string(dims - 1, ',') + "] " +
                        elemText + "' instead (the old form is removed in Stan 2.33)");
    } else {
      et = dynamic_cast<P::ScalarUnsizedTypeContext*>(ctx)->elementType();
    }
    if (et->INT()) elem = ElemType::Int;
    else if (et->REAL()) elem = ElemType::Real;
    else if (et->COMPLEX()) elem = ElemType::Complex;
    else if (et->VECTOR()) elem = ElemType::Vector;
    else if (et->ROW_VECTOR()) elem = ElemType::RowVector;
    else elem = ElemType::Matrix;
    return Type{elem, dims};
  }

  // ---------------------------------------------------------------- declarations
  StmtPtr declStmt(P::VarDeclContext* ctx, bool topLevel) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Decl;
    s->range = range(ctx);
    auto d = std::make_unique<VarDecl>();
    d->name = ctx->identifier()->getText();
    d->range = s->range;
    d->nameRange = range(ctx->identifier());
    d->topLevel = topLevel;
    d->origin = topLevel ? topLevelOrigin() : Origin::Local;
    declType(ctx->declType(), d->type);
    if (ctx->arrayDims()) {
      for (auto* e : ctx->arrayDims()->expression()) d->type.arrayDims.push_back(expr(e));
    }
    if (ctx->oldDims) {
      d->oldArraySyntax = true;
      if (ctx->arrayDims()) {
        diags_.report(DiagKind::SyntaxError, range(ctx->oldDims),
                      "'" + d->name + "' has array sizes both before the type ('array[...]') and after the name; "
                      "give them once, in 'array[...]'");
      } else {
        std::string sizes = ctx->oldDims->getText();
        diags_.report(DiagKind::OldArraySyntax, range(ctx->oldDims),
                      "old array syntax: write 'array" + sizes + " " + ctx->declType()->getText() + " " + d->name +
                          "' instead of '" + ctx->declType()->getText() + " " + d->name + sizes +
                          "' (the old form is removed in Stan 2.33)");
      }
      for (auto* e : ctx->oldDims->expression()) d->type.arrayDims.push_back(expr(e));
    }
    if (ctx->expression()) d->init = expr(ctx->expression());
    s->decl = std::move(d);
    return s;
  }

  Origin topLevelOrigin() const {
    switch (currentBlock_) {
      case BlockKind::Data: return Origin::Data;
      case BlockKind::TransformedData: return Origin::TransformedData;
      case BlockKind::Parameters: return Origin::Parameter;
      case BlockKind::TransformedParameters: return Origin::TransformedParameter;
      case BlockKind::Model: return Origin::ModelLocal;
      case BlockKind::GeneratedQuantities: return Origin::GeneratedQuantity;
      case BlockKind::Functions: return Origin::Local;
    }
    return Origin::Local;
  }

  void declType(P::DeclTypeContext* ctx, SizedType& t) {
    P::RangeConstraintContext* rc = nullptr;
    if (auto* s = dynamic_cast<P::ScalarDeclTypeContext*>(ctx)) {
      t.base = s->INT() ? DeclBase::Int : DeclBase::Real;
      rc = s->rangeConstraint();
    } else if (auto* v = dynamic_cast<P::VectorDeclTypeContext*>(ctx)) {
      t.base = v->VECTOR() ? DeclBase::Vector : DeclBase::RowVector;
      t.sizes.push_back(expr(v->expression()));
      rc = v->rangeConstraint();
    } else if (auto* m = dynamic_cast<P::MatrixDeclTypeContext*>(ctx)) {
      t.base = DeclBase::Matrix;
      for (auto* e : m->expression()) t.sizes.push_back(expr(e));
      rc = m->rangeConstraint();
    } else if (auto* c = dynamic_cast<P::ConstrainedDeclTypeContext*>(ctx)) {
      switch (c->kind->getType()) {
        case P::SIMPLEX: t.base = DeclBase::Simplex; break;
        case P::UNIT_VECTOR: t.base = DeclBase::UnitVector; break;
        case P::ORDERED: t.base = DeclBase::Ordered; break;
        case P::POSITIVE_ORDERED: t.base = DeclBase::PositiveOrdered; break;
        case P::CHOLESKY_FACTOR_CORR: t.base = DeclBase::CholeskyFactorCorr; break;
        case P::CORR_MATRIX: t.base = DeclBase::CorrMatrix; break;
        default: t.base = DeclBase::CovMatrix; break;
      }
      t.sizes.push_back(expr(c->expression()));
    } else if (auto* cc = dynamic_cast<P::CholeskyCovDeclTypeContext*>(ctx)) {
      t.base = DeclBase::CholeskyFactorCov;
      for (auto* e : cc->expression()) t.sizes.push_back(expr(e));
    } else {
      t.base = DeclBase::Complex;
    }
    if (!rc) return;
    t.constraintRange = range(rc);
    for (auto* b : rc->rangeBound()) {
      ExprPtr* slot = nullptr;
      const char* which = "";
      switch (b->kind->getType()) {
        case P::LOWER: slot = &t.lower, which = "lower"; break;
        case P::UPPER: slot = &t.upper, which = "upper"; break;
        case P::OFFSET: slot = &t.offset, which = "offset"; break;
        default: slot = &t.multiplier, which = "multiplier"; break;
      }
      if (*slot) {
        diags_.report(DiagKind::SyntaxError, range(b), std::string("'") + which + "' is given twice");
        continue;
      }
      *slot = arith(b->constraintExpression()->arith());
    }
    if ((t.lower || t.upper) && (t.offset || t.multiplier)) {
      diags_.report(DiagKind::SyntaxError, t.constraintRange,
                    "a declaration can have <lower, upper> or <offset, multiplier>, not both");
    }
  }

  // ---------------------------------------------------------------- statements
  StmtPtr blockItem(P::BlockItemContext* ctx, bool topLevel) {
    if (ctx->varDecl()) return declStmt(ctx->varDecl(), topLevel && currentBlock_ != BlockKind::Model);
    return stmt(ctx->statement());
  }

  StmtPtr block(P::BlockContext* ctx) {
    auto s = make(StmtKind::Block, ctx);
    for (auto* it : ctx->blockItem()) s->items.push_back(blockItem(it, false));
    return s;
  }

  StmtPtr make(StmtKind kind, antlr4::ParserRuleContext* ctx) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->range = range(ctx);
    return s;
  }

  void printables(const std::vector<P::PrintableContext*>& ps, Stmt& s) {
    for (auto* p : ps) {
      Printable pr;
      pr.range = range(p);
      if (p->STRING()) {
        pr.isString = true;
        pr.str = p->STRING()->getText();
      } else {
        pr.expr = expr(p->expression());
      }
      s.printables.push_back(std::move(pr));
    }
  }

  StmtPtr stmt(P::StatementContext* ctx) {
    if (auto* a = dynamic_cast<P::AssignStmtContext*>(ctx)) {
      auto s = make(StmtKind::Assign, ctx);
      s->lhs = lvalue(a->lvalue());
      s->name = a->op->getText();
      s->rhs = expr(a->expression());
      return s;
    }
    if (auto* a = dynamic_cast<P::OldAssignStmtContext*>(ctx)) {
      diags_.report(DiagKind::OldAssignment, range(ctx),
                    "the '<-' assignment operator was removed from Stan; write '=' instead");
      auto s = make(StmtKind::Assign, ctx);
      s->lhs = lvalue(a->lvalue());
      s->name = "=";
      s->rhs = expr(a->expression());
      return s;
    }
    if (auto* t = dynamic_cast<P::TildeStmtContext*>(ctx)) {
      auto s = make(StmtKind::Tilde, ctx);
      s->lhs = expr(t->expression());
      s->name = t->identifier()->getText();
      s->nameRange = range(t->identifier());
      if (t->expressionList())
        for (auto* e : t->expressionList()->expression()) s->args.push_back(expr(e));
      if (auto* tr = t->truncation()) {
        s->hasTruncation = true;
        if (tr->lo) s->truncLo = expr(tr->lo);
        if (tr->hi) s->truncHi = expr(tr->hi);
      }
      return s;
    }
    if (auto* t = dynamic_cast<P::TargetStmtContext*>(ctx)) {
      auto s = make(StmtKind::TargetPlus, ctx);
      s->rhs = expr(t->expression());
      return s;
    }
    if (auto* f = dynamic_cast<P::ForRangeStmtContext*>(ctx)) {
      auto s = make(StmtKind::ForRange, ctx);
      s->name = f->identifier()->getText();
      s->nameRange = range(f->identifier());
      s->lo = expr(f->expression(0));
      s->hi = expr(f->expression(1));
      s->body = stmt(f->statement());
      return s;
    }
    if (auto* f = dynamic_cast<P::ForEachStmtContext*>(ctx)) {
      auto s = make(StmtKind::ForEach, ctx);
      s->name = f->identifier()->getText();
      s->nameRange = range(f->identifier());
      s->rhs = expr(f->expression());
      s->body = stmt(f->statement());
      return s;
    }
    if (auto* w = dynamic_cast<P::WhileStmtContext*>(ctx)) {
      auto s = make(StmtKind::While, ctx);
      s->cond = expr(w->expression());
      s->body = stmt(w->statement());
      return s;
    }
    if (auto* i = dynamic_cast<P::IfStmtContext*>(ctx)) {
      auto s = make(StmtKind::If, ctx);
      s->cond = expr(i->expression());
      s->body = stmt(i->statement(0));
      if (i->statement().size() > 1) s->elseBody = stmt(i->statement(1));
      return s;
    }
    if (dynamic_cast<P::BreakStmtContext*>(ctx)) return make(StmtKind::Break, ctx);
    if (dynamic_cast<P::ContinueStmtContext*>(ctx)) return make(StmtKind::Continue, ctx);
    if (auto* r = dynamic_cast<P::ReturnStmtContext*>(ctx)) {
      auto s = make(StmtKind::Return, ctx);
      if (r->expression()) s->rhs = expr(r->expression());
      return s;
    }
    if (auto* p = dynamic_cast<P::PrintStmtContext*>(ctx)) {
      auto s = make(StmtKind::Print, ctx);
      printables(p->printable(), *s);
      return s;
    }
    if (auto* p = dynamic_cast<P::RejectStmtContext*>(ctx)) {
      auto s = make(StmtKind::Reject, ctx);
      printables(p->printable(), *s);
      return s;
    }
    if (auto* p = dynamic_cast<P::FatalErrorStmtContext*>(ctx)) {
      auto s = make(StmtKind::FatalError, ctx);
      printables(p->printable(), *s);
      return s;
    }
    if (auto* p = dynamic_cast<P::ProfileStmtContext*>(ctx)) {
      auto s = make(StmtKind::Profile, ctx);
      s->name = p->STRING()->getText();
      s->body = block(p->block());
      return s;
    }
    if (auto* b = dynamic_cast<P::BlockStmtContext*>(ctx)) return block(b->block());
    if (auto* c = dynamic_cast<P::CallStmtContext*>(ctx)) {
      auto s = make(StmtKind::CallStmt, ctx);
      auto call = std::make_unique<Expr>();
      call->kind = ExprKind::Call;
      call->range = s->range;
      call->range.end.column -= 1;  // without the ';'
      call->name = c->identifier()->getText();
      if (c->expressionList())
        for (auto* e : c->expressionList()->expression()) call->args.push_back(expr(e));
      s->rhs = std::move(call);
      return s;
    }
    return make(StmtKind::Empty, ctx);
  }

  ExprPtr lvalue(P::LvalueContext* ctx) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::Var;
    e->name = ctx->identifier()->getText();
    e->range = range(ctx->identifier());
    // a[i][j] is nested Index nodes, as in an expression
    for (auto* il : ctx->indexList()) {
      auto ix = std::make_unique<Expr>();
      ix->kind = ExprKind::Index;
      ix->range = e->range;
      ix->range.end = range(il).end;
      ix->range.end.column += 1;  // the ']'
      ix->args.push_back(std::move(e));
      indexList(il, *ix);
      e = std::move(ix);
    }
    e->range = range(ctx);
    return e;
  }

  // ---------------------------------------------------------------- expressions
  ExprPtr node(ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->range = range(ctx);
    return e;
  }

  ExprPtr binary(antlr4::ParserRuleContext* ctx, const std::string& op, ExprPtr a, ExprPtr b) {
    auto e = node(ExprKind::Binary, ctx);
    e->name = op;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  ExprPtr expr(P::ExpressionContext* ctx) {
    if (auto* a = dynamic_cast<P::ArithExprContext*>(ctx)) return arith(a->arith());
    if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx))
      return binary(ctx, c->op->getText(), expr(c->expression(0)), expr(c->expression(1)));
    if (auto* c = dynamic_cast<P::EqualityExprContext*>(ctx))
      return binary(ctx, c->op->getText(), expr(c->expression(0)), expr(c->expression(1)));
    if (auto* c = dynamic_cast<P::AndExprContext*>(ctx))
      return binary(ctx, "&&", expr(c->expression(0)), expr(c->expression(1)));
    if (auto* c = dynamic_cast<P::OrExprContext*>(ctx))
      return binary(ctx, "||", expr(c->expression(0)), expr(c->expression(1)));
    auto* t = dynamic_cast<P::TernaryExprContext*>(ctx);
    auto e = node(ExprKind::Ternary, ctx);
    for (int i = 0; i < 3; ++i) e->args.push_back(expr(t->expression(i)));
    return e;
  }

  ExprPtr arith(P::ArithContext* ctx) {
    if (auto* p = dynamic_cast<P::PrimaryExprContext*>(ctx)) return primary(p->primary());
    if (auto* i = dynamic_cast<P::IndexExprContext*>(ctx)) {
      auto e = node(ExprKind::Index, ctx);
      e->args.push_back(arith(i->arith()));
      indexList(i->indexList(), *e);
      return e;
    }
    if (auto* t = dynamic_cast<P::TransposeExprContext*>(ctx)) {
      auto e = node(ExprKind::Transpose, ctx);
      e->args.push_back(arith(t->arith()));
      return e;
    }
    if (auto* u = dynamic_cast<P::UnaryExprContext*>(ctx)) {
      auto e = node(ExprKind::Unary, ctx);
      e->name = u->op->getText();
      e->args.push_back(arith(u->arith()));
      return e;
    }
    if (auto* b = dynamic_cast<P::PowExprContext*>(ctx))
      return binary(ctx, b->op->getText(), arith(b->arith(0)), arith(b->arith(1)));
    if (auto* b = dynamic_cast<P::ElementwiseExprContext*>(ctx))
      return binary(ctx, b->op->getText(), arith(b->arith(0)), arith(b->arith(1)));
    if (auto* b = dynamic_cast<P::LeftDivExprContext*>(ctx))
      return binary(ctx, "\\", arith(b->arith(0)), arith(b->arith(1)));
    if (auto* b = dynamic_cast<P::MulExprContext*>(ctx))
      return binary(ctx, b->op->getText(), arith(b->arith(0)), arith(b->arith(1)));
    auto* b = dynamic_cast<P::AddExprContext*>(ctx);
    return binary(ctx, b->op->getText(), arith(b->arith(0)), arith(b->arith(1)));
  }

  void exprList(P::ExpressionListContext* ctx, std::vector<ExprPtr>& out) {
    if (!ctx) return;
    for (auto* e : ctx->expression()) out.push_back(expr(e));
  }

  ExprPtr primary(P::PrimaryContext* ctx) {
    if (auto* i = dynamic_cast<P::IntLitContext*>(ctx)) {
      auto e = node(ExprKind::IntLit, ctx);
      e->text = i->getText();
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(e->text.c_str(), &end, 10);
      if (errno == ERANGE || v > 2147483647LL) {
        diags_.report(DiagKind::TypeMismatch, e->range,
                      "the integer " + e->text + " is too large for int (at most 2147483647); write it as a real, e.g. " +
                          e->text + ".0");
      }
      e->intValue = v;
      return e;
    }
    if (auto* r = dynamic_cast<P::RealLitContext*>(ctx)) {
      auto e = node(ExprKind::RealLit, ctx);
      e->text = r->getText();
      e->realValue = std::strtod(e->text.c_str(), nullptr);
      return e;
    }
    if (auto* im = dynamic_cast<P::ImagLitContext*>(ctx)) {
      auto e = node(ExprKind::ImagLit, ctx);
      e->text = im->getText();
      return e;
    }
    if (auto* c = dynamic_cast<P::CallContext*>(ctx)) {
      auto e = node(ExprKind::Call, ctx);
      e->name = c->identifier()->getText();
      exprList(c->expressionList(), e->args);
      return e;
    }
    if (auto* c = dynamic_cast<P::CondCallContext*>(ctx)) {
      auto e = node(ExprKind::Call, ctx);
      e->name = c->identifier()->getText();
      e->conditional = true;
      e->args.push_back(expr(c->expression()));
      exprList(c->expressionList(), e->args);
      return e;
    }
    if (dynamic_cast<P::TargetCallContext*>(ctx)) return node(ExprKind::TargetCall, ctx);
    if (auto* v = dynamic_cast<P::VarContext*>(ctx)) {
      auto e = node(ExprKind::Var, ctx);
      e->name = v->identifier()->getText();
      return e;
    }
    if (auto* p = dynamic_cast<P::ParenContext*>(ctx)) {
      auto e = node(ExprKind::Paren, ctx);
      e->args.push_back(expr(p->expression()));
      return e;
    }
    if (auto* a = dynamic_cast<P::ArrayLitContext*>(ctx)) {
      auto e = node(ExprKind::ArrayLit, ctx);
      exprList(a->expressionList(), e->args);
      return e;
    }
    auto* rv = dynamic_cast<P::RowVectorLitContext*>(ctx);
    auto e = node(ExprKind::RowVectorLit, ctx);
    exprList(rv->expressionList(), e->args);
    return e;
  }

  void indexList(P::IndexListContext* ctx, Expr& e) {
    for (auto* ic : ctx->index()) {
      Index ix;
      if (auto* r = dynamic_cast<P::RangeIndexContext*>(ic)) {
        ix.kind = IndexKind::Range, ix.lo = expr(r->lo), ix.hi = expr(r->hi);
      } else if (auto* l = dynamic_cast<P::LowerIndexContext*>(ic)) {
        ix.kind = IndexKind::Lower, ix.lo = expr(l->lo);
      } else if (auto* u = dynamic_cast<P::UpperIndexContext*>(ic)) {
        ix.kind = IndexKind::Upper, ix.hi = expr(u->hi);
      } else if (dynamic_cast<P::AllIndexContext*>(ic)) {
        ix.kind = IndexKind::All;
      } else if (auto* s = dynamic_cast<P::SingleIndexContext*>(ic)) {
        ix.kind = IndexKind::Single, ix.lo = expr(s->expression());
      } else {
        ix.kind = IndexKind::Omitted;
      }
      ix.range = ix.kind == IndexKind::Omitted ? e.range : range(ic);
      e.indices.push_back(std::move(ix));
    }
  }

  std::shared_ptr<SourceFile> file_;
  Diagnostics& diags_;
  BlockKind currentBlock_ = BlockKind::Functions;
};

}  // namespace

std::unique_ptr<Program> buildAst(grammar::StanParser::ProgramContext* tree, std::shared_ptr<SourceFile> file,
                                  Diagnostics& diags) {
  return Builder(std::move(file), diags).program(tree);
}

}  // namespace mvc
