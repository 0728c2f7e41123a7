// Access to tests/fixtures/diagnostics: draw sets and the values R's posterior package
// computed on them (made by tests/fixtures/diagnostics/make_fixtures.R).
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "draw_stats.h"

namespace mvc::diag::testing {

inline std::string fixture_path(const std::string& name) { return std::string(MVC_DIAG_FIXTURES) + "/" + name; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of a fixture CSV (header skipped), fields split at commas.
inline std::vector<std::vector<std::string>> read_rows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

inline double parse_value(const std::string& s) {
  if (s == "NA") return std::nan("");
  if (s == "Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  return std::stod(s);
}

// draws/<name>.csv (columns chain,value; chains numbered from 1, in order) as chains.
inline VariableDraws load_draws(const std::string& name) {
  VariableDraws chains;
  for (const auto& row : read_rows(fixture_path("draws/" + name + ".csv"))) {
    const auto chain = static_cast<std::size_t>(std::stoi(row.at(0)));
    if (chains.size() < chain) chains.resize(chain);
    chains[chain - 1].push_back(parse_value(row.at(1)));
  }
  return chains;
}

// expected.csv as case -> quantity -> value (NaN for NA).
inline std::map<std::string, std::map<std::string, double>> load_expected() {
  std::map<std::string, std::map<std::string, double>> out;
  for (const auto& row : read_rows(fixture_path("expected.csv"))) out[row.at(0)][row.at(1)] = parse_value(row.at(2));
  return out;
}

// True when `actual` equals `expected` to `rel` relative; NaN (NA) equals only NaN and an
// infinity only itself.
inline bool close_to(double actual, double expected, double rel) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return actual == expected;
  return std::fabs(actual - expected) <= rel * std::fabs(expected);
}

// To 1e-6 relative, the criterion against posterior.
inline bool close(double actual, double expected) { return close_to(actual, expected, 1e-6); }

// Deterministic AR(1) chains x_t = rho x_{t-1} + e_t, x_0 = e_0, e_t uniform on (-1, 1) from a
// 64-bit linear congruential generator, so that the draws (and values computed from them once)
// do not depend on the standard library's distributions.
inline VariableDraws ar1_draws(std::size_t chains, std::size_t n, double rho, std::uint64_t seed) {
  std::uint64_t state = seed;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53 * 2.0 - 1.0;
  };
  VariableDraws x(chains, std::vector<double>(n));
  for (auto& chain : x) {
    double v = 0.0;
    for (double& d : chain) {
      v = rho * v + uniform();
      d = v;
    }
  }
  return x;
}

// 4 chains of 250 AR(1) draws pooled, at rho 0.5, times 3.
inline std::vector<double> pooled_ar1(std::uint64_t seed) {
  std::vector<double> all = pooled(ar1_draws(4, 250, 0.5, seed));
  for (double& v : all) v *= 3.0;
  return all;
}

}  // namespace mvc::diag::testing
