// Time of the compiler's stages for each program in models/: parse, check, lower, passes.
// (Code generation and linking are not built yet; see docs/ir.md.)
// Run: build/bench/compile/compile_bench [--benchmark_filter=eight]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/parse.h"
#include "frontend/sema.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace fs = std::filesystem;
namespace {

std::shared_ptr<mvc::SourceFile> load(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return std::make_shared<mvc::SourceFile>(p.filename().string(), ss.str());
}

void parse(benchmark::State& state, fs::path path) {
  auto file = load(path);
  for (auto _ : state) {
    mvc::Diagnostics d(file);
    benchmark::DoNotOptimize(mvc::parseProgram(file, d));
  }
}

void parseAndCheck(benchmark::State& state, fs::path path) {
  auto file = load(path);
  for (auto _ : state) {
    mvc::Diagnostics d(file);
    auto p = mvc::parseProgram(file, d);
    mvc::checkProgram(*p, d);
  }
}

void lowerAndPasses(benchmark::State& state, fs::path path) {
  auto file = load(path);
  mvc::Diagnostics d(file);
  auto p = mvc::parseProgram(file, d);
  mvc::checkProgram(*p, d);
  mvc::passes::PipelineOptions o;
  o.verify = false;
  for (auto _ : state) {
    auto m = mvc::lowerProgram(*p, "m");
    mvc::passes::runPipeline(*m, o);
  }
}

int registerAll() {
  for (const auto& e : fs::directory_iterator(MVC_MODELS_DIR)) {
    if (e.path().extension() != ".model") continue;
    std::string name = e.path().stem().string();
    benchmark::RegisterBenchmark(("parse/" + name).c_str(), parse, e.path())->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("parse+check/" + name).c_str(), parseAndCheck, e.path())->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("lower+passes/" + name).c_str(), lowerAndPasses, e.path())->Unit(benchmark::kMicrosecond);
  }
  return 0;
}
const int registered = registerAll();

}  // namespace

BENCHMARK_MAIN();
