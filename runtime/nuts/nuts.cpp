#include "nuts.h"

#include "coordinate_passes.h"

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
                             &rho_, &rho_fwd_, &rho_bck_})
    v->setZero(dim);
  // Subtrees of one and two points need no scratch (build_tree's cases 0 and 1).
  levels_.resize(static_cast<std::size_t>(std::max(max_depth, 1)) + 1);
  for (std::size_t d = 2; d < levels_.size(); ++d) {
    Level& l = levels_[d];
    for (Eigen::VectorXd* v : {&l.p_init_end, &l.p_sharp_init_end, &l.rho_init, &l.p_final_beg,
                               &l.p_sharp_final_beg, &l.rho_final})
      v->setZero(dim);
  }
}

bool Nuts::merge(Eigen::VectorXd& rho, const Eigen::VectorXd& rho_init,
                 const Eigen::VectorXd& rho_final, const Eigen::VectorXd& p_init_end,
                 const Eigen::VectorXd& p_final_beg, const Eigen::VectorXd& p_sharp_beg,
                 const Eigen::VectorXd& p_sharp_init_end,
                 const Eigen::VectorXd& p_sharp_final_beg, const Eigen::VectorXd& p_sharp_end) {
  return passes::merge(rho.data(), rho_init.data(), rho_final.data(), p_init_end.data(),
                       p_final_beg.data(), p_sharp_beg.data(), p_sharp_init_end.data(),
                       p_sharp_final_beg.data(), p_sharp_end.data(),
                       static_cast<std::size_t>(rho.size()));
}

template <bool kPair>
double Nuts::finish_leaf(Eigen::VectorXd& v_out, Eigen::VectorXd& p_out,
                         const Eigen::VectorXd* p_first, const Eigen::VectorXd* v_first,
                         Eigen::VectorXd* rho, bool* no_uturn) {
  const double half = 0.5 * sign_ * epsilon_;
  double kinetic = 0, first_dot = 0, this_dot = 0;
  if (const Eigen::VectorXd* metric = ham_.metric().diagonal()) {
    const auto n = static_cast<std::size_t>(z_.p.size());
    if constexpr (kPair)
      kinetic = passes::kick_record_pair(z_.p.data(), z_.g.data(), metric->data(), n, half,
                                         v_out.data(), p_out.data(), p_first->data(),
                                         v_first->data(), rho->data(), first_dot, this_dot);
    else
      kinetic = passes::kick_record(z_.p.data(), z_.g.data(), metric->data(), n, half,
                                    v_out.data(), p_out.data());
  } else {
    z_.p.noalias() += half * z_.g;
    ham_.velocity(z_, v_out);
    kinetic = z_.p.dot(v_out);
    p_out = z_.p;
    if constexpr (kPair) {
      *rho = *p_first + z_.p;
      first_dot = v_first->dot(*rho);
      this_dot = v_out.dot(*rho);
    }
  }
  // Two points: Stan's three checks (the whole, and across the boundary both ways) are all
  // v_first . rho > 0 and v . rho > 0, since each half's rho is its one momentum.
  if constexpr (kPair) *no_uturn = first_dot > 0 && this_dot > 0;
  const double h = -z_.lp + 0.5 * kinetic;
  return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
}

template <bool kPair>
bool Nuts::leaf(Eigen::VectorXd& v_out, Eigen::VectorXd& p_out, const Eigen::VectorXd* p_first,
                const Eigen::VectorXd* v_first, Eigen::VectorXd* rho, bool* no_uturn) {
  ham_.begin_leapfrog(z_, sign_ * epsilon_, log_);
  ++n_leapfrog_;
  const double h = finish_leaf<kPair>(v_out, p_out, p_first, v_first, rho, no_uturn);
  if (h - H0_ > kMaxDeltaH) divergent_ = true;
  sum_metro_prob_ += (H0_ - h > 0) ? 1.0 : std::exp(H0_ - h);
  // Weighted reservoir sampling: the point replaces the proposal with probability
  // w / (the weights so far), which leaves each point of the subtree chosen with probability
  // w / w_subtree, as Stan's merge-by-merge choice does, but copies a point a harmonic
  // number of times per subtree (about ln(points) + 0.6 with equal weights), not once per
  // leapfrog step.
  const bool first = log_sum_weight_subtree_ == -std::numeric_limits<double>::infinity();
  log_sum_weight_subtree_ = log_sum_exp(log_sum_weight_subtree_, H0_ - h);
  if (first || rng_->uniform() < std::exp(H0_ - h - log_sum_weight_subtree_)) {
    z_propose_.q = z_.q;
    z_propose_.g = z_.g;
    z_propose_.lp = z_.lp;
    z_propose_.h = h;
  }
  return !divergent_;
}

