#include "summary_row.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

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

// Every number of two rows to 1e-12 relative, the quantiles exactly (even a zero's sign).
void expect_same_row(const SummaryRow& actual, const SummaryRow& expected) {
  const auto to = [](double a, double e) { return testing::close_to(a, e, 1e-12); };
  EXPECT_PRED2(to, actual.mean, expected.mean);
  EXPECT_PRED2(to, actual.mcse, expected.mcse);
  EXPECT_PRED2(to, actual.sd, expected.sd);
  EXPECT_PRED2(to, actual.ess_bulk, expected.ess_bulk);
  EXPECT_PRED2(to, actual.ess_tail, expected.ess_tail);
  EXPECT_PRED2(to, actual.rhat, expected.rhat);
  for (auto [a, e] : {std::pair{actual.q5, expected.q5}, {actual.q50, expected.q50}, {actual.q95, expected.q95}}) {
    if (std::isnan(e)) {
      EXPECT_TRUE(std::isnan(a));
    } else {
      EXPECT_EQ(a, e);
      EXPECT_EQ(std::signbit(a), std::signbit(e)) << "a quantile of " << e << " with the other sign";
    }
  }
}

VariableDraws rounded(VariableDraws x, double scale) {
  for (auto& c : x)
    for (double& v : c) v = std::round(v * scale) / scale;
  return x;
}

// Rows that the implementation before the summary was made faster printed for these draws
// (at 17 digits): that one called each posterior-transcribing function separately, computed
// every autocovariance by FFT and sorted the draws once per statistic. The cases take each
// path of the fast one: ESS sequences short (direct sums) and long (FFT), odd chain lengths
// (a sort of their own for the quantiles), ties with negative zeros (std::sort rather than
// the radix sort, and medians of -0), and chains that disagree.
TEST(SummaryRow, MatchesTheRowsOfTheFormerImplementation) {
  const double nan = std::nan("");
  struct Case {
    const char* name;
    VariableDraws draws;
    SummaryRow row;
  };
  VariableDraws shifted = testing::ar1_draws(4, 1000, 0.3, 5);
  for (std::size_t c = 0; c < shifted.size(); ++c)
    for (double& v : shifted[c]) v += 0.2 * static_cast<double>(c);
  const std::vector<Case> cases = {
      {"ar1_rho03", testing::ar1_draws(4, 1000, 0.3, 1),
       {"", 0.0073909204646351945, 0.012481529847514911, 0.60122494125845705, -0.95290406931406568,
        0.013095044237166866, 0.97156251694367046, 2210.3837991780088, 2962.3998392614285, 1.000095164425282}},
      {"ar1_rho095", testing::ar1_draws(4, 1000, 0.95, 2),
       {"", 0.11108453939650574, 0.15192280061299104, 1.770337796517639, -2.6808209952820974,
        0.059537116198081663, 3.1580512314331504, 135.88322845764233, 319.68194916131176, 1.0211239428866214}},
      {"ar1_odd", testing::ar1_draws(3, 999, 0.6, 3),
       {"", 0.032418422601584992, 0.025334735816741307, 0.70776822839240505, -1.1418439185269234,
        0.033638308832797892, 1.1971941824435133, 753.67143478465937, 1238.2703711048571, 1.0015104138698108}},
      {"rounded", rounded(testing::ar1_draws(4, 500, 0.5, 4), 2.0),
       {"", 0.0057499999999999999, 0.02965949101524213, 0.69233778121784839, -1, -0.0, 1, 535.82609052451926,
        825.10241035704144, 1.0028886841408853}},
      {"shifted", shifted,
       {"", 0.28815033961541581, 0.10273607476105785, 0.65114171149946443, -0.7569877606403268,
        0.29823419733806983, 1.3499419053991524, 35.462294958966815, 96.109191288003927, 1.0818742918607325}},
      {"signed_zeros", rounded(testing::ar1_draws(2, 101, 0.3, 6), 0.4),
       {"", -0.024752475247524754, 0.027071168903905114, 0.24813972175219232, -0.0, 0.0, -0.0,
        84.019204389574583, nan, 1.0103629710818451}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_same_row(summarize_variable(c.name, c.draws), c.row);
  }
}

// The fast path against the statistic-by-statistic reference: the fixture draw sets (which
// posterior checked) and draws that stress the ranks, the split and the folding.
TEST(SummaryRow, EqualsTheRowComputedByDefinition) {
  std::vector<std::pair<std::string, VariableDraws>> sets;
  for (const auto& [name, want] : testing::load_expected()) sets.emplace_back(name, testing::load_draws(name));
  for (std::size_t n : {2, 3, 4, 5, 7, 100, 101})
    for (std::size_t m : {1, 2, 4}) {
      const std::string shape = std::to_string(m) + "x" + std::to_string(n);
      sets.emplace_back("ar1 " + shape, testing::ar1_draws(m, n, 0.7, n * 10 + m));
      sets.emplace_back("ties " + shape, rounded(testing::ar1_draws(m, n, 0.7, n * 10 + m), 1.0));
      VariableDraws huge = testing::ar1_draws(m, n, 0.7, n * 10 + m);
      for (auto& c : huge)
        for (double& v : c) v *= 1e300;
      sets.emplace_back("huge " + shape, huge);
    }
  VariableDraws nan_draw = testing::ar1_draws(4, 50, 0.5, 7);
  nan_draw[2][10] = std::nan("");
  sets.emplace_back("nan", nan_draw);
  for (const auto& [name, draws] : sets) {
    SCOPED_TRACE(name);
    expect_same_row(summarize_variable(name, draws), summarize_variable_by_definition(name, draws));
  }
}

TEST(SummaryRow, ThreadsGiveTheSameRowsInTheSameOrder) {
  std::vector<ChainDraws> chains(4);
  for (std::size_t c = 0; c < chains.size(); ++c) {
    chains[c].names = {"lp__", "accept_stat__"};
    for (std::size_t j = 0; j < 25; ++j) chains[c].names.push_back("x." + std::to_string(j));
    chains[c].draws.assign(200, std::vector<double>(chains[c].names.size(), 0.5));
  }
  for (std::size_t j = 0; j < chains[0].names.size(); ++j) {
    const VariableDraws x = testing::ar1_draws(4, 200, 0.04 * static_cast<double>(j), j + 1);
    for (std::size_t c = 0; c < chains.size(); ++c)
      for (std::size_t i = 0; i < 200; ++i) chains[c].draws[i][j] = x[c][i];
  }
  const std::vector<SummaryRow> one = summarize_chains(chains, 200);
  ASSERT_EQ(one.size(), 26u);
  for (int threads : {2, 3, 64}) {
    const std::vector<SummaryRow> many = summarize_chains(chains, 200, threads);
    ASSERT_EQ(many.size(), one.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(many[i].name, one[i].name);
      for (auto [a, b] : {std::pair{many[i].mean, one[i].mean}, {many[i].mcse, one[i].mcse}, {many[i].sd, one[i].sd},
                          {many[i].q5, one[i].q5}, {many[i].q50, one[i].q50}, {many[i].q95, one[i].q95},
                          {many[i].ess_bulk, one[i].ess_bulk}, {many[i].ess_tail, one[i].ess_tail},
                          {many[i].rhat, one[i].rhat}})
        EXPECT_EQ(a, b) << "threads " << threads << ", " << one[i].name;
    }
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
