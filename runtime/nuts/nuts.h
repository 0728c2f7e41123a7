// The No-U-Turn sampler exactly as Stan implements it (stan/mcmc/hmc/nuts/base_nuts.hpp):
//
//  - the trajectory doubles in a random direction until a U-turn, a divergence, or
//    max_depth doublings;
//  - multinomial sampling: each point has weight exp(-H); inside a subtree each point is
//    chosen with probability w / w_subtree (Stan draws this merge by merge, we by weighted
//    reservoir sampling along the trajectory: the same distribution); at the top level the
//    sampling is biased progressive: the new subtree's proposal is taken with probability
//    min(1, w_new / w_old), which favours points far from the start;
//  - the U-turn criterion uses rho (the sum of momenta) and the velocities p# = M^-1 p at
//    both ends, and is also checked across the boundary of the two halves of every merge
//    (the extra checks Stan added in 2.23);
//  - divergence when H - H0 > 1000;
//  - accept_stat is the mean of min(1, exp(H0 - H)) over all leapfrog points.
//
// No heap allocation per transition: the per-depth scratch vectors are sized once. The
// bookkeeping is arranged so that the sampler's own work per leapfrog step is a few passes
// over the coordinates (it dominates when the gradient costs microseconds at thousands of
// dimensions): a proposal keeps q, g, lp and its energy, not the momentum, is copied only
// when chosen and moves by swapping buffers; the leapfrog's last half kick is fused with the
// leaf's records; a two-point subtree writes into its caller's vectors and checks its U-turn
// in its second point's pass; a merge sums rho and evaluates its three U-turn checks in one
// pass (coordinate_passes.h).
#pragma once

#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "hamiltonian.h"
#include "rng.h"

namespace mvc::nuts {

struct TransitionStats {
  double lp = 0;
  double accept_stat = 0;
  double stepsize = 0;
  int treedepth = 0;
  int n_leapfrog = 0;
  bool divergent = false;
  double energy = 0;
};

class Nuts {
 public:
  Nuts(const Hamiltonian& hamiltonian, int dim, int max_depth, double stepsize_jitter);

  double nominal_stepsize() const { return nominal_stepsize_; }
  void set_nominal_stepsize(double eps) { nominal_stepsize_ = eps; }
  int max_depth() const { return max_depth_; }

  // One transition from z (q, lp and g must be valid); z's q, lp and g become the new
  // state's (its momentum is left unspecified).
  TransitionStats transition(PhasePoint& z, Rng& rng, ModelErrorLog* log);

  // Stan's heuristic for a first step size (base_hmc::init_stepsize): double or halve until
  // the acceptance of one leapfrog step crosses 0.8. Throws std::runtime_error when the
  // step size runs off to 1e7 (improper posterior) or to 0.
  void init_stepsize(const PhasePoint& z, Rng& rng, ModelErrorLog* log);

 private:
  // A point that may become the sample: what the next transition starts from, and the
  // Hamiltonian it had on its trajectory (reported as energy__).
  struct Proposal {
    Eigen::VectorXd q, g;
    double lp = 0, h = 0;
    explicit Proposal(int dim = 0) : q(dim), g(dim) {}
    void swap(Proposal& o) {
      q.swap(o.q);
      g.swap(o.g);
      std::swap(lp, o.lp);
      std::swap(h, o.h);
    }
  };
  struct Level {  // the scratch of one recursion depth of build_tree
    Eigen::VectorXd p_init_end, p_sharp_init_end, rho_init;
    Eigen::VectorXd p_final_beg, p_sharp_final_beg, rho_final;
  };

  // Builds a subtree of 2^depth leapfrog steps from z_ in direction sign_; rho is set to the
  // subtree's sum of momenta (not added to). log_sum_weight_subtree_ accumulates the weights
  // of the points made so far in this subtree, and z_propose_ holds the one chosen.
  bool build_tree(int depth, Eigen::VectorXd& p_sharp_beg, Eigen::VectorXd& p_sharp_end,
                  Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end);
  // One leapfrog step from z_, recorded (momentum into p_out, velocity into v_out), counted
  // and offered to the proposal; false when it diverges. kPair: the second point of a
  // two-point subtree whose first point's momentum and velocity are p_first and v_first;
  // it also sets rho and whether the pair does not U-turn.
  template <bool kPair>
  bool leaf(Eigen::VectorXd& v_out, Eigen::VectorXd& p_out,
            const Eigen::VectorXd* p_first = nullptr, const Eigen::VectorXd* v_first = nullptr,
            Eigen::VectorXd* rho = nullptr, bool* no_uturn = nullptr);
  // The leapfrog step's last half kick fused with the records of leaf(); returns the
  // Hamiltonian at z_ (NaN mapped to +inf).
  template <bool kPair>
  double finish_leaf(Eigen::VectorXd& v_out, Eigen::VectorXd& p_out,
                     const Eigen::VectorXd* p_first, const Eigen::VectorXd* v_first,
                     Eigen::VectorXd* rho, bool* no_uturn);
  // Merges two adjacent subtrees (init before final along the direction of integration):
  // rho = rho_init + rho_final, and whether the merged tree does not U-turn, checked over
  // the whole and across the boundary both ways (Stan's three criteria).
  static bool merge(Eigen::VectorXd& rho, const Eigen::VectorXd& rho_init,
                    const Eigen::VectorXd& rho_final, const Eigen::VectorXd& p_init_end,
                    const Eigen::VectorXd& p_final_beg, const Eigen::VectorXd& p_sharp_beg,
                    const Eigen::VectorXd& p_sharp_init_end,
                    const Eigen::VectorXd& p_sharp_final_beg, const Eigen::VectorXd& p_sharp_end);

  const Hamiltonian& ham_;
  int max_depth_;
  double jitter_;
  double nominal_stepsize_ = 1;
  // The transition being made.
  double epsilon_ = 1;  // its (jittered) step size
  double sign_ = 1;     // the direction of the subtree being built
  double H0_ = 0;       // the Hamiltonian at its start
  double log_sum_weight_subtree_ = 0;
  double sum_metro_prob_ = 0;
  int n_leapfrog_ = 0;
  bool divergent_ = false;
  Rng* rng_ = nullptr;
  ModelErrorLog* log_ = nullptr;
  static constexpr double kMaxDeltaH = 1000;

  PhasePoint z_;  // the end of the trajectory being extended
  PhasePoint z_fwd_, z_bck_;
  Proposal z_sample_, z_propose_;
  Eigen::VectorXd p_fwd_fwd_, p_sharp_fwd_fwd_, p_fwd_bck_, p_sharp_fwd_bck_;
  Eigen::VectorXd p_bck_fwd_, p_sharp_bck_fwd_, p_bck_bck_, p_sharp_bck_bck_;
  Eigen::VectorXd rho_, rho_fwd_, rho_bck_;
  std::vector<Level> levels_;
};

}  // namespace mvc::nuts
