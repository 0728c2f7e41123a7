// CmdStan JSON data (and inits) reader: a JSON object of variable name -> value.
//
// This is a standalone library (`mvc_io`): the sampler uses it for metric files, and the
// code that `mvc compile` generates uses it to read data and check it against declarations.
//
// Layout of a variable:
//   dims   : the array dimensions, outermost first. A scalar has no dims. A JSON matrix
//            [[1,2,3],[4,5,6]] (an array of rows, as CmdStan writes matrices) has dims {2,3}.
//   values : all scalars in Stan's column-major order (the FIRST index varies fastest), the
//            order of Stan's var_context and of BridgeStan's parameter vectors. For dims
//            {2,3} above: 1,4,2,5,3,6. Use column_major_offset() to index it.
//   is_int : true when every value was written as a JSON integer (1, not 1.0, "NaN" or
//            "Inf"). An empty array has is_int = true: it is valid for int and real.
//            Values are doubles (exact for integers up to 2^53); checking that an int
//            fits Stan's 32-bit int is the caller's job, as it knows the declaration.
//
// Accepted: numbers; the strings "NaN", "Inf", "-Inf", "+Inf", "Infinity", "-Infinity",
// "+Infinity" for reals; arrays nested to any depth that are rectangular; empty arrays.
// Rejected with a message naming the variable: ragged arrays, arrays mixing numbers and
// arrays, other strings, booleans, null, objects (tuples are not supported), duplicate names.
// Syntax errors are reported as "<source>:<line>:<column>: JSON syntax error: <detail>".
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mvc::io {

struct VarData {
  std::vector<std::size_t> dims;
  std::vector<double> values;  // column-major, see above
  bool is_int = true;
};

using DataMap = std::map<std::string, VarData>;

// Every reader error is a JsonError whose what() is the full user-facing message.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses JSON text. `source` names the text in messages (a file path or "<string>").
DataMap parse_json_data(std::string_view text, const std::string& source = "<string>");

// Reads and parses a file; a missing or unreadable file is a JsonError naming the path.
DataMap read_json_data_file(const std::string& path);

// Offset in VarData::values of the element at 0-based `index` (same length as dims).
std::size_t column_major_offset(const std::vector<std::size_t>& dims,
                                const std::vector<std::size_t>& index);

}  // namespace mvc::io
