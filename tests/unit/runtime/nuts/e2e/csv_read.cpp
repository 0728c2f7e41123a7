#include "csv_read.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mvc::testing {

int Csv::column(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<double> Csv::values(const std::string& name, std::size_t first_row) const {
  const int c = column(name);
  std::vector<double> v;
  if (c < 0) return v;
  for (std::size_t r = first_row; r < rows.size(); ++r) v.push_back(rows[r][static_cast<std::size_t>(c)]);
  return v;
}

Csv read_csv(const std::string& path) {
  Csv csv;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '#') {
      if (csv.names.empty()) {
        csv.comments_before_header.push_back(line);
      } else {
        csv.comments_after_header.push_back(line);
        if (line == "# Adaptation terminated") {
          csv.has_adaptation = true;
          csv.adaptation_line = csv.rows.size();
        }
      }
      continue;
    }
    std::vector<std::string> fields;
    std::istringstream s(line);
    for (std::string f; std::getline(s, f, ',');) fields.push_back(f);
    if (csv.names.empty()) {
      csv.names = fields;
      continue;
    }
    if (fields.size() != csv.names.size()) {
      ++csv.bad_rows;
      continue;
    }
    std::vector<double> row;
    for (const auto& f : fields) {
      char* end = nullptr;
      row.push_back(std::strtod(f.c_str(), &end));
      if (*end != '\0') ++csv.bad_rows;
    }
    csv.rows.push_back(row);
  }
  return csv;
}

double mean_of(const std::vector<std::vector<double>>& chains) {
  double s = 0;
  std::size_t n = 0;
  for (const auto& c : chains)
    for (double x : c) {
      s += x;
      ++n;
    }
  return s / static_cast<double>(n);
}

double variance_of(const std::vector<std::vector<double>>& chains) {
  const double m = mean_of(chains);
  double s = 0;
  std::size_t n = 0;
  for (const auto& c : chains)
    for (double x : c) {
      s += (x - m) * (x - m);
      ++n;
    }
  return s / static_cast<double>(n - 1);
}

double batch_means_mcse(const std::vector<std::vector<double>>& chains) {
  std::vector<double> batch_means;
  std::size_t batch = 0;
  for (const auto& c : chains) {
    batch = static_cast<std::size_t>(std::sqrt(static_cast<double>(c.size())));
    for (std::size_t b = 0; b + batch <= c.size(); b += batch) {
      double s = 0;
      for (std::size_t i = b; i < b + batch; ++i) s += c[i];
      batch_means.push_back(s / static_cast<double>(batch));
    }
  }
  const double var_batch = variance_of({batch_means});
  return std::sqrt(var_batch / static_cast<double>(batch_means.size()));
}

}  // namespace mvc::testing
