#include "stan_csv.h"

#include <gtest/gtest.h>

#include <cmath>

#include <sstream>

#include "fixtures.h"

namespace mvc::diag {
namespace {

TEST(StanCsv, ReadsTheCmdStanFile) {
  const StanCsvFile f = read_stan_csv(testing::fixture_path("cmdstan-2.37-sample-bernoulli.csv"));
  EXPECT_EQ(f.chain.names, (std::vector<std::string>{"lp__", "accept_stat__", "stepsize__", "treedepth__",
                                                     "n_leapfrog__", "divergent__", "energy__", "theta"}));
  ASSERT_EQ(f.chain.draws.size(), 100u);
  EXPECT_EQ(f.chain.draws.front(), (std::vector<double>{-7.49727, 1, 0.738376, 2, 3, 0, 8.37774, 0.419069}));
  EXPECT_EQ(f.chain.draws.back(), (std::vector<double>{-7.1525, 0.96919, 0.738376, 2, 3, 0, 7.18946, 0.150163}));
  EXPECT_EQ(f.warmup_rows, 0u);
  EXPECT_EQ(f.max_treedepth, 11);
  EXPECT_EQ(f.config.at("num_samples"), "100");
  EXPECT_EQ(f.config.at("num_warmup"), "1000");  // " (Default)" removed
  EXPECT_EQ(f.config.at("model"), "bernoulli_model");
}

StanCsvFile parse(const std::string& text, const std::string& name = "f.csv") {
  std::istringstream in(text);
  return parse_stan_csv(in, name);
}

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const StanCsvError& e) {
    return e.what();
  }
  return "no error";
}

const char* kSaveWarmupConfig =
    "# method = sample (Default)\n"
    "#   sample\n"
    "#     num_samples = 3\n"
    "#     num_warmup = 5\n"
    "#     save_warmup = %s\n"
    "#     thin = 2\n";

std::string with_warmup(const std::string& save) {
  char buf[256];
  std::snprintf(buf, sizeof buf, kSaveWarmupConfig, save.c_str());
  // Warmup iterations 0, 2, 4 are saved (3 rows), then 2 sampling rows.
  return std::string(buf) +
         "lp__,x\n"
         "-1,10\n-1,11\n-1,12\n"
         "# Adaptation terminated\n"
         "-1,1\n-1,2\n";
}

TEST(StanCsv, SkipsSavedWarmupRowsWithThinning) {
  for (const char* save : {"1", "true"}) {
    SCOPED_TRACE(save);
    const StanCsvFile f = parse(with_warmup(save));
    EXPECT_EQ(f.warmup_rows, 3u);
    EXPECT_EQ(f.chain.draws, (std::vector<std::vector<double>>{{-1, 1}, {-1, 2}}));
  }
}

TEST(StanCsv, KeepsEveryRowWithoutSaveWarmup) {
  for (const char* save : {"0", "false"}) {
    SCOPED_TRACE(save);
    EXPECT_EQ(parse(with_warmup(save)).chain.draws.size(), 5u);
  }
}

TEST(StanCsv, FixedParamHasNoWarmup) {
  const StanCsvFile f = parse(
      "#     num_warmup = 5\n#     save_warmup = 1\n#     algorithm = fixed_param\nlp__,x\n0,1\n0,2\n");
  EXPECT_EQ(f.chain.draws.size(), 2u);
}

TEST(StanCsv, ReadsNanAndInfinities) {
  const StanCsvFile f = parse("lp__,x,y\n0,nan,-inf\r\n0,inf,1e-300\n");
  ASSERT_EQ(f.chain.draws.size(), 2u);
  EXPECT_TRUE(std::isnan(f.chain.draws[0][1]));
  EXPECT_EQ(f.chain.draws[0][2], -INFINITY);
  EXPECT_EQ(f.chain.draws[1][1], INFINITY);
  EXPECT_EQ(f.chain.draws[1][2], 1e-300);
}

TEST(StanCsv, HeaderOnlyHasNoDraws) {
  EXPECT_TRUE(parse("# c\nlp__,x\n").chain.draws.empty());
}

TEST(StanCsv, ErrorWrongNumberOfFields) {
  EXPECT_EQ(parse_error("# c\nlp__,x,y\n1,2,3\n1,2\n"), "f.csv:4: expected 3 fields as in the header, found 2");
  EXPECT_EQ(parse_error("lp__,x\n1,2,3\n"), "f.csv:2: expected 2 fields as in the header, found 3");
}

TEST(StanCsv, ErrorNonNumericValue) {
  EXPECT_EQ(parse_error("lp__,theta\n1,2\n1,abc\n"), "f.csv:3: field 2 (theta): 'abc' is not a number");
  EXPECT_EQ(parse_error("lp__,theta\n1,\n"), "f.csv:2: field 2 (theta): '' is not a number");
  EXPECT_EQ(parse_error("lp__,theta\n1,2.5x\n"), "f.csv:2: field 2 (theta): '2.5x' is not a number");
}

TEST(StanCsv, ErrorMissingHeader) {
  EXPECT_EQ(parse_error("# config\n-7.5,1,0.7\n"),
            "f.csv:2: missing header: expected the line of column names (lp__,...), found numbers");
  EXPECT_EQ(parse_error("# only comments\n"), "f.csv: missing header: no line of column names (lp__,...) found");
  EXPECT_EQ(parse_error(""), "f.csv: missing header: no line of column names (lp__,...) found");
}

TEST(StanCsv, ErrorBadHeader) {
  EXPECT_EQ(parse_error("lp__,,x\n"), "f.csv:1: empty column name in the header (column 2)");
  EXPECT_EQ(parse_error("lp__,x,x\n"), "f.csv:1: duplicate column name 'x' in the header");
}

TEST(StanCsv, ErrorBadConfigValue) {
  EXPECT_EQ(parse_error("#  max_depth = ten\nlp__\n1\n"), "f.csv: config value max_depth = 'ten' is not an integer");
}

TEST(StanCsv, ErrorMissingFile) {
  try {
    read_stan_csv("/nonexistent/dir/out.csv");
    FAIL() << "no error";
  } catch (const StanCsvError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/dir/out.csv: cannot open file");
  }
}

}  // namespace
}  // namespace mvc::diag
