// The reference interpreter of the IR: executes a module's sections on a data map and an
// unconstrained parameter vector. Tests use it as the executor until the LLVM code generator
// exists, and later as the oracle codegen is tested against. Slow and simple on purpose: every
// op is evaluated on boxed values (value.h), densities and transforms call the same runtime
// kernels generated code will call (runtime/include/mvc/*.h).
//
//   Interpreter in(module, data);          // runs data + transformed_data (throws Error)
//   double lp = in.logDensity(theta, {.propto = true, .jacobian = true});
//   std::vector<double> g;
//   lp = in.logDensityGradient(theta, opts, g);   // needs autodiff::differentiate(module) first
//
// An op or built-in it does not support raises interp::Error naming it.
#pragma once
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interp/value.h"
#include "io/json_data.h"
#include "ir/ir.h"

namespace mvc::interp {

struct EvalOptions {
  bool propto = false;   // drop constants of '~' and _lupdf terms (BridgeStan's propto)
  bool jacobian = true;  // add the log-Jacobians of the constraining transforms
};

struct ParamInfo {
  const ir::Node* node;
  std::string name;
  size_t offset = 0;  // into the unconstrained vector
  size_t size = 0;    // number of unconstrained reals
};

class Interpreter {
 public:
  // Runs the data and transformed_data sections (reading `data`, checking constraints).
  Interpreter(const ir::Module& m, const io::DataMap& data);

  size_t numUnconstrained() const { return numUnc_; }
  const std::vector<ParamInfo>& params() const { return params_; }

  // The log density at the unconstrained point theta (parameters + model sections).
  double logDensity(const std::vector<double>& theta, const EvalOptions& o);
  // Also runs the module's gradient node (made by autodiff::differentiate) and returns the
  // gradient w.r.t. theta in `grad`.
  double logDensityGradient(const std::vector<double>& theta, const EvalOptions& o, std::vector<double>& grad);

  // The value a node had in the last evaluation (tests).
  const Value& valueOf(const ir::Node* n) const;

  // Is an op / built-in supported by the interpreter? (for tests enumerating tables)
  static bool supportsBuiltin(const std::string& name);

 private:
  friend class Exec;
  const ir::Module& m_;
  std::unordered_set<const ir::Node*> active_;
  std::unordered_map<const ir::Node*, Value> env_;   // values of nodes (vars: their storage)
  std::unordered_map<const ir::Node*, Value> dataEnv_;  // after construction
  std::vector<ParamInfo> params_;
  size_t numUnc_ = 0;
  const io::DataMap& data_;
};

}  // namespace mvc::interp
