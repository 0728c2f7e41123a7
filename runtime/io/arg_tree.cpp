#include "arg_tree.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace mvc::io {
namespace {

using Kind = ArgNode::Kind;
using Node = std::unique_ptr<ArgNode>;

bool parse_long(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && *end == '\0';
}

Node category(std::string name, std::vector<Node> children) {
  auto n = std::make_unique<ArgNode>();
  n->name = std::move(name);
  n->kind = Kind::Category;
  n->children = std::move(children);
  return n;
}

Node list(std::string name, std::string def, std::vector<Node> alternatives) {
  auto n = category(std::move(name), std::move(alternatives));
  n->kind = Kind::List;
  n->default_value = def;
  n->value = def;
  std::string names;
  for (const auto& a : n->children) names += (names.empty() ? "" : ", ") + a->name;
  n->valid_text = names;
  return n;
}

Node int_arg(std::string name, long long def, long long lo, long long hi, std::string text) {
  auto n = std::make_unique<ArgNode>();
  n->name = std::move(name);
  n->kind = Kind::Int;
  n->default_value = n->value = std::to_string(def);
  n->valid_text = std::move(text);
  n->valid = [lo, hi](const std::string& s) {
    long long v;
    return parse_long(s, v) && v >= lo && v <= hi;
  };
  return n;
}

Node real_arg(std::string name, double def, std::function<bool(double)> ok, std::string text) {
  auto n = std::make_unique<ArgNode>();
  n->name = std::move(name);
  n->kind = Kind::Real;
  std::ostringstream os;
  os << def;
  n->default_value = n->value = os.str();
  n->valid_text = std::move(text);
  n->valid = [ok](const std::string& s) {
    double v;
    return parse_double(s, v) && ok(v);
  };
  return n;
}

Node bool_arg(std::string name, bool def) {
  auto n = std::make_unique<ArgNode>();
  n->name = std::move(name);
  n->kind = Kind::Bool;
  n->default_value = n->value = def ? "1" : "0";
  n->valid_text = "0, 1, false, true";
  n->valid = [](const std::string& s) {
    return s == "0" || s == "1" || s == "false" || s == "true";
  };
  return n;
}

Node string_arg(std::string name, std::string def) {
  auto n = std::make_unique<ArgNode>();
  n->name = std::move(name);
  n->kind = Kind::String;
  n->default_value = n->value = std::move(def);
  n->valid_text = "a string";
  n->valid = [](const std::string&) { return true; };
  return n;
}

template <class... T>
std::vector<Node> nodes(T&&... t) {
  std::vector<Node> v;
  (v.push_back(std::forward<T>(t)), ...);
  return v;
}

constexpr long long kIntMax = 2147483647;

}  // namespace

ArgNode* ArgNode::child(const std::string& n) const {
  for (const auto& c : children)
    if (c->name == n) return c.get();
  return nullptr;
}

std::unique_ptr<ArgNode> make_sample_arg_tree() {
  auto positive = [](double v) { return v > 0; };
  auto adapt = category(
      "adapt",
      nodes(bool_arg("engaged", true),
            real_arg("gamma", 0.05, positive, "0 < gamma"),
            real_arg("delta", 0.8, [](double v) { return v > 0 && v < 1; }, "0 < delta < 1"),
            real_arg("kappa", 0.75, positive, "0 < kappa"),
            real_arg("t0", 10, positive, "0 < t0"),
            int_arg("init_buffer", 75, 0, kIntMax, "0 <= init_buffer"),
            int_arg("term_buffer", 50, 0, kIntMax, "0 <= term_buffer"),
            int_arg("window", 25, 1, kIntMax, "0 < window")));
  auto nuts = category("nuts", nodes(int_arg("max_depth", 10, 1, kIntMax, "0 < max_depth")));
  auto hmc = category(
      "hmc",
      nodes(list("engine", "nuts", nodes(std::move(nuts))),
            list("metric", "diag_e",
                 nodes(category("unit_e", {}), category("diag_e", {}), category("dense_e", {}))),
            string_arg("metric_file", ""),
            real_arg("stepsize", 1, positive, "0 < stepsize"),
            real_arg("stepsize_jitter", 0, [](double v) { return v >= 0 && v <= 1; },
                     "0 <= stepsize_jitter <= 1")));
  auto sample = category(
      "sample",
      nodes(int_arg("num_samples", 1000, 0, kIntMax, "0 <= num_samples"),
            int_arg("num_warmup", 1000, 0, kIntMax, "0 <= num_warmup"),
            bool_arg("save_warmup", false),
            int_arg("thin", 1, 1, kIntMax, "0 < thin"),
            std::move(adapt),
            list("algorithm", "hmc", nodes(std::move(hmc), category("fixed_param", {}))),
            int_arg("num_chains", 1, 1, kIntMax, "0 < num_chains")));
  auto root = category(
      "",
      nodes(list("method", "sample", nodes(std::move(sample))),
            int_arg("id", 1, 0, kIntMax, "0 <= id"),
            category("data", nodes(string_arg("file", ""))),
            string_arg("init", "2"),
            category("random", nodes(int_arg("seed", -1, -1, 4294967295LL,
                                             "-1 <= seed <= 4294967295 (-1: from the clock)"))),
            category("output", nodes(string_arg("file", "output.csv"),
                                     string_arg("diagnostic_file", ""),
                                     int_arg("refresh", 100, 0, kIntMax, "0 <= refresh"),
                                     int_arg("sig_figs", -1, -1, 18, "-1 <= sig_figs <= 18"))),
            int_arg("num_threads", 1, -1, kIntMax, "num_threads == -1 or 0 < num_threads")));
  // num_threads=0 is not valid in CmdStan; -1 means "all cores".
  ArgNode* threads = root->child("num_threads");
  threads->valid = [](const std::string& s) {
    long long v;
    return parse_long(s, v) && (v == -1 || (v > 0 && v <= kIntMax));
  };
  return root;
}

const ArgNode* find_arg(const ArgNode& root, const std::string& dotted_path) {
  const ArgNode* node = &root;
  std::istringstream in(dotted_path);
  std::string part;
  while (node && std::getline(in, part, '.')) {
    if (node->kind == Kind::List) {
      node = node->selected();
      if (!node || node->name != part) return nullptr;
      continue;
    }
    node = node->child(part);
  }
  return node;
}

}  // namespace mvc::io
