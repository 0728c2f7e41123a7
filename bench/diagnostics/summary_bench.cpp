// The summary's cost per variable: summarize_chains (every row of the table: mean, MCSE, sd,
// quantiles, bulk and tail ESS, R-hat) on synthetic AR(1) draws, as the sampler's summary of
// a model with many parameters. Arguments: chains, draws per chain, variables (and threads).
#include <benchmark/benchmark.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "summary.h"
#include "summary_row.h"

namespace {

using mvc::diag::ChainDraws;

// Variable j of every chain is an AR(1) series x_t = rho x_{t-1} + e_t with rho between 0 and
// 0.95 (varying with j, so the ESS loops stop at different lags), fixed seed.
std::vector<ChainDraws> ar1_chains(int chains, int draws, int variables) {
  std::mt19937_64 rng(20240601);
  std::normal_distribution<double> normal;
  std::vector<ChainDraws> out(static_cast<std::size_t>(chains));
  for (auto& c : out) {
    for (int j = 0; j < variables; ++j) c.names.push_back("x[" + std::to_string(j + 1) + "]");
    c.draws.assign(static_cast<std::size_t>(draws), std::vector<double>(static_cast<std::size_t>(variables)));
    for (int j = 0; j < variables; ++j) {
      const double rho = 0.95 * static_cast<double>(j % 20) / 19.0;
      double x = normal(rng);
      for (auto& row : c.draws) {
        x = rho * x + normal(rng);
        row[static_cast<std::size_t>(j)] = x;
      }
    }
  }
  return out;
}

void BM_SummarizeChains(benchmark::State& state) {
  const int chains = static_cast<int>(state.range(0));
  const int draws = static_cast<int>(state.range(1));
  const int variables = static_cast<int>(state.range(2));
  const int threads = static_cast<int>(state.range(3));
  const std::vector<ChainDraws> data = ar1_chains(chains, draws, variables);
  for (auto _ : state) {
    std::vector<mvc::diag::SummaryRow> rows = mvc::diag::summarize_chains(data, static_cast<std::size_t>(draws), threads);
    benchmark::DoNotOptimize(rows.data());
  }
  // Seconds per variable (the rate inverted).
  state.counters["time_per_variable"] = benchmark::Counter(
      static_cast<double>(variables), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SummarizeChains)
    ->ArgNames({"chains", "draws", "variables", "threads"})
    ->Args({4, 1000, 2000, 1})
    ->Args({4, 1000, 2000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The whole printed summary, as the sampler's end of run and `mvc summary` produce it: the rows
// above plus copying the columns out of the chains, the table and the warnings.
void BM_PrintSummary(benchmark::State& state) {
  const int chains = static_cast<int>(state.range(0));
  const int draws = static_cast<int>(state.range(1));
  const int variables = static_cast<int>(state.range(2));
  const std::vector<ChainDraws> data = ar1_chains(chains, draws, variables);
  for (auto _ : state) {
    std::ostringstream out;
    mvc::diag::print_summary(out, data, 10);
    benchmark::DoNotOptimize(out.str().data());
  }
  state.counters["time_per_variable"] = benchmark::Counter(
      static_cast<double>(variables), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PrintSummary)
    ->ArgNames({"chains", "draws", "variables"})
    ->Args({4, 1000, 2000})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
