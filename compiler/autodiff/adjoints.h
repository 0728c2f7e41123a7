// The adjoint table: one row per built-in (by signature, or by name for all its overloads),
// with the math in `math`. A row's rule builds, in the reverse region, the contribution of
// adj(y) to adj(x_k) for an active argument k (or returns null when it cannot: the
// transformation then reports the call as unsupported).
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ir/builder.h"

namespace mvc {
struct Signature;
}

namespace mvc::autodiff {

struct RuleCtx {
  ir::Builder& b;
  ir::Node* y;                 // the primal result (as seen from the reverse region)
  ir::Node* adjY;              // adj(y), the current value
  std::vector<ir::Node*> x;    // the primal arguments
  const Signature* sig = nullptr;  // the call's signature
  // A rule whose contribution covers only part of x_k sets these: the transformation then
  // emits `adj.add acc(x_k)[idx], contribution` (index kinds as in `index`). Reset per k.
  std::string addKinds;
  std::vector<ir::Node*> addIdx;
  // Helpers that build calls by name, resolving the overload from the argument types.
  ir::Node* call(const std::string& name, std::vector<ir::Node*> args);
  ir::Node* real(double v);
  ir::Node* integer(int64_t v);
  // base[idx] with index kinds (s, r, l, u, a as in `index`), typed like argument k.
  ir::Node* index(ir::Node* base, const std::string& kinds, std::vector<ir::Node*> idx, int k);
  ir::Node* mul(ir::Node* a, ir::Node* b);     // elementwise (scalar * anything, or .*)
  ir::Node* div(ir::Node* a, ir::Node* b);     // elementwise
  ir::Node* fit(ir::Node* contribution, int k);  // sum a container down to a scalar argument
  ir::Node* kernel(int k);     // call.grad: the built-in's kernel adjoint
  // A value several arguments' contributions share (A' \ adj(y) for both A and b of A \ b):
  // built by the first rule that asks for `key`, reused by the others of the same call.
  ir::Node* shared(const std::string& key, const std::function<ir::Node*()>& make);
  std::map<std::string, ir::Node*> memo;
};

using Rule = std::function<ir::Node*(RuleCtx&, int k)>;

struct AdjointRow {
  const char* key;   // "operator*(matrix, matrix)" or a name for every overload ("exp")
  const char* math;  // the rule, e.g. "exp(x): adj(x) += adj(y) .* y"
  Rule rule;
};

const std::vector<AdjointRow>& adjointTable();
// The row for a signature: its exact "name(args)" key first, then its name.
const AdjointRow* findAdjoint(const std::string& signatureKey, const std::string& name);

}  // namespace mvc::autodiff
