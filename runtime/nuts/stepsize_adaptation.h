// Nesterov dual averaging of the step size, as Stan's stepsize_adaptation:
//   eta = 1 / (t + t0);  s_bar = (1 - eta) s_bar + eta (delta - accept_stat)
//   x = mu - s_bar sqrt(t) / gamma;  x_bar = (1 - t^-kappa) x_bar + t^-kappa x
//   step size = exp(x) during warmup, exp(x_bar) when adaptation ends.
// mu = log(10 * epsilon0), set at the start and after every metric update (restart).
#pragma once

namespace mvc::nuts {

class StepsizeAdaptation {
 public:
  StepsizeAdaptation(double delta, double gamma, double kappa, double t0)
      : delta_(delta), gamma_(gamma), kappa_(kappa), t0_(t0) {}

  void set_mu(double mu) { mu_ = mu; }
  void restart() {
    counter_ = 0;
    s_bar_ = 0;
    x_bar_ = 0;
  }
  // Updates epsilon from this iteration's accept_stat.
  void learn_stepsize(double& epsilon, double accept_stat);
  void complete_adaptation(double& epsilon) const;

 private:
  double delta_, gamma_, kappa_, t0_;
  double mu_ = 0;
  double counter_ = 0;
  double s_bar_ = 0;
  double x_bar_ = 0;
};

}  // namespace mvc::nuts
