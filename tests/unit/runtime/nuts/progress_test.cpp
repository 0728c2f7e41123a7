#include "progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mvc::nuts {
namespace {

TEST(Progress, CmdStanLinesEveryRefreshWhenNotATerminal) {
  std::ostringstream err;
  {
    Progress p(err, false, {1, 2}, 100, 100, 100);
    for (int i = 1; i <= 200; ++i) p.update(0, i);
    p.update(1, 1);
  }
  EXPECT_EQ(err.str(),
            "Chain [1] Iteration:   1 / 200 [  0%]  (Warmup)\n"
            "Chain [1] Iteration: 100 / 200 [ 50%]  (Warmup)\n"
            "Chain [1] Iteration: 200 / 200 [100%]  (Sampling)\n"
            "Chain [2] Iteration:   1 / 200 [  0%]  (Warmup)\n");
}

TEST(Progress, OneChainHasNoPrefixAndRefreshZeroIsQuiet) {
  std::ostringstream err;
  {
    Progress p(err, false, {1}, 1000, 1000, 1000);
    p.update(0, 1000);
    p.update(0, 1001);
  }
  EXPECT_EQ(err.str(), "Iteration: 1000 / 2000 [ 50%]  (Warmup)\n");
  std::ostringstream quiet;
  {
    Progress p(quiet, false, {1}, 10, 10, 0);
    for (int i = 1; i <= 20; ++i) p.update(0, i);
    p.message("hello");
  }
  EXPECT_EQ(quiet.str(), "hello\n");
}

TEST(Progress, TerminalModeRedrawsStatusLines) {
  std::ostringstream err;
  {
    Progress p(err, true, {1}, 10, 10, 100);
    p.update(0, 15);
    p.finish();
  }
  const std::string s = err.str();
  EXPECT_NE(s.find("Chain 1  Sampling 15/20 [ 75%]"), std::string::npos) << s;
}

}  // namespace
}  // namespace mvc::nuts
