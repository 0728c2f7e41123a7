// Shared timing for bench/mvn's programs: calibrate a repetition count so that one batch takes
// at least `min_batch_ms`, run `batches` batches, and report the median (and the range) of the
// per-call time. The same method for the hand-written gradient and for a BridgeStan library,
// so the two are comparable.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace mvn_bench {

struct Timing {
  double median_us = 0, min_us = 0, max_us = 0;
  long reps = 0;
  int batches = 0;
};

template <class F>
Timing time_calls(F&& f, int batches, double min_batch_ms) {
  using clock = std::chrono::steady_clock;
  auto run = [&](long reps) {
    auto t0 = clock::now();
    for (long i = 0; i < reps; ++i) f();
    return std::chrono::duration<double, std::micro>(clock::now() - t0).count();
  };
  run(1);  // warm caches and lazy initialisation
  long reps = 1;
  for (;;) {  // calibrate: double until one batch takes min_batch_ms
    double us = run(reps);
    if (us >= min_batch_ms * 1000.0 || reps >= (1L << 30)) break;
    long next = us > 0 ? long(reps * (min_batch_ms * 1000.0 / us) * 1.2) + 1 : reps * 10;
    reps = std::max(reps * 2, std::min(next, reps * 100));
  }
  std::vector<double> per_call;
  for (int b = 0; b < batches; ++b) per_call.push_back(run(reps) / double(reps));
  std::sort(per_call.begin(), per_call.end());
  Timing t;
  t.batches = batches;
  t.reps = reps;
  t.min_us = per_call.front();
  t.max_us = per_call.back();
  size_t m = per_call.size();
  t.median_us = m % 2 ? per_call[m / 2] : 0.5 * (per_call[m / 2 - 1] + per_call[m / 2]);
  return t;
}

// The benchmark point: zeros, or i.i.d. standard normals from a fixed seed (the same
// generator in every program of bench/mvn, so they evaluate at the same point).
inline std::vector<double> bench_point(size_t dim, const std::string& kind, unsigned seed) {
  std::vector<double> x(dim, 0.0);
  if (kind == "normal") {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 1.0);
    for (auto& v : x) v = z(rng);
  }
  return x;
}

inline long peak_rss_kb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // kilobytes on Linux
}

// A string as a JSON string literal.
inline std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += c;
  }
  return o + "\"";
}

}  // namespace mvn_bench
