// The abstract syntax tree. Every node has a SourceRange. Nodes are plain structs with a kind
// tag (rather than a class per node) so that the printer, the checker and the lowering each
// stay a single readable switch. Fields that semantic analysis fills in are marked "sema".
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "frontend/types.h"
#include "support/source.h"

namespace mvc {

struct Expr;
struct Stmt;
struct VarDecl;
struct FunctionDef;
struct Signature;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

// ------------------------------------------------------------------ expressions
enum class IndexKind { Single, Range, Lower, Upper, All, Omitted };

struct Index {
  IndexKind kind = IndexKind::Single;
  ExprPtr lo, hi;  // Single uses lo
  SourceRange range;
  // sema: a Single index whose expression is an int array is a multi-index
  bool isMulti() const;
};

enum class ExprKind {
  IntLit,      // text, intValue
  RealLit,     // text, realValue
  ImagLit,     // text
  Var,         // name
  Call,        // name, args; conditional: f(a | b, c)
  TargetCall,  // target()
  Binary,      // op, args[0], args[1]
  Unary,       // op, args[0]
  Transpose,   // args[0]
  Ternary,     // args[0] ? args[1] : args[2]
  Index,       // args[0] [indices]
  ArrayLit,    // { args }
  RowVectorLit,  // [ args ]
  Paren,       // ( args[0] ) -- kept so the printer can show what was written
};

// Where a variable's value comes from; decides what may be assigned where and which
// expressions are data-only.
enum class Origin {
  Data,
  TransformedData,
  Parameter,
  TransformedParameter,
  ModelLocal,
  GeneratedQuantity,
  FunctionArg,
  LoopVar,
  Local,  // a local variable inside a nested block of any program block
};
const char* originName(Origin o);

struct Expr {
  ExprKind kind;
  SourceRange range;
  std::string name;  // Var/Call: identifier; Binary/Unary: operator spelling
  std::string text;  // literal as written
  int64_t intValue = 0;
  double realValue = 0;
  bool conditional = false;  // Call written with '|'
  std::vector<ExprPtr> args;
  std::vector<Index> indices;

  // sema
  Type type = Type::error();
  bool isData = false;  // depends only on data (no parameter), as Stan's "data only"
  const VarDecl* decl = nullptr;          // Var: the declaration it refers to
  const Signature* signature = nullptr;   // Call/Binary/Unary: the resolved built-in
  const FunctionDef* userFunction = nullptr;  // Call: the resolved user-defined function
};

// ------------------------------------------------------------------ declarations
enum class DeclBase {
  Int, Real, Complex, Vector, RowVector, Matrix,
  Simplex, UnitVector, Ordered, PositiveOrdered,
  CholeskyFactorCorr, CholeskyFactorCov, CorrMatrix, CovMatrix,
};
const char* declBaseName(DeclBase b);

struct SizedType {
  DeclBase base = DeclBase::Real;
  std::vector<ExprPtr> arrayDims;  // array[...] sizes, outermost first
  std::vector<ExprPtr> sizes;      // vector[N] -> {N}; matrix[M, N] -> {M, N}
  ExprPtr lower, upper, offset, multiplier;
  SourceRange constraintRange;  // of <...>, if any
  bool hasConstraint() const;
  Type type() const;  // unsized type
};

struct VarDecl {
  std::string name;
  SourceRange range;      // whole declaration
  SourceRange nameRange;
  SizedType type;
  ExprPtr init;
  Origin origin = Origin::Local;
  bool oldArraySyntax = false;
  bool topLevel = false;  // declared directly in a program block

  // sema
  Type vtype = Type::error();  // the unsized type
  bool dataOnly = false;       // its value never depends on parameters
};

// ------------------------------------------------------------------ statements
enum class StmtKind {
  Decl,        // decl
  Assign,      // lhs (Var/Index expr), name = operator ("=", "+=", ...), rhs
  Tilde,       // lhs, name = distribution, args, truncLo/truncHi (hasTruncation)
  TargetPlus,  // rhs
  ForRange,    // name = loop variable, lo, hi, body
  ForEach,     // name = loop variable, rhs = collection, body
  While,       // cond, body
  If,          // cond, body, elseBody
  Break,
  Continue,
  Return,      // rhs (may be null)
  Print,       // printables
  Reject,      // printables
  FatalError,  // printables
  Profile,     // name = profile name, body
  Block,       // items
  CallStmt,    // rhs: the Call expression
  Empty,
};

struct Printable {
  bool isString = false;
  std::string str;  // the literal with its quotes
  ExprPtr expr;
  SourceRange range;
};

struct Stmt {
  StmtKind kind;
  SourceRange range;
  std::string name;
  std::unique_ptr<VarDecl> decl;
  ExprPtr lhs, rhs, cond, lo, hi, truncLo, truncHi;
  bool hasTruncation = false;
  std::vector<ExprPtr> args;
  StmtPtr body, elseBody;
  std::vector<StmtPtr> items;
  std::vector<Printable> printables;
  SourceRange nameRange;  // loop variable, distribution name

  // sema
  const Signature* signature = nullptr;       // Tilde: the resolved built-in density
  const FunctionDef* userFunction = nullptr;  // Tilde: the resolved user-defined density
  const VarDecl* loopVar = nullptr;           // For*: synthesized declaration of the loop variable
  std::unique_ptr<VarDecl> loopVarDecl;
};

// ------------------------------------------------------------------ functions and program
struct Param {
  std::string name;
  SourceRange range;
  Type type;
  bool dataOnly = false;
  bool oldArraySyntax = false;
  std::unique_ptr<VarDecl> decl;  // sema: so that uses resolve like variables
};

struct FunctionDef {
  std::string name;
  SourceRange range, nameRange;
  Type returnType;  // Void for void functions
  bool oldArraySyntax = false;
  std::vector<Param> params;
  StmtPtr body;  // null for a forward declaration
  // sema: the definition that a forward declaration refers to (or itself)
  const FunctionDef* definition = nullptr;
};

enum class BlockKind { Functions, Data, TransformedData, Parameters, TransformedParameters, Model, GeneratedQuantities };
const char* blockName(BlockKind b);
constexpr int kNumBlocks = 7;

struct ProgramBlock {
  bool present = false;
  SourceRange range;            // of the block keyword(s)
  std::vector<StmtPtr> items;   // declarations (StmtKind::Decl) and statements
};

struct Program {
  std::shared_ptr<SourceFile> file;
  std::vector<std::unique_ptr<FunctionDef>> functions;
  ProgramBlock blocks[kNumBlocks];
  ProgramBlock& block(BlockKind b) { return blocks[static_cast<int>(b)]; }
  const ProgramBlock& block(BlockKind b) const { return blocks[static_cast<int>(b)]; }
};

}  // namespace mvc
