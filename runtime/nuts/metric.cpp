#include "metric.h"

#include <stdexcept>

namespace mvc::nuts {

Metric::Metric(Kind kind, int dim)
    : kind_(kind),
      diag_(Eigen::VectorXd::Ones(dim)),
      ones_(kind == Kind::Unit ? Eigen::VectorXd::Ones(dim) : Eigen::VectorXd()),
      dense_(kind == Kind::Dense ? Eigen::MatrixXd::Identity(dim, dim) : Eigen::MatrixXd()),
      chol_upper_(dense_),
      scratch_(dim) {}

Metric::Kind Metric::parse_kind(const std::string& name) {
  if (name == "unit_e") return Kind::Unit;
  if (name == "dense_e") return Kind::Dense;
  if (name == "diag_e") return Kind::Diag;
  throw std::invalid_argument("unknown metric " + name);
}

void Metric::set_inv_metric_diag(const Eigen::VectorXd& d) { diag_ = d; }

void Metric::set_inv_metric_dense(const Eigen::MatrixXd& m) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success)
    throw std::runtime_error("the inverse metric is not positive definite");
  dense_ = m;
  chol_upper_ = llt.matrixU();
}

const Eigen::VectorXd* Metric::diagonal() const {
  switch (kind_) {
    case Kind::Unit: return &ones_;
    case Kind::Diag: return &diag_;
    case Kind::Dense: return nullptr;
  }
  return nullptr;
}

double Metric::kinetic(const Eigen::VectorXd& p) const {
  switch (kind_) {
    case Kind::Unit: return 0.5 * p.squaredNorm();
    case Kind::Diag: return 0.5 * p.cwiseAbs2().dot(diag_);
    case Kind::Dense:
      scratch_.noalias() = dense_ * p;
      return 0.5 * p.dot(scratch_);
  }
  return 0;
}

void Metric::velocity(const Eigen::VectorXd& p, Eigen::VectorXd& v) const {
  switch (kind_) {
    case Kind::Unit: v = p; break;
    case Kind::Diag: v = diag_.cwiseProduct(p); break;
    case Kind::Dense: v.noalias() = dense_ * p; break;
  }
}

void Metric::sample_momentum(Rng& rng, Eigen::VectorXd& p) const {
  for (Eigen::Index i = 0; i < p.size(); ++i) p[i] = rng.normal();
  switch (kind_) {
    case Kind::Unit: break;
    case Kind::Diag: p.array() /= diag_.array().sqrt(); break;
    case Kind::Dense:
      chol_upper_.triangularView<Eigen::Upper>().solveInPlace(p);
      break;
  }
}

}  // namespace mvc::nuts
