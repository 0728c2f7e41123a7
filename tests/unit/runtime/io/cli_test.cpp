#include "io/cli.h"

#include <gtest/gtest.h>

namespace mvc::io {
namespace {

CommandLine parse(std::vector<const char*> args) {
  args.insert(args.begin(), "./model");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

std::string usage_error(std::vector<const char*> args) {
  try {
    parse(std::move(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Cli, DefaultsAreCmdStans) {
  const SampleOptions o = parse({"sample"}).options;
  EXPECT_EQ(o.num_samples, 1000);
  EXPECT_EQ(o.num_warmup, 1000);
  EXPECT_FALSE(o.save_warmup);
  EXPECT_EQ(o.thin, 1);
  EXPECT_TRUE(o.adapt_engaged);
  EXPECT_DOUBLE_EQ(o.delta, 0.8);
  EXPECT_DOUBLE_EQ(o.gamma, 0.05);
  EXPECT_DOUBLE_EQ(o.kappa, 0.75);
  EXPECT_DOUBLE_EQ(o.t0, 10);
  EXPECT_EQ(o.init_buffer, 75);
  EXPECT_EQ(o.term_buffer, 50);
  EXPECT_EQ(o.window, 25);
  EXPECT_EQ(o.max_depth, 10);
  EXPECT_EQ(o.metric, "diag_e");
  EXPECT_EQ(o.init, "2");
  EXPECT_EQ(o.seed, -1);
  EXPECT_EQ(o.output_file, "output.csv");
  EXPECT_EQ(o.refresh, 100);
  EXPECT_EQ(o.sig_figs, -1);
  EXPECT_EQ(o.num_chains, 1);
  EXPECT_EQ(o.num_threads, 1);
  EXPECT_FALSE(o.fixed_param);
}

TEST(Cli, FullCommandLine) {
  const CommandLine cl = parse(
      {"sample", "num_samples=200", "num_warmup=300", "save_warmup=1", "thin=2", "adapt",
       "delta=0.95", "gamma=0.1", "kappa=0.8", "t0=5", "init_buffer=10", "term_buffer=20",
       "window=5", "engaged=0", "algorithm=hmc", "engine=nuts", "max_depth=12",
       "metric=dense_e", "metric_file=m.json", "stepsize=0.5", "stepsize_jitter=0.1",
       "num_chains=4", "id=3", "data", "file=d.json", "init=0.5", "random", "seed=42",
       "output", "file=out.csv", "refresh=10", "sig_figs=9", "num_threads=2"});
  const SampleOptions& o = cl.options;
  EXPECT_EQ(cl.command, CommandLine::Command::Sample);
  EXPECT_EQ(o.num_samples, 200);
  EXPECT_EQ(o.num_warmup, 300);
  EXPECT_TRUE(o.save_warmup);
  EXPECT_EQ(o.thin, 2);
  EXPECT_DOUBLE_EQ(o.delta, 0.95);
  EXPECT_DOUBLE_EQ(o.gamma, 0.1);
  EXPECT_DOUBLE_EQ(o.kappa, 0.8);
  EXPECT_DOUBLE_EQ(o.t0, 5);
  EXPECT_EQ(o.init_buffer, 10);
  EXPECT_EQ(o.term_buffer, 20);
  EXPECT_EQ(o.window, 5);
  EXPECT_FALSE(o.adapt_engaged);
  EXPECT_EQ(o.max_depth, 12);
  EXPECT_EQ(o.metric, "dense_e");
  EXPECT_EQ(o.metric_file, "m.json");
  EXPECT_DOUBLE_EQ(o.stepsize, 0.5);
  EXPECT_DOUBLE_EQ(o.stepsize_jitter, 0.1);
  EXPECT_EQ(o.num_chains, 4);
  EXPECT_EQ(o.id, 3);
  EXPECT_EQ(o.data_file, "d.json");
  EXPECT_EQ(o.init, "0.5");
  EXPECT_EQ(o.seed, 42);
  EXPECT_EQ(o.output_file, "out.csv");
  EXPECT_EQ(o.refresh, 10);
  EXPECT_EQ(o.sig_figs, 9);
  EXPECT_EQ(o.num_threads, 2);
}

TEST(Cli, MethodEqualsSampleAndParentScopes) {
  // After `adapt delta=...`, num_warmup is found in the parent scope (sample).
  const SampleOptions o =
      parse({"method=sample", "adapt", "delta=0.9", "num_warmup=50", "output", "file=o.csv"})
          .options;
  EXPECT_DOUBLE_EQ(o.delta, 0.9);
  EXPECT_EQ(o.num_warmup, 50);
  EXPECT_EQ(o.output_file, "o.csv");
}

TEST(Cli, ArgumentsOfDefaultAlternativesNeedNoPath) {
  const SampleOptions o = parse({"sample", "max_depth=12", "metric=dense_e", "num_samples=5"}).options;
  EXPECT_EQ(o.max_depth, 12);
  EXPECT_EQ(o.metric, "dense_e");
  EXPECT_EQ(o.num_samples, 5);
}

TEST(Cli, ArgumentsOfTheChosenMethodAfterOtherCategories) {
  // Lookup falls back to the chosen alternatives (method=sample by default), so an argument
  // of sample after `data file=...` is still found.
  EXPECT_EQ(parse({"sample", "data", "file=d.json", "num_samples=10"}).options.num_samples, 10);
}

TEST(Cli, FixedParam) {
  EXPECT_TRUE(parse({"sample", "algorithm=fixed_param"}).options.fixed_param);
}

TEST(Cli, InfoAndHelp) {
  EXPECT_EQ(parse({"info"}).command, CommandLine::Command::Info);
  EXPECT_EQ(parse({"help"}).command, CommandLine::Command::Help);
  EXPECT_EQ(parse({"help-all"}).command, CommandLine::Command::Help);
  EXPECT_EQ(parse({"sample", "help"}).command, CommandLine::Command::Help);
}

TEST(Cli, UsageErrors) {
  EXPECT_EQ(usage_error({}), "No method given: expected sample, info or help.");
  EXPECT_EQ(usage_error({"sample", "num_smples=10"}), "num_smples=10 is either mistyped or misplaced.");
  EXPECT_EQ(usage_error({"optimize"}), "optimize is either mistyped or misplaced.");
  EXPECT_EQ(usage_error({"sample", "num_samples=-1"}),
            "num_samples=-1 is not a valid value for \"num_samples\"\n  Valid values: 0 <= num_samples");
  EXPECT_EQ(usage_error({"sample", "num_samples=abc"}),
            "num_samples=abc is not a valid value for \"num_samples\"\n  Valid values: 0 <= num_samples");
  EXPECT_EQ(usage_error({"sample", "num_samples"}),
            "num_samples is not a valid value for \"num_samples\"\n  Valid values: 0 <= num_samples");
  EXPECT_EQ(usage_error({"sample", "adapt", "delta=1.5"}),
            "delta=1.5 is not a valid value for \"delta\"\n  Valid values: 0 < delta < 1");
  EXPECT_EQ(usage_error({"sample", "metric=euclid"}),
            "metric=euclid is not a valid value for \"metric\"\n  Valid values: unit_e, diag_e, dense_e");
  EXPECT_EQ(usage_error({"sample", "algorithm=rwm"}),
            "algorithm=rwm is not a valid value for \"algorithm\"\n  Valid values: hmc, fixed_param");
  EXPECT_EQ(usage_error({"sample", "adapt=1"}), "adapt=1: \"adapt\" takes no value");
  EXPECT_EQ(usage_error({"sample", "num_threads=0"}),
            "num_threads=0 is not a valid value for \"num_threads\"\n  Valid values: num_threads == -1 or 0 < num_threads");
  EXPECT_EQ(usage_error({"sample", "adapt", "save_warmup=yes"}),
            "save_warmup=yes is not a valid value for \"save_warmup\"\n  Valid values: 0, 1, false, true");
  EXPECT_EQ(usage_error({"info", "extra"}), "extra is either mistyped or misplaced.");
  EXPECT_EQ(usage_error({"sample", "output", "diagnostic_file=d.csv"}),
            "output diagnostic_file is not supported by mvc");
}

TEST(Cli, ChainOutputPaths) {
  EXPECT_EQ(chain_output_path("output.csv", 1, 1), "output.csv");
  EXPECT_EQ(chain_output_path("output.csv", 1, 4), "output_1.csv");
  EXPECT_EQ(chain_output_path("output.csv", 4, 4), "output_4.csv");
  EXPECT_EQ(chain_output_path("dir.v2/out", 2, 2), "dir.v2/out_2");
}

}  // namespace
}  // namespace mvc::io
