// Hand-written test models behind the BridgeStan C API (bridge.cpp implements bs_* on top
// of this interface). Each model_*.cpp defines make_test_model(); linking one of them with
// bridge.cpp, mvc_sampler_main and mvc_sampler gives a real sampler program.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "io/json_data.h"

namespace mvc::testing {

class TestModel {
 public:
  virtual ~TestModel() = default;
  virtual std::string name() const = 0;
  virtual int unc_dim() const = 0;
  // Constrained parameters, transformed parameters, generated quantities.
  virtual std::vector<std::string> param_names() const = 0;
  virtual std::vector<std::string> tp_names() const { return {}; }
  virtual std::vector<std::string> gq_names() const { return {}; }
  virtual std::vector<std::string> unc_names() const { return param_names(); }
  // lp (Jacobian included) and its gradient; false with a message on a model error.
  virtual bool log_density_gradient(const double* q, double& lp, double* grad,
                                    std::string& error) const = 0;
  // q -> parameters [, tps [, gqs]]. Default: the identity on parameters.
  virtual void constrain(const double* q, double* params) const {
    for (int i = 0; i < unc_dim(); ++i) params[i] = q[i];
  }
  virtual void transformed(const double* /*params*/, double* /*tps*/) const {}
  virtual bool generated(const double* /*params*/, double* /*gqs*/, std::mt19937_64& /*rng*/,
                         std::string& /*error*/) const {
    return true;
  }
  virtual void unconstrain(const double* params, double* q) const {
    for (int i = 0; i < unc_dim(); ++i) q[i] = params[i];
  }
};

// Defined by each model file. `data` is what bs_model_construct received.
std::unique_ptr<TestModel> make_test_model(const io::DataMap& data);

// "x.1", ..., "x.n"
inline std::vector<std::string> indexed_names(const std::string& base, int n) {
  std::vector<std::string> v;
  for (int i = 1; i <= n; ++i) v.push_back(base + "." + std::to_string(i));
  return v;
}

}  // namespace mvc::testing
