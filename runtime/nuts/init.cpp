#include "init.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "io/json_data.h"

namespace mvc::nuts {
namespace {

struct Variable {
  std::vector<std::size_t> dims;
  std::vector<double> values;  // column-major
};

std::string number(double x) {
  if (std::isnan(x)) return "\"NaN\"";
  if (std::isinf(x)) return x > 0 ? "\"Inf\"" : "\"-Inf\"";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// Writes the nested arrays of a column-major variable, outermost index first.
void write_nested(const Variable& v, std::vector<std::size_t>& index, std::ostream& out) {
  const std::size_t depth = index.size();
  if (depth == v.dims.size()) {
    out << number(v.values[io::column_major_offset(v.dims, index)]);
    return;
  }
  out << "[";
  for (std::size_t i = 0; i < v.dims[depth]; ++i) {
    if (i) out << ",";
    index.push_back(i);
    write_nested(v, index, out);
    index.pop_back();
  }
  out << "]";
}

// Groups flat names ("S.1.2") into variables with dims and column-major values.
std::vector<std::pair<std::string, Variable>> group_variables(
    const std::vector<std::string>& names, const std::vector<double>& values) {
  std::vector<std::pair<std::string, Variable>> vars;
  std::vector<std::vector<std::size_t>> indices;
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::istringstream in(names[k]);
    std::string base, part;
    std::getline(in, base, '.');
    std::vector<std::size_t> idx;
    while (std::getline(in, part, '.')) idx.push_back(std::strtoul(part.c_str(), nullptr, 10) - 1);
    if (vars.empty() || vars.back().first != base) {
      vars.push_back({base, Variable{std::vector<std::size_t>(idx.size(), 0), {}}});
    }
    Variable& v = vars.back().second;
    for (std::size_t d = 0; d < idx.size() && d < v.dims.size(); ++d)
      v.dims[d] = std::max(v.dims[d], idx[d] + 1);
    v.values.push_back(values[k]);  // BridgeStan's order is already column-major
  }
  return vars;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InitError("Cannot open init file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const char* kRejecting = "Rejecting initial value:\n";

}  // namespace

std::string params_to_json(const std::vector<std::string>& names,
                           const std::vector<double>& values, const io::DataMap* given) {
  std::ostringstream out;
  out << "{";
  bool first = true;
  for (const auto& [name, v] : group_variables(names, values)) {
    out << (first ? "" : ",") << "\"" << name << "\":";
    first = false;
    std::vector<std::size_t> index;
    const auto it = given ? given->find(name) : io::DataMap::const_iterator();
    if (given && it != given->end())
      write_nested(Variable{it->second.dims, it->second.values}, index, out);
    else
      write_nested(v, index, out);
  }
  out << "}";
  return out.str();
}

PhasePoint initialize(const Model& model, const std::string& init, Rng& rng,
                      std::ostream& messages) {
  const int dim = model.dim();
  char* end = nullptr;
  const double radius = std::strtod(init.c_str(), &end);
  const bool is_number = !init.empty() && *end == '\0';
  if (is_number && !(radius >= 0))
    throw InitError("init=" + init + ": the init radius must be a number >= 0 or a file");
  // From a file: the given variables, with the others drawn uniform(-2, 2).
  io::DataMap given;
  std::string file_text;
  bool complete = true;
  const std::vector<std::string> param_names(model.names().begin(),
                                             model.names().begin() + model.num_params());
  if (!is_number) {
    file_text = read_file(init);
    given = io::parse_json_data(file_text, init);
    for (const auto& [name, v] : group_variables(param_names, std::vector<double>(param_names.size())))
      if (!given.count(name)) complete = false;
  }
  const double r = is_number ? radius : 2.0;
  const bool fixed = (is_number && radius == 0) || (!is_number && complete);
  const int max_tries = fixed ? 1 : 100;

  PhasePoint z(dim);
  std::vector<double> constrained(static_cast<std::size_t>(model.num_params()));
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    for (int i = 0; i < dim; ++i) z.q[i] = r == 0 ? 0.0 : r * (2 * rng.uniform() - 1);
    if (!is_number && complete) {
      const std::vector<double> q = model.unconstrain_json(file_text);
      for (int i = 0; i < dim; ++i) z.q[i] = q[static_cast<std::size_t>(i)];
    } else if (!is_number) {
      // Fill in the missing variables from the random draw, then unconstrain all.
      std::string msg;
      if (!model.constrain_params(z.q.data(), constrained.data(), &msg)) {
        messages << kRejecting << "  " << msg << "\n";
        continue;
      }
      const std::vector<double> q = model.unconstrain_json(params_to_json(param_names, constrained, &given));
      for (int i = 0; i < dim; ++i) z.q[i] = q[static_cast<std::size_t>(i)];
    }
    std::string msg;
    if (!model.log_density_gradient(z.q.data(), z.lp, z.g.data(), &msg)) {
      messages << kRejecting << "  Error evaluating the log probability at the initial value.\n"
               << msg << "\n";
      continue;
    }
    if (!std::isfinite(z.lp)) {
      messages << kRejecting << "  Log probability evaluates to log(0), i.e. negative infinity.\n"
               << "  Stan can't start sampling from this initial value.\n";
      continue;
    }
    if (!z.g.allFinite()) {
      messages << kRejecting << "  Gradient evaluated at the initial value is not finite.\n"
               << "  Stan can't start sampling from this initial value.\n";
      continue;
    }
    return z;
  }
  if (fixed) throw InitError("Initialization failed.");
  std::ostringstream os;
  os << "Initialization between (-" << r << ", " << r << ") failed after " << max_tries
     << " attempts. \n Try specifying initial values, reducing ranges of constrained values, "
        "or reparameterizing the model.\nInitialization failed.";
  throw InitError(os.str());
}

}  // namespace mvc::nuts
