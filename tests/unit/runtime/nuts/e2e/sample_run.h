// Runs a model program's `sample` method and reads back its per-chain CSV files.
#pragma once

#include <string>
#include <vector>

#include "csv_read.h"
#include "run_program.h"

namespace mvc::testing {

struct SampleRun {
  ProgramResult result;
  std::string dir;
  std::vector<Csv> chains;

  // The post-warmup draws of column `name`, one vector per chain.
  std::vector<std::vector<double>> draws(const std::string& name) const {
    std::vector<std::vector<double>> out;
    for (const Csv& c : chains) out.push_back(c.values(name, c.has_adaptation ? c.adaptation_line : 0));
    return out;
  }
  double sum(const std::string& name) const {
    double s = 0;
    for (const auto& c : draws(name))
      for (double x : c) s += x;
    return s;
  }
};

// `sample <args> num_chains=<n> output file=out.csv random seed=<seed>` in a fresh directory.
inline SampleRun run_sample(const std::string& model, const std::string& test_name,
                            const std::vector<std::string>& sample_args, int num_chains,
                            int seed, const std::vector<std::string>& extra = {}) {
  SampleRun run;
  run.dir = test_dir(test_name);
  std::vector<std::string> args = {"sample"};
  args.insert(args.end(), sample_args.begin(), sample_args.end());
  args.push_back("num_chains=" + std::to_string(num_chains));
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"output", "file=out.csv", "refresh=0", "random",
                           "seed=" + std::to_string(seed)});
  run.result = run_program(model, args, run.dir);
  for (int i = 1; i <= num_chains; ++i)
    run.chains.push_back(read_csv(run.dir + (num_chains == 1 ? "/out.csv"
                                                             : "/out_" + std::to_string(i) + ".csv")));
  return run;
}

}  // namespace mvc::testing
