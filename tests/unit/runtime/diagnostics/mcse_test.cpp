#include "mcse.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace mvc::diag {
namespace {

using testing::close;

TEST(Mcse, MatchesPosteriorOnEveryFixture) {
  for (const auto& [name, want] : testing::load_expected()) {
    SCOPED_TRACE(name);
    const VariableDraws x = testing::load_draws(name);
    EXPECT_PRED2(close, mcse_mean(x), want.at("mcse_mean"));
    EXPECT_PRED2(close, mcse_quantile(x, 0.05), want.at("mcse_q5"));
    EXPECT_PRED2(close, mcse_quantile(x, 0.95), want.at("mcse_q95"));
  }
}

}  // namespace
}  // namespace mvc::diag
