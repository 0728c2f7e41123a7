// Warmup for NUTS as Stan's adapt_{unit,diag,dense}_e_nuts: step size by dual averaging
// every iteration, metric by windows (windowed_adaptation.h). After each metric update
// the step size heuristic runs again from the current point, mu = log(10 * epsilon) and the
// dual averaging restarts. At the end of warmup the step size becomes exp(x_bar).
#pragma once

#include <ostream>

#include "io/cli.h"
#include "metric.h"
#include "nuts.h"
#include "stepsize_adaptation.h"
#include "windowed_adaptation.h"

namespace mvc::nuts {

class AdaptiveSampler {
 public:
  // `messages` receives Stan's short-warmup warning, if any.
  AdaptiveSampler(const io::SampleOptions& o, int dim, Metric& metric, Nuts& nuts,
                  std::ostream& messages);

  void begin_warmup(const PhasePoint& z, Rng& rng, ModelErrorLog* log);
  // After each warmup transition. Returns true when the metric was updated.
  bool learn(const TransitionStats& s, const PhasePoint& z, Rng& rng, ModelErrorLog* log);
  void end_warmup();

  const WindowSchedule& schedule() const { return schedule_; }

 private:
  Metric& metric_;
  Nuts& nuts_;
  StepsizeAdaptation stepsize_;
  WindowSchedule schedule_;
  MetricEstimator estimator_;
};

}  // namespace mvc::nuts
