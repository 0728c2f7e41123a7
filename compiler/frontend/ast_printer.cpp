#include "frontend/ast_printer.h"

#include <sstream>

namespace mvc {
namespace {

std::string indexToString(const Index& ix) {
  switch (ix.kind) {
    case IndexKind::Single: return exprToString(*ix.lo);
    case IndexKind::Range: return exprToString(*ix.lo) + ":" + exprToString(*ix.hi);
    case IndexKind::Lower: return exprToString(*ix.lo) + ":";
    case IndexKind::Upper: return ":" + exprToString(*ix.hi);
    case IndexKind::All: return ":";
    case IndexKind::Omitted: return "";
  }
  return "";
}

std::string list(const std::vector<ExprPtr>& es, size_t from = 0) {
  std::string s;
  for (size_t i = from; i < es.size(); ++i) s += (i > from ? ", " : "") + exprToString(*es[i]);
  return s;
}

class Printer {
 public:
  explicit Printer(std::ostream& out) : out_(out) {}

  void program(const Program& p) {
    out_ << "program\n";
    if (!p.functions.empty() || p.block(BlockKind::Functions).present) {
      line(1, "functions");
      for (const auto& f : p.functions) function(*f, 2);
    }
    for (int b = 1; b < kNumBlocks; ++b) {
      const ProgramBlock& blk = p.blocks[b];
      if (!blk.present) continue;
      line(1, blockName(static_cast<BlockKind>(b)));
      for (const auto& s : blk.items) stmt(*s, 2);
    }
  }

 private:
  void line(int depth, const std::string& text) { out_ << std::string(2 * depth, ' ') << text << "\n"; }

  void function(const FunctionDef& f, int d) {
    std::string s = "function " + f.returnType.str() + " " + f.name + "(";
    for (size_t i = 0; i < f.params.size(); ++i) {
      const Param& p = f.params[i];
      s += (i ? ", " : "") + std::string(p.dataOnly ? "data " : "") + p.type.str() + " " + p.name;
    }
    s += ")";
    if (!f.body) {
      line(d, s + " declared");
      return;
    }
    line(d, s);
    stmt(*f.body, d + 1);
  }

  std::string decl(const VarDecl& v) {
    std::string s = "decl " + sizedTypeToString(v.type) + " " + v.name;
    if (v.init) s += " = " + exprToString(*v.init);
    return s;
  }

  std::string printables(const std::vector<Printable>& ps) {
    std::string s;
    for (size_t i = 0; i < ps.size(); ++i)
      s += (i ? ", " : "") + (ps[i].isString ? ps[i].str : exprToString(*ps[i].expr));
    return s;
  }

  void stmt(const Stmt& s, int d) {
    switch (s.kind) {
      case StmtKind::Decl: line(d, decl(*s.decl)); break;
      case StmtKind::Assign: line(d, "assign " + exprToString(*s.lhs) + " " + s.name + " " + exprToString(*s.rhs)); break;
      case StmtKind::Tilde: {
        std::string t = "tilde " + exprToString(*s.lhs) + " ~ " + s.name + "(" + list(s.args) + ")";
        if (s.hasTruncation)
          t += " T[" + (s.truncLo ? exprToString(*s.truncLo) : "") + ", " + (s.truncHi ? exprToString(*s.truncHi) : "") + "]";
        line(d, t);
        break;
      }
      case StmtKind::TargetPlus: line(d, "target += " + exprToString(*s.rhs)); break;
      case StmtKind::ForRange:
        line(d, "for " + s.name + " in " + exprToString(*s.lo) + ":" + exprToString(*s.hi));
        stmt(*s.body, d + 1);
        break;
      case StmtKind::ForEach:
        line(d, "foreach " + s.name + " in " + exprToString(*s.rhs));
        stmt(*s.body, d + 1);
        break;
      case StmtKind::While:
        line(d, "while " + exprToString(*s.cond));
        stmt(*s.body, d + 1);
        break;
      case StmtKind::If:
        line(d, "if " + exprToString(*s.cond));
        stmt(*s.body, d + 1);
        if (s.elseBody) {
          line(d, "else");
          stmt(*s.elseBody, d + 1);
        }
        break;
      case StmtKind::Break: line(d, "break"); break;
      case StmtKind::Continue: line(d, "continue"); break;
      case StmtKind::Return: line(d, s.rhs ? "return " + exprToString(*s.rhs) : "return"); break;
      case StmtKind::Print: line(d, "print(" + printables(s.printables) + ")"); break;
      case StmtKind::Reject: line(d, "reject(" + printables(s.printables) + ")"); break;
      case StmtKind::FatalError: line(d, "fatal_error(" + printables(s.printables) + ")"); break;
      case StmtKind::Profile:
        line(d, "profile " + s.name);
        stmt(*s.body, d + 1);
        break;
      case StmtKind::Block:
        line(d, "block");
        for (const auto& it : s.items) stmt(*it, d + 1);
        break;
      case StmtKind::CallStmt: line(d, "call " + exprToString(*s.rhs)); break;
      case StmtKind::Empty: line(d, "empty"); break;
    }
  }

  std::ostream& out_;
};

}  // namespace

std::string exprToString(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::RealLit:
    case ExprKind::ImagLit: return e.text;
    case ExprKind::Var: return e.name;
    case ExprKind::Call:
      if (e.conditional) return e.name + "(" + exprToString(*e.args[0]) + " | " + list(e.args, 1) + ")";
      return e.name + "(" + list(e.args) + ")";
    case ExprKind::TargetCall: return "target()";
    case ExprKind::Binary: return "(" + exprToString(*e.args[0]) + " " + e.name + " " + exprToString(*e.args[1]) + ")";
    case ExprKind::Unary: return "(" + e.name + exprToString(*e.args[0]) + ")";
    case ExprKind::Transpose: return exprToString(*e.args[0]) + "'";
    case ExprKind::Ternary:
      return "(" + exprToString(*e.args[0]) + " ? " + exprToString(*e.args[1]) + " : " + exprToString(*e.args[2]) + ")";
    case ExprKind::Index: {
      std::string s = exprToString(*e.args[0]) + "[";
      for (size_t i = 0; i < e.indices.size(); ++i) s += (i ? ", " : "") + indexToString(e.indices[i]);
      return s + "]";
    }
    case ExprKind::ArrayLit: return "{" + list(e.args) + "}";
    case ExprKind::RowVectorLit: return "[" + list(e.args) + "]";
    case ExprKind::Paren: return exprToString(*e.args[0]);
  }
  return "?";
}

std::string sizedTypeToString(const SizedType& t) {
  std::string s;
  if (!t.arrayDims.empty()) s = "array[" + list(t.arrayDims) + "] ";
  s += declBaseName(t.base);
  std::vector<std::string> bounds;
  if (t.lower) bounds.push_back("lower=" + exprToString(*t.lower));
  if (t.upper) bounds.push_back("upper=" + exprToString(*t.upper));
  if (t.offset) bounds.push_back("offset=" + exprToString(*t.offset));
  if (t.multiplier) bounds.push_back("multiplier=" + exprToString(*t.multiplier));
  if (!bounds.empty()) {
    s += "<";
    for (size_t i = 0; i < bounds.size(); ++i) s += (i ? ", " : "") + bounds[i];
    s += ">";
  }
  if (!t.sizes.empty()) s += "[" + list(t.sizes) + "]";
  return s;
}

void printAst(const Program& program, std::ostream& out) { Printer(out).program(program); }

}  // namespace mvc
