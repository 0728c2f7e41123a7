#include "autocovariance.h"

#include <algorithm>
#include <complex>
#include <unsupported/Eigen/FFT>

namespace mvc::diag {

namespace {

// The FFT and its buffers, one per thread. Eigen's kissfft keeps each size's plan and twiddle
// factors in the FFT object, so reusing the object saves recomputing them (a sincos per
// frequency) on every call; its scratch buffers make it unsafe to share between threads.
struct FftWorkspace {
  Eigen::FFT<double> fft;
  std::vector<double> signal;                  // one centered chain, zero-padded
  std::vector<std::complex<double>> spectrum;  // its transform, frequencies 0..padded/2
  std::vector<std::complex<double>> power;     // the sum of the chains' |spectrum|^2
  std::vector<double> correlation;             // the inverse transform of power

  FftWorkspace() {
    // The input is real, so its spectrum is conjugate-symmetric: Eigen then computes half of
    // it with a transform of half the length, and inverts a half spectrum the same way.
    fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  }
};

FftWorkspace& workspace() {
  thread_local FftWorkspace w;
  return w;
}

// Chain x (n >= 2 draws) minus its mean into y[0..n). False for a constant chain (variance 0),
// which contributes zeros, as in posterior. The test is variance(x, n) == 0, reusing y.
bool center_chain(const double* x, std::size_t n, std::vector<double>& y) {
  const double xbar = mean(x, n);
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = x[i] - xbar;
    ss += y[i] * y[i];
  }
  return ss / static_cast<double>(n - 1) != 0.0;
}

// sum_{t < n - k} y[t] y[t + k], in four interleaved partial sums: independent additions
// overlap in the pipeline (and pair up in vector registers), where one running sum would wait
// for each addition in turn.
double lagged_product_sum(const double* y, std::size_t n, std::size_t k) {
  const std::size_t len = n - k;
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t t = 0;
  for (; t + 4 <= len; t += 4) {
    s0 += y[t] * y[t + k];
    s1 += y[t + 1] * y[t + 1 + k];
    s2 += y[t + 2] * y[t + 2 + k];
    s3 += y[t + 3] * y[t + 3 + k];
  }
  for (; t < len; ++t) s0 += y[t] * y[t + k];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

std::vector<double> autocovariance(const std::vector<double>& x) {
  std::vector<double> acov;
  mean_autocovariance(ChainsView{x.data(), 1, x.size()}, acov);
  return acov;
}

void mean_autocovariance(ChainsView chains, std::vector<double>& acov) {
  const std::size_t n = chains.n;
  acov.assign(n, 0.0);
  if (n < 2) return;  // a single draw has no spread: zeros
  std::size_t padded = 1;
  while (padded < 2 * n) padded *= 2;
  FftWorkspace& w = workspace();
  w.signal.assign(padded, 0.0);
  w.spectrum.resize(padded / 2 + 1);
  w.power.assign(padded / 2 + 1, 0.0);
  bool any = false;
  for (std::size_t c = 0; c < chains.chains; ++c) {
    if (!center_chain(chains.chain(c), n, w.signal)) continue;
    w.fft.fwd(w.spectrum.data(), w.signal.data(), static_cast<Eigen::Index>(padded));
    // |F|^2: the transform of the autocorrelation.
    for (std::size_t k = 0; k < w.power.size(); ++k) w.power[k] += std::norm(w.spectrum[k]);
    any = true;
  }
  if (!any) return;
  w.correlation.resize(padded);
  w.fft.inv(w.correlation.data(), w.power.data(), static_cast<Eigen::Index>(padded));  // scaled by 1/padded
  const double scale = static_cast<double>(n) * static_cast<double>(chains.chains);
  for (std::size_t k = 0; k < n; ++k) acov[k] = w.correlation[k] / scale;
}

void extend_mean_autocovariance(ChainsView chains, std::size_t lags, std::vector<double>& acov) {
  const std::size_t n = chains.n, from = acov.size(), to = std::min(lags, n);
  if (to <= from) return;
  acov.resize(to, 0.0);
  if (n < 2) return;
  std::vector<double>& y = workspace().signal;
  y.resize(n);
  for (std::size_t c = 0; c < chains.chains; ++c) {
    if (!center_chain(chains.chain(c), n, y)) continue;
    for (std::size_t k = from; k < to; ++k) acov[k] += lagged_product_sum(y.data(), n, k);
  }
  const double scale = static_cast<double>(n) * static_cast<double>(chains.chains);
  for (std::size_t k = from; k < to; ++k) acov[k] /= scale;
}

}  // namespace mvc::diag
