#include <gtest/gtest.h>

#include "test_util.h"

namespace mvc {
namespace {
using test::compile;
using test::parseExpr;

TEST(Precedence, AsInStansReferenceManual) {
  EXPECT_EQ(parseExpr("-a^2"), "(-(a ^ 2))");
  EXPECT_EQ(parseExpr("a^b^c"), "(a ^ (b ^ c))");
  EXPECT_EQ(parseExpr("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(parseExpr("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(parseExpr("a * b .* c"), "(a * (b .* c))");
  EXPECT_EQ(parseExpr("a * b \\ c"), "(a * (b \\ c))");
  EXPECT_EQ(parseExpr("a \\ b .* c"), "(a \\ (b .* c))");
  EXPECT_EQ(parseExpr("a % b %/% c"), "((a % b) %/% c)");
  EXPECT_EQ(parseExpr("a < b == c > d"), "((a < b) == (c > d))");
  EXPECT_EQ(parseExpr("a || b && c"), "(a || (b && c))");
  EXPECT_EQ(parseExpr("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
  EXPECT_EQ(parseExpr("!a + b"), "((!a) + b)");
  EXPECT_EQ(parseExpr("x' * y"), "(x' * y)");
  EXPECT_EQ(parseExpr("-x'"), "(-x')");
  EXPECT_EQ(parseExpr("a[1]'"), "a[1]'");
  EXPECT_EQ(parseExpr("2^-x"), "(2 ^ (-x))");
  EXPECT_EQ(parseExpr("a .^ 2 ./ b"), "((a .^ 2) ./ b)");
}

TEST(Expressions, IndexesLiteralsCalls) {
  EXPECT_EQ(parseExpr("a[1, 2:3, :4, 5:, :]"), "a[1, 2:3, :4, 5:, :]");
  EXPECT_EQ(parseExpr("a[ , 1]"), "a[, 1]");
  EXPECT_EQ(parseExpr("{1, 2}[2]"), "{1, 2}[2]");
  EXPECT_EQ(parseExpr("[[1, 2], [3, 4]]"), "[[1, 2], [3, 4]]");
  EXPECT_EQ(parseExpr("normal_lpdf(y | mu, s)"), "normal_lpdf(y | mu, s)");
  EXPECT_EQ(parseExpr("1e3 + 2.5E-2 + .5 + 3."), "(((1e3 + 2.5E-2) + .5) + 3.)");
  EXPECT_EQ(parseExpr("target()"), "target()");
}

TEST(Declarations, RangeConstraintIsNotGreaterThan) {
  auto c = compile("data { int N; vector<lower=0, upper=N>[N] x; real<offset=1, multiplier=2> z; }", false);
  ASSERT_TRUE(c.ok()) << c.text();
  EXPECT_EQ(sizedTypeToString(c.program->block(BlockKind::Data).items[1]->decl->type), "vector<lower=0, upper=N>[N]");
  EXPECT_EQ(sizedTypeToString(c.program->block(BlockKind::Data).items[2]->decl->type), "real<offset=1, multiplier=2>");
}

TEST(Declarations, OldArraySyntaxIsAcceptedWithAWarning) {
  auto c = compile("data { int N; real y[N]; }");
  EXPECT_TRUE(c.ok()) << c.text();
  EXPECT_TRUE(c.has(DiagKind::OldArraySyntax));
  EXPECT_NE(c.text().find("write 'array[N] real y' instead of 'real y[N]'"), std::string::npos) << c.text();
  EXPECT_EQ(sizedTypeToString(c.program->block(BlockKind::Data).items[1]->decl->type), "array[N] real");
}

TEST(Lexing, CommentsOfEveryStyle) {
  auto c = compile("// a\n# b\n/* c\n d */ data { int N; } /* e */");
  EXPECT_TRUE(c.ok()) << c.text();
}

TEST(Lexing, ErrorsThatNeedTheirOwnMessage) {
  EXPECT_TRUE(compile("#include \"x.stan\"\ndata { int N; }").has(DiagKind::IncludeNotSupported));
  EXPECT_TRUE(compile("data { int N; } /* open").has(DiagKind::UnterminatedComment));
  EXPECT_TRUE(compile("model { print(\"abc); }").has(DiagKind::UnterminatedString));
  EXPECT_TRUE(compile("data { int N@; }").has(DiagKind::BadCharacter));
  EXPECT_TRUE(compile("data { int N; ").has(DiagKind::UnbalancedBracket));
  EXPECT_TRUE(compile("model { x = (1 + 2]; }").has(DiagKind::UnbalancedBracket));
}

TEST(Lexing, BinaryOrNonUtf8FilesGetAMessageNotACrash) {
  auto c = compile("data { int N; }\n// caf\xE9\n");
  ASSERT_TRUE(c.has(DiagKind::BadCharacter)) << c.text();
  EXPECT_NE(c.text().find("t.model:2:7: error: byte 0xE9 is not UTF-8 text"), std::string::npos) << c.text();
  EXPECT_NE(c.text().find(" 2 | // caf?"), std::string::npos) << c.text();  // the line is shown safely
  auto binary = compile(std::string("\x7F" "ELF\x02\x01\x00\x00", 8) + std::string(500, 'x'));
  EXPECT_TRUE(binary.has(DiagKind::BadCharacter));
  EXPECT_LT(binary.text().size(), 400u) << binary.text();  // long lines are cut around the caret
  EXPECT_TRUE(compile("// caf\xC3\xA9 is fine\ndata { int N; }").ok());
}

TEST(Syntax, MissingSemicolonPointsAfterThePreviousToken) {
  auto c = compile("data {\n  int N\n  real y;\n}");
  ASSERT_TRUE(c.has(DiagKind::MissingSemicolon)) << c.text();
  EXPECT_NE(c.text().find("t.model:2:8: error: expected ';' after 'N'"), std::string::npos) << c.text();
}

TEST(Syntax, BlocksInOrderOnce) {
  EXPECT_TRUE(compile("model { } parameters { real x; }").has(DiagKind::BlockOrder));
  EXPECT_TRUE(compile("data { } data { }").has(DiagKind::DuplicateBlock));
  EXPECT_TRUE(compile("model { x <- 1; }", false).has(DiagKind::OldAssignment));
}

TEST(Syntax, EveryNodeHasASourceRange) {
  auto c = compile("parameters { real mu; }\nmodel {\n  mu ~ normal(0, 1);\n}");
  ASSERT_TRUE(c.ok());
  const Stmt& s = *c.program->block(BlockKind::Model).items[0];
  EXPECT_EQ(s.range.begin.line, 3);
  EXPECT_EQ(s.range.begin.column, 3);
  EXPECT_EQ(s.range.end.column, 20);
  EXPECT_EQ(s.lhs->range.begin.column, 3);
  EXPECT_EQ(s.args[1]->range.begin.column, 18);
}

}  // namespace
}  // namespace mvc
