// Compiled models end to end: `mvc compile` (the real binary) turns each program of models/
// into a BridgeStan shared library; loaded with dlopen, its log density must equal the
// reference interpreter's (compiler/interp) and its gradient must equal both the
// interpreter's reverse sweep and central finite differences of the compiled log density.
// Also: the sampler program, the compile cache, bad data and unsupported programs.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../autodiff/ad_test_util.h"
#include <Eigen/Dense>

#include "io/json_data.h"

namespace {
namespace fs = std::filesystem;

// One folder per test process (ctest runs each test in a process of its own), removed when
// the process exits.
std::string tmpDir() {
  struct Dir {
    std::string path;
    Dir() {
      char tmpl[] = "/tmp/mvc-compiled-test-XXXXXX";
      path = mkdtemp(tmpl);
    }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static Dir dir;
  return dir.path;
}

struct Shell {
  int status;
  std::string output;
};

Shell shell(const std::string& cmd) {
  std::string full = cmd + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// The BridgeStan API of one loaded library.
struct Lib {
  void* handle = nullptr;
  void* (*construct)(const char*, unsigned, char**) = nullptr;
  void (*destruct)(void*) = nullptr;
  void (*freeError)(char*) = nullptr;
  int (*uncNum)(const void*) = nullptr;
  int (*paramNum)(const void*, bool, bool) = nullptr;
  int (*logDensity)(const void*, bool, bool, const double*, double*, char**) = nullptr;
  int (*logDensityGradient)(const void*, bool, bool, const double*, double*, double*, char**) = nullptr;
  int (*constrain)(const void*, bool, bool, const double*, double*, void*, char**) = nullptr;
  int (*unconstrain)(const void*, const double*, double*, char**) = nullptr;

  explicit Lib(const std::string& path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    construct = reinterpret_cast<decltype(construct)>(dlsym(handle, "bs_model_construct"));
    destruct = reinterpret_cast<decltype(destruct)>(dlsym(handle, "bs_model_destruct"));
    freeError = reinterpret_cast<decltype(freeError)>(dlsym(handle, "bs_free_error_msg"));
    uncNum = reinterpret_cast<decltype(uncNum)>(dlsym(handle, "bs_param_unc_num"));
    paramNum = reinterpret_cast<decltype(paramNum)>(dlsym(handle, "bs_param_num"));
    logDensity = reinterpret_cast<decltype(logDensity)>(dlsym(handle, "bs_log_density"));
    logDensityGradient = reinterpret_cast<decltype(logDensityGradient)>(dlsym(handle, "bs_log_density_gradient"));
    constrain = reinterpret_cast<decltype(constrain)>(dlsym(handle, "bs_param_constrain"));
    unconstrain = reinterpret_cast<decltype(unconstrain)>(dlsym(handle, "bs_param_unconstrain"));
  }
  ~Lib() {
    if (handle) dlclose(handle);
  }
};

std::string compileShared(const std::string& model, const std::string& extra = "") {
  std::string out = tmpDir() + "/" + fs::path(model).stem().string() + (extra.empty() ? "" : "_nv") + ".so";
  Shell r = shell(std::string(MVC_BINARY) + " compile " + model + " --shared --no-cache " + extra + " -o " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  return out;
}

// The gradient g (log density lp) at theta against central finite differences of the library's
// log density (jacobian on), coordinate by coordinate.
void expectFiniteDifferencesAgree(Lib& lib, void* model, bool propto, const std::vector<double>& theta,
                                  const std::vector<double>& g, double lp) {
  char* err = nullptr;
  for (size_t i = 0; i < theta.size(); ++i) {
    double h = 1e-6, lpp, lpm;
    std::vector<double> tp = theta, tm = theta;
    tp[i] += h;
    tm[i] -= h;
    ASSERT_EQ(lib.logDensity(model, propto, true, tp.data(), &lpp, &err), 0) << err;
    ASSERT_EQ(lib.logDensity(model, propto, true, tm.data(), &lpm, &err), 0) << err;
    double fd = (lpp - lpm) / (2 * h);
    EXPECT_NEAR(g[i], fd, 1e-5 * std::max(1.0, std::fabs(fd)) + 1e-10 * std::fabs(lp) / h) << "coordinate " << i;
  }
}

// At theta: the compiled log density and gradient equal the interpreter's, and the gradient
// agrees with finite differences of the compiled log density.
void expectAgreesWithInterpreter(Lib& lib, void* model, mvc::interp::Interpreter& in, const std::vector<double>& theta) {
  char* err = nullptr;
  const int n = static_cast<int>(theta.size());
  std::vector<double> g(theta.size()), gi;
  double lp = 0;
  double ref = in.logDensityGradient(theta, {false, true}, gi);
  ASSERT_EQ(lib.logDensityGradient(model, false, true, theta.data(), &lp, g.data(), &err), 0) << err;
  EXPECT_NEAR(lp, ref, 1e-10 * std::max(1.0, std::fabs(ref)));
  for (int i = 0; i < n; ++i) EXPECT_NEAR(g[i], gi[i], 1e-9 * std::max(1.0, std::fabs(gi[i]))) << "coordinate " << i;
  expectFiniteDifferencesAgree(lib, model, false, theta, g, lp);
}

class Models : public ::testing::TestWithParam<std::string> {};

// The compiled library against the interpreter and finite differences.
void checkModel(const std::string& name, const std::string& extraFlags) {
  std::string base = MVC_SOURCE_DIR "/models/" + name;
  std::string so = compileShared(base + ".model", extraFlags);
  Lib lib(so);
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  char* err = nullptr;
  void* model = lib.construct((base + ".data.json").c_str(), 1, &err);
  ASSERT_NE(model, nullptr) << err;

  auto ir = mvc::test::toIr(mvc::test::readFile(base + ".model"), true);
  ASSERT_TRUE(ir);
  mvc::io::DataMap data = mvc::io::read_json_data_file(base + ".data.json");
  mvc::interp::Interpreter in(*ir, data);
  int n = lib.uncNum(model);
  ASSERT_EQ(static_cast<size_t>(n), in.numUnconstrained());

  for (unsigned seed : {1u, 2u}) {
    std::vector<double> theta = mvc::test::randomPoint(n, seed, 0.8);
    for (bool propto : {false, true})
      for (bool jacobian : {false, true}) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " propto " + std::to_string(propto) + " jacobian " +
                     std::to_string(jacobian));
        double lp = 0, lpg = 0;
        std::vector<double> g(n), gi;
        ASSERT_EQ(lib.logDensity(model, propto, jacobian, theta.data(), &lp, &err), 0) << err;
        ASSERT_EQ(lib.logDensityGradient(model, propto, jacobian, theta.data(), &lpg, g.data(), &err), 0) << err;
        double ref = in.logDensityGradient(theta, {propto, jacobian}, gi);
        EXPECT_NEAR(lp, ref, 1e-10 * std::max(1.0, std::fabs(ref)));
        EXPECT_EQ(lp, lpg);
        int bad = 0;
        for (int i = 0; i < n && bad < 5; ++i) {
          double tol = 1e-9 * std::max(1.0, std::fabs(gi[i]));
          if (std::fabs(g[i] - gi[i]) > tol) {
            ++bad;
            ADD_FAILURE() << "coordinate " << i << ": compiled " << g[i] << " interpreter " << gi[i];
          }
        }
        // Finite differences of the compiled log density, on a few coordinates.
        for (int i = 0; i < n; i += std::max(1, n / 7)) {
          double h = 1e-6;
          std::vector<double> tp = theta, tm = theta;
          tp[i] += h;
          tm[i] -= h;
          double lpp, lpm;
          ASSERT_EQ(lib.logDensity(model, propto, jacobian, tp.data(), &lpp, &err), 0) << err;
          ASSERT_EQ(lib.logDensity(model, propto, jacobian, tm.data(), &lpm, &err), 0) << err;
          double fd = (lpp - lpm) / (2 * h);
          EXPECT_NEAR(g[i], fd, 1e-5 * std::max(1.0, std::fabs(fd)) + 1e-10 * std::fabs(lp) / h) << "coordinate " << i;
        }
      }
    // constrain then unconstrain gives the point back
    std::vector<double> cons(lib.paramNum(model, false, false)), back(n);
    ASSERT_EQ(lib.constrain(model, false, false, theta.data(), cons.data(), nullptr, &err), 0) << err;
    ASSERT_EQ(lib.unconstrain(model, cons.data(), back.data(), &err), 0) << err;
    for (int i = 0; i < n; ++i) EXPECT_NEAR(back[i], theta[i], 1e-8) << "coordinate " << i;
  }
  lib.destruct(model);
}

TEST_P(Models, LogDensityAndGradientAreExact) { checkModel(GetParam(), ""); }
TEST_P(Models, AlsoWithoutTheBatchedMvnPass) { checkModel(GetParam(), "--no-vectorize"); }

INSTANTIATE_TEST_SUITE_P(All, Models,
                         ::testing::Values("eight_schools_noncentered", "correlated_slopes", "mvn_latent_batched",
                                           "mvn_latent_loop", "mvn_llt", "mvn_param_cov", "state_space_ar1"));

// The program of tests/fixtures/adjoints (linear algebra, the GP kernel, reductions and sorting
// on parameters: the adjoint table's rows and the runtime's gradient kernels) compiled: equal to
// the interpreter and to finite differences.
TEST(Compiled, LinearAlgebraGpAndReductionRules) {
  std::string base = MVC_SOURCE_DIR "/tests/fixtures/adjoints/gp_and_linear_algebra";
  Lib lib(compileShared(base + ".model"));
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  std::string data = mvc::test::readFile(base + ".data.json");
  auto ir = mvc::test::toIr(mvc::test::readFile(base + ".model"), true);
  ASSERT_TRUE(ir);
  mvc::interp::Interpreter in(*ir, mvc::io::parse_json_data(data));
  char* err = nullptr;
  void* model = lib.construct(data.c_str(), 1, &err);
  ASSERT_NE(model, nullptr) << err;
  int n = lib.uncNum(model);
  ASSERT_EQ(static_cast<size_t>(n), in.numUnconstrained());
  for (unsigned seed : {1u, 2u, 3u}) expectAgreesWithInterpreter(lib, model, in, mvc::test::randomPoint(n, seed, 0.8));
  lib.destruct(model);
}

TEST(Compiled, BadDataIsAClearError) {
  std::string so = compileShared(MVC_SOURCE_DIR "/models/eight_schools_noncentered.model");
  Lib lib(so);
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  char* err = nullptr;
  EXPECT_EQ(lib.construct("{}", 1, &err), nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_STREQ(err, "variable 'J' is missing from the data");
  lib.freeError(err);
  err = nullptr;
  EXPECT_EQ(lib.construct(R"({"J": 2, "y": [1, 2], "sigma": [1, -1]})", 1, &err), nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("sigma"), std::string::npos) << err;
  lib.freeError(err);
  err = nullptr;
  EXPECT_EQ(lib.construct(R"({"J": 2, "y": [1, 2, 3], "sigma": [1, 1]})", 1, &err), nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("'y'"), std::string::npos) << err;
  lib.freeError(err);
}

TEST(Compiled, SamplerProgramRunsAndWritesStanCsv) {
  std::string prog = tmpDir() + "/eight_schools";
  Shell c = shell(std::string(MVC_BINARY) + " compile " MVC_SOURCE_DIR "/models/eight_schools_noncentered.model --no-cache -o " + prog);
  ASSERT_EQ(c.status, 0) << c.output;
  std::string csv = tmpDir() + "/es.csv";
  Shell s = shell(prog + " sample num_samples=300 num_warmup=300 data file=" MVC_SOURCE_DIR
                     "/models/eight_schools_noncentered.data.json output file=" + csv + " random seed=7");
  ASSERT_EQ(s.status, 0) << s.output;
  std::string text = mvc::test::readFile(csv);
  EXPECT_NE(text.find("lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,tau,"
                      "theta_tilde.1"),
            std::string::npos);
  EXPECT_NE(text.find("theta.8"), std::string::npos);
}

TEST(Compiled, CompileCacheReusesTheResult) {
  std::string cache = tmpDir() + "/cache";
  std::string cmd = "MVC_CACHE_DIR=" + cache + " " + MVC_BINARY + " compile " MVC_SOURCE_DIR
                    "/models/eight_schools_noncentered.model --shared --time -o " + tmpDir() + "/cached.so";
  Shell first = shell(cmd);
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_EQ(first.output.find("compile cache"), std::string::npos) << first.output;
  Shell second = shell(cmd);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("from the compile cache"), std::string::npos) << second.output;
  Lib lib(tmpDir() + "/cached.so");
  EXPECT_NE(lib.handle, nullptr) << dlerror();
}

TEST(Compiled, UnsupportedProgramsGetAMessageAndExitOne) {
  std::string src = tmpDir() + "/fn.model";
  FILE* f = fopen(src.c_str(), "w");
  // A recursive function (not inlined) applied to a parameter: no reverse for it yet.
  fputs("functions { real fact(real x) { if (x <= 1) return 1; return x * fact(x - 1); } }\n"
        "parameters { real y; }\nmodel { y ~ normal(fact(y), 1); }\n",
        f);
  fclose(f);
  Shell r = shell(std::string(MVC_BINARY) + " compile " + src + " --no-cache -o " + tmpDir() + "/fn");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output,
            "mvc: autodiff: the user-defined function 'fact' is called with parameters (line 3), but it is "
            "recursive, so it is not inlined, and recursion on parameters is not supported yet\n");
  EXPECT_FALSE(fs::exists(tmpDir() + "/fn"));
}

// ---------------------------------------------------------------- user-defined functions
// Functions that InlineFunctions leaves as calls (recursive, mutually recursive, returning from
// inside a loop) are functions of the generated object (docs/codegen.md). The fixture
// tests/fixtures/recursion calls them in transformed data, the model (data arguments) and
// generated quantities (a parameter argument).
std::string recursionDir() { return MVC_SOURCE_DIR "/tests/fixtures/recursion/"; }

// The fixture's data with some fields replaced.
std::string recursionData(const std::string& depth, const std::string& start, const std::string& check) {
  return R"({"N": 3, "w": [1.5, 2.25, -0.5], "ids": [7, 3, 9], "wanted": 3, "depth": )" + depth +
         R"(, "start": )" + start + R"(, "check": )" + check + "}";
}

TEST(Compiled, RecursiveFunctionsAgreeWithTheInterpreterAndGiveExactValues) {
  std::string model = recursionDir() + "recursion.model";
  Lib lib(compileShared(model));
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  std::string data = mvc::test::readFile(recursionDir() + "data.json");
  auto ir = mvc::test::toIr(mvc::test::readFile(model), true);
  ASSERT_TRUE(ir);
  mvc::interp::Interpreter in(*ir, mvc::io::parse_json_data(data));
  char* err = nullptr;
  void* m = lib.construct(data.c_str(), 1, &err);
  ASSERT_NE(m, nullptr) << err;
  int n = lib.uncNum(m);
  ASSERT_EQ(n, 2);
  ASSERT_EQ(static_cast<size_t>(n), in.numUnconstrained());
  auto rngConstruct = reinterpret_cast<void* (*)(unsigned, char**)>(dlsym(lib.handle, "bs_rng_construct"));
  auto rngDestruct = reinterpret_cast<void (*)(void*)>(dlsym(lib.handle, "bs_rng_destruct"));
  ASSERT_TRUE(rngConstruct && rngDestruct);
  void* rng = rngConstruct(1, nullptr);
  for (unsigned seed : {1u, 2u, 3u}) {
    std::vector<double> theta = mvc::test::randomPoint(n, seed, 0.8);
    expectAgreesWithInterpreter(lib, m, in, theta);

    // mu, sigma, then the generated quantities s, f, fb, p, a, e, l, d, t, m
    std::vector<double> out(lib.paramNum(m, false, true));
    ASSERT_EQ(out.size(), 12u);
    ASSERT_EQ(lib.constrain(m, false, true, theta.data(), out.data(), rng, &err), 0) << err;
    double mu = theta[0];
    EXPECT_EQ(out[0], mu);
    EXPECT_EQ(out[2], 1.5 * mu + (2.25 * mu + (-0.5 * mu + 0.0)));  // rsum(w * mu, 1)
    EXPECT_EQ(out[3], 120);                                      // factorial(5)
    EXPECT_EQ(out[4], 55);                                       // fib(10)
    EXPECT_EQ(out[5], 2);                                        // find(ids, 3): return inside a for loop
    EXPECT_EQ(out[6], 2.25);                                     // first_above(w, 2): inside a while loop
    EXPECT_EQ(out[7], 0);                                        // is_even(7): mutual recursion
    EXPECT_EQ(out[8], 15);                                       // local_sum(4): locals per activation
    EXPECT_EQ(out[9], 9000);                                     // count(9000): 9000 frames deep
    EXPECT_EQ(out[10], 3.25);                                    // past_end(w, 3)
    EXPECT_EQ(out[11], 2);                                       // is_even(3) + 2 * is_odd(fib(7))
  }
  rngDestruct(rng);
  lib.destruct(m);
}

TEST(Compiled, ErrorsInsideRecursiveFunctionsAreTheUsualMessages) {
  Lib lib(compileShared(recursionDir() + "recursion.model"));
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  auto constructError = [&](const std::string& data) {
    char* err = nullptr;
    void* m = lib.construct(data.c_str(), 1, &err);
    if (m) lib.destruct(m);
    std::string text = err ? err : "";
    if (err) lib.freeError(err);
    return text;
  };
  // the interpreter's message for the same data
  auto ir = mvc::test::toIr(mvc::test::readFile(recursionDir() + "recursion.model"), true);
  ASSERT_TRUE(ir);
  auto interpError = [&](const std::string& data) {
    try {
      mvc::interp::Interpreter in(*ir, mvc::io::parse_json_data(data));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(constructError(recursionData("9999", "3", "0")), "");  // 10000 calls deep
  std::string deep = constructError(recursionData("10000", "3", "0"));  // 10001
  EXPECT_NE(deep.find("recursion deeper than 10000 calls in 'count'"), std::string::npos) << deep;
  std::string rejected = constructError(recursionData("5", "3", "1"));
  EXPECT_NE(rejected.find("negative element at 3"), std::string::npos) << rejected;
  std::string pastEnd = constructError(recursionData("5", "4", "0"));
  std::string ref = interpError(recursionData("5", "4", "0"));
  ASSERT_FALSE(ref.empty());
  EXPECT_NE(pastEnd.find(ref), std::string::npos) << pastEnd << "\ninterpreter: " << ref;
}

}  // namespace

// ---------------------------------------------------------------- the parser corpus
// Every corpus program that `mvc compile` accepts, on synthetic data (synth_data.h): the
// compiled library agrees with the interpreter (value, gradient, or the same failure), and
// its gradient with finite differences. Programs the compiler does not support yet must say
// so with exit code 1.
#include "synth_data.h"

namespace {

class Corpus : public ::testing::TestWithParam<std::string> {};

TEST_P(Corpus, CompiledAgreesWithInterpreterAndFiniteDifferences) {
  std::string path = MVC_SOURCE_DIR "/tests/corpus/valid/" + GetParam();
  std::string so = tmpDir() + "/corpus_" + fs::path(path).stem().string() + ".so";
  Shell c = shell(std::string(MVC_BINARY) + " compile " + path + " --shared --no-cache -o " + so);
  if (c.status == 1 && c.output.find("not supported") != std::string::npos)
    GTEST_SKIP() << "not supported yet: " << c.output.substr(0, c.output.find('\n'));
  ASSERT_EQ(c.status, 0) << c.output;

  auto ir = mvc::test::toIr(mvc::test::readFile(path), true);
  ASSERT_TRUE(ir);
  std::string data = mvc::test::DataSynth(*ir).json();
  if (data.empty()) GTEST_SKIP() << "no synthetic data (a size or bound is an expression)";
  Lib lib(so);
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  char* err = nullptr;
  mvc::io::DataMap dm = mvc::io::parse_json_data(data);
  std::unique_ptr<mvc::interp::Interpreter> in;
  std::string interpError;
  try {
    in = std::make_unique<mvc::interp::Interpreter>(*ir, dm);
  } catch (const std::exception& e) {
    interpError = e.what();
  }
  void* model = lib.construct(data.c_str(), 1, &err);
  if (!in && interpError.find("interpreter does not support") != std::string::npos) {
    // No interpreter reference (e.g. _rng in transformed data): the gradient against finite
    // differences of the compiled log density only.
    ASSERT_NE(model, nullptr) << err << "\ndata: " << data;
    const int n = lib.uncNum(model);
    std::vector<double> theta = mvc::test::randomPoint(n, 3, 0.5), g(n);
    double lp = 0;
    ASSERT_EQ(lib.logDensityGradient(model, false, true, theta.data(), &lp, g.data(), &err), 0) << err;
    expectFiniteDifferencesAgree(lib, model, false, theta, g, lp);
    lib.destruct(model);
    return;
  }
  if (!in) {
    EXPECT_EQ(model, nullptr) << "the interpreter failed (" << interpError << ") but the compiled model did not";
    if (err) lib.freeError(err);
    return;
  }
  ASSERT_NE(model, nullptr) << err << "\ndata: " << data;
  int n = lib.uncNum(model);
  ASSERT_EQ(static_cast<size_t>(n), in->numUnconstrained());
  std::vector<double> theta = mvc::test::randomPoint(n, 3, 0.5), g(n), gi;
  double lp = 0, ref = 0;
  bool interpOk = true;
  try {
    ref = in->logDensityGradient(theta, {false, true}, gi);
  } catch (const std::exception& e) {
    interpOk = false;
    interpError = e.what();
  }
  int rc = lib.logDensityGradient(model, false, true, theta.data(), &lp, g.data(), &err);
  if (!interpOk) {
    EXPECT_NE(rc, 0) << "the interpreter failed (" << interpError << ") but the compiled model did not";
  } else {
    ASSERT_EQ(rc, 0) << err;
    EXPECT_NEAR(lp, ref, 1e-10 * std::max(1.0, std::fabs(ref)));
    for (int i = 0; i < n; ++i) {
      EXPECT_NEAR(g[i], gi[i], 1e-9 * std::max(1.0, std::fabs(gi[i]))) << "coordinate " << i;
      double h = 1e-6, lpp, lpm;
      std::vector<double> tp = theta, tm = theta;
      tp[i] += h;
      tm[i] -= h;
      if (lib.logDensity(model, false, true, tp.data(), &lpp, &err) != 0 ||
          lib.logDensity(model, false, true, tm.data(), &lpm, &err) != 0)
        continue;  // at the edge of the support
      double fd = (lpp - lpm) / (2 * h);
      EXPECT_NEAR(g[i], fd, 1e-5 * std::max(1.0, std::fabs(fd)) + 1e-10 * std::fabs(lp) / h) << "coordinate " << i;
    }
  }
  if (err) lib.freeError(err);
  lib.destruct(model);
}

// The .model files of a directory, sorted (the test parameters).
std::vector<std::string> modelFilesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".model") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------- loops that carry state
// The programs of tests/fixtures/state_loops (reversed with the undo tape, runtime/compiled/
// tape.cpp) compiled: equal to the interpreter and to finite differences, and the same
// gradient when evaluated again (the tape is cleared and its entries reused between calls).
class StateLoops : public ::testing::TestWithParam<std::string> {};

TEST_P(StateLoops, CompiledGradientIsExactAndRepeatable) {
  std::string dir = MVC_SOURCE_DIR "/tests/fixtures/state_loops/";
  std::string path = dir + GetParam();
  Lib lib(compileShared(path));
  ASSERT_NE(lib.handle, nullptr);
  std::string data = mvc::test::readFile(dir + "data.json");
  auto ir = mvc::test::toIr(mvc::test::readFile(path), true);
  ASSERT_TRUE(ir);
  mvc::interp::Interpreter in(*ir, mvc::io::parse_json_data(data));
  char* err = nullptr;
  void* model = lib.construct(data.c_str(), 1, &err);
  ASSERT_NE(model, nullptr) << err;
  int n = lib.uncNum(model);
  for (unsigned seed : {7u, 8u}) {
    std::vector<double> theta = mvc::test::randomPoint(n, seed, 0.7), g(n), g2(n), gi;
    double lp = 0, lp2 = 0, lpPlain = 0;
    double ref = in.logDensityGradient(theta, {false, true}, gi);
    ASSERT_EQ(lib.logDensityGradient(model, false, true, theta.data(), &lp, g.data(), &err), 0) << err;
    ASSERT_EQ(lib.logDensity(model, false, true, theta.data(), &lpPlain, &err), 0) << err;
    ASSERT_EQ(lib.logDensityGradient(model, false, true, theta.data(), &lp2, g2.data(), &err), 0) << err;
    EXPECT_NEAR(lp, ref, 1e-10 * std::max(1.0, std::fabs(ref)));
    EXPECT_EQ(lp, lpPlain);
    EXPECT_EQ(lp, lp2);
    for (int i = 0; i < n; ++i) {
      EXPECT_NEAR(g[i], gi[i], 1e-10 * std::max(1.0, std::fabs(gi[i]))) << "coordinate " << i;
      EXPECT_EQ(g[i], g2[i]) << "coordinate " << i;
    }
    expectFiniteDifferencesAgree(lib, model, false, theta, g, lp);
  }
  lib.destruct(model);
}

INSTANTIATE_TEST_SUITE_P(All, StateLoops, ::testing::ValuesIn(modelFilesIn(MVC_SOURCE_DIR "/tests/fixtures/state_loops")),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return i.param.substr(0, i.param.find('.'));
                         });

INSTANTIATE_TEST_SUITE_P(Valid, Corpus, ::testing::ValuesIn(modelFilesIn(MVC_SOURCE_DIR "/tests/corpus/valid")),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string s = i.param.substr(0, i.param.find('.'));
                           for (char& ch : s)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return s;
                         });

}  // namespace

