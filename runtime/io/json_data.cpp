#include "json_data.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mvc::io {
namespace {

using nlohmann::json;

std::string type_phrase(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "string \"" + j.get<std::string>() + "\"";
    case json::value_t::object: return "an object (tuples are not supported)";
    case json::value_t::array: return "an array";
    default: return "a number";
  }
}

// "y[2][1]" for 0-based path {1, 0}.
std::string path_string(const std::string& name, const std::vector<std::size_t>& path) {
  std::string s = name;
  for (std::size_t i : path) s += "[" + std::to_string(i + 1) + "]";
  return s;
}

// Converts one JSON scalar; sets is_int to false for reals.
double scalar_value(const json& j, const std::string& where, bool& is_int) {
  if (j.is_number_integer()) return j.get<double>();
  if (j.is_number_float()) {
    is_int = false;
    return j.get<double>();
  }
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    const double inf = std::numeric_limits<double>::infinity();
    is_int = false;
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Inf" || s == "+Inf" || s == "Infinity" || s == "+Infinity") return inf;
    if (s == "-Inf" || s == "-Infinity") return -inf;
  }
  throw JsonError(where + ": expected a number, \"NaN\", \"Inf\" or \"-Inf\", found " +
                  type_phrase(j));
}

// The dimensions, read along the first element at every depth (j, j[0], j[0][0], ...).
std::vector<std::size_t> first_shape(const json& j) {
  std::vector<std::size_t> dims;
  const json* p = &j;
  while (p->is_array()) {
    dims.push_back(p->size());
    if (p->empty()) break;
    p = &(*p)[0];
  }
  return dims;
}

// Checks that every element agrees with `dims`: arrays of the right size down to the last
// dimension, scalars below it. `path` is where `j` sits inside the variable (for messages).
void check_shape(const json& j, const std::string& name, const std::vector<std::size_t>& dims,
                 std::vector<std::size_t>& path) {
  const std::size_t depth = path.size();
  const std::vector<std::size_t> first(depth, 0);
  const std::string prefix = "variable \"" + name + "\": ";
  if (depth < dims.size()) {
    if (!j.is_array())
      throw JsonError(prefix + path_string(name, path) + " is not an array but " +
                      path_string(name, first) + " is an array");
    if (j.size() != dims[depth])
      throw JsonError(prefix + "ragged array: " + path_string(name, path) + " has " +
                      std::to_string(j.size()) + " elements but " + path_string(name, first) +
                      " has " + std::to_string(dims[depth]));
    for (std::size_t i = 0; i < j.size(); ++i) {
      path.push_back(i);
      check_shape(j[i], name, dims, path);
      path.pop_back();
    }
  } else if (j.is_array()) {
    throw JsonError(prefix + path_string(name, path) + " is an array but " +
                    path_string(name, first) + " is not an array");
  }
}

// Writes the scalars of a rectangular array at their column-major offsets.
void fill_values(const json& j, const std::string& name, std::vector<std::size_t>& index,
                 VarData& out) {
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      index.push_back(i);
      fill_values(j[i], name, index, out);
      index.pop_back();
    }
    return;
  }
  const std::string where = "variable \"" + name + "\"" +
                            (index.empty() ? "" : " at " + path_string(name, index));
  out.values[column_major_offset(out.dims, index)] = scalar_value(j, where, out.is_int);
}

VarData convert_variable(const std::string& name, const json& j) {
  VarData v;
  if (j.is_object() || j.is_null() || j.is_boolean())
    throw JsonError("variable \"" + name + "\": expected a number or an array of numbers, found " +
                    type_phrase(j));
  v.dims = first_shape(j);
  std::vector<std::size_t> path;
  check_shape(j, name, v.dims, path);
  std::size_t n = 1;
  for (std::size_t d : v.dims) n *= d;
  v.values.assign(n, 0.0);
  std::vector<std::size_t> index;
  fill_values(j, name, index, v);
  return v;
}

// 1-based line and column of byte offset `pos` in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t pos) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// nlohmann's message after its own "parse error at line L, column C: " prefix.
std::string syntax_detail(const std::string& what) {
  const std::string marker = ", column ";
  std::size_t p = what.find(marker);
  if (p != std::string::npos) {
    p = what.find(": ", p);
    if (p != std::string::npos) return what.substr(p + 2);
  }
  return what;
}

}  // namespace

std::size_t column_major_offset(const std::vector<std::size_t>& dims,
                                const std::vector<std::size_t>& index) {
  std::size_t offset = 0, stride = 1;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    offset += index[k] * stride;
    stride *= dims[k];
  }
  return offset;
}

DataMap parse_json_data(std::string_view text, const std::string& source) {
  json root;
  std::set<std::string> seen;
  std::string duplicate;
  // The callback sees every key; CmdStan rejects a variable given twice, nlohmann would
  // silently keep the last one.
  auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1) {
      const std::string key = parsed.get<std::string>();
      if (!seen.insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  try {
    root = json::parse(text.begin(), text.end(), on_event);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based: the position of the character that could not be read.
    const std::size_t pos = e.byte == 0 ? 0 : e.byte - 1;
    const auto [line, col] = line_column(text, pos);
    throw JsonError(source + ":" + std::to_string(line) + ":" + std::to_string(col) +
                    ": JSON syntax error: " + syntax_detail(e.what()));
  } catch (const json::out_of_range& e) {
    // A number beyond double's range ("1e400"); nlohmann gives no position for it.
    const std::string what = e.what();
    throw JsonError(source + ": JSON number out of range: " + what.substr(what.find("] ") + 2));
  }
  if (!duplicate.empty())
    throw JsonError(source + ": variable \"" + duplicate + "\" is given more than once");
  if (!root.is_object())
    throw JsonError(source + ": expected a JSON object of variable names and values, found " +
                    type_phrase(root));
  DataMap out;
  for (const auto& [name, value] : root.items()) {
    try {
      out.emplace(name, convert_variable(name, value));
    } catch (const JsonError& e) {
      throw JsonError(source + ": " + e.what());
    }
  }
  return out;
}

DataMap read_json_data_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JsonError(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_json_data(buf.str(), path);
}

}  // namespace mvc::io
