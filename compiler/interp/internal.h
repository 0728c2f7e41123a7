// Pieces of the interpreter shared between its files (not a public API).
#pragma once
#include <string>
#include <vector>

#include "interp/value.h"
#include "ir/ir.h"

namespace mvc {
struct Signature;
}

namespace mvc::interp {

// builtins.cpp: a built-in function or operator (not a density) on evaluated arguments.
Value callBuiltin(const Signature& sig, const std::vector<Value>& args, const ir::IrType& type);
bool builtinSupported(const std::string& name);
// The adjoint contribution of a kernel built-in (call.grad): d/d(arg k) of <adjY, f(args)>.
Value builtinGrad(const Signature& sig, int k, const Value& adjY, const Value& y, const std::vector<Value>& args);

// densities.cpp: a univariate/multivariate density through the runtime kernels.
// `active` has bit i set when argument i is active; returns the log density term.
double callDensity(const Signature& sig, const std::vector<Value>& args, uint32_t active, bool propto);
// Accumulates adj * d(density)/d(arg i) into *grads[i] (null: not wanted).
void callDensityGrad(const Signature& sig, const std::vector<Value>& args, uint32_t active, bool propto, double adj,
                     const std::vector<Value*>& grads);
// Batched: args[i] holds the per-item values as arrays (one entry per item, or one for 'b').
double callDensityBatched(const Signature& sig, const std::vector<Value>& args, uint32_t active, bool propto);
void callDensityBatchedGrad(const Signature& sig, const std::vector<Value>& args, uint32_t active, bool propto,
                            double adj, const std::vector<Value*>& grads);
bool densitySupported(const std::string& family);

// Index selections and assignment through indexes (interp.cpp).
struct IndexPos {
  char kind;
  std::vector<const Value*> ops;
};
std::vector<IndexPos> indexPositions(const std::string& kinds, const std::vector<const Value*>& operands);
Value indexValue(const Value& base, const std::vector<IndexPos>& pos, size_t k);
enum class AssignMode { Set, Add, Zero };
void assignInto(Value& base, const std::vector<IndexPos>& pos, size_t k, const Value& v, AssignMode mode);

// The shape of a declared type with resolved sizes (reals NaN, ints 0).
Value shaped(ElemType elem, int arrayDims, const std::vector<int64_t>& dims, size_t k = 0);

}  // namespace mvc::interp