// ---------------------------------------------------------------- posterior recovery
// The data-covariance latent model has the exact posterior x[n] ~ N(mu[n], Sigma[n]): the
// compiled sampler's draws must have those means and covariances within Monte Carlo error,
// and R-hat below 1.01.
namespace {

std::vector<std::vector<double>> readDraws(const std::string& csv, std::vector<std::string>& header) {
  std::ifstream in(csv);
  std::string line;
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::vector<double> r;
    for (const auto& c : cells) r.push_back(std::stod(c));
    rows.push_back(r);
  }
  return rows;
}

// R-hat of every column, from `mvc summary --csv FILES`.
std::map<std::string, double> summaryRhats(const std::string& files) {
  std::map<std::string, double> out;
  Shell sum = shell(std::string(MVC_BINARY) + " summary --csv" + files);
  EXPECT_EQ(sum.status, 0) << sum.output;
  std::stringstream ss(sum.output);
  std::string line, head;
  std::getline(ss, head);
  std::vector<std::string> cols;
  {
    std::stringstream hs(head);
    std::string cell;
    while (std::getline(hs, cell, ',')) cols.push_back(cell);
  }
  auto rhatCol = std::find(cols.begin(), cols.end(), "rhat");
  EXPECT_NE(rhatCol, cols.end()) << head;
  if (rhatCol == cols.end()) return out;
  size_t rc = static_cast<size_t>(rhatCol - cols.begin());
  while (std::getline(ss, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (cells.size() <= rc || cells[0].empty()) continue;
    char* end = nullptr;
    double r = std::strtod(cells[rc].c_str(), &end);
    if (end != cells[rc].c_str()) out[cells[0]] = r;  // not the rows without an R-hat
  }
  return out;
}

// Samples a compiled program (4 chains x 1000 draws) and returns the draws of all chains and
// the CSV files' names (for mvc summary).
std::vector<std::vector<double>> sample(const std::string& model, const std::string& dataFile, const std::string& tag,
                                        std::vector<std::string>& header, std::string& files) {
  std::string prog = tmpDir() + "/" + tag;
  Shell c = shell(std::string(MVC_BINARY) + " compile " + model + " --no-cache -o " + prog);
  EXPECT_EQ(c.status, 0) << c.output;
  std::string out = tmpDir() + "/" + tag + ".csv";
  Shell s = shell(prog + " sample num_samples=1000 num_warmup=1000 num_chains=4 num_threads=2 data file=" + dataFile +
                  " output file=" + out + " refresh=0 random seed=11");
  EXPECT_EQ(s.status, 0) << s.output;
  std::vector<std::vector<double>> draws;
  for (int chain = 1; chain <= 4; ++chain) {
    std::string f = tmpDir() + "/" + tag + "_" + std::to_string(chain) + ".csv";
    files += " " + f;
    std::vector<std::string> h;  // readDraws takes the first non-comment line as the header
    auto d = readDraws(f, h);
    header = h;
    EXPECT_EQ(d.size(), 1000u) << f;
    draws.insert(draws.end(), d.begin(), d.end());
  }
  return draws;
}

TEST(Posterior, LatentMvnModelRecoversTheExactPosterior) {
  std::string dataFile = MVC_SOURCE_DIR "/models/mvn_latent_batched.data.json";
  std::vector<std::string> header;
  std::string files;
  auto draws = sample(MVC_SOURCE_DIR "/models/mvn_latent_batched.model", dataFile, "latent", header, files);
  ASSERT_EQ(draws.size(), 4000u);
  mvc::io::DataMap data = mvc::io::read_json_data_file(dataFile);
  const auto& mu = data.at("mu");
  const auto& Sigma = data.at("Sigma");
  int N = static_cast<int>(mu.dims[0]), q = static_cast<int>(mu.dims[1]);
  auto col = [&](int n, int k) {
    std::string name = "x." + std::to_string(n + 1) + "." + std::to_string(k + 1);
    auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<size_t>(it - header.begin());
  };
  const double draws_n = static_cast<double>(draws.size());
  const double ess = 1000;  // a conservative effective sample size for these draws
  for (int n = 0; n < N; ++n) {
    std::vector<double> m(q, 0.0);
    for (int k = 0; k < q; ++k) {
      for (const auto& r : draws) m[k] += r[col(n, k)];
      m[k] /= draws_n;
      double sd = std::sqrt(Sigma.values[mvc::io::column_major_offset(Sigma.dims, {size_t(n), size_t(k), size_t(k)})]);
      double want = mu.values[mvc::io::column_major_offset(mu.dims, {size_t(n), size_t(k)})];
      EXPECT_NEAR(m[k], want, 5 * sd / std::sqrt(ess)) << "x[" << n + 1 << "][" << k + 1 << "]";
    }
    for (int j = 0; j < q; ++j)
      for (int k = 0; k <= j; ++k) {
        double cov = 0;
        for (const auto& r : draws) cov += (r[col(n, j)] - m[j]) * (r[col(n, k)] - m[k]);
        cov /= draws_n - 1;
        auto S = [&](int a, int b) {
          return Sigma.values[mvc::io::column_major_offset(Sigma.dims, {size_t(n), size_t(a), size_t(b)})];
        };
        double se = std::sqrt((S(j, j) * S(k, k) + S(j, k) * S(j, k)) / ess);
        EXPECT_NEAR(cov, S(j, k), 5 * se) << "Sigma[" << n + 1 << "][" << j + 1 << "," << k + 1 << "]";
      }
  }
  // R-hat from mvc summary
  auto rhat = summaryRhats(files);
  int checked = 0;
  for (const auto& [name, r] : rhat) {
    if (name.rfind("x.", 0) != 0) continue;
    EXPECT_LT(r, 1.01) << name;
    ++checked;
  }
  EXPECT_EQ(checked, N * q);
}

// A loop that carries state, sampled: the latent AR(1) of models/state_space_ar1.model has a
// Gaussian posterior, x | y ~ N(P (P + tau^2 I)^-1 y, P - P (P + tau^2 I)^-1 P) with P = A A'
// the prior covariance of x = A z (A[t][j] = s phi^(t - j), j <= t).
TEST(Posterior, StateSpaceModelRecoversTheExactPosterior) {
  std::string dataFile = MVC_SOURCE_DIR "/models/state_space_ar1.data.json";
  std::vector<std::string> header;
  std::string files;
  auto draws = sample(MVC_SOURCE_DIR "/models/state_space_ar1.model", dataFile, "ar1", header, files);
  ASSERT_EQ(draws.size(), 4000u);
  mvc::io::DataMap data = mvc::io::read_json_data_file(dataFile);
  const int T = static_cast<int>(data.at("T").values[0]);
  const double phi = data.at("phi").values[0], s = data.at("s").values[0], tau = data.at("tau").values[0];
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(T, T);
  for (int t = 0; t < T; ++t)
    for (int j = 0; j <= t; ++j) A(t, j) = s * std::pow(phi, t - j);
  Eigen::MatrixXd P = A * A.transpose();
  Eigen::VectorXd y(T);
  for (int t = 0; t < T; ++t) y(t) = data.at("y").values[static_cast<size_t>(t)];
  Eigen::MatrixXd K = (P + tau * tau * Eigen::MatrixXd::Identity(T, T)).llt().solve(P);  // (P + tau^2 I)^-1 P
  Eigen::VectorXd mean = K.transpose() * y;
  Eigen::MatrixXd cov = P - P * K;
  const double ess = 1000;  // conservative
  for (int t = 0; t < T; ++t) {
    std::string name = "x." + std::to_string(t + 1);
    auto it = std::find(header.begin(), header.end(), name);
    ASSERT_NE(it, header.end()) << name;
    size_t c = static_cast<size_t>(it - header.begin());
    double m = 0, v = 0;
    for (const auto& r : draws) m += r[c];
    m /= static_cast<double>(draws.size());
    for (const auto& r : draws) v += (r[c] - m) * (r[c] - m);
    v /= static_cast<double>(draws.size() - 1);
    double sd = std::sqrt(cov(t, t));
    EXPECT_NEAR(m, mean(t), 5 * sd / std::sqrt(ess)) << name;
    EXPECT_NEAR(std::sqrt(v), sd, 5 * sd / std::sqrt(2 * ess)) << name;
  }
  int checked = 0;
  for (const auto& [name, r] : summaryRhats(files)) {
    if (name.rfind("x.", 0) != 0 && name.rfind("z.", 0) != 0) continue;
    EXPECT_LT(r, 1.01) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 2 * T);
}

}  // namespace

