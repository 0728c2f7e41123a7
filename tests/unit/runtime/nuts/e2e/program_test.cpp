// The sampler program's command line, files and return codes, run as a user would.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sample_run.h"

namespace mvc::testing {
namespace {

// The CSV without the lines that legitimately differ between runs: timing and file names.
std::string body(const std::string& path) {
  std::ifstream in(path);
  std::string out;
  for (std::string l; std::getline(in, l);) {
    if (l.find("Elapsed Time") != std::string::npos || l.find("seconds (") != std::string::npos ||
        l.rfind("#   file = ", 0) == 0)
      continue;
    out += l + "\n";
  }
  return out;
}

TEST(Program, SameSeedSameDrawsWhateverTheThreadCount) {
  const std::vector<std::string> args = {"num_samples=200", "num_warmup=200"};
  const SampleRun one = run_sample(MVC_MODEL_BANANA, "repro1", args, 3, 8, {"num_threads=1"});
  const SampleRun two = run_sample(MVC_MODEL_BANANA, "repro2", args, 3, 8, {"num_threads=2"});
  const SampleRun all = run_sample(MVC_MODEL_BANANA, "repro3", args, 3, 8, {"num_threads=-1"});
  ASSERT_EQ(one.result.exit_code, 0) << one.result.err;
  ASSERT_EQ(two.result.exit_code, 0) << two.result.err;
  ASSERT_EQ(all.result.exit_code, 0) << all.result.err;
  for (int i = 1; i <= 3; ++i) {
    const std::string f = "/out_" + std::to_string(i) + ".csv";
    const std::string a = body(one.dir + f), b = body(two.dir + f), c = body(all.dir + f);
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a.find("num_threads"), a.rfind("num_threads"));
    // The config block records num_threads; everything else is identical.
    auto strip_threads = [](std::string s) {
      const auto p = s.find("# num_threads = ");
      return s.erase(p, s.find('\n', p) - p);
    };
    EXPECT_EQ(strip_threads(a), strip_threads(b)) << f;
    EXPECT_EQ(strip_threads(a), strip_threads(c)) << f;
  }
  // Chains differ from each other.
  EXPECT_NE(one.chains[0].rows, one.chains[1].rows);
  // A chain depends only on (seed, chain id): id=2 alone reproduces the second chain.
  const SampleRun alone = run_sample(MVC_MODEL_BANANA, "repro4", args, 1, 8, {"id=2"});
  ASSERT_EQ(alone.result.exit_code, 0) << alone.result.err;
  EXPECT_EQ(alone.chains[0].rows, one.chains[1].rows);
}

TEST(Program, OutputFilesAreNamedAsCmdStanNamesThem) {
  const SampleRun run = run_sample(MVC_MODEL_STD_NORMAL, "names",
                                   {"num_samples=10", "num_warmup=10"}, 3, 1, {"id=5"});
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  for (int id : {5, 6, 7}) {
    const std::string f = run.dir + "/out_" + std::to_string(id) + ".csv";
    ASSERT_TRUE(std::filesystem::exists(f)) << f;
    const Csv c = read_csv(f);
    EXPECT_EQ(c.rows.size(), 10u);
    bool has_id = false, has_file = false;
    for (const auto& l : c.comments_before_header) {
      has_id |= l == "# id = " + std::to_string(id);
      has_file |= l == "#   file = out_" + std::to_string(id) + ".csv";
    }
    EXPECT_TRUE(has_id && has_file) << f;
  }
  // Default name: output.csv.
  const std::string dir = test_dir("default_name");
  const ProgramResult r = run_program(MVC_MODEL_STD_NORMAL, {"sample", "num_samples=5", "num_warmup=5"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/output.csv"));
}

TEST(Program, SaveWarmupAndThin) {
  const SampleRun run = run_sample(MVC_MODEL_STD_NORMAL, "thin",
                                   {"num_samples=100", "num_warmup=50", "save_warmup=1", "thin=3"}, 1, 2);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const Csv& c = run.chains[0];
  EXPECT_EQ(c.adaptation_line, 17u);  // ceil(50 / 3) warmup rows
  EXPECT_EQ(c.rows.size(), 17u + 34u);
}

TEST(Program, MissingDataFile) {
  const SampleRun run = run_sample(MVC_MODEL_STD_NORMAL, "no_data", {"num_samples=5", "num_warmup=20"}, 1, 2,
                                   {"data", "file=d.json"});
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_NE(run.result.err.find("Error reading data file: cannot open d.json"), std::string::npos);
}

TEST(Program, DataFileAndSigFigs) {
  const std::string dir = test_dir("sigfigs2");
  std::ofstream(dir + "/d.json") << R"({"N": 2})";
  const ProgramResult r = run_program(
      MVC_MODEL_STD_NORMAL,
      {"sample", "num_samples=5", "num_warmup=20", "data", "file=d.json", "output", "sig_figs=12"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Csv c = read_csv(dir + "/output.csv");
  EXPECT_EQ(c.names.size(), 9u);  // 7 sampler columns + N = 2 parameters
  std::ifstream in(dir + "/output.csv");
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#' && line[0] != 'l') last = line;
  const std::string lp = last.substr(0, last.find(','));
  EXPECT_GE(lp.size(), 12u) << lp;  // 12 significant digits
}

TEST(Program, BadDataIsAnErrorWithItsPosition) {
  const std::string dir = test_dir("bad_data");
  std::ofstream(dir + "/d.json") << "{\n  \"N\": [1, 2\n}";
  const ProgramResult r = run_program(MVC_MODEL_STD_NORMAL, {"sample", "data", "file=d.json"}, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Error in model construction: d.json:3:1: JSON syntax error"), std::string::npos)
      << r.err;
}

TEST(Program, UsageErrors) {
  const std::string dir = test_dir("usage");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "No method given: expected sample, info or help."},
      {{"sample", "num_samples=abc"}, "num_samples=abc is not a valid value for \"num_samples\""},
      {{"sample", "bogus=1"}, "bogus=1 is either mistyped or misplaced."},
      {{"sample", "metric=foo"}, "metric=foo is not a valid value for \"metric\""},
      {{"sample", "num_warmup=0"},
       "The number of warmup samples (num_warmup) must be greater than zero if adaptation is enabled."},
  };
  for (const Case& c : cases) {
    const ProgramResult r = run_program(MVC_MODEL_STD_NORMAL, c.args, dir);
    EXPECT_EQ(r.exit_code, 1) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  const ProgramResult r = run_program(MVC_MODEL_STD_NORMAL, {"sample", "bogus=1"}, dir);
  EXPECT_NE(r.err.find("Failed to parse arguments, cannot run model."), std::string::npos);
}

TEST(Program, HelpAndInfo) {
  const std::string dir = test_dir("help");
  const ProgramResult h = run_program(MVC_MODEL_STD_NORMAL, {"help"}, dir);
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("Usage: "), std::string::npos);
  const ProgramResult i = run_program(MVC_MODEL_CONSTRAINED, {"info"}, dir);
  EXPECT_EQ(i.exit_code, 0);
  EXPECT_NE(i.out.find("constrained_model"), std::string::npos);
}

TEST(Program, InitsFromFileZeroAndFailure) {
  const std::string dir = test_dir("inits");
  // A partial init: sigma given, the rest drawn (fixed_param shows the initial point).
  std::ofstream(dir + "/init.json") << R"({"sigma": 2.5})";
  ProgramResult r = run_program(MVC_MODEL_CONSTRAINED,
                                {"sample", "algorithm=fixed_param", "num_samples=1",
                                 "init=init.json", "output", "file=a.csv"},
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Csv a = read_csv(dir + "/a.csv");
  ASSERT_EQ(a.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(a.rows[0][3], 2.5);                    // sigma, from the file
  EXPECT_LT(std::abs(a.rows[0][2]), 2.0);                 // mu, drawn in (-2, 2)
  EXPECT_NEAR(a.rows[0][4] + a.rows[0][5] + a.rows[0][6], 1.0, 1e-5);  // theta, drawn
  // The same partial init starts NUTS too.
  r = run_program(MVC_MODEL_CONSTRAINED,
                  {"sample", "num_warmup=0", "adapt", "engaged=0", "num_samples=1",
                   "init=init.json", "output", "file=a2.csv"},
                  dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A sigma that is not positive cannot start.
  std::ofstream(dir + "/bad.json") << R"({"sigma": -1})";
  r = run_program(MVC_MODEL_CONSTRAINED, {"sample", "init=bad.json", "output", "file=b.csv"}, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Rejecting initial value:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Initialization between (-2, 2) failed after 100 attempts."),
            std::string::npos) << r.err;
  // A complete init file is used as is: one fixed_param draw shows it.
  std::ofstream(dir + "/full.json") << R"({"mu": 0.5, "sigma": 2, "theta": [0.2, 0.3, 0.5]})";
  r = run_program(MVC_MODEL_CONSTRAINED,
                  {"sample", "algorithm=fixed_param", "num_warmup=50", "num_samples=3",
                   "init=full.json", "output", "file=c.csv"},
                  dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Csv c = read_csv(dir + "/c.csv");
  EXPECT_EQ(c.names[0], "lp__");
  EXPECT_EQ(c.names[1], "accept_stat__");
  EXPECT_EQ(c.names[2], "mu");
  ASSERT_EQ(c.rows.size(), 3u) << "fixed_param runs no warmup";
  EXPECT_FALSE(c.has_adaptation);
  for (const auto& row : c.rows) {
    EXPECT_DOUBLE_EQ(row[2], 0.5);
    EXPECT_DOUBLE_EQ(row[3], 2);
    EXPECT_NEAR(row[4], 0.2, 1e-6);
  }
  EXPECT_NEAR(c.rows[0][7], std::log(2.0), 1e-6);  // log_sigma, 6 significant digits
  EXPECT_NE(c.rows[0][8], c.rows[1][8]) << "y_rep is redrawn every iteration";
}

TEST(Program, MetricFileWithoutAdaptation) {
  const std::string dir = test_dir("metric_file");
  std::ofstream(dir + "/m.json") << R"({"inv_metric": [1, 1, 1, 1, 1]})";
  std::ofstream(dir + "/d.json") << R"({"N": 5})";
  const ProgramResult r = run_program(
      MVC_MODEL_STD_NORMAL,
      {"sample", "num_samples=50", "adapt", "engaged=0", "algorithm=hmc", "metric=diag_e",
       "metric_file=m.json", "stepsize=0.7", "data", "file=d.json"},
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Csv c = read_csv(dir + "/output.csv");
  EXPECT_FALSE(c.has_adaptation);
  EXPECT_EQ(c.rows.size(), 50u);
  EXPECT_DOUBLE_EQ(c.values("stepsize__")[0], 0.7);
  std::ofstream(dir + "/bad.json") << R"({"inv_metric": [1, 1]})";
  const ProgramResult bad = run_program(
      MVC_MODEL_STD_NORMAL, {"sample", "metric_file=bad.json", "data", "file=d.json"}, dir);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("inv_metric must be a vector of 5 elements for diag_e"), std::string::npos)
      << bad.err;
}

TEST(Program, UnitMetricAndShortWarmupWarning) {
  const SampleRun run = run_sample(MVC_MODEL_BANANA, "unit", {"num_warmup=100", "num_samples=20", "metric=unit_e"}, 1, 4);
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const auto& after = run.chains[0].comments_after_header;
  ASSERT_GE(after.size(), 3u);
  EXPECT_EQ(after[2], "# No free parameters for unit metric");
  const SampleRun diag = run_sample(MVC_MODEL_BANANA, "short", {"num_warmup=100", "num_samples=20"}, 1, 4);
  EXPECT_NE(diag.result.err.find("Reducing each adaptation stage to 15%/75%/10%"), std::string::npos);
}

}  // namespace
}  // namespace mvc::testing
