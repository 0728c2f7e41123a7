// A minimal Stan CSV reader for the tests (independent of runtime/diagnostics, so that the
// sampler's tests do not rest on the code they are checked against).
#pragma once

#include <string>
#include <vector>

namespace mvc::testing {

struct Csv {
  std::vector<std::string> comments_before_header;
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;  // every data row, warmup included
  std::vector<std::string> comments_after_header;
  std::size_t adaptation_line = 0;  // index into rows where "# Adaptation terminated" was
  bool has_adaptation = false;
  int bad_rows = 0;  // rows whose field count differs from the header's

  int column(const std::string& name) const;  // -1 when absent
  std::vector<double> values(const std::string& name, std::size_t first_row = 0) const;
};

Csv read_csv(const std::string& path);

// Monte Carlo standard error of the mean of one column over several chains, by batch
// means (batches of sqrt(n) draws per chain).
double batch_means_mcse(const std::vector<std::vector<double>>& chains);
double mean_of(const std::vector<std::vector<double>>& chains);
double variance_of(const std::vector<std::vector<double>>& chains);

}  // namespace mvc::testing
