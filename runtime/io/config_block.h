// The configuration comment block at the top of a Stan CSV file, in CmdStan's layout:
//
//   # stan_version_major = 2
//   ...
//   # method = sample (Default)
//   #   sample
//   #     num_samples = 100
//   #     num_warmup = 1000 (Default)
//
// Two spaces of indent per level of the argument tree, "(Default)" after values equal to the
// default (given or not, as CmdStan does), reals printed with 17 significant digits (0.05 -> 0.050000000000000003) and
// booleans as 0/1, exactly as CmdStan prints them.
#pragma once

#include <string>
#include <vector>

#include "arg_tree.h"

namespace mvc::io {

// The Stan version whose CSV layout mvc writes; readers such as cmdstanpy look at it.
inline constexpr int kStanCsvVersion[3] = {2, 37, 0};

// Values that differ per chain or are decided at run time.
struct ConfigContext {
  std::string model_name;
  int chain_id = 1;
  std::string output_file;     // this chain's file
  unsigned long long seed = 0;  // the seed actually used
};

// The comment lines, each starting with "#", without newlines.
std::vector<std::string> config_lines(const ArgNode& root, const ConfigContext& ctx);

}  // namespace mvc::io
