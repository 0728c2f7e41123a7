// The sampler's view of a model: a thin RAII wrapper over the BridgeStan C API
// (mvc/bridgestan.h), the only way the sampler talks to generated code.
//
// The log density is always evaluated with propto=true, jacobian=true, as Stan's samplers
// do (lp__ in the CSV is this value). One Model is shared by all chains (the API allows
// concurrent calls); each chain owns its GqRng.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mvc/bridgestan.h"

namespace mvc::nuts {

// A model call failed; what() is the model's message.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bs_rng used by generated quantities of one chain.
class GqRng {
 public:
  explicit GqRng(unsigned int seed);
  ~GqRng();
  GqRng(const GqRng&) = delete;
  GqRng& operator=(const GqRng&) = delete;
  bs_rng* get() const { return rng_; }

 private:
  bs_rng* rng_ = nullptr;
};

class Model {
 public:
  // data: a .json path or "" for none. Throws ModelError with the model's message.
  Model(const std::string& data, unsigned int seed);
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  std::string name() const;
  std::string info() const;
  int dim() const { return dim_; }  // unconstrained dimension
  // Constrained names: parameters, transformed parameters, generated quantities.
  const std::vector<std::string>& names() const { return names_; }
  int num_params() const { return num_params_; }  // constrained parameters only

  // lp and gradient at q (unconstrained). Returns false on a model error, with its message
  // in *message when message is not null. Never throws.
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string* message) const;
  // All constrained outputs (params, tps, gqs) at q. Returns false with a message on error.
  bool constrain(const double* q, double* out, GqRng& rng, std::string* message) const;
  // Constrained parameter values (no tp/gq), for building inits.
  bool constrain_params(const double* q, double* out, std::string* message) const;
  // Unconstrains CmdStan JSON of constrained parameter values. Throws ModelError.
  std::vector<double> unconstrain_json(const std::string& json) const;

 private:
  bs_model* model_ = nullptr;
  int dim_ = 0;
  int num_params_ = 0;
  std::vector<std::string> names_;
};

// Splits BridgeStan's comma-separated names ("" -> empty list).
std::vector<std::string> split_names(const char* csv);

}  // namespace mvc::nuts
