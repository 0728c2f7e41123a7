// Each pass on a small program: the IR before and after, as text.
#include <gtest/gtest.h>

#include "../frontend/test_util.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace mvc {
namespace {

std::unique_ptr<ir::Module> lower(const std::string& src) {
  auto c = test::compile(src);
  EXPECT_TRUE(c.ok()) << c.text();
  return lowerProgram(*c.program, "t");
}

std::string section(const ir::Module& m, const std::string& name) {
  std::string all = ir::toString(m);
  size_t b = all.find(name + " {\n");
  if (b == std::string::npos) return "";
  size_t e = all.find("\n}\n", b);
  return all.substr(b + name.size() + 3, e - b - name.size() - 2);
}

TEST(InlineFunctions, ReplacesCallsByTheBodyAndReturnsByStores) {
  auto m = lower(
      "functions { real twice(real x) { return 2 * x; } }\n"
      "parameters { real y; } model { target += twice(y); }");
  passes::inlineFunctions(*m);
  EXPECT_TRUE(m->functions.empty());
  EXPECT_EQ(section(*m, "model"),
            "  %7 : real = var \"twice.result\"  [model]\n"
            "  %8 : int = const.int 2  [model]\n"
            "  %9 : real = call operator*(real, real) %8, %4  [model]\n"
            "  store %7, %9  [model]\n"
            "  %11 : real = load %7  [model]\n"
            "  target.add %11  [model]\n");
}

TEST(InlineFunctions, EarlyReturnsBecomeBranchesAndNestedCallsAreInlined) {
  auto m = lower(
      "functions {\n"
      "  real sq(real x) { return x * x; }\n"
      "  real f(real x) { if (x < 0) return -x; real s = 0; for (i in 1:3) s += sq(x); return s; }\n"
      "}\n"
      "parameters { real y; } model { target += f(y); }");
  passes::inlineFunctions(*m);
  std::string ir = ir::toString(*m);
  EXPECT_TRUE(m->functions.empty()) << ir;
  EXPECT_EQ(ir.find("call.user"), std::string::npos) << ir;
  EXPECT_EQ(ir.find("return"), std::string::npos) << ir;
  // the code after the returning if is in its else branch
  EXPECT_NE(ir.find("  } {\n    %"), std::string::npos) << ir;
  EXPECT_EQ(ir::verify(*m), "");
}

TEST(InlineFunctions, RecursiveFunctionsStayCallsWithANote) {
  auto m = lower(
      "functions { int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); } }\n"
      "transformed data { int k = fact(4); }");
  passes::inlineFunctions(*m);
  ASSERT_EQ(m->functions.size(), 1u);
  ASSERT_EQ(m->notes.size(), 1u);
  EXPECT_EQ(m->notes[0], "InlineFunctions: the call of 'fact' at line 2 is not inlined: 'fact' is recursive");
  EXPECT_EQ(ir::verify(*m), "");
}

// Every function a remaining call can reach is kept, also one reached only through another
// kept function (is_odd, called only by is_even): code generation compiles their bodies.
TEST(InlineFunctions, KeepsEveryFunctionARemainingCallReaches) {
  auto m = lower(
      "functions { int is_odd(int n);\n"
      "  int is_even(int n) { if (n == 0) return 1; return is_odd(n - 1); }\n"
      "  int is_odd(int n) { if (n == 0) return 0; return is_even(n - 1); } }\n"
      "transformed data { int k = is_even(4); }");
  passes::inlineFunctions(*m);
  ASSERT_EQ(m->functions.size(), 2u);
  EXPECT_EQ(m->functions[0].name, "is_even");
  EXPECT_EQ(m->functions[1].name, "is_odd");
  for (const auto& f : m->functions) EXPECT_NE(f.body, nullptr) << f.name;
  EXPECT_EQ(ir::verify(*m), "");
}

TEST(ConstantFold, FoldsExactArithmeticOnly) {
  auto m = lower("transformed data { int a = 2 * 3 + 1; real b = 1.0 / 4; int c = 7 %/% 0; real d = log(-1); }");
  passes::constantFold(*m);
  passes::dce(*m);
  EXPECT_EQ(section(*m, "transformed_data"),
            "  %0 : int = var \"a\"  [tdata]\n"
            "  %5 : int = const.int 7  [tdata]\n"
            "  store %0, %5  [tdata]\n"
            "  %7 : real = var \"b\"  [tdata]\n"
            "  %10 : real = const.real 0.25  [tdata]\n"
            "  store %7, %10  [tdata]\n"
            "  %12 : int = var \"c\"  [tdata]\n"
            "  %13 : int = const.int 7  [tdata]\n"
            "  %14 : int = const.int 0  [tdata]\n"
            "  %15 : int = call operator%/%(int, int) %13, %14  [tdata]\n"
            "  store %12, %15  [tdata]\n"
            "  %17 : real = var \"d\"  [tdata]\n"
            "  %19 : int = const.int -1  [tdata]\n"
            "  %20 : real = call log(T) %19  [tdata]\n"
            "  store %17, %20  [tdata]\n");
}

TEST(ConstantFold, UnaryMinusOfAConstantIsFoldedWhenExact) {
  auto m = lower("transformed data { real d = -2.5; }");
  passes::constantFold(*m);
  EXPECT_NE(section(*m, "transformed_data").find("const.real -2.5"), std::string::npos) << ir::toString(*m);
}

TEST(HoistData, MovesDataOnlyWorkToConstruction) {
  auto m = lower(R"(
data { int N; vector[N] x; vector[N] y; }
parameters { real a; real<lower=0> s; }
model { y ~ normal(a + log(x), s); }
)");
  passes::hoistData(*m);
  std::string td = section(*m, "transformed_data");
  std::string model = section(*m, "model");
  EXPECT_NE(td.find("call log(T) %1  [tdata]"), std::string::npos) << ir::toString(*m);
  EXPECT_EQ(model.find("log(T)"), std::string::npos) << model;
  EXPECT_NE(model.find("operator+(real, vector)"), std::string::npos) << model;
  EXPECT_EQ(ir::verify(*m), "");
}

TEST(HoistData, LeavesLoopsAndParameterWorkAlone) {
  auto m = lower(R"(
data { int N; vector[N] x; }
parameters { real a; }
model { for (n in 1:N) target += -square(x[n] - a); }
)");
  passes::hoistData(*m);
  EXPECT_NE(section(*m, "model").find("square"), std::string::npos);
  EXPECT_EQ(ir::verify(*m), "");
}

TEST(Cse, MergesEqualPureValuesAcrossRegionsAndSections) {
  auto m = lower(R"(
data { int N; array[N] int g; array[N] real y; array[3] real mu; }
model { for (n in 1:N) y[n] ~ normal(mu[g[n]], mu[g[n]] + 1); }
)");
  passes::cse(*m);
  passes::dce(*m);
  std::string model = section(*m, "model");
  auto count = [&](const std::string& what) {
    size_t c = 0;
    for (size_t p = model.find(what); p != std::string::npos; p = model.find(what, p + 1)) ++c;
    return c;
  };
  EXPECT_EQ(count("= index [s] %1, "), 1u) << model;  // g[n] once
  EXPECT_EQ(count("= index [s] %3, "), 1u) << model;  // mu[g[n]] once
  EXPECT_EQ(ir::verify(*m), "");
}

TEST(Cse, NeverMergesLoadsAcrossStores) {
  auto m = lower(R"(
parameters { real a; }
model { real b = a; target += b; b = 2 * a; target += b; }
)");
  passes::cse(*m);
  passes::dce(*m);
  std::string model = section(*m, "model");
  size_t loads = 0;
  for (size_t p = model.find("= load"); p != std::string::npos; p = model.find("= load", p + 1)) ++loads;
  EXPECT_EQ(loads, 2u) << model;
}

TEST(Dce, RemovesUnusedPureNodesButKeepsEffects) {
  auto m = lower(R"(
data { real x; }
transformed data { real unused = exp(x); print(x); }
)");
  passes::dce(*m);
  std::string td = section(*m, "transformed_data");
  EXPECT_NE(td.find("call exp"), std::string::npos);  // stored into a var: used
  EXPECT_NE(td.find("print"), std::string::npos);
  auto m2 = lower("data { real x; } model { real y = x; }");
  EXPECT_EQ(ir::verify(*m2), "");
}

TEST(ClassifyLoops, IndependentIterationsAreMapsStateCarryingLoopsAreNot) {
  auto m = lower(R"(
data { int T; vector[T] y; }
parameters { real<lower=0> s; array[T] real z; }
transformed parameters {
  vector[T] mu;
  vector[T] w;
  mu[1] = 0;
  for (t in 2:T) mu[t] = mu[t - 1] + s;    // carries state
  for (t in 1:T) w[t] = z[t] * s;          // a map
}
model {
  for (t in 1:T) y[t] ~ normal(mu[t] + w[t], s);   // a map (a sum of terms)
  for (t in 1:T) { print(t); }                     // output order matters
}
)");
  passes::classifyLoops(*m);
  std::string ir = ir::toString(*m);
  size_t maps = 0, loops = 0;
  for (size_t p = ir.find("for map %"); p != std::string::npos; p = ir.find("for map %", p + 1)) ++maps;
  for (size_t p = ir.find("  for %"); p != std::string::npos; p = ir.find("  for %", p + 1)) ++loops;
  EXPECT_EQ(maps, 2u) << ir;
  EXPECT_EQ(loops, 2u) << ir;
}

TEST(FuseLoadIndex, ReadsElementsInPlaceButNotAcrossAStore) {
  auto m = lower(
      "parameters { real s; } model { vector[3] mu = rep_vector(s, 3);\n"
      "  for (t in 2:3) mu[t] = mu[t - 1] * s;\n"  // load + index: fused, the load goes
      "  { vector[3] old = mu; mu[1] = 0; target += old[2]; }\n"  // old is loaded once: fused on its var
      "  target += sum(mu) + mu[3]; }");
  passes::fuseLoadIndex(*m);
  std::string model = section(*m, "model");
  EXPECT_EQ(ir::verify(*m), "");
  // the loop body reads mu[t - 1] in place: no whole-vector load left in it
  size_t loop = model.find("for ");
  ASSERT_NE(loop, std::string::npos) << model;
  std::string body = model.substr(loop, model.find("  }\n", loop) - loop);
  EXPECT_NE(body.find("load.index [s]"), std::string::npos) << model;
  EXPECT_EQ(body.find("= load %"), std::string::npos) << model;
  // sum(mu) still needs the whole vector; mu[3] after it is read in place
  EXPECT_NE(model.find("= load %"), std::string::npos) << model;
}

TEST(FuseLoadIndex, AStoreBetweenLoadAndIndexKeepsTheCopy) {
  auto m = lower("parameters { real s; } model { vector[2] v = rep_vector(s, 2); vector[2] w = v; v[1] = 5;"
                 " target += w[1] + v[1]; }");
  // w = v copies v (a load stored into w): the later v[1] = 5 must not change w[1].
  passes::fuseLoadIndex(*m);
  EXPECT_EQ(ir::verify(*m), "");
  std::string model = section(*m, "model");
  EXPECT_NE(model.find("store %"), std::string::npos) << model;
  EXPECT_NE(model.find("load.index [s]"), std::string::npos) << model;
}

TEST(Pipeline, PassesRunInTheDocumentedOrderAndVerify) {
  std::vector<std::string> names;
  for (const auto& p : passes::pipeline()) {
    names.push_back(p.name);
    EXPECT_STRNE(p.why, "");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"InlineFunctions", "ConstantFold", "HoistData", "CSE", "VectorizeBatchedMvn", "FuseLoadIndex", "DCE", "ClassifyLoops"}));
  auto m = lower("data { int N; vector[N] y; } parameters { real mu; } model { y ~ normal(mu, 1); }");
  std::ostringstream out;
  passes::PipelineOptions o;
  o.printAfter = "all";
  o.out = &out;
  passes::runPipeline(*m, o);
  for (const auto& n : names) EXPECT_NE(out.str().find("; IR after " + n), std::string::npos);
}

}  // namespace
}  // namespace mvc
