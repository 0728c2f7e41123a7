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

// Four coordinates at a time as one Eigen array (packet instructions; a plain loop with
// reductions would not be vectorized without reassociating), then the remainder one by one.
using Block = Eigen::Array<double, 4, 1>;
using BlockIn = Eigen::Map<const Block>;
using BlockOut = Eigen::Map<Block>;

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
  levels_.resize(static_cast<std::size_t>(max_depth) + 1);
  for (Level& l : levels_) {
    l.propose_final = Proposal(dim);
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
  // Stan's checks: p#_beg . rho > 0 and p#_end . rho > 0 over the merged tree, then the same
  // across the boundary with rho_init + p_final_beg and rho_final + p_init_end.
  const Eigen::Index n = rho.size();
  double* r = rho.data();
  const double *ri = rho_init.data(), *rf = rho_final.data(), *pie = p_init_end.data(),
               *pfb = p_final_beg.data(), *sb = p_sharp_beg.data(),
               *sie = p_sharp_init_end.data(), *sfb = p_sharp_final_beg.data(),
               *se = p_sharp_end.data();
  Block whole_beg = Block::Zero(), whole_end = Block::Zero(), init_beg = Block::Zero(),
        init_end = Block::Zero(), final_beg = Block::Zero(), final_end = Block::Zero();
  Eigen::Index i = 0;
  for (; i + 4 <= n; i += 4) {
    const Block whole = BlockIn(ri + i) + BlockIn(rf + i);
    BlockOut(r + i) = whole;
    whole_beg += BlockIn(sb + i) * whole;
    whole_end += BlockIn(se + i) * whole;
    const Block ext_init = BlockIn(ri + i) + BlockIn(pfb + i);  // init's rho + final's start
    init_beg += BlockIn(sb + i) * ext_init;
    init_end += BlockIn(sfb + i) * ext_init;
    const Block ext_final = BlockIn(rf + i) + BlockIn(pie + i);  // init's end + final's rho
    final_beg += BlockIn(sie + i) * ext_final;
    final_end += BlockIn(se + i) * ext_final;
  }
  double d[6] = {whole_beg.sum(), whole_end.sum(), init_beg.sum(),
                 init_end.sum(),  final_beg.sum(), final_end.sum()};
  for (; i < n; ++i) {
    const double whole = ri[i] + rf[i], ext_init = ri[i] + pfb[i], ext_final = rf[i] + pie[i];
    r[i] = whole;
    d[0] += sb[i] * whole;
    d[1] += se[i] * whole;
    d[2] += sb[i] * ext_init;
    d[3] += sfb[i] * ext_init;
    d[4] += sie[i] * ext_final;
    d[5] += se[i] * ext_final;
  }
  return d[0] > 0 && d[1] > 0 && d[2] > 0 && d[3] > 0 && d[4] > 0 && d[5] > 0;
}

double Nuts::record_leaf(Proposal& z_propose, Eigen::VectorXd& p_sharp_beg,
                         Eigen::VectorXd& p_sharp_end, Eigen::VectorXd& rho,
                         Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end) {
  const Eigen::Index n = z_.q.size();
  const double* p = z_.p.data();
  double *vb = p_sharp_beg.data(), *ve = p_sharp_end.data(), *r = rho.data(), *pb = p_beg.data(),
         *pe = p_end.data();
  double kinetic;
  if (const Eigen::VectorXd* metric = ham_.metric().diagonal()) {
    const double* m = metric->data();
    Block sum = Block::Zero();
    Eigen::Index i = 0;
    for (; i + 4 <= n; i += 4) {
      const Block pi = BlockIn(p + i), vi = BlockIn(m + i) * pi;
      sum += pi * vi;
      BlockOut(vb + i) = vi;
      BlockOut(ve + i) = vi;
      BlockOut(r + i) = pi;
      BlockOut(pb + i) = pi;
      BlockOut(pe + i) = pi;
    }
    kinetic = sum.sum();
    for (; i < n; ++i) {
      const double vi = m[i] * p[i];
      kinetic += p[i] * vi;
      vb[i] = ve[i] = vi;
      r[i] = pb[i] = pe[i] = p[i];
    }
  } else {
    ham_.velocity(z_, p_sharp_beg);
    kinetic = z_.p.dot(p_sharp_beg);
    for (Eigen::Index i = 0; i < n; ++i) {
      ve[i] = vb[i];
      r[i] = pb[i] = pe[i] = p[i];
    }
  }
  z_propose.q = z_.q;
  z_propose.g = z_.g;
  z_propose.lp = z_.lp;
  const double h = -z_.lp + 0.5 * kinetic;
  z_propose.h = std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
  return z_propose.h;
}

