#include "csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace mvc::io {

CsvWriter::CsvWriter(const std::string& path, int sig_figs)
    : path_(path), precision_(sig_figs < 0 ? 6 : sig_figs) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot open output file " + path + ": " + std::strerror(errno));
}

CsvWriter::~CsvWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void CsvWriter::write_line(const std::string& line) {
  std::string buf = line + "\n";
  const char* p = buf.data();
  std::size_t left = buf.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string CsvWriter::format(double x) const {
  // Spelled the way CmdStan's stream prints them and every CSV reader accepts.
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  // %g at the precision is, by the C++ standard, exactly what a stream with that precision
  // and no floatfield prints, without the stream's per-call locale machinery.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", precision_, x);
  return buf;
}

void CsvWriter::write_comments(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  if (!all.empty()) {
    all.pop_back();
    write_line(all);
  }
}

void CsvWriter::write_header(const std::vector<std::string>& names) {
  std::string line;
  int_column_.clear();
  for (const auto& n : names) {
    line += (line.empty() ? "" : ",") + n;
    int_column_.push_back(n == "treedepth__" || n == "n_leapfrog__" || n == "divergent__");
  }
  write_line(line);
}

void CsvWriter::write_draw(const std::vector<double>& values) {
  std::string line;
  line.reserve(values.size() * 12);
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (j) line += ',';
    const bool as_int = j < int_column_.size() && int_column_[j] && std::isfinite(values[j]);
    line += as_int ? std::to_string(std::llround(values[j])) : format(values[j]);
  }
  write_line(line);
}

void CsvWriter::write_adaptation(double stepsize, const std::string& metric,
                                 const std::vector<double>& inv_metric) {
  std::vector<std::string> lines = {"# Adaptation terminated", "# Step size = " + format(stepsize)};
  auto row = [&](std::size_t begin, std::size_t n) {
    std::string l = "# ";
    for (std::size_t i = 0; i < n; ++i) l += (i ? ", " : "") + format(inv_metric[begin + i]);
    return l;
  };
  if (metric == "diag_e") {
    lines.push_back("# Diagonal elements of inverse mass matrix:");
    lines.push_back(row(0, inv_metric.size()));
  } else if (metric == "dense_e") {
    lines.push_back("# Elements of inverse mass matrix:");
    const auto n = static_cast<std::size_t>(std::llround(std::sqrt(inv_metric.size())));
    for (std::size_t i = 0; i < n; ++i) lines.push_back(row(i * n, n));
  } else {
    lines.push_back("# No free parameters for unit metric");
  }
  write_comments(lines);
}

void CsvWriter::write_timing(double warmup_seconds, double sampling_seconds) {
  auto t = [](double s) {
    std::ostringstream os;
    os << s;
    return os.str();
  };
  write_comments({"# ", "#  Elapsed Time: " + t(warmup_seconds) + " seconds (Warm-up)",
                  "#                " + t(sampling_seconds) + " seconds (Sampling)",
                  "#                " + t(warmup_seconds + sampling_seconds) + " seconds (Total)",
                  "# "});
}

}  // namespace mvc::io
