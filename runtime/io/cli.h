// The sampler program's command line, in CmdStan's grammar (see arg_tree.h for the tree).
//
//   ./model sample num_samples=1000 adapt delta=0.9 algorithm=hmc engine=nuts max_depth=12
//      (continued) data file=d.json init=0.5 random seed=4 output file=out.csv num_threads=2
//   ./model info        model information (bs_model_info)
//   ./model help        usage
//
// Tokens are `name` or `name=value`, read left to right. A name is looked up among the
// arguments of the innermost open category, then of its parents (as CmdStan does), so
// `sample adapt delta=0.9 num_warmup=500` works, while an argument of `sample` given after
// `data file=...` is misplaced. A bare alternative name (`sample`, `fixed_param`) selects it.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "arg_tree.h"

namespace mvc::io {

// A malformed command line. what() is the full message for the user (CmdStan style).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SampleOptions {
  // sample
  int num_samples = 1000;
  int num_warmup = 1000;
  bool save_warmup = false;
  int thin = 1;
  // sample adapt
  bool adapt_engaged = true;
  double gamma = 0.05, delta = 0.8, kappa = 0.75, t0 = 10;
  int init_buffer = 75, term_buffer = 50, window = 25;
  // sample algorithm
  bool fixed_param = false;
  int max_depth = 10;
  std::string metric = "diag_e";  // unit_e, diag_e or dense_e
  std::string metric_file;
  double stepsize = 1, stepsize_jitter = 0;
  int num_chains = 1;
  // top level
  int id = 1;
  std::string data_file;
  std::string init = "2";
  long long seed = -1;  // -1: not given (the program picks one from the clock)
  std::string output_file = "output.csv";
  std::string diagnostic_file;
  int refresh = 100;
  int sig_figs = -1;  // -1: CmdStan's default, 6 significant digits
  int num_threads = 1;
};

struct CommandLine {
  enum class Command { Sample, Info, Help };
  Command command = Command::Sample;
  SampleOptions options;
  std::shared_ptr<ArgNode> tree;  // the parsed tree, for the CSV config block
};

// Parses argv[1..argc). Throws UsageError.
CommandLine parse_command_line(int argc, const char* const* argv);

// The usage text printed by `help` and after a usage error. `program` is argv[0].
std::string usage_text(const std::string& program);

// CmdStan's per-chain output name: with one chain the file itself; with several,
// "out.csv" -> "out_<chain_id>.csv" (suffix before the extension, if any).
std::string chain_output_path(const std::string& file, int chain_id, int num_chains);

}  // namespace mvc::io
