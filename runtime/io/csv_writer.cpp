#include "csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace mvc::io {

CsvWriter::CsvWriter(const std::string& path, int sig_figs)
    : path_(path), precision_(sig_figs < 0 ? 6 : sig_figs) {
  // The command line allows -1..18 (CmdStan's range); 18 digits fit `append`'s buffer.
  if (sig_figs < -1 || sig_figs > 18)
    throw std::invalid_argument("sig_figs must be between -1 and 18, got " + std::to_string(sig_figs));
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot open output file " + path + ": " + std::strerror(errno));
}

CsvWriter::~CsvWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void CsvWriter::write_line(const std::string& line) { write_all(line + "\n"); }

void CsvWriter::write_all(const std::string& buf) {
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

void CsvWriter::append(std::string& out, double x) const {
  // Spelled the way CmdStan's stream prints them and every CSV reader accepts.
  if (std::isnan(x)) {
    out += "nan";
    return;
  }
  if (std::isinf(x)) {
    out += x > 0 ? "inf" : "-inf";
    return;
  }
  // %g at the precision is, by the C++ standard, exactly what a stream with that precision
  // and no floatfield prints; std::to_chars is specified to print what printf's %g does, and
  // it does so without printf's format parsing and locale (several times faster, which
  // matters at thousands of columns per draw).
  // At most 18 significant digits, a sign, a point and a 5-character exponent: 64 is room.
  char buf[64];
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, precision_);
  out.append(buf, r.ptr);
}

std::string CsvWriter::format(double x) const {
  std::string s;
  append(s, x);
  return s;
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
  line_.clear();
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (j) line_ += ',';
    if (j < int_column_.size() && int_column_[j] && std::isfinite(values[j]))
      line_ += std::to_string(std::llround(values[j]));
    else
      append(line_, values[j]);
  }
  line_ += '\n';
  write_all(line_);
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