TransitionStats Nuts::transition(PhasePoint& z, Rng& rng, ModelErrorLog* log) {
  rng_ = &rng;
  log_ = log;
  epsilon_ = nominal_stepsize_;
  if (jitter_ > 0) epsilon_ *= 1.0 + jitter_ * (2.0 * rng.uniform() - 1.0);

  z_.q = z.q;
  z_.g = z.g;
  z_.lp = z.lp;
  ham_.metric().sample_momentum(rng, z_.p);
  z_fwd_ = z_;
  z_bck_ = z_;

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
  H0_ = ham_.energy(z_);
  z_sample_.q = z_.q;
  z_sample_.g = z_.g;
  z_sample_.lp = z_.lp;
  z_sample_.h = H0_;
  n_leapfrog_ = 0;
  sum_metro_prob_ = 0;
  int depth = 0;
  divergent_ = false;

  // The old trajectory becomes one half of the new one: its sum of momenta and its end on
  // the side being extended are what the merge checks the new subtree against (as Stan:
  // going forward p_bck_fwd = p_fwd_fwd, going backward p_fwd_bck = p_bck_bck). Buffers are
  // swapped, not copied, where the old content is dead: the extended end becomes the
  // working point z_ and back; rho_ is rewritten by the merge, the outer end's momenta by
  // the subtree's last point.
  while (depth < max_depth_) {
    bool valid_subtree;
    log_sum_weight_subtree_ = -std::numeric_limits<double>::infinity();

    if (rng.uniform() > 0.5) {  // extend forward
      sign_ = 1;
      std::swap(z_, z_fwd_);
      std::swap(rho_bck_, rho_);
      std::swap(p_bck_fwd_, p_fwd_fwd_);  // the old trajectory's forward end
      std::swap(p_sharp_bck_fwd_, p_sharp_fwd_fwd_);
      valid_subtree = build_tree(depth, p_sharp_fwd_bck_, p_sharp_fwd_fwd_, rho_fwd_,
                                 p_fwd_bck_, p_fwd_fwd_);
      std::swap(z_, z_fwd_);
    } else {  // extend backward
      sign_ = -1;
      std::swap(z_, z_bck_);
      std::swap(rho_fwd_, rho_);
      std::swap(p_fwd_bck_, p_bck_bck_);  // the old trajectory's backward end
      std::swap(p_sharp_fwd_bck_, p_sharp_bck_bck_);
      valid_subtree = build_tree(depth, p_sharp_bck_fwd_, p_sharp_bck_bck_, rho_bck_,
                                 p_bck_fwd_, p_bck_bck_);
      std::swap(z_, z_bck_);
    }
    if (!valid_subtree) break;
    ++depth;

    // Biased progressive sampling at the top level.
    if (log_sum_weight_subtree_ > log_sum_weight) {
      z_sample_.swap(z_propose_);
    } else {
      const double accept_prob = std::exp(log_sum_weight_subtree_ - log_sum_weight);
      if (rng.uniform() < accept_prob) z_sample_.swap(z_propose_);
    }
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree_);

    // U-turn across the whole trajectory, then across the merge boundary both ways.
    if (!merge(rho_, rho_bck_, rho_fwd_, p_bck_fwd_, p_fwd_bck_, p_sharp_bck_bck_,
               p_sharp_bck_fwd_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_))
      break;
  }

  z.q = z_sample_.q;
  z.g = z_sample_.g;
  z.lp = z_sample_.lp;
  TransitionStats s;
  s.lp = z.lp;
  s.accept_stat = n_leapfrog_ > 0 ? sum_metro_prob_ / n_leapfrog_ : 0;
  s.stepsize = epsilon_;
  s.treedepth = depth;
  s.n_leapfrog = n_leapfrog_;
  s.divergent = divergent_;
  s.energy = z_sample_.h;
  return s;
}

bool Nuts::build_tree(int depth, Eigen::VectorXd& p_sharp_beg, Eigen::VectorXd& p_sharp_end,
                      Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end) {
  if (depth == 0) {  // only as the first extension of a trajectory
    const bool valid = leaf<false>(p_sharp_beg, p_beg);
    p_sharp_end = p_sharp_beg;
    p_end = p_beg;
    rho = p_beg;
    return valid;
  }
  if (depth == 1) {  // two points, recorded straight into the caller's vectors
    if (!leaf<false>(p_sharp_beg, p_beg)) return false;
    bool no_uturn = false;
    if (!leaf<true>(p_sharp_end, p_end, &p_beg, &p_sharp_beg, &rho, &no_uturn)) return false;
    return no_uturn;
  }

  Level& L = levels_[static_cast<std::size_t>(depth)];
  if (!build_tree(depth - 1, p_sharp_beg, L.p_sharp_init_end, L.rho_init, p_beg, L.p_init_end))
    return false;
  if (!build_tree(depth - 1, L.p_sharp_final_beg, p_sharp_end, L.rho_final, L.p_final_beg, p_end))
    return false;

  // U-turn within the merged subtree, then across its two halves.
  return merge(rho, L.rho_init, L.rho_final, L.p_init_end, L.p_final_beg, p_sharp_beg,
               L.p_sharp_init_end, L.p_sharp_final_beg, p_sharp_end);
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
