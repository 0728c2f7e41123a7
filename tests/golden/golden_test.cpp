// Golden tests over the program corpus (tests/corpus):
//   valid/*.model and old_syntax/*.model  -> tests/golden/ast/<name>.txt  (printed AST + diagnostics)
//   invalid/*.model                         -> tests/golden/diagnostics/<name>.txt (exact messages)
// plus the rule that every diagnostic kind has at least one failing program showing it.
// MVC_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "frontend/ast_printer.h"
#include "frontend/parse.h"
#include "driver/graph.h"
#include "frontend/sema.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace fs = std::filesystem;
namespace {

const fs::path kTests = MVC_TESTS_DIR;

std::vector<std::string> programs(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir == "../models" ? kTests / dir : kTests / "corpus" / dir))
    if (e.path().extension() == ".model") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Result {
  std::string text;
  std::string ir;     // the IR after the pipeline, for programs that check
  std::string graph;  // mvc graph's output (with N = 100 as if from a data file)
  std::set<mvc::DiagKind> kinds;
  bool ok = false;
};

Result compile(const std::string& dir, const std::string& name) {
  std::ifstream in((dir == "../models" ? kTests / dir : kTests / "corpus" / dir) / (name + ".model"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto file = std::make_shared<mvc::SourceFile>(dir + "/" + name + ".model", ss.str());
  mvc::Diagnostics diags(file);
  Result r;
  auto program = mvc::parseProgram(file, diags);
  std::ostringstream out;
  if (program) {
    mvc::checkProgram(*program, diags);
    if (dir != "invalid") mvc::printAst(*program, out);
  }
  diags.render(out);
  for (const auto& d : diags.all()) r.kinds.insert(d.kind);
  r.ok = program && !diags.hasErrors();
  r.text = out.str();
  if (r.ok) {
    // Lowering and every pass, with the verifier after each (it throws on a malformed module).
    auto module = mvc::lowerProgram(*program, name);
    mvc::passes::PipelineOptions options;
    options.verify = true;
    mvc::passes::runPipeline(*module, options);
    r.ir = mvc::ir::toString(*module);
    r.graph = mvc::modelGraph(*program, {{"N", 100}});
  }
  return r;
}

void compareOrUpdate(const fs::path& expectedPath, const std::string& actual) {
  if (std::getenv("MVC_UPDATE_GOLDEN")) {
    fs::create_directories(expectedPath.parent_path());
    std::ofstream(expectedPath) << actual;
    return;
  }
  std::ifstream in(expectedPath);
  ASSERT_TRUE(in.good()) << "missing golden file " << expectedPath
                         << " (run: cmake --build build --target update-golden)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), actual) << "golden file " << expectedPath << " differs";
}

class ValidProgram : public ::testing::TestWithParam<std::string> {};
TEST_P(ValidProgram, ParsesChecksAndPrints) {
  Result r = compile("valid", GetParam());
  EXPECT_TRUE(r.ok) << r.text;
  compareOrUpdate(kTests / "golden" / "ast" / (GetParam() + ".txt"), r.text);
  compareOrUpdate(kTests / "golden" / "ir" / (GetParam() + ".txt"), r.ir);
}
INSTANTIATE_TEST_SUITE_P(Corpus, ValidProgram, ::testing::ValuesIn(programs("valid")));

class OldSyntaxProgram : public ::testing::TestWithParam<std::string> {};
TEST_P(OldSyntaxProgram, AcceptedWithWarning) {
  Result r = compile("old_syntax", GetParam());
  EXPECT_TRUE(r.ok) << r.text;
  EXPECT_TRUE(r.kinds.count(mvc::DiagKind::OldArraySyntax)) << r.text;
  compareOrUpdate(kTests / "golden" / "ast" / ("old_syntax_" + GetParam() + ".txt"), r.text);
}
INSTANTIATE_TEST_SUITE_P(Corpus, OldSyntaxProgram, ::testing::ValuesIn(programs("old_syntax")));

class InvalidProgram : public ::testing::TestWithParam<std::string> {};
TEST_P(InvalidProgram, GivesExactDiagnostics) {
  Result r = compile("invalid", GetParam());
  EXPECT_FALSE(r.ok) << "expected an error";
  compareOrUpdate(kTests / "golden" / "diagnostics" / (GetParam() + ".txt"), r.text);
}
INSTANTIATE_TEST_SUITE_P(Corpus, InvalidProgram, ::testing::ValuesIn(programs("invalid")));

// The example programs users start from must check clean, and their IR is golden.
class ExampleModel : public ::testing::TestWithParam<std::string> {};
TEST_P(ExampleModel, ChecksCleanAndLowers) {
  Result r = compile("../models", GetParam());
  EXPECT_TRUE(r.ok && r.kinds.empty()) << r.text;
  compareOrUpdate(kTests / "golden" / "ir" / ("model_" + GetParam() + ".txt"), r.ir);
  compareOrUpdate(kTests / "golden" / "graph" / (GetParam() + ".dot"), r.graph);
}
INSTANTIATE_TEST_SUITE_P(Models, ExampleModel, ::testing::ValuesIn(programs("../models")));

// The PyMC user's picture: a loop of N multivariate normals and the batched syntax draw the
// same graph, each variable once, inside a plate of size N.
TEST(Graph, LoopAndBatchedFormsDrawTheSameGraph) {
  Result loop = compile("../models", "mvn_latent_loop");
  Result batched = compile("../models", "mvn_latent_batched");
  EXPECT_EQ(loop.graph, batched.graph);
  EXPECT_NE(loop.graph.find("label=\"N = 100\""), std::string::npos) << loop.graph;
  EXPECT_NE(loop.graph.find("\"x\" [label=\"x\\n~ multi_normal"), std::string::npos) << loop.graph;
}

// Every kind in diagnostic_kinds.def is shown by at least one program of the corpus.
TEST(DiagnosticKinds, EveryKindHasAFailingProgram) {
  std::set<mvc::DiagKind> seen;
  for (const auto& name : programs("invalid")) {
    auto r = compile("invalid", name);
    seen.insert(r.kinds.begin(), r.kinds.end());
  }
  for (const auto& name : programs("old_syntax")) {
    auto r = compile("old_syntax", name);
    seen.insert(r.kinds.begin(), r.kinds.end());
  }
  for (const auto& k : mvc::allDiagKinds())
    EXPECT_TRUE(seen.count(k.kind)) << "no program in tests/corpus/invalid shows diagnostic kind " << k.name;
}

}  // namespace
