// Autocovariance of one chain, as posterior::autocovariance computes it.
#pragma once

#include <vector>

namespace mvc::diag {

// Biased autocovariance (Geyer 1992) at lags 0..n-1:
//   acov[k] = (1/n) * sum_{t=0}^{n-1-k} (x[t] - xbar) (x[t+k] - xbar).
// Computed by FFT in O(n log n), zero-padded to a power of two >= 2n so that the circular
// correlation equals the linear one. All zeros when the chain is constant, as in posterior.
std::vector<double> autocovariance(const std::vector<double>& x);

}  // namespace mvc::diag
