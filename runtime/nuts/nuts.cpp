#include "nuts.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace mvc::nuts {
namespace {

double log_sum_exp(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

}  // namespace

Nuts::Nuts(const Hamiltonian& hamiltonian, int dim, int max_depth, double stepsize_jitter)
    : ham_(hamiltonian),
      max_depth_(max_depth),
      jitter_(stepsize_jitter),
      z_(dim), z_fwd_(dim), z_bck_(dim), z_sample_(dim), z_propose_(dim) {
  for (Eigen::VectorXd* v : {&p_fwd_fwd_, &p_sharp_fwd_fwd_, &p_fwd_bck_, &p_sharp_fwd_bck_,
                             &p_bck_fwd_, &p_sharp_bck_fwd_, &p_bck_bck_, &p_sharp_bck_bck_,
                             &rho_, &rho_fwd_, &rho_bck_, &rho_ext_})
    v->setZero(dim);
  levels_.resize(static_cast<std::size_t>(max_depth) + 1);
  for (Level& l : levels_) {
    l.propose_final = PhasePoint(dim);
    for (Eigen::VectorXd* v : {&l.p_init_end, &l.p_sharp_init_end, &l.rho_init, &l.p_final_beg,
                               &l.p_sharp_final_beg, &l.rho_final, &l.rho_tmp})
      v->setZero(dim);
  }
}

bool Nuts::compute_criterion(const Eigen::VectorXd& p_sharp_minus,
                             const Eigen::VectorXd& p_sharp_plus, const Eigen::VectorXd& rho) {
  return p_sharp_plus.dot(rho) > 0 && p_sharp_minus.dot(rho) > 0;
}

TransitionStats Nuts::transition(PhasePoint& z, Rng& rng, ModelErrorLog* log) {
  epsilon_ = nominal_stepsize_;
  if (jitter_ > 0) epsilon_ *= 1.0 + jitter_ * (2.0 * rng.uniform() - 1.0);

  z_ = z;
  ham_.metric().sample_momentum(rng, z_.p);
  z_fwd_ = z_;
  z_bck_ = z_;
  z_sample_ = z_;
  z_propose_ = z_;

  ham_.velocity(z_, p_sharp_fwd_fwd_);
  p_fwd_fwd_ = z_.p;
  p_fwd_bck_ = z_.p;
  p_sharp_fwd_bck_ = p_sharp_fwd_fwd_;
  p_bck_fwd_ = z_.p;
  p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
  p_bck_bck_ = z_.p;
  p_sharp_bck_bck_ = p_sharp_fwd_fwd_;
  rho_ = z_.p;

  double log_sum_weight = 0;  // log(exp(H0 - H0))
  const double H0 = ham_.energy(z_);
  int n_leapfrog = 0;
  double sum_metro_prob = 0;
  int depth = 0;
  divergent_ = false;

  while (depth < max_depth_) {
    rho_fwd_.setZero();
    rho_bck_.setZero();
    bool valid_subtree;
    double log_sum_weight_subtree = -std::numeric_limits<double>::infinity();

    if (rng.uniform() > 0.5) {  // extend forward
      z_ = z_fwd_;
      rho_bck_ = rho_;
      p_bck_fwd_ = p_fwd_bck_;
      p_sharp_bck_fwd_ = p_sharp_fwd_bck_;
      valid_subtree = build_tree(depth, z_propose_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_, rho_fwd_,
                                 p_fwd_bck_, p_fwd_fwd_, H0, 1, n_leapfrog,
                                 log_sum_weight_subtree, sum_metro_prob, rng, log);
      z_fwd_ = z_;
    } else {  // extend backward
      z_ = z_bck_;
      rho_fwd_ = rho_;
      p_fwd_bck_ = p_bck_fwd_;
      p_sharp_fwd_bck_ = p_sharp_bck_fwd_;
      valid_subtree = build_tree(depth, z_propose_, p_sharp_bck_fwd_, p_sharp_bck_bck_, rho_bck_,
                                 p_bck_fwd_, p_bck_bck_, H0, -1, n_leapfrog,
                                 log_sum_weight_subtree, sum_metro_prob, rng, log);
      z_bck_ = z_;
    }
    if (!valid_subtree) break;
    ++depth;

    // Biased progressive sampling at the top level.
    if (log_sum_weight_subtree > log_sum_weight) {
      z_sample_ = z_propose_;
    } else {
      const double accept_prob = std::exp(log_sum_weight_subtree - log_sum_weight);
      if (rng.uniform() < accept_prob) z_sample_ = z_propose_;
    }
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);

    // U-turn across the whole trajectory, then across the merge boundary both ways.
    rho_ = rho_bck_ + rho_fwd_;
    bool persist = compute_criterion(p_sharp_bck_bck_, p_sharp_fwd_fwd_, rho_);
    rho_ext_ = rho_bck_ + p_fwd_bck_;
    persist = persist && compute_criterion(p_sharp_bck_bck_, p_sharp_fwd_bck_, rho_ext_);
    rho_ext_ = rho_fwd_ + p_bck_fwd_;
    persist = persist && compute_criterion(p_sharp_bck_fwd_, p_sharp_fwd_fwd_, rho_ext_);
    if (!persist) break;
  }

