// Reverse-mode automatic differentiation as an IR -> IR transformation (docs/autodiff.md).
//
// differentiate(m) appends one `gradient` node to the end of the model section. Its region is
// the reverse sweep: an adjoint accumulator (`adj`) per active value (ir/activity.h: data-only
// values get none), seeds `adj.add acc(v), 1` for every `target.add v`, the adjoint rule of
// every active node in reverse program order (rules: adjoints.cpp, one table), densities
// through their kernels' _grad (`density.grad`, `density.batched.grad`), map loops reversed by
// recomputing the iteration, and finally `param.grad` per parameter, which pulls the adjoint
// of the constrained value back through the transform into the gradient w.r.t. the
// unconstrained vector.
//
// Before/after (eight schools, abridged):
//   model {
//     %12 : vector[J] = call operator*(real, vector) %9, %10  [tparam]
//     ...
//     %17 : real = density normal_lpdf propto %7, %1, %16  [model]
//     target.add %17  [model]
//   }
// becomes
//   model {
//     ... (unchanged)
//     gradient  [model] {
//       %40 : vector[J] = adj %12  [model]
//       %41 : real = adj %17  [model]
//       ...
//       %50 : real = const.real 1.0  [model]
//       adj.add %41, %50  [model]
//       %51 : real = adj.get %41  [model]
//       density.grad normal_lpdf propto [a--] %51, %7, %1, %16, %44  [model]
//       ...
//       param.grad %7, %44  [model]
//     }
//   }
#pragma once
#include <stdexcept>
#include <string>

#include "ir/ir.h"

namespace mvc::autodiff {

// A construct the transformation does not handle yet; what() is a user-facing message
// ("... is not supported by autodiff yet").
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends the gradient node to m's model section, then runs the verifier (throws
// InternalError if the result is malformed). Throws Unsupported for constructs it cannot
// differentiate. Call it after the pass pipeline (it relies on ClassifyLoops' `for map`).
void differentiate(ir::Module& m);

}  // namespace mvc::autodiff
