// Microseconds per gradient of a BridgeStan 2.x shared library (what `mvc compile --shared`
// writes, or any other BridgeStan model library): dlopen it, construct the model from a data
// file (or JSON string), and time bs_log_density_gradient at a fixed unconstrained point
// (standard normals from a fixed seed, or zeros) in batches; print one JSON line with the
// median time per gradient and the range over batches.
//
//   bs_gradient_bench LIB.so DATA.json [--batches B] [--min-batch-ms T] [--point normal|zeros]
//                     [--seed S] [--propto 0|1] [--jacobian 0|1] [--label TEXT]
//
// The point is the same as hand_latent's (bench/mvn/timing.h). Errors (a library that does not
// load, a failed construction, a gradient that returns an error) are printed as a JSON line
// with an "error" field and exit status 1.
#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "timing.h"

namespace {

using mvn_bench::json_str;

struct bs_model;
using construct_fn = bs_model* (*)(const char*, unsigned int, char**);
using destruct_fn = void (*)(bs_model*);
using free_err_fn = void (*)(char*);
using unc_num_fn = int (*)(const bs_model*);
using grad_fn = int (*)(const bs_model*, bool, bool, const double*, double*, double*, char**);
using name_fn = const char* (*)(const bs_model*);

std::string g_label, g_lib, g_data;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bs_gradient_bench: %s\n", what.c_str());
  std::printf("{\"bench\":\"bs_gradient\",\"label\":%s,\"lib\":%s,\"data\":%s,\"error\":%s}\n",
              json_str(g_label).c_str(), json_str(g_lib).c_str(), json_str(g_data).c_str(),
              json_str(what).c_str());
  std::fflush(stdout);
  std::exit(1);
}

int usage() {
  std::fprintf(stderr,
               "usage: bs_gradient_bench LIB.so DATA.json [--batches B] [--min-batch-ms T]\n"
               "         [--point normal|zeros] [--seed S] [--propto 0|1] [--jacobian 0|1] [--label TEXT]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int batches = 15;
  double min_batch_ms = 20;
  std::string point = "normal";
  unsigned seed = 1;
  bool propto = true, jacobian = true;
  std::vector<std::string> pos;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "bs_gradient_bench: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--batches") batches = std::atoi(val().c_str());
    else if (a == "--min-batch-ms") min_batch_ms = std::atof(val().c_str());
    else if (a == "--point") point = val();
    else if (a == "--seed") seed = unsigned(std::atol(val().c_str()));
    else if (a == "--propto") propto = val() != "0";
    else if (a == "--jacobian") jacobian = val() != "0";
    else if (a == "--label") g_label = val();
    else if (a == "-h" || a == "--help") return usage(), 0;
    else if (!a.empty() && a[0] == '-') return usage();
    else pos.push_back(a);
  }
  if (pos.size() != 2 || batches < 1 || (point != "normal" && point != "zeros")) return usage();
  g_lib = pos[0];
  g_data = pos[1];
  std::string lib_path = g_lib.find('/') == std::string::npos ? "./" + g_lib : g_lib;

  void* h = dlopen(lib_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) fail(std::string("dlopen: ") + dlerror());
  auto sym = [&](const char* name) {
    void* p = dlsym(h, name);
    if (!p) fail(std::string("the library does not export ") + name);
    return p;
  };
  auto construct = reinterpret_cast<construct_fn>(sym("bs_model_construct"));
  auto destruct = reinterpret_cast<destruct_fn>(sym("bs_model_destruct"));
  auto free_err = reinterpret_cast<free_err_fn>(sym("bs_free_error_msg"));
  auto unc_num = reinterpret_cast<unc_num_fn>(sym("bs_param_unc_num"));
  auto lpgrad = reinterpret_cast<grad_fn>(sym("bs_log_density_gradient"));
  auto name = reinterpret_cast<name_fn>(sym("bs_name"));

  auto t0 = std::chrono::steady_clock::now();
  char* err = nullptr;
  bs_model* m = construct(g_data.c_str(), seed, &err);
  const double construct_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!m) {
    std::string msg = err ? err : "(no message)";
    if (err) free_err(err);
    fail("bs_model_construct failed: " + msg);
  }
  const int dim = unc_num(m);
  if (dim < 0) fail("bs_param_unc_num returned a negative number");
  const std::vector<double> x = mvn_bench::bench_point(size_t(dim), point, seed);
  std::vector<double> grad(size_t(dim) + 1);
  double lp = 0;

  err = nullptr;
  if (lpgrad(m, propto, jacobian, x.data(), &lp, grad.data(), &err) != 0) {
    std::string msg = err ? err : "(no message)";
    if (err) free_err(err);
    fail("bs_log_density_gradient failed at the benchmark point: " + msg);
  }
  if (!std::isfinite(lp)) fail("the log density is not finite at the benchmark point");
  double gnorm = 0;
  for (int i = 0; i < dim; ++i) gnorm += grad[i] * grad[i];

  volatile double sink = 0;
  int rc_sum = 0;
  auto t = mvn_bench::time_calls(
      [&] {
        rc_sum += lpgrad(m, propto, jacobian, x.data(), &lp, grad.data(), nullptr);
        sink = sink + grad[0];
      },
      batches, min_batch_ms);
  if (rc_sum != 0) fail("bs_log_density_gradient returned an error while timing");

  std::printf("{\"bench\":\"bs_gradient\",\"label\":%s,\"lib\":%s,\"data\":%s,\"model\":%s,\"dim\":%d,"
              "\"point\":%s,\"seed\":%u,\"propto\":%d,\"jacobian\":%d,\"us_per_grad\":%.4f,\"us_min\":%.4f,"
              "\"us_max\":%.4f,\"batches\":%d,\"reps_per_batch\":%ld,\"lp\":%.17g,\"grad_norm\":%.17g,"
              "\"construct_ms\":%.3f,\"maxrss_kb\":%ld}\n",
              json_str(g_label).c_str(), json_str(g_lib).c_str(), json_str(g_data).c_str(),
              json_str(name(m) ? name(m) : "").c_str(), dim, json_str(point).c_str(), seed, int(propto),
              int(jacobian), t.median_us, t.min_us, t.max_us, t.batches, t.reps, lp, std::sqrt(gnorm),
              construct_ms, mvn_bench::peak_rss_kb());
  std::fflush(stdout);
  destruct(m);
  return 0;
}
