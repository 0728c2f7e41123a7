// Elementary statistics of draws, each defined exactly as the R function named beside it,
// because the diagnostics are tested against the R posterior package to 1e-6.
#pragma once

#include <cstddef>
#include <vector>

namespace mvc::diag {

// The draws of one variable: chains[c][i] is iteration i of chain c (a column of posterior's
// draws_matrix per chain). Every function below that takes it expects equal-length chains.
using VariableDraws = std::vector<std::vector<double>>;

// The same draws in one array, chain after chain as pooled() lays them out: draw i of chain c
// is x[c * n + i]. A view: the array must outlive it. The summary works on these, in buffers it
// reuses from one variable to the next (see summarize_variable).
struct ChainsView {
  const double* x;
  std::size_t chains, n;
  std::size_t size() const { return chains * n; }
  const double* chain(std::size_t c) const { return x + c * n; }
};
// The view of `all` = pooled(chains) of that many equal-length chains.
ChainsView view(const std::vector<double>& all, std::size_t chains);
// Back to one vector per chain.
VariableDraws to_chains(ChainsView draws);

double mean(const std::vector<double>& x);
double mean(const double* x, std::size_t n);
// Sample variance with denominator n - 1 (R var); NaN when n < 2.
double variance(const std::vector<double>& x);
double variance(const double* x, std::size_t n);
// sqrt(variance) (R sd).
double stddev(const std::vector<double>& x);
double stddev(const double* x, std::size_t n);
// Median, averaging the two middle values when n is even (R median).
double median(std::vector<double> x);
// median of draws already in ascending order.
double median_of_sorted(const std::vector<double>& sorted);
// Quantile of type 7, the default of R quantile: (1 - h) x[lo] + h x[hi] on the sorted draws.
double quantile7(std::vector<double> x, double prob);
// quantile7 of draws already in ascending order.
double quantile7_of_sorted(const std::vector<double>& sorted, double prob);
// Ranks 1..n with ties given their average rank (R rank(ties.method = "average")).
std::vector<double> average_ranks(const std::vector<double>& x);

// The positions 0..n-1 of x in ascending order of value (x holds no NaN), into `order`, such
// that x[order[i]] is exactly std::sort's x, down to where a -0 and a 0 land.
void ascending_order(const double* x, std::size_t n, std::vector<std::size_t>& order);
// average_ranks(x) into `rank`, given `order`, the positions of x in ascending order of value
// (equal values in any order: a rank depends only on how many draws are below and equal).
void ranks_from_order(const double* x, const std::vector<std::size_t>& order, std::vector<double>& rank);
// The ascending order of |x - center| into `out`, given `order`, the ascending order of x (no
// NaN, center finite): the distances of the draws below the center grow leftwards and those of
// the others rightwards, so merging the two runs sorts them in O(n).
void folded_order(const double* x, const std::vector<std::size_t>& order, double center,
                  std::vector<std::size_t>& out);

// R's max(a, b) and min(a, b) of two numbers: NA (NaN) if either is.
double na_max(double a, double b);
double na_min(double a, double b);

// All draws of all chains, chain after chain (R c(x) of a draws_matrix column).
std::vector<double> pooled(const VariableDraws& chains);
// True when any draw is NaN or infinite, or max - min < DBL_EPSILON (posterior's
// should_return_NA): such draws have no defined R-hat or ESS.
bool should_return_na(ChainsView draws);
bool should_return_na(const VariableDraws& chains);

}  // namespace mvc::diag
