// The No-U-Turn sampler exactly as Stan implements it (stan/mcmc/hmc/nuts/base_nuts.hpp):
//
//  - the trajectory doubles in a random direction until a U-turn, a divergence, or
//    max_depth doublings;
//  - multinomial sampling: each point has weight exp(-H); inside a subtree the new half
//    replaces the proposal with probability w_new / w_subtree; at the top level the
//    sampling is biased progressive: the new subtree's proposal is taken with probability
//    min(1, w_new / w_old), which favours points far from the start;
//  - the U-turn criterion uses rho (the sum of momenta) and the velocities p# = M^-1 p at
//    both ends, and is also checked across the boundary of the two halves of every merge
//    (the extra checks Stan added in 2.23);
//  - divergence when H - H0 > 1000;
//  - accept_stat is the mean of min(1, exp(H0 - H)) over all leapfrog points.
//
// No heap allocation per transition: the per-depth scratch vectors are sized once.
#pragma once

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

  // One transition from z (q, lp and g must be valid); z becomes the new state.
  TransitionStats transition(PhasePoint& z, Rng& rng, ModelErrorLog* log);

  // Stan's heuristic for a first step size (base_hmc::init_stepsize): double or halve until
  // the acceptance of one leapfrog step crosses 0.8. Throws std::runtime_error when the
  // step size runs off to 1e7 (improper posterior) or to 0.
  void init_stepsize(const PhasePoint& z, Rng& rng, ModelErrorLog* log);

 private:
  struct Level {  // the scratch of one recursion depth of build_tree
    PhasePoint propose_final;
    Eigen::VectorXd p_init_end, p_sharp_init_end, rho_init;
    Eigen::VectorXd p_final_beg, p_sharp_final_beg, rho_final, rho_tmp;
  };

  bool build_tree(int depth, PhasePoint& z_propose, Eigen::VectorXd& p_sharp_beg,
                  Eigen::VectorXd& p_sharp_end, Eigen::VectorXd& rho, Eigen::VectorXd& p_beg,
                  Eigen::VectorXd& p_end, double H0, double sign, int& n_leapfrog,
                  double& log_sum_weight, double& sum_metro_prob, Rng& rng,
                  ModelErrorLog* log);
  static bool compute_criterion(const Eigen::VectorXd& p_sharp_minus,
                                const Eigen::VectorXd& p_sharp_plus, const Eigen::VectorXd& rho);

  const Hamiltonian& ham_;
  int max_depth_;
  double jitter_;
  double nominal_stepsize_ = 1;
  double epsilon_ = 1;  // this transition's (jittered) step size
  bool divergent_ = false;
  static constexpr double kMaxDeltaH = 1000;

  PhasePoint z_;  // the end of the trajectory being extended
  PhasePoint z_fwd_, z_bck_, z_sample_, z_propose_;
  Eigen::VectorXd p_fwd_fwd_, p_sharp_fwd_fwd_, p_fwd_bck_, p_sharp_fwd_bck_;
  Eigen::VectorXd p_bck_fwd_, p_sharp_bck_fwd_, p_bck_bck_, p_sharp_bck_bck_;
  Eigen::VectorXd rho_, rho_fwd_, rho_bck_, rho_ext_;
  std::vector<Level> levels_;
};

}  // namespace mvc::nuts
