#include "io/json_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace mvc::io {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_json_data(text, "d.json");
  } catch (const JsonError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JsonData, ScalarsIntsAndReals) {
  const DataMap d = parse_json_data(R"({"N": 3, "x": 2.5, "y": -1e3, "z": 1.0})");
  EXPECT_TRUE(d.at("N").dims.empty());
  EXPECT_TRUE(d.at("N").is_int);
  EXPECT_EQ(d.at("N").values, std::vector<double>{3});
  EXPECT_FALSE(d.at("x").is_int);
  EXPECT_EQ(d.at("x").values, std::vector<double>{2.5});
  EXPECT_EQ(d.at("y").values, std::vector<double>{-1000});
  EXPECT_FALSE(d.at("z").is_int) << "1.0 is written as a real";
}

TEST(JsonData, SpecialRealStrings) {
  const DataMap d = parse_json_data(
      R"({"a": "NaN", "b": "Inf", "c": "-Inf", "d": "+Inf", "e": "Infinity",
          "f": "-Infinity", "v": [1, "Inf", 2]})");
  EXPECT_TRUE(std::isnan(d.at("a").values[0]));
  EXPECT_EQ(d.at("b").values[0], INFINITY);
  EXPECT_EQ(d.at("c").values[0], -INFINITY);
  EXPECT_EQ(d.at("d").values[0], INFINITY);
  EXPECT_EQ(d.at("e").values[0], INFINITY);
  EXPECT_EQ(d.at("f").values[0], -INFINITY);
  EXPECT_FALSE(d.at("v").is_int);
  EXPECT_EQ(d.at("v").values[1], INFINITY);
}

TEST(JsonData, VectorAndIntArray) {
  const DataMap d = parse_json_data(R"({"y": [0, 1, 0, 1], "v": [0.5, 1]})");
  EXPECT_EQ(d.at("y").dims, std::vector<std::size_t>{4});
  EXPECT_TRUE(d.at("y").is_int);
  EXPECT_EQ(d.at("y").values, (std::vector<double>{0, 1, 0, 1}));
  EXPECT_FALSE(d.at("v").is_int) << "one real makes the variable real";
}

TEST(JsonData, MatrixIsArrayOfRowsStoredColumnMajor) {
  const DataMap d = parse_json_data(R"({"m": [[1, 2, 3], [4, 5, 6]]})");
  const VarData& m = d.at("m");
  EXPECT_EQ(m.dims, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(m.values, (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(m.values[column_major_offset(m.dims, {1, 2})], 6);
  EXPECT_EQ(m.values[column_major_offset(m.dims, {0, 1})], 2);
}

TEST(JsonData, ThreeDimensionalArray) {
  const DataMap d = parse_json_data(R"({"a": [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]})");
  const VarData& a = d.at("a");
  EXPECT_EQ(a.dims, (std::vector<std::size_t>{2, 3, 2}));
  // a[i][j][k] = 6i + 2j + k + 1 (0-based)
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 2; ++k)
        EXPECT_EQ(a.values[column_major_offset(a.dims, {i, j, k})], 6 * i + 2 * j + k + 1);
  EXPECT_EQ(a.values[1], 7) << "first index fastest";
}

TEST(JsonData, EmptyArraysShapes) {
  const DataMap d = parse_json_data(R"({"e": [], "e2": [[], [], []]})");
  EXPECT_EQ(d.at("e").dims, std::vector<std::size_t>{0});
  EXPECT_TRUE(d.at("e").values.empty());
  EXPECT_TRUE(d.at("e").is_int);
  EXPECT_EQ(d.at("e2").dims, (std::vector<std::size_t>{3, 0}));
}

TEST(JsonData, EmptyObjectHasNoVariables) {
  EXPECT_TRUE(parse_json_data("{}").empty());
}

TEST(JsonData, SyntaxErrorHasLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"N\": 3,\n  \"y\": [1, 2,, 3]\n}"),
            "d.json:3:14: JSON syntax error: syntax error while parsing value - unexpected ','; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(error_of("{\"N\": 3"),
            "d.json:1:8: JSON syntax error: syntax error while parsing object - unexpected "
            "end of input; expected '}'");
  EXPECT_EQ(error_of("{\"N\": tru}"),
            "d.json:1:10: JSON syntax error: syntax error while parsing value - invalid "
            "literal; last read: '\"N\": tru}'");
}

