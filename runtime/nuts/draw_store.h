// The post-warmup draws of one chain, kept for the end-of-run summary. They go to a temporary
// file (tmpfile(): removed when closed), not to memory: a model with N = 8000 latent vectors
// of 4 has 32000 columns, and 4 chains x 1000 draws of them are 1 GB of doubles. The summary
// reads them back a block of columns at a time (diag::print_summary_blocked). When no
// temporary file can be made the draws stay in memory.
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace mvc::nuts {

class DrawStore {
 public:
  DrawStore();
  void append(const std::vector<double>& row);
  std::size_t rows() const { return rows_; }
  // out[i] = columns [c0, c1) of row i. False with *err set when the file cannot be read.
  bool read(std::size_t c0, std::size_t c1, std::vector<std::vector<double>>& out, std::string* err) const;
  // Set when a write failed (a full disk): the draws kept are incomplete.
  const std::string& error() const { return error_; }

 private:
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Close> file_;
  std::vector<std::vector<double>> memory_;  // when there is no file
  std::size_t cols_ = 0, rows_ = 0;
  std::string error_;
};

}  // namespace mvc::nuts
