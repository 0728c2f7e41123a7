#include "sampler_diagnostics.h"

#include <algorithm>
#include <limits>

#include "draw_stats.h"

namespace mvc::diag {

double ebfmi(const std::vector<double>& energy) {
  if (energy.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean(energy);
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < energy.size(); ++i) {
    if (i > 0) num += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]);
    den += (energy[i] - m) * (energy[i] - m);
  }
  if (den == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return num / den;
}

SamplerChainStats sampler_chain_stats(const ChainDraws& chain, int max_treedepth) {
  auto column = [&](const char* name) -> long {
    const auto it = std::find(chain.names.begin(), chain.names.end(), name);
    return it == chain.names.end() ? -1 : static_cast<long>(it - chain.names.begin());
  };
  const long div = column("divergent__"), depth = column("treedepth__"), energy = column("energy__");
  SamplerChainStats s;
  s.draws = chain.draws.size();
  s.has_divergent = div >= 0;
  s.has_treedepth = depth >= 0;
  s.has_energy = energy >= 0;
  std::vector<double> e;
  for (const auto& row : chain.draws) {
    if (div >= 0 && row[div] != 0.0) ++s.divergent;
    if (depth >= 0 && row[depth] >= max_treedepth) ++s.treedepth_hits;
    if (energy >= 0) e.push_back(row[energy]);
  }
  s.ebfmi = energy >= 0 ? ebfmi(e) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace mvc::diag
