// Sampler overhead per leapfrog step, excluding the model: NUTS transitions on a model whose
// gradient is nearly free (bench_model.cpp). Reported per leapfrog step:
//   time_per_leapfrog  total time / leapfrog steps (sampler work + a ~20-flop gradient)
//   BM_Gradient        the gradient call alone, for comparison
// Arguments: dimension, metric (0 unit, 1 diag, 2 dense), step size x 100 (50: tree depths of
// 3-4; 10: depths of 5-6, as the latent model at N = 2000 has after adaptation).
#include <benchmark/benchmark.h>

#include "hamiltonian.h"
#include "metric.h"
#include "model.h"
#include "nuts.h"
#include "rng.h"

namespace {

using namespace mvc::nuts;

void BM_NutsTransition(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0));
  const auto kind = static_cast<Metric::Kind>(state.range(1));
  Model model("{\"N\": " + std::to_string(dim) + "}", 0);
  Metric metric(kind, dim);
  Hamiltonian ham(model, metric);
  Nuts nuts(ham, dim, 10, 0);
  nuts.set_nominal_stepsize(static_cast<double>(state.range(2)) / 100);
  Rng rng(1, 1);
  PhasePoint z(dim);
  ham.update_potential_gradient(z, nullptr);
  long leapfrogs = 0;
  for (auto _ : state) {
    const TransitionStats s = nuts.transition(z, rng, nullptr);
    leapfrogs += s.n_leapfrog;
    benchmark::DoNotOptimize(z.q.data());
  }
  state.counters["leapfrog_per_transition"] =
      benchmark::Counter(static_cast<double>(leapfrogs) / static_cast<double>(state.iterations()));
  // Rate inverted: seconds of wall time per leapfrog step.
  state.counters["time_per_leapfrog"] = benchmark::Counter(
      static_cast<double>(leapfrogs), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_NutsTransition)
    ->ArgNames({"dim", "metric", "eps_x100"})
    ->Args({10, 0, 50})
    ->Args({10, 1, 50})
    ->Args({10, 2, 50})
    ->Args({100, 1, 50})
    ->Args({100, 2, 50})
    // the latent model's size (N = 2000, q = 4): vectors leave the L2 cache
    ->Args({8000, 1, 50})
    ->Args({8000, 1, 10});

void BM_Gradient(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0));
  Model model("{\"N\": " + std::to_string(dim) + "}", 0);
  Eigen::VectorXd q = Eigen::VectorXd::Constant(dim, 0.3), g(dim);
  double lp = 0;
  for (auto _ : state) {
    model.log_density_gradient(q.data(), lp, g.data(), nullptr);
    benchmark::DoNotOptimize(lp);
    benchmark::DoNotOptimize(g.data());
  }
}
BENCHMARK(BM_Gradient)->ArgName("dim")->Arg(10)->Arg(100)->Arg(8000);

}  // namespace

BENCHMARK_MAIN();
