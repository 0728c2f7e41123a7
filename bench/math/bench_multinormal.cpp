// Batched multi_normal lpdf + gradient, q = 2, 4, 8 and N = 500, 2000, 8000 (the prepared form
// at every q = 1..8, since its SIMD loop pads q = 3, 5, 6, 7 to a vector width):
//  - Prepared: data covariance, factored once (mvc_multi_normal_prepare), gradient w.r.t. y
//    (the latent-vector model of DESIGN.md section 1);
//  - Param: covariance is a parameter, factored every call, gradient w.r.t. y and Sigma;
//  - Cholesky: multi_normal_cholesky with parameter L, gradient w.r.t. y and L.
// One iteration = one forward call + one gradient call, as generated code makes them.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "mvc/distributions.h"

namespace {

struct Data {
  int q, N;
  std::vector<double> y, mu, S, L, prep, gy, gmu, gS, scratch;
};

Data make(int q, int N) {
  Data d{q, N, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  std::mt19937 rng(42);
  std::normal_distribution<double> nd;
  d.y.resize(N * q);
  d.mu.resize(N * q);
  d.S.resize(N * q * q);
  d.L.assign(N * q * q, 0.0);
  for (auto& v : d.y) v = nd(rng);
  for (auto& v : d.mu) v = 0.1 * nd(rng);
  for (int n = 0; n < N; ++n) {  // S = A A' + q I, and its Cholesky factor
    std::vector<double> A(q * q);
    for (auto& v : A) v = nd(rng);
    double* S = &d.S[n * q * q];
    for (int i = 0; i < q; ++i)
      for (int j = 0; j < q; ++j) {
        double t = i == j ? q : 0.0;
        for (int k = 0; k < q; ++k) t += A[i + k * q] * A[j + k * q];
        S[i + j * q] = t;
      }
    double* L = &d.L[n * q * q];
    for (int j = 0; j < q; ++j) {
      double s = S[j + j * q];
      for (int k = 0; k < j; ++k) s -= L[j + k * q] * L[j + k * q];
      L[j + j * q] = std::sqrt(s);
      for (int i = j + 1; i < q; ++i) {
        double t = S[i + j * q];
        for (int k = 0; k < j; ++k) t -= L[i + k * q] * L[j + k * q];
        L[i + j * q] = t / L[j + j * q];
      }
    }
  }
  d.prep.resize(mvc_multi_normal_prepared_size(N, q));
  mvc_multi_normal_prepare(d.S.data(), N, q, d.prep.data(), nullptr);
  d.gy.resize(N * q);
  d.gmu.resize(N * q);
  d.gS.resize(N * q * q);
  d.scratch.resize(mvc_dist_scratch_size(q));
  return d;
}

void BM_Prepared(benchmark::State& st) {
  Data d = make(st.range(0), st.range(1));
  double out;
  for (auto _ : st) {
    mvc_multi_normal_prepared_lpdf(d.y.data(), d.N, d.mu.data(), d.N, d.prep.data(), d.N, d.q, 1, 1, &out, nullptr);
    mvc_multi_normal_prepared_lpdf_grad(d.y.data(), d.N, d.mu.data(), d.N, d.prep.data(), d.N, d.q, 1, 1, 1.0, d.gy.data(), nullptr, nullptr);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(d.gy.data());
  }
  st.SetItemsProcessed(st.iterations() * d.N);
}

void BM_ParamCov(benchmark::State& st) {
  Data d = make(st.range(0), st.range(1));
  double out;
  for (auto _ : st) {
    mvc_multi_normal_lpdf(d.y.data(), d.N, d.mu.data(), d.N, d.S.data(), d.N, d.q, 5, 1, &out, d.scratch.data(), nullptr);
    mvc_multi_normal_lpdf_grad(d.y.data(), d.N, d.mu.data(), d.N, d.S.data(), d.N, d.q, 5, 1, 1.0, d.gy.data(), nullptr, d.gS.data(), d.scratch.data(), nullptr);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(d.gS.data());
  }
  st.SetItemsProcessed(st.iterations() * d.N);
}

void BM_ParamCholesky(benchmark::State& st) {
  Data d = make(st.range(0), st.range(1));
  double out;
  for (auto _ : st) {
    mvc_multi_normal_cholesky_lpdf(d.y.data(), d.N, d.mu.data(), d.N, d.L.data(), d.N, d.q, 5, 1, &out, d.scratch.data(), nullptr);
    mvc_multi_normal_cholesky_lpdf_grad(d.y.data(), d.N, d.mu.data(), d.N, d.L.data(), d.N, d.q, 5, 1, 1.0, d.gy.data(), nullptr, d.gS.data(), d.scratch.data(), nullptr);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(d.gS.data());
  }
  st.SetItemsProcessed(st.iterations() * d.N);
}

void Args(benchmark::internal::Benchmark* b) {
  for (int q : {2, 4, 8})
    for (int N : {500, 2000, 8000}) b->Args({q, N});
  b->ArgNames({"q", "N"})->Unit(benchmark::kMicrosecond);
}

void PreparedArgs(benchmark::internal::Benchmark* b) {
  for (int q = 1; q <= 8; ++q)
    for (int N : {500, 2000, 8000}) b->Args({q, N});
  b->ArgNames({"q", "N"})->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Prepared)->Apply(PreparedArgs);
BENCHMARK(BM_ParamCov)->Apply(Args);
BENCHMARK(BM_ParamCholesky)->Apply(Args);

}  // namespace

BENCHMARK_MAIN();
