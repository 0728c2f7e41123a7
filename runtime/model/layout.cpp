#include "layout.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mvc::model {
namespace {

// The multi-index (0-based) of memory offset `mem`.
void memory_index(int ndims, int array_ndims, const int64_t* dims, int64_t mem, int64_t* idx) {
  int64_t elem_size = 1;
  for (int k = array_ndims; k < ndims; ++k) elem_size *= dims[k];
  int64_t elem = elem_size > 0 ? mem % elem_size : 0;
  int64_t arr = elem_size > 0 ? mem / elem_size : 0;
  for (int k = array_ndims; k < ndims; ++k) {  // column-major inside the element
    idx[k] = elem % dims[k];
    elem /= dims[k];
  }
  for (int k = array_ndims - 1; k >= 0; --k) {  // row-major over the array dims
    idx[k] = arr % dims[k];
    arr /= dims[k];
  }
}

int64_t flat_of_index(int ndims, const int64_t* dims, const int64_t* idx) {
  int64_t off = 0, stride = 1;
  for (int k = 0; k < ndims; ++k) {
    off += idx[k] * stride;
    stride *= dims[k];
  }
  return off;
}

void append_name(std::string& out, const char* name, int ndims, const int64_t* idx) {
  if (!out.empty()) out += ',';
  out += name;
  char buf[24];
  for (int k = 0; k < ndims; ++k) {
    std::snprintf(buf, sizeof buf, ".%lld", static_cast<long long>(idx[k] + 1));
    out += buf;
  }
}

std::string bracket(int n, const int64_t* idx) {
  std::string s = "[";
  char buf[24];
  for (int k = 0; k < n; ++k) {
    std::snprintf(buf, sizeof buf, "%s%lld", k ? "," : "", static_cast<long long>(idx[k] + 1));
    s += buf;
  }
  return s + "]";
}

}  // namespace

int64_t num_elements(int ndims, const int64_t* dims) {
  int64_t n = 1;
  for (int k = 0; k < ndims; ++k) n *= dims[k];
  return n;
}

bool same_order(int ndims, int array_ndims, const int64_t* dims) {
  // Without array dims both orders are column-major. Otherwise they agree at least when
  // one dim alone has size > 1 (then the variable is one-dimensional in effect).
  if (array_ndims == 0 || ndims <= 1) return true;
  int big = 0;
  for (int k = 0; k < ndims; ++k) big += dims[k] > 1;
  return big <= 1;
}

int64_t flat_offset(int ndims, int array_ndims, const int64_t* dims, int64_t mem) {
  int64_t idx[kMaxDims];
  memory_index(ndims, array_ndims, dims, mem, idx);
  return flat_of_index(ndims, dims, idx);
}

void memory_to_flat(int ndims, int array_ndims, const int64_t* dims, const double* mem, double* flat) {
  const int64_t n = num_elements(ndims, dims);
  if (same_order(ndims, array_ndims, dims)) {
    for (int64_t i = 0; i < n; ++i) flat[i] = mem[i];
    return;
  }
  for (int64_t i = 0; i < n; ++i) flat[flat_offset(ndims, array_ndims, dims, i)] = mem[i];
}

void flat_to_memory(int ndims, int array_ndims, const int64_t* dims, const double* flat, double* mem) {
  const int64_t n = num_elements(ndims, dims);
  if (same_order(ndims, array_ndims, dims)) {
    for (int64_t i = 0; i < n; ++i) mem[i] = flat[i];
    return;
  }
  for (int64_t i = 0; i < n; ++i) mem[i] = flat[flat_offset(ndims, array_ndims, dims, i)];
}

std::string index_text(int ndims, int array_ndims, const int64_t* dims, int64_t mem) {
  int64_t idx[kMaxDims];
  memory_index(ndims, array_ndims, dims, mem, idx);
  return bracket(ndims, idx);
}

std::string array_index_text(int array_ndims, const int64_t* dims, int64_t element) {
  int64_t idx[kMaxDims];
  memory_index(array_ndims, array_ndims, dims, element, idx);
  return bracket(array_ndims, idx);
}

void append_flat_names(std::string& out, const char* name, int ndims, const int64_t* dims) {
  const int64_t n = num_elements(ndims, dims);
  int64_t idx[kMaxDims] = {0};
  for (int64_t i = 0; i < n; ++i) {
    append_name(out, name, ndims, idx);
    for (int k = 0; k < ndims; ++k) {  // first index fastest
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
}

void append_memory_names(std::string& out, const char* name, int ndims, int array_ndims,
                         const int64_t* dims) {
  const int64_t n = num_elements(ndims, dims);
  int64_t idx[kMaxDims];
  for (int64_t i = 0; i < n; ++i) {
    memory_index(ndims, array_ndims, dims, i, idx);
    append_name(out, name, ndims, idx);
  }
}

std::string dims_text(int ndims, const int64_t* dims) {
  std::string s = "[";
  char buf[24];
  for (int k = 0; k < ndims; ++k) {
    std::snprintf(buf, sizeof buf, "%s%lld", k ? "," : "", static_cast<long long>(dims[k]));
    s += buf;
  }
  return s + "]";
}

std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  if (x == std::floor(x) && std::fabs(x) < 1e16) {  // integers in full: 3000000000, not 3e+09
    std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
  }
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

}  // namespace mvc::model
