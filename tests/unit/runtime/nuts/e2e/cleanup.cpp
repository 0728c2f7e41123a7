// Removes this run's scratch directory (see test_dir()) when every test passed; after a
// failure it stays for inspection.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

class RemoveScratchOnSuccess : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!::testing::UnitTest::GetInstance()->Passed()) return;
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::remove_all(std::filesystem::path(tmp ? tmp : "/tmp") /
                                ("mvc_nuts_e2e_" + std::to_string(::getpid())));
  }
};

[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new RemoveScratchOnSuccess);

}  // namespace
