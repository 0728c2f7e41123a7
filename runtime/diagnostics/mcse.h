// Monte Carlo standard errors, as posterior::mcse_mean and posterior::mcse_quantile.
#pragma once

#include "draw_stats.h"

namespace mvc::diag {

// sd(all draws) / sqrt(ess_mean). NaN for constant or non-finite draws.
double mcse_mean(const VariableDraws& chains);

// Half the width of a +-1 sd interval for the quantile at `prob`: with S draws and
// E = ess_quantile(prob), a = qbeta((0.1586553, 0.8413447), E prob + 1, E (1 - prob) + 1)
// and the MCSE is (x_(ceil(a2 S)) - x_(floor(a1 S))) / 2 on the sorted draws
// (Vehtari et al. 2021, section 4.3).
double mcse_quantile(const VariableDraws& chains, double prob);

}  // namespace mvc::diag
