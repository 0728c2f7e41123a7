// The state behind mvc/compiled.h (mvc_st) and mvc/generated.h's model and scratch, shared by
// abi.cpp (the mvc_v_* functions) and glue.cpp (the mvc_gen_* functions).
#pragma once
#include <deque>
#include <string>
#include <vector>

#include "mvc/compiled.h"
#include "mvc/generated.h"
#include "values.h"

namespace mvc::compiled {

using values::Value;

// Values of one evaluation (or of construction, for the model's life). Handles point into
// it; reset() makes its entries reusable without freeing the deque's blocks (a new value is
// moved into an old entry).
class Arena {
 public:
  Value* make(Value&& v) {
    if (used_ < values_.size()) values_[used_] = std::move(v);
    else values_.push_back(std::move(v));
    return &values_[used_++];
  }
  // The next entry as it was left by an earlier evaluation (or empty), for operations that
  // write their result in place and so keep its storage.
  Value* reuse() {
    if (used_ == values_.size()) values_.emplace_back();
    return &values_[used_++];
  }
  void reset() { used_ = 0; }

 private:
  std::deque<Value> values_;
  size_t used_ = 0;
};

struct ParamDecl {
  std::string name, transform;
  values::Elem elem;
  int arrayDims;
  std::vector<int64_t> dims;
  int64_t conOffset, conSize;  // constrained values (write_array, unconstrain's input)
  int64_t uncOffset, uncSize;  // the unconstrained vector
};

struct OutDecl {
  std::string name;
  int role;  // MVC_OUT_TPARAM or MVC_OUT_GQ
  values::Elem elem;
  int arrayDims;
  std::vector<int64_t> dims;
  int64_t size;
  int64_t offset;  // within the transformed parameters or the generated quantities
};

// A data variable read in construction: its description for the runtime's messages.
struct DataDecl {
  std::string name, type;
  std::vector<int64_t> dims;
  std::vector<std::string> sizeNames;
  std::vector<const char*> sizeNamePtrs;
  std::vector<int64_t> sizeValues;
  mvc_rt_decl decl;
  const Value* value;  // the value it was read into
};

}  // namespace mvc::compiled

struct mvc_gen_model {
  const mvc_cg_module* desc = nullptr;
  mvc::compiled::Arena arena;  // construction's values: the slots point into it
  std::vector<mvc_v*> slots;
  std::deque<mvc::compiled::ParamDecl> params;
  std::deque<mvc::compiled::OutDecl> outs;
  std::deque<mvc::compiled::DataDecl> data;
  std::vector<mvc_gen_var> vars;
  int64_t numCon = 0, numUnc = 0, tpSize = 0, gqSize = 0;
};

struct mvc_gen_scratch {
  mvc::compiled::Arena arena;
  // Partials of the batched multivariate normals of this evaluation's forward pass (kept
  // only when a gradient is wanted), for their reverse sweep; entries keep their storage.
  std::deque<mvc::values::MvnPartials> partials;
  size_t partialsUsed = 0;
  // The undo tape of the reverse sweep (used only when a gradient is wanted).
  mvc::values::Tape tape;
};

struct mvc_st {
  enum Mode { Construct, LogDensity, WriteArray, Unconstrain } mode = Construct;
  mvc_gen_model* model = nullptr;
  mvc::compiled::Arena* arena = nullptr;
  mvc_gen_scratch* scratch = nullptr;   // log_density: the thread's scratch
  mvc_rt_context* ctx = nullptr;
  const double* theta = nullptr;        // log_density, write_array
  double* grad = nullptr;               // log_density with a gradient
  double target = 0;
  bool propto = false, jacobian = true, includeTp = false, includeGq = false;
  const double* constrained = nullptr;  // unconstrain: input
  double* unconstrained = nullptr;      // unconstrain: output
  double* out = nullptr;                // write_array
};
