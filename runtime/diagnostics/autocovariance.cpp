#include "autocovariance.h"

#include <complex>
#include <unsupported/Eigen/FFT>

#include "draw_stats.h"

namespace mvc::diag {

std::vector<double> autocovariance(const std::vector<double>& x) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  if (n < 2 || variance(x) == 0.0) return std::vector<double>(n, 0.0);
  std::size_t padded = 1;
  while (padded < 2 * n) padded *= 2;
  const double xbar = mean(x);
  std::vector<std::complex<double>> signal(padded, 0.0);
  for (std::size_t i = 0; i < n; ++i) signal[i] = x[i] - xbar;

  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> freq;
  fft.fwd(freq, signal);
  for (auto& f : freq) f = std::norm(f);  // |F|^2: the transform of the autocorrelation
  std::vector<std::complex<double>> corr;
  fft.inv(corr, freq);  // Eigen scales the inverse by 1/padded

  std::vector<double> acov(n);
  for (std::size_t k = 0; k < n; ++k) acov[k] = corr[k].real() / static_cast<double>(n);
  return acov;
}

}  // namespace mvc::diag
