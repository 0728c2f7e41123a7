// The signature table of built-in functions, operators and distributions.
//
// Rows are written in Stan's own notation (see builtin_functions.cpp and
// builtin_distributions.cpp), e.g. "matrix diag_pre_multiply(vector, matrix)". Besides concrete
// types an argument may be a class, as in Stan's function reference:
//   reals     int, real, array[] int, array[] real, vector, row_vector  (vectorised arguments)
//   ints      int, array[] int
//   vectors   vector, row_vector, array[] vector, array[] row_vector
//   matrices  matrix, array[] matrix  (mvc's batched multivariate extension)
//   T         any int/real/vector/row_vector/matrix, or an array of one (elementwise functions)
//   any       any type at all (size, rep_array, ...)
// and a return type may be a rule:
//   T         the shape of the first argument with int promoted to real (log, exp, ...)
//   same      exactly the type of the first argument (head, reverse, ...)
//   array1, array2, array3   the first argument's type with 1, 2 or 3 more array dimensions
//   rng_real, rng_int        real/int if every vectorised argument is a scalar, else array[] real/int
// Operators are rows named "operator+", "operator'", "operator!" and so on.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "frontend/types.h"

namespace mvc {

enum class ArgClass { Exact, Reals, Ints, Vectors, Matrices, AnyNumeric, Any };
enum class RetRule { Fixed, Elementwise, Same, Array1, Array2, Array3, RngReal, RngInt };

struct ArgSpec {
  ArgClass cls = ArgClass::Exact;
  Type type;  // for Exact
  std::string str() const;
};

enum class FunctionKind {
  Plain,     // an ordinary function
  Operator,  // a row named "operator..."
  Density,   // a _lpdf/_lpmf/_lupdf/_lupmf row: its first argument is the variate
  Cdf,       // _cdf/_lcdf/_lccdf
  Rng,       // _rng: only where random numbers are allowed
};

struct Signature {
  std::string name;
  std::vector<ArgSpec> args;
  RetRule ret = RetRule::Fixed;
  Type retType;  // for Fixed
  FunctionKind kind = FunctionKind::Plain;
  std::string family;   // distributions: "normal" for normal_lpdf etc.
  bool truncatable = false;  // densities with a CDF: may take T[,] in '~'

  // "normal_lpdf(reals | reals, reals) => real"
  std::string describe() const;
  // The result type for these argument types (which must match).
  Type resultType(const std::vector<Type>& argTypes) const;
  // Cost of calling with these argument types (promotions and classes cost), or -1.
  int matchCost(const std::vector<Type>& argTypes) const;
};

struct Resolution {
  const Signature* signature = nullptr;  // null: nothing matched (or ambiguous)
  bool ambiguous = false;
  Type type;
};

class SignatureTable {
 public:
  static const SignatureTable& builtins();

  bool has(const std::string& name) const;
  const std::vector<const Signature*>& overloads(const std::string& name) const;
  Resolution resolve(const std::string& name, const std::vector<Type>& argTypes) const;
  // Every function name, for "did you mean" suggestions.
  std::vector<std::string> names() const;
  // Distribution families ("normal", "poisson", ...), for '~' statements.
  bool isDistribution(const std::string& family) const;
  std::vector<std::string> distributionNames() const;

  // Builds rows from Stan notation: "real dot_product(vector, vector)".
  void addFunction(const std::string& row, FunctionKind kind = FunctionKind::Plain);
  struct DistRow {
    const char* family;
    bool discrete;
    const char* variate;  // argument spec of the variate
    const char* params;   // comma-separated argument specs
    bool hasCdf;
    const char* rng;      // "real f(params)"-style return rule for _rng, or nullptr if none
  };
  void addDistribution(const DistRow& row);
  void addRow(Signature sig);

 private:
  std::vector<std::unique_ptr<Signature>> rows_;
  std::vector<std::pair<std::string, std::vector<const Signature*>>> byName_;  // sorted by name
  std::vector<std::string> families_;
  const std::vector<const Signature*>* find(const std::string& name) const;
};

// Parses one argument or return spec ("array[,] real", "reals", "T"); used by the tables.
ArgSpec parseArgSpec(const std::string& s);

// For a distribution name from another tool (PyMC's HalfNormal, "gaussian", ...), how to say it
// here; "" if the name is not known.
std::string foreignDistributionHint(const std::string& name);

// For a function Stan removed or renamed (increment_log_prob, get_lp, ...), what to write
// instead; "" if the name is not such a function.
std::string removedFunctionHint(const std::string& name);

void registerBuiltinFunctions(SignatureTable& table);
void registerBuiltinDistributions(SignatureTable& table);

}  // namespace mvc
