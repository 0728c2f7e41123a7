// SIGINT / SIGTERM during sampling: exit 130 / 143, every CSV row complete, summary printed.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sample_run.h"

namespace mvc::testing {
namespace {

void interrupt_run(int signo, int expected_code) {
  const std::string dir = test_dir("interrupt_" + std::to_string(signo));
  const int pid = start_program(MVC_MODEL_CORR_GAUSSIAN,
                                {"sample", "num_warmup=200", "num_samples=10000000", "num_chains=2",
                                 "num_threads=2", "output", "file=out.csv", "refresh=0"},
                                dir);
  // Wait until both chains are sampling (past warmup: the adaptation lines are written).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto sampling = [&](const std::string& f) {
    return read_text(dir + "/" + f).find("# Adaptation terminated") != std::string::npos;
  };
  while (!(sampling("out_1.csv") && sampling("out_2.csv")) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, signo);
  const ProgramResult r = wait_program(pid, dir);
  EXPECT_EQ(r.exit_code, expected_code) << r.err;
  EXPECT_NE(r.err.find("Interrupted"), std::string::npos) << r.err;
  for (const std::string f : {"out_1.csv", "out_2.csv"}) {
    const Csv c = read_csv(dir + "/" + f);
    EXPECT_EQ(c.bad_rows, 0) << f;
    EXPECT_GT(c.rows.size(), 0u) << f;
    EXPECT_TRUE(c.has_adaptation);
    // The file ends with a complete line.
    const std::string text = read_text(dir + "/" + f);
    EXPECT_EQ(text.back(), '\n');
  }
#ifdef MVC_HAVE_DIAGNOSTICS
  EXPECT_NE(r.out.find("lp__"), std::string::npos) << "the summary of what was drawn:\n" << r.out;
#endif
}

TEST(Interrupt, SigintStopsCleanlyWithExit130) { interrupt_run(SIGINT, 130); }
TEST(Interrupt, SigtermStopsCleanlyWithExit143) { interrupt_run(SIGTERM, 143); }

}  // namespace
}  // namespace mvc::testing
