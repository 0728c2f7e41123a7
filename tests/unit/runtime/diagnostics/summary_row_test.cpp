#include "summary_row.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"
#include "mcse.h"
#include "stan_csv.h"

namespace mvc::diag {
namespace {

using testing::close;

// End to end: the CmdStan file read by our reader, summarized, against posterior's values
// on the same file read by R (expected_bernoulli.csv).
TEST(SummaryRow, CmdStanFileMatchesPosterior) {
  const StanCsvFile f = read_stan_csv(testing::fixture_path("cmdstan-2.37-sample-bernoulli.csv"));
  std::map<std::string, std::map<std::string, double>> expected;
  for (const auto& row : testing::read_rows(testing::fixture_path("expected_bernoulli.csv")))
    expected[row.at(0)][row.at(1)] = testing::parse_value(row.at(2));
  ASSERT_EQ(expected.size(), 2u);
  for (const auto& [name, want] : expected) {
    SCOPED_TRACE(name);
    const auto col = static_cast<std::size_t>(
        std::find(f.chain.names.begin(), f.chain.names.end(), name) - f.chain.names.begin());
    const VariableDraws x = column_draws({f.chain}, col, f.chain.draws.size());
    const SummaryRow r = summarize_variable(name, x);
    EXPECT_EQ(r.name, name);
    EXPECT_PRED2(close, r.mean, want.at("mean"));
    EXPECT_PRED2(close, r.mcse, want.at("mcse_mean"));
    EXPECT_PRED2(close, r.sd, want.at("sd"));
    EXPECT_PRED2(close, r.q5, want.at("q5"));
    EXPECT_PRED2(close, r.q50, want.at("q50"));
    EXPECT_PRED2(close, r.q95, want.at("q95"));
    EXPECT_PRED2(close, r.ess_bulk, want.at("ess_bulk"));
    EXPECT_PRED2(close, r.ess_tail, want.at("ess_tail"));
    EXPECT_PRED2(close, r.rhat, want.at("rhat"));
    EXPECT_PRED2(close, mcse_quantile(x, 0.05), want.at("mcse_q5"));
    EXPECT_PRED2(close, mcse_quantile(x, 0.95), want.at("mcse_q95"));
  }
}

TEST(SummaryRow, SummarizesLpAndParametersOnly) {
  for (const char* sampler : {"accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"})
    EXPECT_FALSE(is_summarized_column(sampler)) << sampler;
  for (const char* shown : {"lp__", "theta", "Sigma.1.2", "x_"}) EXPECT_TRUE(is_summarized_column(shown)) << shown;
}

TEST(SummaryRow, ColumnDrawsTruncatesToTheCommonLength) {
  const std::vector<ChainDraws> chains = {{{"lp__", "x"}, {{0, 1}, {0, 2}, {0, 3}}}, {{"lp__", "x"}, {{0, 4}, {0, 5}}}};
  EXPECT_EQ(column_draws(chains, 1, 2), (VariableDraws{{1, 2}, {4, 5}}));
  const auto rows = summarize_chains(chains, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].name, "x");
  EXPECT_DOUBLE_EQ(rows[1].mean, 3.0);
}

}  // namespace
}  // namespace mvc::diag
