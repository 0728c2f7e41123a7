// Helpers for the runtime/model tests: BridgeStan calls that return their error message.
#pragma once

#include <string>
#include <vector>

#include "mvc/bridgestan.h"

namespace mvc::model::testing {

// Takes ownership of a BridgeStan error message.
inline std::string take(char* err) {
  std::string s = err ? err : "";
  bs_free_error_msg(err);
  return s;
}

// Constructs a model; on failure returns null and sets *error.
inline bs_model* construct(const std::string& data, std::string* error = nullptr, unsigned seed = 1) {
  char* err = nullptr;
  bs_model* m = bs_model_construct(data.c_str(), seed, &err);
  const std::string e = take(err);
  if (error) *error = e;
  return m;
}

// The error message of a construction that must fail ("" if it succeeded).
inline std::string construct_error(const std::string& data) {
  std::string e;
  bs_model* m = construct(data, &e);
  if (m) {
    bs_model_destruct(m);
    return "";
  }
  return e;
}

inline std::string names(const char* csv) { return csv ? csv : ""; }

}  // namespace mvc::model::testing
