#include "hamiltonian.h"

#include "coordinate_passes.h"

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

void Hamiltonian::leapfrog(PhasePoint& z, double eps, ModelErrorLog* log) const {
  begin_leapfrog(z, eps, log);
  z.p.noalias() += (0.5 * eps) * z.g;
}

void Hamiltonian::begin_leapfrog(PhasePoint& z, double eps, ModelErrorLog* log) const {
  const double half = 0.5 * eps;  // dV/dq = -g
  if (const Eigen::VectorXd* m = metric_.diagonal()) {
    passes::kick_drift(z.p.data(), z.q.data(), z.g.data(), m->data(),
                       static_cast<std::size_t>(z.q.size()), half, eps);
  } else {
    z.p.noalias() += half * z.g;
    metric_.velocity(z.p, v_);
    z.q.noalias() += eps * v_;
  }
  update_potential_gradient(z, log);
}

}  // namespace mvc::nuts
