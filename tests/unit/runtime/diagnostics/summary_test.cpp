#include "summary.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fixtures.h"

namespace mvc::diag {
namespace {

// Golden files live in tests/fixtures/diagnostics/golden; MVC_UPDATE_GOLDEN=1 rewrites them
// (then read the diff before committing).
void expect_golden(const std::string& text, const std::string& name) {
  const std::string path = testing::fixture_path("golden/" + name);
  if (std::getenv("MVC_UPDATE_GOLDEN")) {
    std::ofstream(path) << text;
    return;
  }
  EXPECT_EQ(text, testing::read_text(path)) << "golden file " << path << " differs; MVC_UPDATE_GOLDEN=1 rewrites it";
}

// Four chains of 200 draws with sampler columns and parameters taken from the fixture draw
// sets, so that the expected numbers are those checked against posterior elsewhere.
std::vector<ChainDraws> fixture_run(bool with_problems) {
  const VariableDraws ar = testing::load_draws("ar1_rho09");
  const VariableDraws mu = testing::load_draws("iid_normal");
  const VariableDraws tau = testing::load_draws(with_problems ? "shifted_chain" : "discrete_ties");
  const VariableDraws theta = testing::load_draws(with_problems ? "ar1_rho099" : "heavy_tailed");
  const VariableDraws fixed = testing::load_draws("constant");
  std::vector<ChainDraws> chains(4);
  for (std::size_t c = 0; c < 4; ++c) {
    chains[c].names = {"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__",
                       "energy__", "mu", "tau", "theta.1", "theta.2"};
    for (std::size_t i = 0; i < 200; ++i) {
      const bool divergent = with_problems && c == 1 && i % 50 == 0;
      const double depth = with_problems && c == 3 && i < 7 ? 10 : 3;
      // iid energy has E-BFMI near 2; this AR(1) chain with rho 0.9 has 0.176.
      const double energy = with_problems && c == 3 ? 10 + ar[c][i] : 10 + mu[c][i];
      const double lp = with_problems ? -ar[c][i] : -0.5 * mu[c][i] * mu[c][i];
      chains[c].draws.push_back({lp, 0.9, 0.5, depth, 7, divergent ? 1.0 : 0.0, energy, mu[c][i], tau[c][i],
                                 theta[c][i], fixed[c][i]});
    }
  }
  return chains;
}

TEST(PrintSummary, CleanRunGolden) {
  std::ostringstream out;
  print_summary(out, fixture_run(false), 10);
  expect_golden(out.str(), "summary_clean.txt");
}

TEST(PrintSummary, RunWithEveryProblemGolden) {
  std::ostringstream out;
  print_summary(out, fixture_run(true), 10);
  expect_golden(out.str(), "summary_problems.txt");
}

TEST(PrintSummary, SigFigsControlsTheDigits) {
  std::ostringstream out;
  print_summary(out, fixture_run(false), 10, 3);
  expect_golden(out.str(), "summary_sig_figs_3.txt");
}

TEST(PrintSummary, ConstantColumnPrintsNa) {
  std::ostringstream out;
  print_summary(out, fixture_run(false), 10);
  std::istringstream lines(out.str());
  std::string line;
  bool found = false;
  while (std::getline(lines, line))
    if (line.rfind("theta.2 ", 0) == 0) {
      found = true;
      EXPECT_NE(line.find("NA"), std::string::npos) << line;
      EXPECT_EQ(line.find("nan"), std::string::npos) << line;
    }
  EXPECT_TRUE(found);
}

TEST(PrintSummary, NoDraws) {
  std::ostringstream out;
  print_summary(out, {}, 10);
  EXPECT_EQ(out.str(), "No draws to summarize.\n");
  print_summary(out, {ChainDraws{{"lp__"}, {}}}, 10);
  EXPECT_EQ(out.str(), "No draws to summarize.\nNo draws to summarize.\n");
}

TEST(PrintSummary, ChainsWithDifferentColumnsAreRefused) {
  std::ostringstream out;
  print_summary(out, {ChainDraws{{"lp__", "a"}, {{0, 1}}}, ChainDraws{{"lp__", "b"}, {{0, 1}}}}, 10);
  EXPECT_EQ(out.str(), "Cannot summarize: the chains have different columns.\n");
}

TEST(PrintSummary, UnequalChainsUseTheCommonLength) {
  std::vector<ChainDraws> chains = fixture_run(false);
  chains[2].draws.resize(150);
  std::ostringstream out;
  print_summary(out, chains, 10);
  EXPECT_NE(out.str().find("4 chains with 150 draws each (600 draws in total)\n"
                           "Note: the chains have unequal numbers of draws; the summary uses the first 150 draws of "
                           "each chain.\n"),
            std::string::npos)
      << out.str();
}

// Threads share the variables out; the printed summary is the same.
TEST(PrintSummary, ThreadsPrintTheSameSummary) {
  for (bool problems : {false, true}) {
    const std::vector<ChainDraws> chains = fixture_run(problems);
    std::ostringstream one, two;
    print_summary(one, chains, 10);
    print_summary(two, chains, 10, 6, 2);
    EXPECT_EQ(two.str(), one.str());
  }
}

// The sampler's path: columns read a block at a time (here 1 to 3 columns per block, and the
// sampler's columns once for the warnings) gives exactly the in-memory summary.
TEST(PrintSummary, BlockedReadingGivesTheSameSummary) {
  for (bool problems : {false, true}) {
    std::vector<ChainDraws> chains = fixture_run(problems);
    chains[1].draws.resize(180);  // unequal lengths too
    std::ostringstream whole;
    print_summary(whole, chains, 10);
    std::vector<std::size_t> lengths;
    for (const auto& c : chains) lengths.push_back(c.draws.size());
    const std::size_t total = 200 * 3 + 180;
    for (std::size_t width : {1, 2, 3, 100}) {
      int reads = 0;
      auto read = [&](std::size_t c0, std::size_t c1, std::vector<ChainDraws>& block) {
        ++reads;
        block.assign(chains.size(), {});
        for (std::size_t k = 0; k < chains.size(); ++k) {
          block[k].names.assign(chains[k].names.begin() + c0, chains[k].names.begin() + c1);
          for (const auto& row : chains[k].draws) block[k].draws.emplace_back(row.begin() + c0, row.begin() + c1);
        }
      };
      std::ostringstream blocked;
      print_summary_blocked(blocked, chains.front().names, lengths, read, 10, width * total * sizeof(double));
      EXPECT_EQ(blocked.str(), whole.str()) << "columns per block " << width;
      const int columns = static_cast<int>(chains.front().names.size());
      EXPECT_EQ(reads, 1 + (columns + static_cast<int>(width) - 1) / static_cast<int>(width)) << width;
    }
  }
}

}  // namespace
}  // namespace mvc::diag
