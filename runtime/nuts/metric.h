// Euclidean metrics of Stan's HMC: unit_e, diag_e, dense_e.
//
// The adapted quantity is the inverse metric M^-1 (a covariance estimate of the posterior on
// the unconstrained scale). Kinetic energy tau(p) = p' M^-1 p / 2; its gradient
// dtau/dp = M^-1 p is the velocity. Momenta are drawn from N(0, M):
//   diag_e:  p_i = z_i / sqrt(Minv_i)
//   dense_e: p = L^-T z with L L' = M^-1 (Stan's `mInv.llt().matrixU().solve(z)`).
#pragma once

#include <string>

#include <Eigen/Dense>

#include "rng.h"

namespace mvc::nuts {

class Metric {
 public:
  enum class Kind { Unit, Diag, Dense };

  Metric(Kind kind, int dim);
  static Kind parse_kind(const std::string& name);  // "unit_e" | "diag_e" | "dense_e"

  Kind kind() const { return kind_; }
  // diag_e: a vector; dense_e: a symmetric positive-definite matrix. Throws
  // std::runtime_error when a dense matrix is not positive definite.
  void set_inv_metric_diag(const Eigen::VectorXd& d);
  void set_inv_metric_dense(const Eigen::MatrixXd& m);
  const Eigen::VectorXd& inv_metric_diag() const { return diag_; }
  const Eigen::MatrixXd& inv_metric_dense() const { return dense_; }

  // The inverse metric's diagonal when the metric is diagonal (unit_e: ones), else nullptr:
  // lets the sampler fuse its per-coordinate loops.
  const Eigen::VectorXd* diagonal() const;

  double kinetic(const Eigen::VectorXd& p) const;
  void velocity(const Eigen::VectorXd& p, Eigen::VectorXd& v) const;  // v = M^-1 p
  void sample_momentum(Rng& rng, Eigen::VectorXd& p) const;

 private:
  Kind kind_;
  Eigen::VectorXd diag_;
  Eigen::VectorXd ones_;  // unit_e's diagonal
  Eigen::MatrixXd dense_;
  Eigen::MatrixXd chol_upper_;  // U = L' with L L' = M^-1
  mutable Eigen::VectorXd scratch_;
};

}  // namespace mvc::nuts
