// runtime/model/layout.h: memory order <-> BridgeStan's flat order, names, index texts.
#include "layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace mvc::model;

TEST(Layout, ArrayOfVectorsIsTransposed) {
  const int64_t dims[] = {2, 3};  // array[2] vector[3]
  const std::vector<double> mem = {11, 12, 13, 21, 22, 23};  // a[1] then a[2]
  std::vector<double> flat(6), back(6);
  memory_to_flat(2, 1, dims, mem.data(), flat.data());
  EXPECT_EQ(flat, (std::vector<double>{11, 21, 12, 22, 13, 23}));
  flat_to_memory(2, 1, dims, flat.data(), back.data());
  EXPECT_EQ(back, mem);
  // array[2, 3] real: the same
  memory_to_flat(2, 2, dims, mem.data(), flat.data());
  EXPECT_EQ(flat, (std::vector<double>{11, 21, 12, 22, 13, 23}));
  // matrix[2, 3]: both orders are column-major
  memory_to_flat(2, 0, dims, mem.data(), flat.data());
  EXPECT_EQ(flat, mem);
}

TEST(Layout, ArrayOfMatrices) {
  const int64_t dims[] = {2, 2, 3};  // array[2] matrix[2, 3]
  for (int64_t mem = 0; mem < 12; ++mem) {
    const int64_t g = mem / 6, i = (mem % 6) % 2, j = (mem % 6) / 2;
    EXPECT_EQ(flat_offset(3, 1, dims, mem), g + 2 * i + 4 * j);
  }
  EXPECT_EQ(index_text(3, 1, dims, 7), "[2,2,1]");
  EXPECT_EQ(array_index_text(1, dims, 1), "[2]");
}

TEST(Layout, SameOrderDetection) {
  const int64_t a[] = {5};
  const int64_t b[] = {1, 4};
  const int64_t c[] = {2, 2};
  EXPECT_TRUE(same_order(1, 1, a));
  EXPECT_TRUE(same_order(2, 1, b));
  EXPECT_FALSE(same_order(2, 1, c));
  EXPECT_TRUE(same_order(2, 0, c));
}

TEST(Layout, Names) {
  const int64_t dims[] = {2, 3};
  std::string s;
  append_flat_names(s, "a", 2, dims);
  EXPECT_EQ(s, "a.1.1,a.2.1,a.1.2,a.2.2,a.1.3,a.2.3");
  s = "x";
  append_memory_names(s, "a", 2, 1, dims);
  EXPECT_EQ(s, "x,a.1.1,a.1.2,a.1.3,a.2.1,a.2.2,a.2.3");
  s.clear();
  append_flat_names(s, "mu", 0, nullptr);
  EXPECT_EQ(s, "mu");
  const int64_t empty[] = {0};
  s.clear();
  append_flat_names(s, "z", 1, empty);
  EXPECT_EQ(s, "");
}

TEST(Layout, Texts) {
  EXPECT_EQ(number_text(2.5), "2.5");
  EXPECT_EQ(number_text(-1), "-1");
  EXPECT_EQ(number_text(0.1), "0.1");
  EXPECT_EQ(number_text(1.0 / 3), "0.3333333333333333");  // shortest that reads back
  const int64_t d[] = {3, 4};
  EXPECT_EQ(dims_text(2, d), "[3,4]");
  EXPECT_EQ(dims_text(0, nullptr), "[]");
}

}  // namespace
