// The typed graph IR (DESIGN.md section 4).
//
// A Module has one region per stage of the model's life (construction from data, parameter
// transforms, the log density, generated quantities) and the user-defined functions. A region
// is a list of nodes in SSA form: each node has an op from ops.def, input values (the nodes
// that computed them), attributes, a result type with a symbolic shape, a role, and the source
// range it came from. Control flow is structured: loops and conditionals own nested regions,
// so loops the user wrote stay loops. Mutable program variables are `var` nodes read by `load`
// and written by `store`; everything else is a pure value.
//
// Printed form (see printer.cpp), one line per node:
//   %4 : vector[N] = call operator+(real, vector) %2, %3    @12:21  [model]
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "frontend/types.h"
#include "support/source.h"

namespace mvc {
struct Signature;
}

namespace mvc::ir {

enum class Op {
#define OP(kind, mnemonic, purity, regions, meaning) kind,
#include "ir/ops.def"
#undef OP
};

struct OpInfo {
  Op op;
  const char* mnemonic;
  bool pure;
  int regions;
  const char* meaning;
};
const std::vector<OpInfo>& allOps();
const OpInfo& opInfo(Op op);

struct Node;

// One dimension of a shape: a constant, a value computed earlier (a data size such as N, or
// N - 1), or unknown until run time.
struct Dim {
  enum Kind { Unknown, Const, Value } kind = Unknown;
  int64_t constant = 0;
  const Node* value = nullptr;
  static Dim of(int64_t c) { return {Const, c, nullptr}; }
  static Dim of(const Node* n) { return {Value, 0, n}; }
  bool operator==(const Dim& o) const { return kind == o.kind && constant == o.constant && value == o.value; }
};

// A type with its shape: array dimensions, then rows (vector, matrix) and columns (row_vector,
// matrix).
struct IrType {
  Type base;               // element type and array depth, as in the frontend
  std::vector<Dim> dims;   // array dims, then rows/cols; may be empty when unknown
  static IrType unsized(Type t) { return {t, {}}; }
  bool operator==(const IrType& o) const { return base == o.base && dims == o.dims; }
};

// Which stage computes a node, decided by data dependence (hoisting moves data-only work to
// construction).
enum class Role { Data, TransformedData, Parameter, TransformedParameter, Model, GeneratedQuantity, Function };
const char* roleName(Role r);

// How each index operand of an Index/StoreIndex node is used: one letter per index position.
//   s single (1 operand), r range a:b (2), l lower a: (1), u upper :b (1), a all ':' or omitted (0),
//   m multi (an int array, 1)
using IndexKinds = std::string;

struct Region;

struct Node {
  int id = -1;
  Op op;
  IrType type;
  Role role = Role::Model;
  SourceRange range;
  std::vector<Node*> inputs;
  std::vector<std::unique_ptr<Region>> regions;
  Region* parent = nullptr;
  // attributes
  int64_t i = 0;
  double d = 0;
  std::string s;
  const Signature* sig = nullptr;
  std::string transform;  // Param/Check: "lower", "simplex", ... ("" when unconstrained)

  bool pure() const { return opInfo(op).pure; }
  bool hasValue() const;  // produces a value other nodes may use
};

struct Region {
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<Node*> args;  // loop index / function arguments (Arg nodes owned by `argNodes`)
  std::vector<std::unique_ptr<Node>> argNodes;
  Node* owner = nullptr;    // the node this region belongs to (null for top-level regions)
};

struct Function {
  std::string name;
  Type returnType;
  std::vector<Type> params;
  std::unique_ptr<Region> body;
};

struct Module {
  std::string name;
  // Top-level regions in the order they run.
  std::unique_ptr<Region> data = std::make_unique<Region>();            // data variables, with checks
  std::unique_ptr<Region> transformedData = std::make_unique<Region>(); // once, at construction
  std::unique_ptr<Region> parameters = std::make_unique<Region>();      // unconstrained -> constrained
  std::unique_ptr<Region> model = std::make_unique<Region>();           // transformed parameters + model
  std::unique_ptr<Region> generated = std::make_unique<Region>();       // generated quantities
  std::vector<Function> functions;
  int nextId = 0;
  // Remarks from passes (why a loop was or was not rewritten); printed after the module.
  std::vector<std::string> notes;

  std::vector<std::pair<const char*, Region*>> sections() const;
};

// Printing and verification.
void print(const Module& m, std::ostream& out);
std::string toString(const Module& m);
std::string typeToString(const IrType& t);
// Returns "" if the module is well formed, or a description of every problem found.
std::string verify(const Module& m);

}  // namespace mvc::ir
