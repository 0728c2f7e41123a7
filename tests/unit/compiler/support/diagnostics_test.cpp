#include "support/diagnostics.h"

#include <gtest/gtest.h>

namespace mvc {
namespace {

SourceRange at(int line, int col, int endCol) {
  SourceRange r;
  r.begin.line = r.end.line = line;
  r.begin.column = col;
  r.end.column = endCol;
  return r;
}

TEST(Diagnostics, RendersLocationSourceLineCaretAndNote) {
  auto file = std::make_shared<SourceFile>("m.model", "data {\n  real sigma;\n}\nmodel { y ~ normal(0, sigm); }\n");
  Diagnostics d(file);
  d.report(DiagKind::UndeclaredName, at(4, 23, 26), "'sigm' is not declared");
  d.note(at(2, 8, 12), "did you mean 'sigma'?");
  EXPECT_EQ(d.renderToString(),
            "m.model:4:23: error: 'sigm' is not declared [UndeclaredName]\n"
            " 4 | model { y ~ normal(0, sigm); }\n"
            "   |                       ^~~~\n"
            "m.model:2:8: note: did you mean 'sigma'?\n"
            " 2 |   real sigma;\n"
            "   |        ^~~~~\n");
  EXPECT_TRUE(d.hasErrors());
  EXPECT_EQ(d.errorCount(), 1);
}

TEST(Diagnostics, WarningsAreNotErrorsAndOutputIsInSourceOrder) {
  auto file = std::make_shared<SourceFile>("m.model", "a\nb\n");
  Diagnostics d(file);
  d.report(DiagKind::UndeclaredName, at(2, 1, 1), "second");
  d.report(DiagKind::OldArraySyntax, at(1, 1, 1), "first");
  EXPECT_EQ(d.errorCount(), 1);
  std::string out = d.renderToString();
  EXPECT_LT(out.find("first"), out.find("second"));
  EXPECT_NE(out.find("m.model:1:1: warning: first [OldArraySyntax]"), std::string::npos);
}

TEST(Diagnostics, LocationlessNoteHasNoSourceLine) {
  auto file = std::make_shared<SourceFile>("m.model", "x\n");
  Diagnostics d(file);
  d.report(DiagKind::UnknownFunction, at(1, 1, 1), "unknown function 'x'");
  d.note(SourceRange{}, "did you mean 'exp'?");
  EXPECT_EQ(d.renderToString(),
            "m.model:1:1: error: unknown function 'x' [UnknownFunction]\n"
            " 1 | x\n"
            "   | ^\n"
            "m.model: note: did you mean 'exp'?\n");
}

TEST(Diagnostics, EveryKindHasANameAndDescription) {
  for (const auto& k : allDiagKinds()) {
    EXPECT_STRNE(k.name, "");
    EXPECT_STRNE(k.what, "");
    EXPECT_EQ(&diagKindInfo(k.kind), &k);
  }
}

TEST(SourceFile, LineAndColumnOfOffsets) {
  SourceFile f("f", "ab\ncd\r\nef");
  EXPECT_EQ(f.lineCount(), 3);
  EXPECT_EQ(f.lineText(2), "cd");
  EXPECT_EQ(f.lineText(3), "ef");
  EXPECT_EQ(f.locAt(4).line, 2);
  EXPECT_EQ(f.locAt(4).column, 2);
  EXPECT_EQ(f.lineText(9), "");
}

TEST(SourceFile, MissingFileAndDirectoryGiveSentences) {
  std::string err;
  EXPECT_EQ(SourceFile::read("/nonexistent/x.model", err), nullptr);
  EXPECT_EQ(err, "cannot open '/nonexistent/x.model': No such file or directory");
  EXPECT_EQ(SourceFile::read("/tmp", err), nullptr);
  EXPECT_EQ(err, "cannot read '/tmp': it is a directory, not a model file");
}

TEST(EditDistance, SuggestsOnlyCloseNames) {
  EXPECT_EQ(editDistance("sigma", "sigm"), 1);
  EXPECT_EQ(editDistance("", "abc"), 3);
  EXPECT_EQ(closestName("sigm", {"mu", "sigma", "tau"}), "sigma");
  EXPECT_EQ(closestName("a", {"b", "J"}), "");
  EXPECT_EQ(closestName("completely", {"mu", "sigma"}), "");
}

}  // namespace
}  // namespace mvc
