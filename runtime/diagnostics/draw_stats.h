// Elementary statistics of draws, each defined exactly as the R function named beside it,
// because the diagnostics are tested against the R posterior package to 1e-6.
#pragma once

#include <vector>

namespace mvc::diag {

// The draws of one variable: chains[c][i] is iteration i of chain c (a column of posterior's
// draws_matrix per chain). Every function below that takes it expects equal-length chains.
using VariableDraws = std::vector<std::vector<double>>;

double mean(const std::vector<double>& x);
// Sample variance with denominator n - 1 (R var); NaN when n < 2.
double variance(const std::vector<double>& x);
// sqrt(variance) (R sd).
double stddev(const std::vector<double>& x);
// Median, averaging the two middle values when n is even (R median).
double median(std::vector<double> x);
// Quantile of type 7, the default of R quantile: (1 - h) x[lo] + h x[hi] on the sorted draws.
double quantile7(std::vector<double> x, double prob);
// Ranks 1..n with ties given their average rank (R rank(ties.method = "average")).
std::vector<double> average_ranks(const std::vector<double>& x);

// All draws of all chains, chain after chain (R c(x) of a draws_matrix column).
std::vector<double> pooled(const VariableDraws& chains);
// True when any draw is NaN or infinite, or max - min < DBL_EPSILON (posterior's
// should_return_NA): such draws have no defined R-hat or ESS.
bool should_return_na(const VariableDraws& chains);

}  // namespace mvc::diag
