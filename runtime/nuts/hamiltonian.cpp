#include "hamiltonian.h"

#include <cmath>
#include <limits>

namespace mvc::nuts {

bool Hamiltonian::update_potential_gradient(PhasePoint& z, ModelErrorLog* log) const {
  std::string message;
  const bool ok = model_.log_density_gradient(z.q.data(), z.lp, z.g.data(),
                                              log ? &message : nullptr);
  if (!ok) {
    z.lp = -std::numeric_limits<double>::infinity();
    z.g.setZero();
    if (log) {
      ++log->count;
      log->last_message = std::move(message);
    }
    return false;
  }
  if (std::isnan(z.lp)) z.lp = -std::numeric_limits<double>::infinity();
  return true;
}

double Hamiltonian::energy(const PhasePoint& z) const {
  const double h = -z.lp + metric_.kinetic(z.p);
  return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
}

double Hamiltonian::energy_and_velocity(const PhasePoint& z, Eigen::VectorXd& v) const {
  metric_.velocity(z.p, v);
  const double h = -z.lp + 0.5 * z.p.dot(v);
  return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
}

void Hamiltonian::leapfrog(PhasePoint& z, double eps, ModelErrorLog* log) const {
  z.p.noalias() += (0.5 * eps) * z.g;  // dV/dq = -g
  metric_.velocity(z.p, v_);
  z.q.noalias() += eps * v_;
  update_potential_gradient(z, log);
  z.p.noalias() += (0.5 * eps) * z.g;
}

}  // namespace mvc::nuts
