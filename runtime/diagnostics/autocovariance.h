// Autocovariance of one chain, as posterior::autocovariance computes it.
#pragma once

#include <vector>

#include "draw_stats.h"

namespace mvc::diag {

// Biased autocovariance (Geyer 1992) at lags 0..n-1:
//   acov[k] = (1/n) * sum_{t=0}^{n-1-k} (x[t] - xbar) (x[t+k] - xbar).
// Computed by FFT in O(n log n), zero-padded to a power of two >= 2n so that the circular
// correlation equals the linear one. All zeros when the chain is constant, as in posterior.
std::vector<double> autocovariance(const std::vector<double>& x);

// The mean over the chains of autocovariance(chain) (what posterior's .ess averages), into
// `acov`. The transform is linear, so this sums the chains' power spectra and transforms back
// once, instead of once per chain.
void mean_autocovariance(ChainsView chains, std::vector<double>& acov);
// The same at the first `lags` lags only (all n when lags >= n), by direct sums in O(n lags):
// less work than the FFT when only a few lags are needed. `acov` holds the lags an earlier
// call computed for the same chains (or none); only the lags after those are summed.
void extend_mean_autocovariance(ChainsView chains, std::size_t lags, std::vector<double>& acov);

}  // namespace mvc::diag
