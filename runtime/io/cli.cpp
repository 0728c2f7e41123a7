#include "cli.h"

#include <cstdlib>
#include <sstream>

namespace mvc::io {
namespace {

using Kind = ArgNode::Kind;

// Finds `name` as an argument of `scope`: a direct child, a bare alternative of a List
// child (then `list` is set to that List), or, recursively, an argument of the chosen
// alternative of a List child, so that `sample max_depth=12` works with the default
// algorithm=hmc engine=nuts. `via` receives the alternatives passed through, outermost first.
ArgNode* lookup(ArgNode* scope, const std::string& name, ArgNode*& list,
                std::vector<ArgNode*>& via) {
  list = nullptr;
  if (ArgNode* c = scope->child(name)) return c;
  for (const auto& c : scope->children)
    if (c->kind == Kind::List)
      if (ArgNode* alt = c->child(name)) {
        list = c.get();
        return alt;
      }
  for (const auto& c : scope->children) {
    if (c->kind != Kind::List) continue;
    ArgNode* alt = c->selected();
    via.push_back(alt);
    if (ArgNode* found = lookup(alt, name, list, via)) return found;
    via.pop_back();
  }
  return nullptr;
}

std::string bad_value(const std::string& token, const ArgNode& arg) {
  return token + " is not a valid value for \"" + arg.name + "\"\n  Valid values: " +
         arg.valid_text;
}

// Applies one token with the stack of open scopes; throws UsageError.
void apply_token(const std::string& token, std::vector<ArgNode*>& scopes) {
  const std::size_t eq = token.find('=');
  const std::string name = token.substr(0, eq);
  const bool has_value = eq != std::string::npos;
  const std::string value = has_value ? token.substr(eq + 1) : "";
  for (std::size_t level = scopes.size(); level-- > 0;) {
    ArgNode* list = nullptr;
    std::vector<ArgNode*> via;
    ArgNode* arg = lookup(scopes[level], name, list, via);
    if (!arg) continue;
    scopes.resize(level + 1);
    scopes.insert(scopes.end(), via.begin(), via.end());
    if (list) {  // a bare alternative: `sample`, `fixed_param`
      if (has_value) throw UsageError(token + ": \"" + name + "\" takes no value");
      list->value = name;
      list->is_set = true;
      scopes.push_back(arg);
      return;
    }
    switch (arg->kind) {
      case Kind::Category:
        if (has_value) throw UsageError(token + ": \"" + name + "\" takes no value");
        scopes.push_back(arg);
        return;
      case Kind::List: {
        ArgNode* alt = arg->child(value);
        if (!has_value || !alt) throw UsageError(bad_value(token, *arg));
        arg->value = value;
        arg->is_set = true;
        scopes.push_back(alt);
        return;
      }
      default:
        if (!has_value || !arg->valid(value)) throw UsageError(bad_value(token, *arg));
        arg->value = value;
        arg->is_set = true;
        return;
    }
  }
  throw UsageError(token + " is either mistyped or misplaced.");
}

const std::string& text(const ArgNode& root, const std::string& path) {
  const ArgNode* n = find_arg(root, path);
  static const std::string empty;
  return n ? n->value : empty;
}

int as_int(const ArgNode& root, const std::string& path) {
  return static_cast<int>(std::strtol(text(root, path).c_str(), nullptr, 10));
}
double as_real(const ArgNode& root, const std::string& path) {
  return std::strtod(text(root, path).c_str(), nullptr);
}
bool as_bool(const ArgNode& root, const std::string& path) {
  const std::string& v = text(root, path);
  return v == "1" || v == "true";
}

SampleOptions options_from_tree(const ArgNode& root) {
  SampleOptions o;
  const std::string s = "method.sample.";
  o.num_samples = as_int(root, s + "num_samples");
  o.num_warmup = as_int(root, s + "num_warmup");
  o.save_warmup = as_bool(root, s + "save_warmup");
  o.thin = as_int(root, s + "thin");
  const std::string a = s + "adapt.";
  o.adapt_engaged = as_bool(root, a + "engaged");
  o.gamma = as_real(root, a + "gamma");
  o.delta = as_real(root, a + "delta");
  o.kappa = as_real(root, a + "kappa");
  o.t0 = as_real(root, a + "t0");
  o.init_buffer = as_int(root, a + "init_buffer");
  o.term_buffer = as_int(root, a + "term_buffer");
  o.window = as_int(root, a + "window");
  o.fixed_param = text(root, s + "algorithm") == "fixed_param";
  if (!o.fixed_param) {
    const std::string h = s + "algorithm.hmc.";
    o.max_depth = as_int(root, h + "engine.nuts.max_depth");
    o.metric = text(root, h + "metric");
    o.metric_file = text(root, h + "metric_file");
    o.stepsize = as_real(root, h + "stepsize");
    o.stepsize_jitter = as_real(root, h + "stepsize_jitter");
  }
  o.num_chains = as_int(root, s + "num_chains");
  o.id = as_int(root, "id");
  o.data_file = text(root, "data.file");
  o.init = text(root, "init");
  o.seed = std::strtoll(text(root, "random.seed").c_str(), nullptr, 10);
  o.output_file = text(root, "output.file");
  o.diagnostic_file = text(root, "output.diagnostic_file");
  o.refresh = as_int(root, "output.refresh");
  o.sig_figs = as_int(root, "output.sig_figs");
  o.num_threads = as_int(root, "num_threads");
  return o;
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  cl.tree = make_sample_arg_tree();
  if (argc < 2) throw UsageError("No method given: expected sample, info or help.");
  const std::string first = argv[1];
  if (first == "help" || first == "help-all") {
    cl.command = CommandLine::Command::Help;
    return cl;
  }
  if (first == "info") {
    if (argc > 2) throw UsageError(std::string(argv[2]) + " is either mistyped or misplaced.");
    cl.command = CommandLine::Command::Info;
    return cl;
  }
  std::vector<ArgNode*> scopes{cl.tree.get()};
  for (int i = 1; i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "help" || token == "help-all") {
      cl.command = CommandLine::Command::Help;
      return cl;
    }
    apply_token(token, scopes);
  }
  cl.options = options_from_tree(*cl.tree);
  if (cl.options.diagnostic_file != "")
    throw UsageError("output diagnostic_file is not supported by mvc");
  return cl;
}

std::string usage_text(const std::string& program) {
  std::ostringstream os;
  os << "Usage: " << program << " <method> <arguments>...\n"
     << "Methods:\n"
     << "  sample   draw from the posterior with NUTS (or algorithm=fixed_param)\n"
     << "  info     print information about the model\n"
     << "  help     print this text\n"
     << "Arguments of sample (defaults in brackets), in CmdStan's grammar:\n"
     << "  sample num_samples=[1000] num_warmup=[1000] save_warmup=[0] thin=[1]\n"
     << "    adapt engaged=[1] gamma=[0.05] delta=[0.8] kappa=[0.75] t0=[10]\n"
     << "          init_buffer=[75] term_buffer=[50] window=[25]\n"
     << "    algorithm=[hmc] engine=[nuts] max_depth=[10]\n"
     << "          metric=[diag_e]|unit_e|dense_e metric_file=[] stepsize=[1]\n"
     << "          stepsize_jitter=[0]\n"
     << "    algorithm=fixed_param\n"
     << "    num_chains=[1]\n"
     << "  id=[1]  data file=[]  init=[2] (a radius, 0, or a JSON file)\n"
     << "  random seed=[-1: from the clock]\n"
     << "  output file=[output.csv] refresh=[100] sig_figs=[-1]\n"
     << "  num_threads=[1] (-1: all cores)\n"
     << "Example: " << program
     << " sample num_chains=4 data file=data.json output file=out.csv random seed=1\n";
  return os.str();
}

std::string chain_output_path(const std::string& file, int chain_id, int num_chains) {
  if (num_chains <= 1) return file;
  const std::size_t slash = file.find_last_of('/');
  const std::size_t dot = file.find_last_of('.');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  const std::string stem = has_ext ? file.substr(0, dot) : file;
  const std::string ext = has_ext ? file.substr(dot) : "";
  return stem + "_" + std::to_string(chain_id) + ext;
}

}  // namespace mvc::io
