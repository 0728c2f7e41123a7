#include "config_block.h"

#include <cstdio>
#include <cstdlib>

namespace mvc::io {
namespace {

using Kind = ArgNode::Kind;

std::string indent(int depth) { return "#" + std::string(1 + 2 * depth, ' '); }

std::string format_value(const ArgNode& n, const std::string& v) {
  switch (n.kind) {
    case Kind::Real: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", std::strtod(v.c_str(), nullptr));
      return buf;
    }
    case Kind::Int:
      return std::to_string(std::strtoll(v.c_str(), nullptr, 10));
    case Kind::Bool:
      return (v == "1" || v == "true") ? "1" : "0";
    default:
      return v;
  }
}

// CmdStan marks a value "(Default)" when it equals the default, given or not.
bool is_default(const ArgNode& n) {
  return format_value(n, n.value) == format_value(n, n.default_value);
}

std::string line(int depth, const std::string& name, const std::string& value, bool dflt) {
  return indent(depth) + name + " = " + value + (dflt ? " (Default)" : "");
}

void emit(const ArgNode& n, int depth, const ConfigContext& ctx, const std::string& path,
          std::vector<std::string>& out) {
  const std::string full = path.empty() ? n.name : path + "." + n.name;
  switch (n.kind) {
    case Kind::Category:
      out.push_back(indent(depth) + n.name);
      for (const auto& c : n.children) emit(*c, depth + 1, ctx, full, out);
      return;
    case Kind::List: {
      out.push_back(line(depth, n.name, n.value, is_default(n)));
      const ArgNode* alt = n.selected();
      // Alternatives without arguments (unit_e, fixed_param) print no sub-block, as CmdStan.
      if (alt && !alt->children.empty()) {
        out.push_back(indent(depth + 1) + alt->name);
        for (const auto& c : alt->children) emit(*c, depth + 2, ctx, full + "." + alt->name, out);
      }
      return;
    }
    default:
      break;
  }
  if (full == "id") {
    const std::string id = std::to_string(ctx.chain_id);
    out.push_back(line(depth, n.name, id, id == n.default_value));
  } else if (full == "output.file") {
    out.push_back(line(depth, n.name, ctx.output_file, ctx.output_file == n.default_value));
  } else if (full == "random.seed") {
    out.push_back(line(depth, n.name, std::to_string(ctx.seed), is_default(n)));
  } else {
    out.push_back(line(depth, n.name, format_value(n, n.value), is_default(n)));
  }
}

}  // namespace

std::vector<std::string> config_lines(const ArgNode& root, const ConfigContext& ctx) {
  std::vector<std::string> out = {
      "# stan_version_major = " + std::to_string(kStanCsvVersion[0]),
      "# stan_version_minor = " + std::to_string(kStanCsvVersion[1]),
      "# stan_version_patch = " + std::to_string(kStanCsvVersion[2]),
      "# model = " + ctx.model_name,
  };
  for (const auto& c : root.children) emit(*c, 0, ctx, "", out);
  return out;
}

}  // namespace mvc::io