TransitionStats Nuts::transition(PhasePoint& z, Rng& rng, ModelErrorLog* log) {
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
  const double H0 = ham_.energy(z_);
  z_sample_.q = z_.q;
  z_sample_.g = z_.g;
  z_sample_.lp = z_.lp;
  z_sample_.h = H0;
  int n_leapfrog = 0;
  double sum_metro_prob = 0;
  int depth = 0;
  divergent_ = false;

  // Buffers are swapped, not copied, where the old content is dead: the extended end
  // becomes the working point z_ and back; rho_ and the inner end's momenta are rewritten
  // by the merge and the subtree.
  while (depth < max_depth_) {
    bool valid_subtree;
    double log_sum_weight_subtree = -std::numeric_limits<double>::infinity();

    if (rng.uniform() > 0.5) {  // extend forward
      std::swap(z_, z_fwd_);
      std::swap(rho_bck_, rho_);
      std::swap(p_bck_fwd_, p_fwd_bck_);
      std::swap(p_sharp_bck_fwd_, p_sharp_fwd_bck_);
      valid_subtree = build_tree(depth, z_propose_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_, rho_fwd_,
                                 p_fwd_bck_, p_fwd_fwd_, H0, 1, n_leapfrog,
                                 log_sum_weight_subtree, sum_metro_prob, rng, log);
      std::swap(z_, z_fwd_);
    } else {  // extend backward
      std::swap(z_, z_bck_);
      std::swap(rho_fwd_, rho_);
      std::swap(p_fwd_bck_, p_bck_fwd_);
      std::swap(p_sharp_fwd_bck_, p_sharp_bck_fwd_);
      valid_subtree = build_tree(depth, z_propose_, p_sharp_bck_fwd_, p_sharp_bck_bck_, rho_bck_,
                                 p_bck_fwd_, p_bck_bck_, H0, -1, n_leapfrog,
                                 log_sum_weight_subtree, sum_metro_prob, rng, log);
      std::swap(z_, z_bck_);
    }
    if (!valid_subtree) break;
    ++depth;

    // Biased progressive sampling at the top level.
    if (log_sum_weight_subtree > log_sum_weight) {
      z_sample_.swap(z_propose_);
    } else {
      const double accept_prob = std::exp(log_sum_weight_subtree - log_sum_weight);
      if (rng.uniform() < accept_prob) z_sample_.swap(z_propose_);
    }
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);

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
  s.accept_stat = n_leapfrog > 0 ? sum_metro_prob / n_leapfrog : 0;
  s.stepsize = epsilon_;
  s.treedepth = depth;
  s.n_leapfrog = n_leapfrog;
  s.divergent = divergent_;
  s.energy = z_sample_.h;
  return s;
}

bool Nuts::build_tree(int depth, Proposal& z_propose, Eigen::VectorXd& p_sharp_beg,
                      Eigen::VectorXd& p_sharp_end, Eigen::VectorXd& rho,
                      Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end, double H0, double sign,
                      int& n_leapfrog, double& log_sum_weight, double& sum_metro_prob, Rng& rng,
                      ModelErrorLog* log) {
  if (depth == 0) {
    ham_.leapfrog(z_, sign * epsilon_, log);
    ++n_leapfrog;
    const double h = record_leaf(z_propose, p_sharp_beg, p_sharp_end, rho, p_beg, p_end);
    if (h - H0 > kMaxDeltaH) divergent_ = true;
    log_sum_weight = log_sum_exp(log_sum_weight, H0 - h);
    sum_metro_prob += (H0 - h > 0) ? 1.0 : std::exp(H0 - h);
    return !divergent_;
  }

  Level& L = levels_[static_cast<std::size_t>(depth)];

  // The first half.
  double log_sum_weight_init = -std::numeric_limits<double>::infinity();
  const bool valid_init =
      build_tree(depth - 1, z_propose, p_sharp_beg, L.p_sharp_init_end, L.rho_init, p_beg,
                 L.p_init_end, H0, sign, n_leapfrog, log_sum_weight_init, sum_metro_prob, rng, log);
  if (!valid_init) return false;

  // The second half.
  Proposal& z_propose_final = L.propose_final;
  double log_sum_weight_final = -std::numeric_limits<double>::infinity();
  const bool valid_final =
      build_tree(depth - 1, z_propose_final, L.p_sharp_final_beg, p_sharp_end, L.rho_final,
                 L.p_final_beg, p_end, H0, sign, n_leapfrog, log_sum_weight_final,
                 sum_metro_prob, rng, log);
  if (!valid_final) return false;

  // Multinomial sample from the two halves.
  const double log_sum_weight_subtree = log_sum_exp(log_sum_weight_init, log_sum_weight_final);
  log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
  if (log_sum_weight_final > log_sum_weight_subtree) {
    z_propose.swap(z_propose_final);
  } else {
    const double accept_prob = std::exp(log_sum_weight_final - log_sum_weight_subtree);
    if (rng.uniform() < accept_prob) z_propose.swap(z_propose_final);
  }

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
