// Data reading, constraint checks and parameter transforms of the interpreter (through the
// runtime's transform kernels, runtime/include/mvc/transforms.h).
#pragma once
#include <string>
#include <vector>

#include "interp/value.h"
#include "io/json_data.h"
#include "ir/ir.h"

namespace mvc::interp {

// The value of a data node from the data map, checked against its declared sizes `dims`.
Value readData(const io::DataMap& data, const ir::Node& n, const std::vector<int64_t>& dims);
// "" when v satisfies the constraint, else the message (without the variable's name).
std::string checkConstraint(const std::string& transform, const std::vector<Value>& valueAndBounds);
// Number of unconstrained reals of a parameter with these sizes.
size_t unconstrainedSize(const ir::Node& param, const std::vector<int64_t>& dims);
// The constrained value from the unconstrained x; adds log|J| to *lp when lp is not null.
Value constrainParam(const ir::Node& param, const std::vector<int64_t>& dims, const std::vector<Value>& bounds,
                     const double* x, double* lp);
// Accumulates d/dx of <yAdj, y(x)> (+ d log|J|/dx when jacobian) into xAdj.
void gradParam(const ir::Node& param, const std::vector<int64_t>& dims, const std::vector<Value>& bounds,
               const double* x, const Value& y, const Value& yAdj, bool jacobian, double* xAdj);

}  // namespace mvc::interp