TEST(JsonData, RaggedArrayNamesVariable) {
  EXPECT_EQ(error_of(R"({"m": [[1, 2], [3, 4, 5]]})"),
            "d.json: variable \"m\": ragged array: m[2] has 3 elements but m[1] has 2");
  EXPECT_EQ(error_of(R"({"a": [[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]]})"),
            "d.json: variable \"a\": ragged array: a[2][1] has 3 elements but a[1][1] has 2");
  EXPECT_EQ(error_of(R"({"e": [[], [1]]})"),
            "d.json: variable \"e\": ragged array: e[2] has 1 elements but e[1] has 0");
}

TEST(JsonData, MixedNesting) {
  EXPECT_EQ(error_of(R"({"m": [[1, 2], 3]})"),
            "d.json: variable \"m\": m[2] is not an array but m[1] is an array");
  EXPECT_EQ(error_of(R"({"m": [1, [2]]})"),
            "d.json: variable \"m\": m[2] is an array but m[1] is not an array");
}

TEST(JsonData, BadScalarKinds) {
  EXPECT_EQ(error_of(R"({"x": "abc"})"),
            "d.json: variable \"x\": expected a number, \"NaN\", \"Inf\" or \"-Inf\", found "
            "string \"abc\"");
  EXPECT_EQ(error_of(R"({"v": [1, "nan"]})"),
            "d.json: variable \"v\" at v[2]: expected a number, \"NaN\", \"Inf\" or \"-Inf\", "
            "found string \"nan\"");
  EXPECT_EQ(error_of(R"({"b": true})"),
            "d.json: variable \"b\": expected a number or an array of numbers, found a boolean");
  EXPECT_EQ(error_of(R"({"n": null})"),
            "d.json: variable \"n\": expected a number or an array of numbers, found null");
  EXPECT_EQ(error_of(R"({"t": {"1": 2}})"),
            "d.json: variable \"t\": expected a number or an array of numbers, found an object "
            "(tuples are not supported)");
  EXPECT_EQ(error_of(R"({"v": [true]})"),
            "d.json: variable \"v\" at v[1]: expected a number, \"NaN\", \"Inf\" or \"-Inf\", "
            "found a boolean");
}

TEST(JsonData, NumberOutOfRange) {
  EXPECT_EQ(error_of(R"({"x": 1e400})"),
            "d.json: JSON number out of range: number overflow parsing '1e400'");
}

TEST(JsonData, TrailingGarbage) {
  EXPECT_EQ(error_of(R"({"a": 1} x)"),
            "d.json:1:10: JSON syntax error: syntax error while parsing value - invalid literal; "
            "last read: '1} x'; expected end of input");
}

TEST(JsonData, TopLevelMustBeObject) {
  EXPECT_EQ(error_of("[1, 2]"),
            "d.json: expected a JSON object of variable names and values, found an array");
}

TEST(JsonData, DuplicateVariable) {
  EXPECT_EQ(error_of(R"({"N": 1, "N": 2})"), "d.json: variable \"N\" is given more than once");
}

TEST(JsonData, ReadsFileAndReportsMissingFile) {
  const std::string path = ::testing::TempDir() + "mvc_json_test.json";
  std::ofstream(path) << R"({"N": 2, "y": [1.5, 2]})";
  const DataMap d = read_json_data_file(path);
  EXPECT_EQ(d.at("y").values, (std::vector<double>{1.5, 2}));
  std::remove(path.c_str());
  try {
    read_json_data_file("/nonexistent/d.json");
    FAIL();
  } catch (const JsonError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/d.json: cannot open file");
  }
}

}  // namespace
}  // namespace mvc::io
