// The runtime's side of mvc/generated.h: the context that generated code calls back
// (struct mvc_rt_context), the RNG, and the model object behind bs_model.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "io/json_data.h"
#include "mvc/bridgestan.h"
#include "mvc/generated.h"

namespace mvc::model {

// The generator behind bs_rng, transformed data and mvc_rt_uniform: std::mt19937_64 (its
// output is fixed by the C++ standard) seeded with splitmix64(seed); a uniform is
// (top 53 bits + 0.5) * 2^-53, in the open interval (0, 1).
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  double uniform() {
    return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
  }

 private:
  std::mt19937_64 engine_;
};

std::uint64_t splitmix64(std::uint64_t x);

}  // namespace mvc::model

struct mvc_rt_context {
  // The first message recorded during a call (the root cause); fixed size: no allocation.
  char message[2048];
  bool has_message = false;
  mvc::model::Rng* rng = nullptr;                  // null where no RNG may be used
  const mvc::io::DataMap* data = nullptr;          // construction only
  std::deque<std::vector<double>>* store = nullptr;  // construction: data handed out

  void reset(mvc::model::Rng* r) {
    has_message = false;
    message[0] = '\0';
    rng = r;
  }
};

class bs_rng {
 public:
  explicit bs_rng(unsigned int seed) : rng(seed) {}
  mvc::model::Rng rng;
};

namespace mvc::model {

// What one thread needs to evaluate a model: its scratch, its context, buffers sized at
// creation (so that calls after the first do not allocate).
struct Slot {
  mvc_gen_scratch* scratch = nullptr;
  mvc_rt_context ctx;
  std::vector<double> out;   // write_array output, memory order (all variables)
  std::vector<double> in;    // constrained parameters, memory order
  std::vector<double> flat;  // constrained parameters, flat order (unconstrain_json)
};

}  // namespace mvc::model

class bs_model {
 public:
  ~bs_model();

  // This thread's slot: a lookup in a small thread_local cache (no lock, no allocation);
  // the first call of a thread creates the slot under the model's mutex.
  mvc::model::Slot& slot() const;

  std::uint64_t id = 0;  // unique per model object, never reused
  mvc_gen_model* gen = nullptr;
  std::vector<mvc_gen_var> vars;
  int n_param_vars = 0, n_tp_vars = 0, n_gq_vars = 0;
  int64_t param_size = 0, tp_size = 0, gq_size = 0, unc_size = 0;
  std::deque<std::vector<double>> data_store;  // the data handed to generated code
  std::string name, info, unc_names;
  std::string names[4];  // index: include_tp + 2 * include_gq

  mutable std::mutex mutex;
  mutable std::unordered_map<std::thread::id, std::unique_ptr<mvc::model::Slot>> slots;
};
