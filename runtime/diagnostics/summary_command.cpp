#include "summary_command.h"

#include <cstdlib>

#include "stan_csv.h"
#include "summary.h"
#include "summary_row.h"
#include "summary_table.h"

namespace mvc::diag {

namespace {

constexpr const char* kUsage =
    "usage: mvc summary [--sig-figs=N] [--csv] FILE.csv...\n"
    "  Summarizes the post-warmup draws of Stan CSV files (one chain per file): mean, MCSE,\n"
    "  standard deviation, 5%/50%/95% quantiles, bulk and tail ESS, R-hat, and warnings.\n"
    "  --sig-figs=N  significant digits of the table (1 to 17, default 6)\n"
    "  --csv         print the table as CSV at full precision, without warnings\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "mvc summary: " << message << '\n' << kUsage;
  return 1;
}

}  // namespace

int summary_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int sig_figs = 6;
  bool csv = false;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    }
    if (a == "--csv") {
      csv = true;
    } else if (a.rfind("--sig-figs=", 0) == 0) {
      const std::string v = a.substr(11);
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > 17)
        return usage_error(err, "--sig-figs needs an integer from 1 to 17, got '" + v + "'");
      sig_figs = static_cast<int>(n);
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(err, "unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return usage_error(err, "no CSV files given");

  std::vector<ChainDraws> chains;
  int max_treedepth = 10;
  try {
    for (const auto& path : files) {
      StanCsvFile f = read_stan_csv(path);
      if (chains.empty()) {
        max_treedepth = f.max_treedepth;
      } else if (f.chain.names != chains.front().names) {
        err << "mvc summary: " << path << ": its columns differ from those of " << files.front()
            << "; all files must be chains of the same model\n";
        return 1;
      }
      chains.push_back(std::move(f.chain));
    }
  } catch (const StanCsvError& e) {
    err << "mvc summary: " << e.what() << '\n';
    return 1;
  }

  if (csv) {
    std::size_t n = chains.front().draws.size();
    for (const auto& c : chains) n = std::min(n, c.draws.size());
    print_table_csv(out, summarize_chains(chains, n));
  } else {
    print_summary(out, chains, max_treedepth, sig_figs);
  }
  return 0;
}

}  // namespace mvc::diag
