// Index arithmetic shared by the BridgeStan layer: the two layouts of a variable's values,
// BridgeStan's names, and the index text of user messages.
//
//  - BridgeStan's order ("flat order"): column-major over ALL dims of the variable, the first
//    index varying fastest (a.1.1, a.2.1, a.1.2, ...). The JSON reader (mvc::io) stores
//    values in this order too.
//  - Generated code's memory layout ("memory order"): the array dims row-major (outermost
//    first, as nested C arrays), then each vector/matrix element column-major. This is
//    Stan's in-memory layout (std::vector of Eigen objects) and the order of the
//    unconstrained vector.
// The two agree when a variable has no array dims, or is a 1-D array of scalars.
#pragma once

#include <cstdint>
#include <string>

namespace mvc::model {

constexpr int kMaxDims = 8;

int64_t num_elements(int ndims, const int64_t* dims);

// True when memory order and flat order coincide for this shape.
bool same_order(int ndims, int array_ndims, const int64_t* dims);

// Offset in flat order of the value at offset `mem` in memory order.
int64_t flat_offset(int ndims, int array_ndims, const int64_t* dims, int64_t mem);

// Reorders all values of one variable. No allocation.
void memory_to_flat(int ndims, int array_ndims, const int64_t* dims, const double* mem, double* flat);
void flat_to_memory(int ndims, int array_ndims, const int64_t* dims, const double* flat, double* mem);

// "[3]", "[2,1]": the 1-based index of the value at offset `mem` in memory order.
std::string index_text(int ndims, int array_ndims, const int64_t* dims, int64_t mem);

// "[2]", "[1,3]": the 1-based index of array element `element` (row-major over the first
// array_ndims dims).
std::string array_index_text(int array_ndims, const int64_t* dims, int64_t element);

// Appends "name.i.j..." for every value, comma separated (a comma first when `out` is not
// empty), in flat order (names of constrained values).
void append_flat_names(std::string& out, const char* name, int ndims, const int64_t* dims);

// The same names listed in memory order (names of unconstrained coordinates: the i-th name
// labels the i-th coordinate of the unconstrained vector).
void append_memory_names(std::string& out, const char* name, int ndims, int array_ndims,
                         const int64_t* dims);

// "[10]", "[2,3]", "[]"
std::string dims_text(int ndims, const int64_t* dims);

// The shortest text that reads back as the same double ("2.5", "-1", "1e+300", "nan").
std::string number_text(double x);

}  // namespace mvc::model
