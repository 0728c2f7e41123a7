#include "summary_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fixtures.h"

namespace mvc::diag {
namespace {

struct CommandResult {
  int code;
  std::string out, err;
};

CommandResult run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = summary_command(args, out, err);
  return {code, out.str(), err.str()};
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

const std::string kBernoulli = testing::fixture_path("cmdstan-2.37-sample-bernoulli.csv");

TEST(SummaryCommand, NoFilesPrintsUsage) {
  const CommandResult r = run({});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("mvc summary: no CSV files given\nusage: mvc summary ", 0), 0u) << r.err;
}

TEST(SummaryCommand, HelpPrintsUsageToOut) {
  const CommandResult r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("usage: mvc summary ", 0), 0u);
}

TEST(SummaryCommand, BadOptions) {
  EXPECT_EQ(run({"--bogus", kBernoulli}).err.rfind("mvc summary: unknown option '--bogus'\nusage:", 0), 0u);
  for (const char* bad : {"--sig-figs=0", "--sig-figs=18", "--sig-figs=x", "--sig-figs="}) {
    const CommandResult r = run({bad, kBernoulli});
    EXPECT_EQ(r.code, 1) << bad;
    EXPECT_NE(r.err.find("--sig-figs needs an integer from 1 to 17"), std::string::npos) << r.err;
  }
}

TEST(SummaryCommand, CmdStanFileGolden) {
  const CommandResult r = run({kBernoulli});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string golden = testing::fixture_path("golden/summary_bernoulli.txt");
  if (std::getenv("MVC_UPDATE_GOLDEN")) std::ofstream(golden) << r.out;
  EXPECT_EQ(r.out, testing::read_text(golden));
}

TEST(SummaryCommand, CsvOutput) {
  const CommandResult r = run({"--csv", kBernoulli, kBernoulli});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, lp, theta, extra;
  std::getline(lines, header);
  std::getline(lines, lp);
  std::getline(lines, theta);
  EXPECT_EQ(header, "variable,mean,mcse,sd,q5,q50,q95,ess_bulk,ess_tail,rhat");
  EXPECT_EQ(lp.rfind("lp__,", 0), 0u);
  EXPECT_EQ(theta.rfind("theta,", 0), 0u);
  EXPECT_FALSE(std::getline(lines, extra));
}

TEST(SummaryCommand, MissingFile) {
  const CommandResult r = run({kBernoulli, "/nonexistent/out-2.csv"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "mvc summary: /nonexistent/out-2.csv: cannot open file\n");
}

TEST(SummaryCommand, MalformedFileNamesFileAndLine) {
  const std::string bad = temp_file("bad.csv", "# c\nlp__,theta\n-7,0.2\n-7,0.2,9\n");
  const CommandResult r = run({bad});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "mvc summary: " + bad + ":4: expected 2 fields as in the header, found 3\n");
}

TEST(SummaryCommand, FilesOfDifferentModels) {
  const std::string other = temp_file("other.csv", "lp__,mu\n-7,0.2\n-7,0.3\n");
  const CommandResult r = run({kBernoulli, other});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(other + ": its columns differ from those of " + kBernoulli), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mvc::diag
