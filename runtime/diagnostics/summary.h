// The end-of-run summary: the table of posterior summaries and the warnings a person
// can act on. The sampler (runtime/nuts) and `mvc summary` both call print_summary.
#pragma once

#include <cstddef>
#include <functional>
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
// With threads > 1 the variables are summarized on that many threads; the output is the same.
void print_summary(std::ostream& out, const std::vector<ChainDraws>& chains, int max_treedepth,
                   int sig_figs = 6, int threads = 1);

// The same summary without holding every draw in memory: `read_columns(c0, c1, block)` fills
// `block` with one ChainDraws per chain holding columns [c0, c1) (names and all rows);
// `lengths` are the chains' numbers of rows. Columns are read in blocks of at most
// `max_bytes` of draws, so memory stays bounded however many columns there are (the sampler
// spills its draws to a temporary file and reads them back this way). The output is identical
// to print_summary's.
using ColumnReader = std::function<void(std::size_t c0, std::size_t c1, std::vector<ChainDraws>& block)>;
void print_summary_blocked(std::ostream& out, const std::vector<std::string>& names,
                           const std::vector<std::size_t>& lengths, const ColumnReader& read_columns,
                           int max_treedepth, std::size_t max_bytes, int sig_figs = 6, int threads = 1);

}  // namespace mvc::diag
