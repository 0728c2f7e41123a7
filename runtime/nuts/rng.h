// The sampler's random number generator: one independent stream per chain.
//
// Engine: std::mt19937_64, whose output sequence the C++ standard specifies exactly, so
// draws are the same with every compiler and standard library. The distributions are our
// own (std::normal_distribution is implementation-defined):
//   uniform(): the top 53 bits of one engine output, times 2^-53: in [0, 1).
//   normal():  Marsaglia's polar method; the second variate of each pair is kept for the
//              next call.
// Seeding: the engine of chain `chain_id` is seeded with splitmix64 applied to the user seed
// and the chain id (see rng.cpp), so a chain's stream depends only on (seed, chain id),
// never on which thread runs it or how many threads there are.
#pragma once

#include <cstdint>
#include <random>

namespace mvc::nuts {

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t chain_id);

  double uniform();
  double normal();
  // A 32-bit value for seeding other generators (the model's bs_rng).
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_() >> 32); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace mvc::nuts
