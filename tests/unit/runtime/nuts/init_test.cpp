#include "init.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mvc::nuts {
namespace {

TEST(ParamsToJson, NestsColumnMajorValuesAsArraysOfRows) {
  EXPECT_EQ(params_to_json({"mu", "S.1.1", "S.2.1", "S.1.2", "S.2.2", "S.1.3", "S.2.3", "v.1", "v.2"},
                           {0.5, 1, 4, 2, 5, 3, 6, -1, 1e300}),
            R"({"mu":0.5,"S":[[1,2,3],[4,5,6]],"v":[-1,1.0000000000000001e+300]})");
  EXPECT_EQ(params_to_json({"a"}, {NAN}), R"({"a":"NaN"})");
}

TEST(ParamsToJson, GivenVariablesReplaceDrawnOnes) {
  const io::DataMap given = io::parse_json_data(R"({"v": [7, 8]})");
  EXPECT_EQ(params_to_json({"mu", "v.1", "v.2"}, {0.5, 1, 2}, &given), R"({"mu":0.5,"v":[7,8]})");
}

struct InitFixture : ::testing::Test {
  Model model{R"({"N": 3})", 0};
  Rng rng{5, 1};
  std::ostringstream messages;
};

TEST_F(InitFixture, ZeroRadiusStartsAtZero) {
  const PhasePoint z = initialize(model, "0", rng, messages);
  EXPECT_EQ(z.q, Eigen::VectorXd::Zero(3));
  EXPECT_DOUBLE_EQ(z.lp, 0);
}

TEST_F(InitFixture, RadiusBoundsTheDraw) {
  for (int k = 0; k < 50; ++k) {
    const PhasePoint z = initialize(model, "0.5", rng, messages);
    EXPECT_LT(z.q.cwiseAbs().maxCoeff(), 0.5);
    EXPECT_DOUBLE_EQ(z.lp, -0.5 * z.q.squaredNorm());
    EXPECT_EQ(z.g, -z.q);
  }
}

TEST_F(InitFixture, FromJsonFile) {
  const std::string path = ::testing::TempDir() + "mvc_init_test.json";
  std::ofstream(path) << R"({"x": [0.25, -1, 2]})";
  const PhasePoint z = initialize(model, path, rng, messages);
  std::remove(path.c_str());
  EXPECT_EQ(z.q, (Eigen::VectorXd(3) << 0.25, -1, 2).finished());
}

TEST_F(InitFixture, Errors) {
  EXPECT_THROW(initialize(model, "-1", rng, messages), InitError);
  try {
    initialize(model, "/nonexistent/init.json", rng, messages);
    FAIL();
  } catch (const InitError& e) {
    EXPECT_STREQ(e.what(), "Cannot open init file /nonexistent/init.json");
  }
}

}  // namespace
}  // namespace mvc::nuts
