// `mvc graph`: the model as a Graphviz (DOT) graph at the level of the program's variables.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "frontend/ast.h"

namespace mvc {

// `sizes`: values of int data variables (from a data file) to label plates "N = 2000".
std::string modelGraph(const Program& program, const std::map<std::string, int64_t>& sizes);

}  // namespace mvc
