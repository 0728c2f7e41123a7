#include "windowed_adaptation.h"

#include <stdexcept>

namespace mvc::nuts {

WindowSchedule::WindowSchedule(unsigned num_warmup, unsigned init_buffer, unsigned term_buffer,
                               unsigned base_window, std::string* warning) {
  std::string msg;
  if (num_warmup < 20) {
    msg = "WARNING: No metric estimation is performed for num_warmup < 20";
  } else if (init_buffer + base_window + term_buffer > num_warmup) {
    num_warmup_ = num_warmup;
    init_buffer_ = static_cast<unsigned>(0.15 * num_warmup);
    term_buffer_ = static_cast<unsigned>(0.1 * num_warmup);
    base_window_ = num_warmup - (init_buffer_ + term_buffer_);
    msg = "WARNING: There aren't enough warmup iterations to fit the three stages of "
          "adaptation as currently configured.\n"
          "         Reducing each adaptation stage to 15%/75%/10% of the given number of "
          "warmup iterations:\n"
          "           init_buffer = " + std::to_string(init_buffer_) + "\n" +
          "           adapt_window = " + std::to_string(base_window_) + "\n" +
          "           term_buffer = " + std::to_string(term_buffer_);
  } else {
    num_warmup_ = num_warmup;
    init_buffer_ = init_buffer;
    term_buffer_ = term_buffer;
    base_window_ = base_window;
  }
  if (warning) *warning = msg;
  counter_ = 0;
  window_size_ = base_window_;
  next_window_ = init_buffer_ + window_size_ - 1;
}

bool WindowSchedule::in_window() const {
  return counter_ >= init_buffer_ && counter_ < num_warmup_ - term_buffer_ &&
         counter_ != num_warmup_;
}

bool WindowSchedule::window_ends() const {
  return counter_ == next_window_ && counter_ != num_warmup_;
}

void WindowSchedule::compute_next_window() {
  const unsigned last = num_warmup_ - term_buffer_ - 1;
  if (next_window_ == last) return;
  window_size_ *= 2;
  next_window_ = counter_ + window_size_;
  if (next_window_ != last) {
    const unsigned next_boundary = next_window_ + 2 * window_size_;
    if (next_boundary >= num_warmup_ - term_buffer_) next_window_ = last;
  }
}

MetricEstimator::MetricEstimator(int dim, bool dense) : dense_(dense) {
  mean_.setZero(dim);
  delta_.setZero(dim);
  if (dense)
    m2_dense_.setZero(dim, dim);
  else
    m2_.setZero(dim);
}

void MetricEstimator::restart() {
  n_ = 0;
  mean_.setZero();
  if (dense_)
    m2_dense_.setZero();
  else
    m2_.setZero();
}

void MetricEstimator::add_sample(const Eigen::VectorXd& q) {
  ++n_;
  delta_ = q - mean_;
  mean_ += delta_ / static_cast<double>(n_);
  if (dense_)
    m2_dense_ += (q - mean_) * delta_.transpose();
  else
    m2_ += delta_.cwiseProduct(q - mean_);
}

namespace {
const char* kOverflow =
    "Numerical overflow in metric adaptation. This occurs when the sampler encounters "
    "extreme values on the unconstrained space; this may happen when the posterior density "
    "function is too wide or improper. There may be problems with your model specification.";
}

Eigen::VectorXd MetricEstimator::regularized_variance() const {
  const double n = static_cast<double>(n_);
  Eigen::VectorXd var = m2_ / (n - 1.0);
  var = (n / (n + 5.0)) * var + 1e-3 * (5.0 / (n + 5.0)) * Eigen::VectorXd::Ones(var.size());
  if (!var.allFinite()) throw std::runtime_error(kOverflow);
  return var;
}

Eigen::MatrixXd MetricEstimator::regularized_covariance() const {
  const double n = static_cast<double>(n_);
  Eigen::MatrixXd cov = m2_dense_ / (n - 1.0);
  cov = (n / (n + 5.0)) * cov +
        1e-3 * (5.0 / (n + 5.0)) * Eigen::MatrixXd::Identity(cov.rows(), cov.cols());
  if (!cov.allFinite()) throw std::runtime_error(kOverflow);
  return cov;
}

}  // namespace mvc::nuts
