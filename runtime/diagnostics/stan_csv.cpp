#include "stan_csv.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <vector>

namespace mvc::diag {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") + 1 - b);
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

// A whole field as a double; strtod accepts Stan's "nan", "inf" and "-inf" too.
bool parse_number(const std::string& field, double& value) {
  const std::string f = trim(field);
  if (f.empty()) return false;
  char* end = nullptr;
  value = std::strtod(f.c_str(), &end);
  return end == f.c_str() + f.size();
}

// "#     num_warmup = 1000 (Default)" -> ("num_warmup", "1000"); false for other comments.
bool parse_config_line(const std::string& line, std::string& key, std::string& value) {
  const std::string body = line.substr(1);
  const auto eq = body.find(" = ");
  if (eq == std::string::npos) return false;
  key = trim(body.substr(0, eq));
  value = trim(body.substr(eq + 3));
  const std::string dflt = "(Default)";
  if (value.size() >= dflt.size() && value.compare(value.size() - dflt.size(), dflt.size(), dflt) == 0)
    value = trim(value.substr(0, value.size() - dflt.size()));
  return !key.empty();
}

long config_int(const StanCsvFile& f, const std::string& key, long fallback) {
  const auto it = f.config.find(key);
  if (it == f.config.end()) return fallback;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (end == it->second.c_str() || *end != '\0')
    throw StanCsvError(f.path + ": config value " + key + " = '" + it->second + "' is not an integer");
  return v;
}

// Rows of warmup at the top of the draws: Stan saves warmup iterations 0, thin, 2 thin, ...
// below num_warmup when save_warmup is on (1 in CmdStan before 2.33, true after); the
// fixed_param sampler has no warmup.
std::size_t warmup_rows(const StanCsvFile& f) {
  const auto save = f.config.find("save_warmup");
  if (save == f.config.end() || (save->second != "1" && save->second != "true")) return 0;
  const auto algorithm = f.config.find("algorithm");
  if (algorithm != f.config.end() && algorithm->second == "fixed_param") return 0;
  const long warmup = config_int(f, "num_warmup", 1000);
  const long thin = config_int(f, "thin", 1);
  if (warmup <= 0) return 0;
  if (thin <= 0) throw StanCsvError(f.path + ": config value thin must be positive");
  return static_cast<std::size_t>((warmup + thin - 1) / thin);
}

}  // namespace

StanCsvFile parse_stan_csv(std::istream& in, const std::string& name) {
  StanCsvFile f;
  f.path = name;
  std::string line;
  std::size_t line_no = 0;
  bool have_header = false;
  std::vector<std::vector<double>> rows;
  const auto error = [&](const std::string& msg) { return StanCsvError(name + ":" + std::to_string(line_no) + ": " + msg); };

  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    if (line[0] == '#') {
      std::string key, value;
      if (!have_header && parse_config_line(line, key, value)) f.config.emplace(key, value);
      continue;
    }
    std::vector<std::string> fields = split_fields(line);
    if (!have_header) {
      double ignored;
      if (parse_number(fields[0], ignored))
        throw error("missing header: expected the line of column names (lp__,...), found numbers");
      std::set<std::string> seen;
      for (std::size_t j = 0; j < fields.size(); ++j) {
        fields[j] = trim(fields[j]);
        if (fields[j].empty()) throw error("empty column name in the header (column " + std::to_string(j + 1) + ")");
        if (!seen.insert(fields[j]).second) throw error("duplicate column name '" + fields[j] + "' in the header");
      }
      f.chain.names = fields;
      have_header = true;
      continue;
    }
    if (fields.size() != f.chain.names.size())
      throw error("expected " + std::to_string(f.chain.names.size()) + " fields as in the header, found " +
                  std::to_string(fields.size()));
    std::vector<double> row(fields.size());
    for (std::size_t j = 0; j < fields.size(); ++j)
      if (!parse_number(fields[j], row[j]))
        throw error("field " + std::to_string(j + 1) + " (" + f.chain.names[j] + "): '" + fields[j] +
                    "' is not a number");
    rows.push_back(std::move(row));
  }
  if (in.bad()) throw StanCsvError(name + ": read error");
  if (!have_header) throw StanCsvError(name + ": missing header: no line of column names (lp__,...) found");

  f.max_treedepth = static_cast<int>(config_int(f, "max_depth", 10));
  f.warmup_rows = std::min(warmup_rows(f), rows.size());
  f.chain.draws.assign(std::make_move_iterator(rows.begin() + static_cast<long>(f.warmup_rows)),
                       std::make_move_iterator(rows.end()));
  return f;
}

StanCsvFile read_stan_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StanCsvError(path + ": cannot open file");
  return parse_stan_csv(in, path);
}

}  // namespace mvc::diag