// ---------------------------------------------------------------- batched forms (issue 5)
// Every form the pass VectorizeBatchedMvn rewrites, compiled with the pass and without it
// (--no-vectorize, the loop of single densities): the batched node must be in the one and not
// in the other, and log density and gradient must agree to 1e-10 at random points, with and
// without constants; the batched program's gradient also against finite differences.
namespace {

std::string formsData() {
  const int N = 6, q = 3, K = 2;
  std::mt19937 r(17);
  std::normal_distribution<double> z;
  auto vec = [&] {
    std::string s = "[";
    for (int i = 0; i < q; ++i) s += (i ? "," : "") + std::to_string(z(r));
    return s + "]";
  };
  auto spd = [&] {
    double a[3][3], m[3][3];
    for (auto& row : a)
      for (double& x : row) x = z(r);
    std::string s = "[";
    for (int i = 0; i < q; ++i) {
      s += i ? ",[" : "[";
      for (int j = 0; j < q; ++j) {
        m[i][j] = (i == j ? q : 0.0);
        for (int k = 0; k < q; ++k) m[i][j] += a[i][k] * a[j][k];
        s += (j ? "," : "") + std::to_string(m[i][j]);
      }
      s += "]";
    }
    return s + "]";
  };
  std::string y = "[", mu = "[", S = "[", g = "[";
  for (int n = 0; n < N; ++n) {
    y += (n ? "," : "") + vec();
    mu += (n ? "," : "") + vec();
    S += (n ? "," : "") + spd();
    g += (n ? "," : "") + std::to_string(1 + (n * 7 % K));
  }
  return "{\"N\":" + std::to_string(N) + ",\"q\":" + std::to_string(q) + ",\"K\":" + std::to_string(K) +
         ",\"g\":" + g + "],\"y\":" + y + "],\"mu\":" + mu + "],\"S\":" + S + "]}";
}

const char* kFormsData =
    "data { int N; int q; int K; array[N] int<lower=1, upper=K> g; array[N] vector[q] y;\n"
    "       array[N] vector[q] mu; array[N] cov_matrix[q] S; }\n";

struct Form {
  const char* name;
  const char* body;  // after the data block
};

const Form kForms[] = {
    {"own_mean_and_covariance", "parameters { array[N] vector[q] x; }\n"
                                "model { for (n in 1:N) x[n] ~ multi_normal(mu[n], S[n]); }\n"},
    {"target_plus_lpdf", "parameters { array[N] vector[q] x; }\n"
                         "model { for (n in 1:N) target += multi_normal_lpdf(x[n] | mu[n], S[n]); }\n"},
    {"cholesky_from_transformed_data",
     "transformed data { array[N] matrix[q, q] L; for (n in 1:N) L[n] = cholesky_decompose(S[n]); }\n"
     "parameters { array[N] vector[q] x; }\n"
     "model { for (n in 1:N) x[n] ~ multi_normal_cholesky(mu[n], L[n]); }\n"},
    {"precision", "parameters { array[N] vector[q] x; }\n"
                  "model { for (n in 1:N) x[n] ~ multi_normal_prec(mu[n], S[n]); }\n"},
    {"loop_invariant_parameters",
     "parameters { vector[q] m; cholesky_factor_corr[q] Lc; vector<lower=0>[q] tau; }\n"
     "model { m ~ normal(0, 2); Lc ~ lkj_corr_cholesky(2); tau ~ normal(0, 1);\n"
     "  for (n in 1:N) y[n] ~ multi_normal_cholesky(m, diag_pre_multiply(tau, Lc)); }\n"},
    {"group_indexed_cholesky",
     "parameters { vector[q] m; array[K] cholesky_factor_corr[q] L; array[K] vector<lower=0>[q] tau; }\n"
     "model { m ~ normal(0, 2); for (k in 1:K) { L[k] ~ lkj_corr_cholesky(2); tau[k] ~ normal(0, 1); }\n"
     "  for (n in 1:N) y[n] ~ multi_normal_cholesky(m, diag_pre_multiply(tau[g[n]], L[g[n]])); }\n"},
    // Per-group priors in a loop with no multivariate normal: the LKJ factors batched whole,
    // the scales (a univariate normal over vectors, with a per-item location) end to end.
    {"per_group_priors_batched",
     "parameters { vector[q] m; array[K] cholesky_factor_corr[q] L; array[K] vector<lower=0>[q] tau;\n"
     "             array[K] real loc; }\n"
     "model { m ~ normal(0, 2); loc ~ normal(0, 1);\n"
     "  for (k in 1:K) { L[k] ~ lkj_corr_cholesky(2); tau[k] ~ normal(loc[k], 1.5); }\n"
     "  for (n in 1:N) y[n] ~ multi_normal_cholesky(m, diag_pre_multiply(tau[g[n]], L[g[n]])); }\n"},
    {"group_indexed_quad_form_diag",
     "parameters { corr_matrix[q] Om; array[K] vector<lower=0>[q] tau; }\n"
     "model { Om ~ lkj_corr(2); for (k in 1:K) tau[k] ~ normal(0, 1);\n"
     "  for (n in 1:N) y[n] ~ multi_normal(mu[n], quad_form_diag(Om, tau[g[n]])); }\n"},
    // Data y, one mean, a matrix per group (or one) from parameters: y is summarised per
    // group at construction (count, mean, scatter), each group costs O(q^3) per gradient.
    {"group_indexed_covariance_shared_mean",
     "parameters { vector[q] m; corr_matrix[q] Om; array[K] vector<lower=0>[q] tau; }\n"
     "model { m ~ normal(0, 2); Om ~ lkj_corr(2); for (k in 1:K) tau[k] ~ normal(0, 1);\n"
     "  for (n in 1:N) y[n] ~ multi_normal(m, quad_form_diag(Om, tau[g[n]])); }\n"},
    {"group_indexed_precision_shared_mean",
     "parameters { vector[q] m; array[K] cholesky_factor_cov[q] Lp; }\n"
     "model { m ~ normal(0, 2);\n"
     "  for (n in 1:N) target += multi_normal_prec_lpdf(y[n] | m, multiply_lower_tri_self_transpose(Lp[g[n]])); }\n"},
    {"covariance_L_Lt", "parameters { array[N] cholesky_factor_cov[q] L; }\n"
                        "model { for (n in 1:N) y[n] ~ multi_normal(mu[n], L[n] * L[n]'); }\n"},
    {"covariance_lower_tri_self_transpose",
     "parameters { array[N] cholesky_factor_cov[q] L; }\n"
     "model { for (n in 1:N) y[n] ~ multi_normal(mu[n], multiply_lower_tri_self_transpose(L[n])); }\n"},
    {"mean_computed_per_item", "parameters { vector[q] m; }\n"
                               "model { for (n in 1:N) y[n] ~ multi_normal(m + mu[n], S[n]); }\n"},
    // Data means and covariances with an untransformed parameter array: a mean or covariance
    // shared by every item; the direct form (the array read from theta, data packed at
    // construction) with the roles of y and mu swapped and over part of the items.
    {"shared_data_mean", "parameters { array[N] vector[q] x; }\n"
                              "model { for (n in 1:N) x[n] ~ multi_normal(mu[1], S[n]); }\n"},
    {"shared_data_covariance", "parameters { array[N] vector[q] x; }\n"
                                    "model { for (n in 1:N) x[n] ~ multi_normal(mu[n], S[1]); }\n"},
    {"direct_parameter_means", "parameters { array[N] vector[q] m; }\n"
                               "model { for (n in 1:N) y[n] ~ multi_normal(m[n], S[n]); }\n"},
    {"direct_part_of_the_items", "parameters { array[N] vector[q] x; }\n"
                                 "model { for (n in 2:N) x[n] ~ multi_normal(mu[n], S[n]); x[1] ~ normal(0, 1); }\n"},
    // Not the direct form: the term inside a branch (the sweep recomputes it) and a model that
    // reads target() back (the term's adjoint is not 1).
    {"inside_a_branch", "parameters { array[N] vector[q] x; }\n"
                        "model { if (N > 1) { for (n in 1:N) x[n] ~ multi_normal(mu[n], S[n]); } }\n"},
    {"target_read_back", "parameters { array[N] vector[q] x; }\n"
                         "model { for (n in 1:N) x[n] ~ multi_normal(mu[n], S[n]); target += 0.5 * target(); }\n"},
    // One multi_normal over a block-diagonal covariance filled block by block (kron-style):
    // factored per block at construction, the vectors' segments its items.
    {"block_diagonal_covariance",
     "transformed data { matrix[N * q, N * q] B = rep_matrix(0, N * q, N * q); vector[N * q] m;\n"
     "  for (n in 1:N) { B[((n - 1) * q + 1):(n * q), ((n - 1) * q + 1):(n * q)] = S[n];\n"
     "                   m[((n - 1) * q + 1):(n * q)] = mu[n]; } }\n"
     "parameters { vector[N * q] x; }\nmodel { x ~ multi_normal(m, B); }\n"},
    // The same with the covariance assembled from parameters in the model: one batched node
    // over the blocks (the block computed once when it is the same for every n).
    {"block_diagonal_parameter_covariance",
     "parameters { vector[N * q] x; cholesky_factor_corr[q] Lr; vector<lower=0>[q] tau; vector[q] m; }\n"
     "model { matrix[N * q, N * q] B = rep_matrix(0, N * q, N * q); vector[N * q] mm;\n"
     "  for (n in 1:N) { B[((n - 1) * q + 1):(n * q), ((n - 1) * q + 1):(n * q)] =\n"
     "                     multiply_lower_tri_self_transpose(diag_pre_multiply(tau, Lr));\n"
     "                   mm[((n - 1) * q + 1):(n * q)] = m + mu[n]; }\n"
     "  Lr ~ lkj_corr_cholesky(2); tau ~ normal(0, 1); x ~ multi_normal(mm, B); }\n"},
    {"block_diagonal_cholesky_per_item",
     "parameters { vector[N * q] x; vector<lower=0>[q] tau; }\n"
     "model { matrix[N * q, N * q] B = rep_matrix(0, N * q, N * q); vector[N * q] mm;\n"
     "  for (n in 1:N) { B[((n - 1) * q + 1):(n * q), ((n - 1) * q + 1):(n * q)] =\n"
     "                     diag_pre_multiply(tau * (1 + 0.1 * n), cholesky_decompose(S[n]));\n"
     "                   mm[((n - 1) * q + 1):(n * q)] = mu[n]; }\n"
     "  tau ~ normal(0, 1); target += multi_normal_cholesky_lpdf(x | mm, B); }\n"},
    {"multi_student_t", "parameters { real<lower=1> nu; array[N] vector[q] x; }\n"
                        "model { nu ~ gamma(2, 0.1); for (n in 1:N) x[n] ~ multi_student_t(nu, mu[n], S[n]); }\n"},
};

class BatchedForms : public ::testing::TestWithParam<Form> {};

TEST_P(BatchedForms, BatchedEqualsTheLoopOfSingleDensities) {
  const Form& f = GetParam();
  std::string src = tmpDir() + "/form_" + f.name + ".model";
  {
    std::ofstream out(src);
    out << kFormsData << f.body;
  }
  Shell ir = shell(std::string(MVC_BINARY) + " compile " + src + " --emit=ir");
  ASSERT_EQ(ir.status, 0) << ir.output;
  EXPECT_NE(ir.output.find("density.batched"), std::string::npos) << "the pass did not fire:\n" << ir.output;
  Shell irLoop = shell(std::string(MVC_BINARY) + " compile " + src + " --emit=ir --no-vectorize");
  EXPECT_EQ(irLoop.output.find("density.batched"), std::string::npos) << irLoop.output;

  Lib batched(compileShared(src)), loop(compileShared(src, "--no-vectorize"));
  ASSERT_NE(batched.handle, nullptr);
  ASSERT_NE(loop.handle, nullptr);
  std::string data = formsData();
  char* err = nullptr;
  void* mb = batched.construct(data.c_str(), 1, &err);
  ASSERT_NE(mb, nullptr) << err;
  void* ml = loop.construct(data.c_str(), 1, &err);
  ASSERT_NE(ml, nullptr) << err;
  int n = batched.uncNum(mb);
  ASSERT_EQ(n, loop.uncNum(ml));
  for (unsigned seed : {4u, 5u})
    for (bool propto : {false, true}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " propto " + std::to_string(propto));
      std::vector<double> theta = mvc::test::randomPoint(n, seed, 0.7), gb(n), gl(n);
      double lb = 0, ll = 0;
      ASSERT_EQ(batched.logDensityGradient(mb, propto, true, theta.data(), &lb, gb.data(), &err), 0) << err;
      ASSERT_EQ(loop.logDensityGradient(ml, propto, true, theta.data(), &ll, gl.data(), &err), 0) << err;
      EXPECT_NEAR(lb, ll, 1e-10 * std::max(1.0, std::fabs(ll)));
      for (int i = 0; i < n; ++i) {
        EXPECT_NEAR(gb[i], gl[i], 1e-10 * std::max(1.0, std::fabs(gl[i]))) << "coordinate " << i;
      }
      expectFiniteDifferencesAgree(batched, mb, propto, theta, gb, lb);
    }
  batched.destruct(mb);
  loop.destruct(ml);
}

