#include "warnings.h"

#include <gtest/gtest.h>

#include <limits>

namespace mvc::diag {
namespace {

constexpr double kNA = std::numeric_limits<double>::quiet_NaN();

SamplerChainStats healthy_chain() {
  SamplerChainStats s;
  s.draws = 1000;
  s.ebfmi = 1.0;
  s.has_divergent = s.has_treedepth = s.has_energy = true;
  return s;
}

SummaryRow row(const std::string& name, double rhat, double ess_bulk, double ess_tail) {
  return {name, 0.0, 0.01, 1.0, -1.6, 0.0, 1.6, ess_bulk, ess_tail, rhat};
}

std::vector<SamplerChainStats> chains(int n) { return std::vector<SamplerChainStats>(n, healthy_chain()); }

bool mentions(const std::vector<std::string>& warnings, const std::string& text) {
  for (const auto& w : warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

TEST(Warnings, NoneWhenEverythingIsFine) {
  EXPECT_TRUE(collect_warnings(chains(4), {row("mu", 1.0, 4000, 4000)}, 10).empty());
}

TEST(Warnings, RuleTableHoldsTheDocumentedThresholds) {
  EXPECT_EQ(warning_rule(RuleId::kDivergences).threshold, 0.0);
  EXPECT_EQ(warning_rule(RuleId::kTreedepth).threshold, 0.0);
  EXPECT_EQ(warning_rule(RuleId::kEbfmi).threshold, 0.3);
  EXPECT_EQ(warning_rule(RuleId::kRhat).threshold, 1.01);
  EXPECT_EQ(warning_rule(RuleId::kEssBulk).threshold, 100.0);
  EXPECT_EQ(warning_rule(RuleId::kEssTail).threshold, 100.0);
  EXPECT_EQ(warning_rules().size(), 6u);
}

TEST(Warnings, OneDivergenceFiresWithAdvice) {
  auto c = chains(4);
  c[2].divergent = 1;
  const auto w = collect_warnings(c, {row("mu", 1.0, 4000, 4000)}, 10);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind("Warning: 1 of 4000 (0.03%) transitions ended with a divergence. ", 0), 0u) << w[0];
  EXPECT_TRUE(mentions(w, "adapt delta")) << w[0];
  EXPECT_TRUE(mentions(w, "reparameterize")) << w[0];
}

TEST(Warnings, TreedepthSaturationFiresWithAdvice) {
  auto c = chains(2);
  c[0].treedepth_hits = 20;
  c[1].treedepth_hits = 5;
  const auto w = collect_warnings(c, {}, 12);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "25 of 2000 (1.25%) transitions hit the maximum tree depth of 12.")) << w[0];
  EXPECT_TRUE(mentions(w, "max_depth")) << w[0];
}

TEST(Warnings, EbfmiAtTheThresholdIsFineBelowItFires) {
  auto c = chains(3);
  c[0].ebfmi = 0.3;
  c[1].ebfmi = 0.29;
  c[2].ebfmi = kNA;  // no energy__ column: not a problem we can detect
  const auto w = collect_warnings(c, {}, 10);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "E-BFMI below 0.3 in 1 chain: chain 2 (0.29).")) << w[0];
}

TEST(Warnings, RhatAtTheThresholdIsFineAboveItFiresWorstFirst) {
  const auto w = collect_warnings(chains(4),
                                  {row("a", 1.01, 4000, 4000), row("b", 1.0101, 4000, 4000),
                                   row("c", 1.5, 4000, 4000), row("d", kNA, kNA, kNA)},
                                  10);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "2 variables have R-hat above 1.01: c (1.5), b (1.01).")) << w[0];
}

TEST(Warnings, EssThresholdIsHundredPerChain) {
  const auto w = collect_warnings(chains(4),
                                  {row("a", 1.0, 400, 400), row("b", 1.0, 399.9, 4000), row("c", 1.0, 4000, 12.25)},
                                  10);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].rfind("Warning: 1 variable has ESS_bulk below 400 (100 per chain): b (399.9). ", 0), 0u) << w[0];
  EXPECT_EQ(w[1].rfind("Warning: 1 variable has ESS_tail below 400 (100 per chain): c (12.2). ", 0), 0u) << w[1];
}

TEST(Warnings, ManyBadVariablesAreTruncated) {
  std::vector<SummaryRow> rows;
  for (int i = 0; i < 7; ++i) rows.push_back(row("v" + std::to_string(i), 1.1 + 0.01 * i, 4000, 4000));
  const auto w = collect_warnings(chains(1), rows, 10);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "7 variables have R-hat above 1.01: v6 (1.16), v5 (1.15), v4 (1.14), v3 (1.13), v2 (1.12), ...")) << w[0];
}

}  // namespace
}  // namespace mvc::diag
