// Per-chain diagnostics of the HMC sampler itself, read from the sampler columns of a chain:
// divergent__, treedepth__ and energy__.
#pragma once

#include <cstddef>
#include <vector>

#include "summary.h"

namespace mvc::diag {

struct SamplerChainStats {
  std::size_t draws = 0;
  std::size_t divergent = 0;           // draws with divergent__ != 0
  std::size_t treedepth_hits = 0;      // draws with treedepth__ >= max_treedepth
  double ebfmi = 0.0;                  // NaN when there is no energy__ column or too few draws
  bool has_divergent = false, has_treedepth = false, has_energy = false;  // columns present?
};

// Energy Bayesian fraction of missing information (Betancourt 2016, "Diagnosing suboptimal
// cotangent disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695, eq. 5):
//   E-BFMI = sum_{i=2}^{n} (E_i - E_{i-1})^2 / sum_{i=1}^{n} (E_i - mean(E))^2.
// NaN for fewer than 2 draws or constant energy.
double ebfmi(const std::vector<double>& energy);

SamplerChainStats sampler_chain_stats(const ChainDraws& chain, int max_treedepth);

}  // namespace mvc::diag