INSTANTIATE_TEST_SUITE_P(All, BatchedForms, ::testing::ValuesIn(kForms),
                         [](const ::testing::TestParamInfo<Form>& i) { return std::string(i.param.name); });

TEST(BatchedForms, BatchedSyntaxEqualsTheLoop) {
  std::string loopSrc = tmpDir() + "/form_syntax_loop.model", batchedSrc = tmpDir() + "/form_syntax_batched.model";
  {
    std::ofstream a(loopSrc), b(batchedSrc);
    a << kFormsData << "parameters { array[N] vector[q] x; }\nmodel { for (n in 1:N) x[n] ~ multi_normal(mu[n], S[n]); }\n";
    b << kFormsData << "parameters { array[N] vector[q] x; }\nmodel { x ~ multi_normal(mu, S); }\n";
  }
  Lib loop(compileShared(loopSrc, "--no-vectorize")), batched(compileShared(batchedSrc));
  std::string data = formsData();
  char* err = nullptr;
  void* ml = loop.construct(data.c_str(), 1, &err);
  void* mb = batched.construct(data.c_str(), 1, &err);
  ASSERT_TRUE(ml && mb) << err;
  int n = loop.uncNum(ml);
  std::vector<double> theta = mvc::test::randomPoint(n, 9, 0.7), gb(n), gl(n);
  double lb = 0, ll = 0;
  ASSERT_EQ(batched.logDensityGradient(mb, false, true, theta.data(), &lb, gb.data(), &err), 0) << err;
  ASSERT_EQ(loop.logDensityGradient(ml, false, true, theta.data(), &ll, gl.data(), &err), 0) << err;
  EXPECT_NEAR(lb, ll, 1e-10 * std::fabs(ll));
  for (int i = 0; i < n; ++i) EXPECT_NEAR(gb[i], gl[i], 1e-10 * std::max(1.0, std::fabs(gl[i])));
  loop.destruct(ml);
  batched.destruct(mb);
}

}  // namespace
