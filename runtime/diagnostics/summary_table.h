// Printing summary rows: the aligned text table (as CmdStan's stansummary) and a CSV form.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "summary_row.h"

namespace mvc::diag {

// Text table: variable names left-aligned, then Mean, MCSE, StdDev, 5%, 50%, 95% with
// `sig_figs` significant digits, ESS_bulk and ESS_tail rounded to integers, R_hat with three
// decimals; each column right-aligned to its widest entry; NaN prints as NA.
void print_table(std::ostream& out, const std::vector<SummaryRow>& rows, int sig_figs);

// Machine-readable: header `variable,mean,mcse,sd,q5,q50,q95,ess_bulk,ess_tail,rhat`, then one
// line per row with every number at full precision (17 significant digits) and NA for NaN.
void print_table_csv(std::ostream& out, const std::vector<SummaryRow>& rows);

// A number with `sig_figs` significant digits; "NA" for NaN, "Inf"/"-Inf" for infinities.
std::string format_number(double v, int sig_figs);

}  // namespace mvc::diag
