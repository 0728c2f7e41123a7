// Reading Stan CSV files, as written by CmdStan and by mvc's sampler (the same layout): the
// config comment block, the header line of column names, optional warmup rows, comment lines
// (adaptation, timing) and one row per draw.
#pragma once

#include <istream>
#include <map>
#include <stdexcept>
#include <string>

#include "summary.h"

namespace mvc::diag {

// A malformed or unreadable file; what() is "file:line: message" (or "file: message").
class StanCsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StanCsvFile {
  std::string path;
  ChainDraws chain;               // the post-warmup draws
  std::size_t warmup_rows = 0;    // rows skipped as warmup (save_warmup)
  int max_treedepth = 10;         // max_depth from the config block; Stan's default otherwise
  // The `key = value` lines of the comment block before the header, first occurrence of each
  // key, with CmdStan's " (Default)" suffix removed: e.g. config["num_warmup"] == "1000".
  std::map<std::string, std::string> config;
};

StanCsvFile read_stan_csv(const std::string& path);
// The same from a stream; `name` is the file name used in error messages.
StanCsvFile parse_stan_csv(std::istream& in, const std::string& name);

}  // namespace mvc::diag
