// Data reading of the interpreter (from the JSON reader's map). Constraint checks and
// parameter transforms are the runtime's (compiled/values.h).
#pragma once
#include <vector>

#include "interp/value.h"
#include "io/json_data.h"
#include "ir/ir.h"

namespace mvc::interp {

// The value of a data node from the data map, checked against its declared sizes `dims`.
Value readData(const io::DataMap& data, const ir::Node& n, const std::vector<int64_t>& dims);

}  // namespace mvc::interp
