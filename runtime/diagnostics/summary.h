// The end-of-run summary: the table of posterior summaries and the warnings a person
// can act on. The sampler (runtime/nuts) and `mvc summary` both call print_summary.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mvc::diag {

// The draws of one chain, as read from (or about to be written to) a Stan CSV file.
struct ChainDraws {
  std::vector<std::string> names;
  // draws[i][j]: draw i, column j; columns include lp__, accept_stat__, stepsize__,
  // treedepth__, n_leapfrog__, divergent__, energy__ then parameters.
  std::vector<std::vector<double>> draws;
};

// Every chain must have the same names, and every row as many values as names.
// Prints the summary table and warnings (divergences, treedepth, E-BFMI, R-hat, ESS) to `out`.
void print_summary(std::ostream& out, const std::vector<ChainDraws>& chains, int max_treedepth,
                   int sig_figs = 6);

}  // namespace mvc::diag
