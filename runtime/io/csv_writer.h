// Stan CSV writer: one file per chain, in CmdStan's layout (see
// /work/shared/formats/cmdstan-2.37-sample-bernoulli.csv):
//
//   config comment block            (config_block.h)
//   lp__,accept_stat__,...,theta    header
//   [warmup draws]
//   # Adaptation terminated
//   # Step size = 0.738376
//   # Diagonal elements of inverse mass matrix:
//   # 0.524282
//   draws
//   #
//   #  Elapsed Time: ... seconds (Warm-up)
//   ...
//
// Numbers use the C++ stream's default float format at `sig_figs` significant digits (6 when
// sig_figs is -1, CmdStan's default); columns named treedepth__, n_leapfrog__ and divergent__
// are written as integers. Every line goes out in one write(2) call as soon as it is complete,
// so a run that is interrupted leaves a file of whole lines with every draw made so far.
#pragma once

#include <string>
#include <vector>

namespace mvc::io {

class CsvWriter {
 public:
  // Opens (truncates) the file; throws std::runtime_error naming the path on failure and
  // std::invalid_argument for sig_figs outside -1..18 (CmdStan's range).
  CsvWriter(const std::string& path, int sig_figs);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Lines already start with "#".
  void write_comments(const std::vector<std::string>& lines);
  void write_header(const std::vector<std::string>& names);
  void write_draw(const std::vector<double>& values);
  // metric: "unit_e", "diag_e" (inv_metric has n values) or "dense_e" (n*n, row-major).
  void write_adaptation(double stepsize, const std::string& metric,
                        const std::vector<double>& inv_metric);
  void write_timing(double warmup_seconds, double sampling_seconds);

  // A number as this writer prints it (exposed for tests).
  std::string format(double x) const;

 private:
  void append(std::string& out, double x) const;
  void write_line(const std::string& line);  // adds the newline
  void write_all(const std::string& buf);

  int fd_ = -1;
  std::string path_;
  int precision_;
  std::vector<bool> int_column_;
  std::string line_;  // a draw's line, reused (its capacity grows once)
};

}  // namespace mvc::io
