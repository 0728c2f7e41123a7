// Data access and validation for generated code: mvc_rt_data, mvc_rt_check_bounds,
// mvc_rt_data_constraint_error (mvc/generated.h). Messages name the variable, its declared
// type with the sizes, and what the data has.
#include <cmath>
#include <cstdio>
#include <string>

#include "context.h"
#include "layout.h"

namespace mvc::model {
namespace {

void record(mvc_rt_context* ctx, const std::string& msg) {
  if (ctx->has_message) return;
  std::snprintf(ctx->message, sizeof ctx->message, "%s", msg.c_str());
  ctx->has_message = true;
}

// "variable 'y': declared array[N] real with N = 10"
std::string declared(const mvc_rt_decl* d) {
  std::string s = std::string("variable '") + d->name + "': declared " + d->type;
  for (int i = 0; i < d->nsizes; ++i)
    s += (i ? ", " : " with ") + std::string(d->size_names[i]) + " = " +
         std::to_string(static_cast<long long>(d->size_values[i]));
  return s;
}

std::string shape_text(int ndims, const int64_t* dims) {
  return dims_text(ndims, dims) + (ndims == 0 ? " (a single value)" : "");
}

// Empty variables need no storage; a non-null pointer all the same.
const double kEmpty[1] = {0};

}  // namespace
}  // namespace mvc::model

using namespace mvc::model;

extern "C" {

const double* mvc_rt_data(mvc_rt_context* ctx, const mvc_rt_decl* d) {
  if (ctx->data == nullptr) {
    record(ctx, std::string("variable '") + d->name + "': data can only be read during construction");
    return nullptr;
  }
  const int64_t n = num_elements(d->ndims, d->dims);
  const auto it = ctx->data->find(d->name);
  if (it == ctx->data->end()) {
    if (n == 0) return kEmpty;  // as Stan: an empty variable may be left out
    record(ctx, std::string("variable '") + d->name + "' is missing from the data");
    return nullptr;
  }
  const mvc::io::VarData& v = it->second;
  std::vector<int64_t> have(v.dims.begin(), v.dims.end());
  const int64_t have_n = static_cast<int64_t>(v.values.size());
  bool dims_ok = static_cast<int>(have.size()) == d->ndims;
  for (int k = 0; dims_ok && k < d->ndims; ++k) dims_ok = have[static_cast<size_t>(k)] == d->dims[k];
  if (!dims_ok && n == 0 && have_n == 0) dims_ok = true;  // [] for any empty shape
  if (!dims_ok) {
    record(ctx, declared(d) + ", so the data must have dims " + shape_text(d->ndims, d->dims) +
                    ", but it has dims " +
                    shape_text(static_cast<int>(have.size()), have.data()));
    return nullptr;
  }
  if (d->is_int) {
    for (int64_t i = 0; i < have_n; ++i) {
      const double x = v.values[static_cast<size_t>(i)];
      if (x == std::floor(x) && std::fabs(x) <= 2147483647.0) continue;
      // index in flat (JSON) order -> user's index
      std::string where;
      if (d->ndims > 0) {
        // flat order is column-major over all dims: decompose
        int64_t idx[kMaxDims], r = i;
        for (int k = 0; k < d->ndims; ++k) {
          idx[k] = r % d->dims[k];
          r /= d->dims[k];
        }
        where = " at " + std::string(d->name) + "[";
        for (int k = 0; k < d->ndims; ++k)
          where += (k ? "," : "") + std::to_string(static_cast<long long>(idx[k] + 1));
        where += "]";
      }
      const bool range = x == std::floor(x);
      record(ctx, declared(d) + ", but the data has " + number_text(x) + where +
                      (range ? ", which is outside the range of int (-2147483648 to 2147483647)" : ""));
      return nullptr;
    }
    if (!v.is_int) {
      record(ctx, declared(d) +
                      ", but the data has values written as reals (with a decimal point or an "
                      "exponent); write int data as integers, e.g. 2, not 2.0");
      return nullptr;
    }
  }
  ctx->store->emplace_back(static_cast<size_t>(have_n));
  std::vector<double>& out = ctx->store->back();
  if (have_n == 0) return kEmpty;
  flat_to_memory(d->ndims, d->array_ndims, d->dims, v.values.data(), out.data());
  return out.data();
}

int mvc_rt_check_bounds(mvc_rt_context* ctx, const mvc_rt_decl* d, const double* values,
                        const double* lb, int64_t lb_stride, const double* ub, int64_t ub_stride) {
  const int64_t n = num_elements(d->ndims, d->dims);
  for (int64_t i = 0; i < n; ++i) {
    const double x = values[i];
    const double lo = lb ? lb[i * lb_stride] : -INFINITY;
    const double hi = ub ? ub[i * ub_stride] : INFINITY;
    if (x >= lo && x <= hi) continue;
    std::string rule;
    if (lb && ub)
      rule = "in [" + number_text(lo) + ", " + number_text(hi) + "]";
    else if (lb)
      rule = ">= " + number_text(lo);
    else
      rule = "<= " + number_text(hi);
    const std::string subject =
        std::string(d->name) + (d->ndims > 0 ? index_text(d->ndims, d->array_ndims, d->dims, i) : "");
    record(ctx, declared(d) + ", but " + subject + " is " + number_text(x) + " (it must be " + rule + ")");
    return 2;
  }
  return 0;
}

int mvc_rt_data_constraint_error(mvc_rt_context* ctx, const mvc_rt_decl* d, int64_t element,
                                 const char* what) {
  std::string subject = d->name;
  if (element >= 0 && d->array_ndims > 0) subject += array_index_text(d->array_ndims, d->dims, element);
  record(ctx, declared(d) + ", but " + subject + " " + what);
  return 2;
}

}  // extern "C"