  z = z_sample_;
  TransitionStats s;
  s.lp = z.lp;
  s.accept_stat = n_leapfrog > 0 ? sum_metro_prob / n_leapfrog : 0;
  s.stepsize = epsilon_;
  s.treedepth = depth;
  s.n_leapfrog = n_leapfrog;
  s.divergent = divergent_;
  s.energy = ham_.energy(z);
  return s;
}

bool Nuts::build_tree(int depth, PhasePoint& z_propose, Eigen::VectorXd& p_sharp_beg,
                      Eigen::VectorXd& p_sharp_end, Eigen::VectorXd& rho,
                      Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end, double H0, double sign,
                      int& n_leapfrog, double& log_sum_weight, double& sum_metro_prob, Rng& rng,
                      ModelErrorLog* log) {
  if (depth == 0) {
    ham_.leapfrog(z_, sign * epsilon_, log);
    ++n_leapfrog;
    const double h = ham_.energy_and_velocity(z_, p_sharp_beg);  // NaN mapped to +inf
    if (h - H0 > kMaxDeltaH) divergent_ = true;
    log_sum_weight = log_sum_exp(log_sum_weight, H0 - h);
    sum_metro_prob += (H0 - h > 0) ? 1.0 : std::exp(H0 - h);
    z_propose = z_;
    p_sharp_end = p_sharp_beg;
    rho += z_.p;
    p_beg = z_.p;
    p_end = p_beg;
    return !divergent_;
  }

  Level& L = levels_[static_cast<std::size_t>(depth)];

  // The first half.
  double log_sum_weight_init = -std::numeric_limits<double>::infinity();
  L.rho_init.setZero();
  const bool valid_init =
      build_tree(depth - 1, z_propose, p_sharp_beg, L.p_sharp_init_end, L.rho_init, p_beg,
                 L.p_init_end, H0, sign, n_leapfrog, log_sum_weight_init, sum_metro_prob, rng, log);
  if (!valid_init) return false;

  // The second half.
  PhasePoint& z_propose_final = L.propose_final;
  z_propose_final = z_;
  double log_sum_weight_final = -std::numeric_limits<double>::infinity();
  L.rho_final.setZero();
  const bool valid_final =
      build_tree(depth - 1, z_propose_final, L.p_sharp_final_beg, p_sharp_end, L.rho_final,
                 L.p_final_beg, p_end, H0, sign, n_leapfrog, log_sum_weight_final,
                 sum_metro_prob, rng, log);
  if (!valid_final) return false;

  // Multinomial sample from the two halves.
  const double log_sum_weight_subtree = log_sum_exp(log_sum_weight_init, log_sum_weight_final);
  log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
  if (log_sum_weight_final > log_sum_weight_subtree) {
    z_propose = z_propose_final;
  } else {
    const double accept_prob = std::exp(log_sum_weight_final - log_sum_weight_subtree);
    if (rng.uniform() < accept_prob) z_propose = z_propose_final;
  }

  // U-turn within the merged subtree, then across its two halves.
  L.rho_tmp = L.rho_init + L.rho_final;
  rho += L.rho_tmp;
  bool persist = compute_criterion(p_sharp_beg, p_sharp_end, L.rho_tmp);
  L.rho_tmp = L.rho_init + L.p_final_beg;
  persist = persist && compute_criterion(p_sharp_beg, L.p_sharp_final_beg, L.rho_tmp);
  L.rho_tmp = L.rho_final + L.p_init_end;
  persist = persist && compute_criterion(L.p_sharp_init_end, p_sharp_end, L.rho_tmp);
  return persist;
}

void Nuts::init_stepsize(const PhasePoint& z0, Rng& rng, ModelErrorLog* log) {
  if (nominal_stepsize_ == 0 || nominal_stepsize_ > 1e7 || std::isnan(nominal_stepsize_)) return;
  const double log08 = std::log(0.8);
  auto trial = [&]() {
    z_ = z0;
    ham_.metric().sample_momentum(rng, z_.p);
    const double H0 = ham_.energy(z_);
    ham_.leapfrog(z_, nominal_stepsize_, log);
    return H0 - ham_.energy(z_);  // energy() maps NaN to +inf
  };
  const double delta_H0 = trial();
  const int direction = delta_H0 > log08 ? 1 : -1;
  while (true) {
    const double delta_H = trial();
    if (direction == 1 && !(delta_H > log08)) break;
    if (direction == -1 && !(delta_H < log08)) break;
    nominal_stepsize_ = direction == 1 ? 2 * nominal_stepsize_ : 0.5 * nominal_stepsize_;
    if (nominal_stepsize_ > 1e7)
      throw std::runtime_error("Posterior is improper. Please check your model.");
    if (nominal_stepsize_ == 0)
      throw std::runtime_error(
          "No acceptably small step size could be found. Perhaps the posterior is not "
          "continuous?");
  }
}

}  // namespace mvc::nuts
