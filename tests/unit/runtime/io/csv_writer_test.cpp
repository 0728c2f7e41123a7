#include "io/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "io/cli.h"
#include "io/config_block.h"

namespace mvc::io {
namespace {

const char* kReference = MVC_FORMATS_DIR "/cmdstan-2.37-sample-bernoulli.csv";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::vector<double> parse_row(const std::string& line) {
  std::vector<double> v;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) v.push_back(std::stod(f));
  return v;
}

// Writes, with our writer, a file with the reference file's content and compares lines.
TEST(CsvWriter, MatchesCmdStanReferenceLineForLine) {
  const std::vector<std::string> ref = read_lines(kReference);
  ASSERT_GT(ref.size(), 100u);

  std::vector<const char*> argv = {
      "./bernoulli", "sample", "num_samples=100", "adapt", "delta=0.95", "algorithm=hmc",
      "engine=nuts", "max_depth=11", "id=1", "data",
      "file=/Users/mitzi/github/stan-dev/cmdstanpy/test/files-data/bernoulli.data.json",
      "random", "seed=12345", "output",
      "file=/Users/mitzi/github/stan-dev/cmdstanpy/test/files-tmp/test1-bernoulli.output-1.csv"};
  // algorithm=hmc and engine=nuts are defaults in the reference: parse without them.
  argv.erase(argv.begin() + 5, argv.begin() + 7);
  const CommandLine cl = parse_command_line(static_cast<int>(argv.size()), argv.data());
  ConfigContext ctx;
  ctx.model_name = "bernoulli_model";
  ctx.chain_id = 1;
  ctx.output_file = cl.options.output_file;
  ctx.seed = 12345;

  const std::string path = ::testing::TempDir() + "mvc_csv_writer_test.csv";
  {
    CsvWriter w(path, -1);
    w.write_comments(config_lines(*cl.tree, ctx));
    std::size_t i = 0;
    while (ref[i].rfind("lp__", 0) != 0) ++i;
    std::vector<std::string> names;
    std::istringstream h(ref[i]);
    for (std::string n; std::getline(h, n, ',');) names.push_back(n);
    w.write_header(names);
    w.write_adaptation(0.738376, "diag_e", {0.524282});
    for (i += 5; ref[i][0] != '#'; ++i) w.write_draw(parse_row(ref[i]));
    w.write_timing(0.014107, 0.002773);
  }
  const std::vector<std::string> out = read_lines(path);
  std::remove(path.c_str());

  // Config block: the reference's lines, except what differs between CmdStan versions:
  // the version itself (the reference is a 2.19-era file), id's default (0 then, 1 now;
  // CmdStan marks a value equal to the default "(Default)"), and the lines newer CmdStan
  // writes (num_chains, sig_figs, num_threads).
  std::vector<std::string> expected;
  for (std::size_t i = 0; ref[i][0] == '#'; ++i) {
    std::string l = ref[i];
    if (l == "# stan_version_minor = 19") l = "# stan_version_minor = 37";
    if (l == "# stan_version_patch = 1") l = "# stan_version_patch = 0";
    if (l == "# id = 1") l = "# id = 1 (Default)";
    expected.push_back(l);
    if (l == "#         stepsize_jitter = 0 (Default)")
      expected.push_back("#     num_chains = 1 (Default)");
    if (l == "#   refresh = 100 (Default)") {
      expected.push_back("#   sig_figs = -1 (Default)");
      expected.push_back("# num_threads = 1 (Default)");
    }
  }
  ASSERT_GE(out.size(), expected.size());
  EXPECT_EQ(std::vector<std::string>(out.begin(), out.begin() + expected.size()), expected);
  // Everything from the header on is identical (timing totals included).
  std::size_t r = 0, o = 0;
  while (ref[r].rfind("lp__", 0) != 0) ++r;
  while (out[o].rfind("lp__", 0) != 0) ++o;
  EXPECT_EQ(o, expected.size());
  ASSERT_EQ(ref.size() - r, out.size() - o);
  for (; r < ref.size(); ++r, ++o) EXPECT_EQ(out[o], ref[r]);
}

TEST(CsvWriter, IntegerColumnsSigFigsAndSpecialValues) {
  const std::string path = ::testing::TempDir() + "mvc_csv_writer_test2.csv";
  {
    CsvWriter w(path, 3);
    w.write_header({"lp__", "treedepth__", "n_leapfrog__", "divergent__", "x"});
    w.write_draw({-1.23456, 3, 1023, 0, 1.0 / 3});
    w.write_draw({1e-7, 10, 1e6, 1, NAN});
    w.write_adaptation(0.123456, "dense_e", {1, 0.5, 0.5, 2});
  }
  const std::vector<std::string> out = read_lines(path);
  std::remove(path.c_str());
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[1], "-1.23,3,1023,0,0.333");
  EXPECT_EQ(out[2], "1e-07,10,1000000,1,nan");
  EXPECT_EQ(out[3], "# Adaptation terminated");
  EXPECT_EQ(out[4], "# Step size = 0.123");
  EXPECT_EQ(out[5], "# Elements of inverse mass matrix:");
  EXPECT_EQ(out[6], "# 1, 0.5");
  EXPECT_EQ(out[7], "# 0.5, 2");
}

// Numbers are printed with std::to_chars; they must read exactly as a C++ stream with the
// precision prints them (what CmdStan writes), over magnitudes, signs, roundings and the
// sig_figs range (0 to 18, what the command line accepts).
TEST(CsvWriter, NumbersPrintAsTheStreamDoes) {
  const std::string path = ::testing::TempDir() + "mvc_csv_writer_test3.csv";
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-10, 10);
  std::uniform_int_distribution<int> exponent(-320, 308);
  // Exact ties (2.5, 0.125, 9.5, 999999.5 round half to even) and magnitudes at the switch
  // between fixed and exponent notation.
  std::vector<double> values = {0.0, -0.0, 1, -1, 0.5, 2.5, 0.125, 9.5, 9.9999995, 999999.5,
                                1e-5, 0.0001, 123456789, 0.1, 1e308, 5e-324, 2.5e-310,
                                0.00012345675, 1e16, 1e21};
  for (int i = 0; i < 4000; ++i) values.push_back(mantissa(rng) * std::pow(10.0, exponent(rng)));
  for (int i = 0; i < 4000; ++i) values.push_back(std::round(mantissa(rng) * 1e6) / 1e3);
  for (int sig = 0; sig <= 18; ++sig) {
    CsvWriter w(path, sig);
    for (double x : values) {
      if (!std::isfinite(x)) continue;
      std::ostringstream stream;
      stream.precision(sig);
      stream << x;
      ASSERT_EQ(w.format(x), stream.str()) << "sig_figs " << sig << ", value " << x;
    }
  }
  std::remove(path.c_str());
}

TEST(CsvWriter, UnwritablePathIsAnError) {
  EXPECT_THROW(CsvWriter("/nonexistent/dir/out.csv", -1), std::runtime_error);
}

TEST(CsvWriter, SigFigsOutsideCmdStansRangeIsAnError) {
  const std::string path = testing::TempDir() + "/mvc_sigfigs.csv";
  EXPECT_THROW(CsvWriter(path, 19), std::invalid_argument);
  EXPECT_THROW(CsvWriter(path, -2), std::invalid_argument);
  CsvWriter w(path, 18);  // the largest: every double still fits the line
  EXPECT_EQ(w.format(-1.2345678901234567e-300), "-1.23456789012345676e-300");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace mvc::io
