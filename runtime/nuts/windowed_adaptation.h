// Stan's windowed metric adaptation (windowed_adaptation.hpp, var_adaptation.hpp,
// covar_adaptation.hpp).
//
// Warmup = init_buffer (75) | slow windows | term_buffer (50). The slow windows start at
// `window` (25) iterations and double; the last one is stretched to reach the term buffer
// when the next doubling would not fit. For 1000 warmup iterations the windows end at
// iterations 99, 149, 249, 449 and 949 (0-based). At the end of each window the metric
// becomes the window's sample (co)variance regularized toward the identity:
//   (n / (n + 5)) * var + 1e-3 * (5 / (n + 5))
// and the step size adaptation restarts.
//
// Short warmups (Stan's fallback): with fewer than 20 warmup iterations there is no metric
// adaptation; when init_buffer + window + term_buffer > num_warmup the stages become
// 15% / 75% / 10% of num_warmup.
#pragma once

#include <string>

#include <Eigen/Dense>

namespace mvc::nuts {

class WindowSchedule {
 public:
  // `warning` receives Stan's messages about short warmups ("" when none).
  WindowSchedule(unsigned num_warmup, unsigned init_buffer, unsigned term_buffer,
                 unsigned base_window, std::string* warning = nullptr);

  // Is iteration `counter()` inside a slow window (its draw feeds the estimator)?
  bool in_window() const;
  // Does a slow window end at iteration `counter()`?
  bool window_ends() const;
  // Called at the end of a window, before advance(): computes the next window's end.
  void compute_next_window();
  void advance() { ++counter_; }
  unsigned counter() const { return counter_; }

  unsigned init_buffer() const { return init_buffer_; }
  unsigned term_buffer() const { return term_buffer_; }
  unsigned base_window() const { return base_window_; }

 private:
  unsigned num_warmup_ = 0, init_buffer_ = 0, term_buffer_ = 0, base_window_ = 0;
  unsigned counter_ = 0, window_size_ = 0, next_window_ = 0;
};

// Welford accumulation of a window's draws and the regularized estimate.
class MetricEstimator {
 public:
  MetricEstimator(int dim, bool dense);
  void add_sample(const Eigen::VectorXd& q);
  void restart();
  // Regularized variance (diag) or covariance (dense). Throws std::runtime_error with
  // Stan's message when the estimate is not finite.
  Eigen::VectorXd regularized_variance() const;
  Eigen::MatrixXd regularized_covariance() const;
  long num_samples() const { return n_; }

 private:
  bool dense_;
  long n_ = 0;
  Eigen::VectorXd mean_, m2_;
  Eigen::MatrixXd m2_dense_;
  Eigen::VectorXd delta_;
};

}  // namespace mvc::nuts
