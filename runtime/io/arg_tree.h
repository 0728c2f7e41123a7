// The argument tree of CmdStan's command line, for the subset mvc implements.
//
// CmdStan arguments are hierarchical: categories (`adapt`, `data`, `output`, ...) hold
// arguments, and list arguments (`method=sample`, `algorithm=hmc`, `engine=nuts`) select one
// alternative whose own arguments then apply. The same tree parses the command line (cli.cpp)
// and prints the configuration comment block of the Stan CSV file (config_block.cpp), so the
// two cannot disagree.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mvc::io {

struct ArgNode {
  enum class Kind { Category, List, Int, Real, Bool, String };
  std::string name;
  Kind kind = Kind::Category;
  std::string default_value;  // scalar default, or the default alternative of a List
  std::string value;          // current value as text (List: the chosen alternative)
  bool is_set = false;        // given on the command line
  std::string valid_text;     // "0 < delta < 1": shown in usage errors
  std::function<bool(const std::string&)> valid;  // checks a typed, well-formed value
  // Category: its arguments. List: its alternatives (each a Category node).
  std::vector<std::unique_ptr<ArgNode>> children;

  ArgNode* child(const std::string& n) const;
  // For a List: the chosen alternative.
  ArgNode* selected() const { return child(value); }
};

// The tree of CmdStan's `sample` method (and the top-level arguments) with CmdStan's
// defaults, in the order CmdStan prints them.
std::unique_ptr<ArgNode> make_sample_arg_tree();

// Looks up a node by a dotted path of names, following the chosen alternative of each List
// ("method.sample.adapt.delta" or "output.file"). Returns nullptr when absent.
const ArgNode* find_arg(const ArgNode& root, const std::string& dotted_path);

}  // namespace mvc::io
