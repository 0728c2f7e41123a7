#include "sampler.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "chain.h"
#include "io/cli.h"
#include "io/config_block.h"
#include "io/json_data.h"
#include "model.h"
#include "signals.h"
#ifdef MVC_HAVE_DIAGNOSTICS
#include "diagnostics/summary.h"
#endif

namespace mvc::nuts {
namespace {

bool readable(const std::string& path) { return std::ifstream(path).good(); }

unsigned long long clock_seed() {
  std::random_device rd;
  const auto t = std::chrono::high_resolution_clock::now().time_since_epoch().count();
  return (static_cast<unsigned long long>(rd()) ^ static_cast<unsigned long long>(t)) & 0xffffffffULL;
}

// Reads metric_file= (CmdStan's {"inv_metric": ...}); throws std::runtime_error.
InitialMetric read_metric_file(const io::SampleOptions& o, int dim) {
  InitialMetric m;
  if (o.metric_file.empty()) return m;
  if (o.metric == "unit_e")
    throw std::runtime_error("metric_file is given but metric=unit_e has no free parameters");
  const io::DataMap d = io::read_json_data_file(o.metric_file);
  const auto it = d.find("inv_metric");
  if (it == d.end()) throw std::runtime_error(o.metric_file + ": no variable \"inv_metric\"");
  const io::VarData& v = it->second;
  const auto n = static_cast<std::size_t>(dim);
  if (o.metric == "diag_e") {
    if (v.dims.size() != 1 || v.dims[0] != n)
      throw std::runtime_error(o.metric_file + ": inv_metric must be a vector of " +
                               std::to_string(dim) + " elements for diag_e");
    m.diag = Eigen::Map<const Eigen::VectorXd>(v.values.data(), dim);
    if (!(m.diag.array() > 0).all() || !m.diag.allFinite())
      throw std::runtime_error(o.metric_file + ": inv_metric must be positive and finite");
  } else {
    if (v.dims.size() != 2 || v.dims[0] != n || v.dims[1] != n)
      throw std::runtime_error(o.metric_file + ": inv_metric must be a " + std::to_string(dim) +
                               " x " + std::to_string(dim) + " matrix for dense_e");
    m.dense = Eigen::Map<const Eigen::MatrixXd>(v.values.data(), dim, dim);  // column-major
    if (!m.dense.isApprox(m.dense.transpose()))
      throw std::runtime_error(o.metric_file + ": inv_metric must be symmetric");
  }
  return m;
}

// Checks the arguments that depend on files or on each other; "" when all is well.
std::string check_options(const io::SampleOptions& o) {
  if (!o.fixed_param && o.adapt_engaged && o.num_warmup == 0)
    return "The number of warmup samples (num_warmup) must be greater than zero if adaptation "
           "is enabled.";
  if (!o.data_file.empty() && !readable(o.data_file))
    return "Error reading data file: cannot open " + o.data_file;
  if (!o.data_file.empty() && o.data_file.size() >= 5 &&
      o.data_file.compare(o.data_file.size() - 5, 5, ".json") != 0)
    return "Error reading data file " + o.data_file + ": data files must be JSON (.json)";
  return "";
}

void print_summary(const std::vector<ChainResult>& results, const io::SampleOptions& o,
                   std::ostream& out) {
#ifdef MVC_HAVE_DIAGNOSTICS
  // The draws are read back from each chain's DrawStore a block of columns at a time: at
  // most kSummaryBytes of them are in memory at once.
  constexpr std::size_t kSummaryBytes = std::size_t{128} << 20;
  std::vector<const ChainResult*> kept;
  std::vector<std::size_t> lengths;
  for (const ChainResult& r : results) {
    if (r.draws->rows() == 0) continue;
    if (!r.draws->error().empty()) {
      out << "(no summary: " << r.draws->error() << ")\n";
      return;
    }
    kept.push_back(&r);
    lengths.push_back(r.draws->rows());
  }
  if (kept.empty()) {
    out << "No draws were made: no summary.\n";
    return;
  }
  for (const ChainResult* r : kept)
    if (r->names != kept.front()->names) {
      out << "Cannot summarize: the chains have different columns.\n";
      return;
    }
  const std::vector<std::string>& names = kept.front()->names;
  std::string error;
  auto read = [&](std::size_t c0, std::size_t c1, std::vector<diag::ChainDraws>& block) {
    block.assign(kept.size(), {});
    for (std::size_t k = 0; k < kept.size(); ++k) {
      block[k].names.assign(names.begin() + static_cast<std::ptrdiff_t>(c0), names.begin() + static_cast<std::ptrdiff_t>(c1));
      if (!kept[k]->draws->read(c0, c1, block[k].draws, &error)) block[k].draws.clear();
    }
  };
  std::ostringstream table;
  diag::print_summary_blocked(table, names, lengths, read, o.max_depth, kSummaryBytes, 6,
                              std::max(1, o.num_threads));
  if (!error.empty()) out << "(no summary: " << error << ")\n";
  else out << table.str();
#else
  (void)results;
  (void)o;
  out << "(summary unavailable: this sampler was built without runtime/diagnostics)\n";
#endif
}

int sample(const io::CommandLine& cl, std::ostream& out, std::ostream& err) {
  io::SampleOptions o = cl.options;
  if (const std::string problem = check_options(o); !problem.empty()) {
    err << problem << "\n";
    return 1;
  }
  const unsigned long long seed = o.seed < 0 ? clock_seed() : static_cast<unsigned long long>(o.seed);
  std::unique_ptr<Model> model;
  try {
    model = std::make_unique<Model>(o.data_file, static_cast<unsigned int>(seed));
  } catch (const ModelError& e) {
    err << "Error in model construction: " << e.what() << "\n";
    return 1;
  }
  InitialMetric metric;
  try {
    metric = read_metric_file(o, model->dim());
  } catch (const std::exception& e) {
    err << "Error reading metric file: " << e.what() << "\n";
    return 1;
  }
  if (o.num_threads == -1) o.num_threads = std::max(1u, std::thread::hardware_concurrency());
  if (!o.fixed_param && model->dim() == 0)
    err << "Model contains no parameters; running fixed_param sampler, no updates to Markov "
           "chain\n";

  std::vector<ChainSpec> specs(static_cast<std::size_t>(o.num_chains));
  std::vector<int> ids;
  for (int i = 0; i < o.num_chains; ++i) {
    ChainSpec& s = specs[static_cast<std::size_t>(i)];
    s.chain_id = o.id + i;
    s.index = i;
    s.seed = seed;
    s.output_path = io::chain_output_path(o.output_file, s.chain_id, o.num_chains);
    io::ConfigContext ctx{model->name(), s.chain_id, s.output_path, seed};
    s.config_lines = io::config_lines(*cl.tree, ctx);
    ids.push_back(s.chain_id);
  }

  install_stop_handlers();
  const bool fixed_param = o.fixed_param || model->dim() == 0;  // no warmup then
  Progress progress(err, isatty(STDERR_FILENO) != 0, ids, fixed_param ? 0 : o.num_warmup,
                    o.num_samples, o.refresh);
  std::vector<ChainResult> results(specs.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < specs.size();)
      results[i] = run_chain(*model, o, metric, specs[i], progress);
  };
  const int n_threads = std::min(o.num_threads, o.num_chains);
  std::vector<std::thread> threads;
  for (int t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  progress.finish();

  bool failed = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].failed) continue;
    failed = true;
    err << "Chain " << specs[i].chain_id << ": " << results[i].error << "\n";
  }
  const int signo = stop_signal();
  if (failed && signo == 0) return 1;
  if (signo != 0) err << "Interrupted (signal " << signo << "): the CSV files hold every draw made so far.\n";
  print_summary(results, o, out);
  return signo != 0 ? 128 + signo : 0;
}

}  // namespace

int run_sampler_program(int argc, const char* const* argv, std::ostream& out,
                        std::ostream& err) {
  const std::string program = argc > 0 ? argv[0] : "model";
  io::CommandLine cl;
  try {
    cl = io::parse_command_line(argc, argv);
  } catch (const io::UsageError& e) {
    err << e.what() << "\nFailed to parse arguments, cannot run model. Run `" << program
        << " help` for usage.\n";
    return 1;
  }
  switch (cl.command) {
    case io::CommandLine::Command::Help:
      out << io::usage_text(program);
      return 0;
    case io::CommandLine::Command::Info:
      try {
        Model model("", 0);
        out << "model = " << model.name() << "\n" << model.info() << "\n";
      } catch (const ModelError& e) {
        out << "model information needs the model's data: " << e.what() << "\n";
      }
      return 0;
    case io::CommandLine::Command::Sample:
      break;
  }
  return sample(cl, out, err);
}

}  // namespace mvc::nuts
