#include "adaptive_sampler.h"

#include <cmath>

namespace mvc::nuts {
namespace {

WindowSchedule make_schedule(const io::SampleOptions& o, std::ostream& messages) {
  std::string warning;
  WindowSchedule s(static_cast<unsigned>(o.num_warmup), static_cast<unsigned>(o.init_buffer),
                   static_cast<unsigned>(o.term_buffer), static_cast<unsigned>(o.window),
                   &warning);
  if (!warning.empty() && o.metric != "unit_e") messages << warning << "\n";
  return s;
}

}  // namespace

AdaptiveSampler::AdaptiveSampler(const io::SampleOptions& o, int dim, Metric& metric, Nuts& nuts,
                                 std::ostream& messages)
    : metric_(metric),
      nuts_(nuts),
      stepsize_(o.delta, o.gamma, o.kappa, o.t0),
      schedule_(make_schedule(o, messages)),
      estimator_(dim, metric.kind() == Metric::Kind::Dense) {}

void AdaptiveSampler::begin_warmup(const PhasePoint& z, Rng& rng, ModelErrorLog* log) {
  nuts_.init_stepsize(z, rng, log);
  stepsize_.set_mu(std::log(10 * nuts_.nominal_stepsize()));
  stepsize_.restart();
}

bool AdaptiveSampler::learn(const TransitionStats& s, const PhasePoint& z, Rng& rng,
                            ModelErrorLog* log) {
  double eps = nuts_.nominal_stepsize();
  stepsize_.learn_stepsize(eps, s.accept_stat);
  nuts_.set_nominal_stepsize(eps);
  if (metric_.kind() == Metric::Kind::Unit) return false;

  bool updated = false;
  if (schedule_.in_window()) estimator_.add_sample(z.q);
  if (schedule_.window_ends()) {
    schedule_.compute_next_window();
    if (metric_.kind() == Metric::Kind::Dense)
      metric_.set_inv_metric_dense(estimator_.regularized_covariance());
    else
      metric_.set_inv_metric_diag(estimator_.regularized_variance());
    estimator_.restart();
    updated = true;
  }
  schedule_.advance();
  if (updated) {
    nuts_.init_stepsize(z, rng, log);
    stepsize_.set_mu(std::log(10 * nuts_.nominal_stepsize()));
    stepsize_.restart();
  }
  return updated;
}

void AdaptiveSampler::end_warmup() {
  double eps = nuts_.nominal_stepsize();
  stepsize_.complete_adaptation(eps);
  nuts_.set_nominal_stepsize(eps);
}

}  // namespace mvc::nuts
