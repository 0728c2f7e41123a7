#include "summary_table.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace mvc::diag {

namespace {

std::string format_fixed(double v, int decimals) {
  if (!std::isfinite(v)) return format_number(v, 1);
  std::ostringstream s;
  s << std::fixed << std::setprecision(decimals) << v;
  return s.str();
}

}  // namespace

std::string format_number(double v, int sig_figs) {
  if (std::isnan(v)) return "NA";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  std::ostringstream s;
  s << std::setprecision(sig_figs) << v;
  return s.str();
}

void print_table(std::ostream& out, const std::vector<SummaryRow>& rows, int sig_figs) {
  const std::vector<std::string> header = {"", "Mean", "MCSE", "StdDev", "5%", "50%", "95%",
                                           "ESS_bulk", "ESS_tail", "R_hat"};
  std::vector<std::vector<std::string>> cells = {header};
  for (const auto& r : rows)
    cells.push_back({r.name, format_number(r.mean, sig_figs), format_number(r.mcse, sig_figs),
                     format_number(r.sd, sig_figs), format_number(r.q5, sig_figs), format_number(r.q50, sig_figs),
                     format_number(r.q95, sig_figs), format_fixed(r.ess_bulk, 0), format_fixed(r.ess_tail, 0),
                     format_fixed(r.rhat, 3)});
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& line : cells)
    for (std::size_t j = 0; j < line.size(); ++j) width[j] = std::max(width[j], line[j].size());
  for (const auto& line : cells) {
    out << std::left << std::setw(static_cast<int>(width[0])) << line[0] << std::right;
    for (std::size_t j = 1; j < line.size(); ++j) out << "  " << std::setw(static_cast<int>(width[j])) << line[j];
    out << '\n';
  }
}

void print_table_csv(std::ostream& out, const std::vector<SummaryRow>& rows) {
  out << "variable,mean,mcse,sd,q5,q50,q95,ess_bulk,ess_tail,rhat\n";
  for (const auto& r : rows) {
    out << r.name;
    for (double v : {r.mean, r.mcse, r.sd, r.q5, r.q50, r.q95, r.ess_bulk, r.ess_tail, r.rhat})
      out << ',' << format_number(v, 17);
    out << '\n';
  }
}

}  // namespace mvc::diag
