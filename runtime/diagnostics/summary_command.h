// `mvc summary [--sig-figs=N] [--csv] FILES...`: the summary table and warnings of any set of
// Stan CSV files (one chain per file), including files written by CmdStan.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mvc::diag {

// `args` are the arguments after `summary`. Returns the exit code: 0 on success; 1 for a usage
// error (message and usage on `err`) or a file that cannot be read or parsed (its
// file:line message on `err`). --csv prints only the table, as CSV.
int summary_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mvc::diag
