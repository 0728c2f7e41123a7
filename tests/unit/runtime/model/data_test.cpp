// mvc_rt_data and friends called directly, as generated code calls them.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "context.h"
#include "io/json_data.h"

namespace {

struct Ctx {
  explicit Ctx(const char* json) : data(mvc::io::parse_json_data(json)) {
    ctx.reset(nullptr);
    ctx.data = &data;
    ctx.store = &store;
  }
  mvc::io::DataMap data;
  std::deque<std::vector<double>> store;
  mvc_rt_context ctx;
};

TEST(RuntimeData, IntArrayErrorNamesTheElement) {
  Ctx c(R"({"g": [[1, 2], [3, 4.5], [5, 6]]})");
  const int64_t dims[] = {3, 2};
  static const char* const sizes[] = {"N"};
  const int64_t n[] = {3};
  const mvc_rt_decl d = {"g", "array[N, 2] int", 1, 2, 2, dims, 1, sizes, n};
  EXPECT_EQ(mvc_rt_data(&c.ctx, &d), nullptr);
  EXPECT_STREQ(c.ctx.message, "variable 'g': declared array[N, 2] int with N = 3, but the data has 4.5 at g[2,2]");
}

TEST(RuntimeData, ArraysOfVectorsComeInMemoryOrder) {
  Ctx c(R"({"a": [[1, 2, 3], [4, 5, 6]]})");
  const int64_t dims[] = {2, 3};
  const mvc_rt_decl d = {"a", "array[2] vector[3]", 0, 2, 1, dims, 0, nullptr, nullptr};
  const double* v = mvc_rt_data(&c.ctx, &d);
  ASSERT_NE(v, nullptr) << c.ctx.message;
  EXPECT_EQ(std::vector<double>(v, v + 6), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  // a matrix[2, 3] from the same JSON is column-major
  const mvc_rt_decl m = {"a", "matrix[2, 3]", 0, 2, 0, dims, 0, nullptr, nullptr};
  const double* w = mvc_rt_data(&c.ctx, &m);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(std::vector<double>(w, w + 6), (std::vector<double>{1, 4, 2, 5, 3, 6}));
}

TEST(RuntimeData, BoundsWithBothLimitsAndTheFirstMessageWins) {
  Ctx c(R"({"p": [0.5, 1.5]})");
  const int64_t dims[] = {2};
  const mvc_rt_decl d = {"p", "vector<lower=0, upper=1>[2]", 0, 1, 0, dims, 0, nullptr, nullptr};
  const double* v = mvc_rt_data(&c.ctx, &d);
  ASSERT_NE(v, nullptr);
  const double lo = 0, hi = 1;
  EXPECT_EQ(mvc_rt_check_bounds(&c.ctx, &d, v, &lo, 0, &hi, 0), 2);
  EXPECT_EQ(mvc_rt_error(&c.ctx, 2, "a later message"), 2);
  EXPECT_STREQ(c.ctx.message,
               "variable 'p': declared vector<lower=0, upper=1>[2], but p[2] is 1.5 (it must be in [0, 1])");
}

}  // namespace
