// Phase-space points and the leapfrog integrator of Stan's Euclidean HMC.
//
// Potential V(q) = -lp(q) with lp from the model (propto, jacobian). A model error or a
// non-finite lp makes V = +inf, so the Hamiltonian is +inf, the energy error exceeds the
// divergence threshold and the trajectory ends there: the proposal is rejected and the
// iteration is marked divergent, as in Stan.
#pragma once

#include <string>

#include <Eigen/Dense>

#include "metric.h"
#include "model.h"

namespace mvc::nuts {

struct PhasePoint {
  Eigen::VectorXd q;  // position (unconstrained parameters)
  Eigen::VectorXd p;  // momentum
  Eigen::VectorXd g;  // gradient of lp at q
  double lp = 0;      // log density at q (-inf after a model error)

  explicit PhasePoint(int dim = 0)
      : q(Eigen::VectorXd::Zero(dim)), p(Eigen::VectorXd::Zero(dim)), g(Eigen::VectorXd::Zero(dim)) {}
};

// Counts and remembers model errors during transitions (for the user message).
struct ModelErrorLog {
  long count = 0;
  std::string last_message;
};

class Hamiltonian {
 public:
  Hamiltonian(const Model& model, const Metric& metric) : model_(model), metric_(metric) {}

  // Evaluates lp and gradient at z.q; on error lp = -inf, g = 0. Returns false on error.
  bool update_potential_gradient(PhasePoint& z, ModelErrorLog* log) const;
  // H = V + tau; NaN is mapped to +inf (Stan does the same).
  double energy(const PhasePoint& z) const;
  // One leapfrog step of size eps (negative for backward).
  void leapfrog(PhasePoint& z, double eps, ModelErrorLog* log) const;
  // All of it but the last half kick p += (eps / 2) g, which the caller fuses with its own
  // pass over the momentum (the sampler's tree building).
  void begin_leapfrog(PhasePoint& z, double eps, ModelErrorLog* log) const;
  void velocity(const PhasePoint& z, Eigen::VectorXd& v) const { metric_.velocity(z.p, v); }
  const Metric& metric() const { return metric_; }

 private:
  const Model& model_;
  const Metric& metric_;
  mutable Eigen::VectorXd v_;
};

}  // namespace mvc::nuts
