#include "chain.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>

#include "adaptive_sampler.h"
#include "init.h"
#include "io/csv_writer.h"
#include "nuts.h"
#include "signals.h"

namespace mvc::nuts {
namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::string> kNutsColumns = {"lp__",        "accept_stat__", "stepsize__",
                                               "treedepth__", "n_leapfrog__",  "divergent__",
                                               "energy__"};
const std::vector<std::string> kFixedParamColumns = {"lp__", "accept_stat__"};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Shared by the NUTS and fixed_param loops: writes draws, collects the kept ones, reports
// progress and model errors.
class DrawSink {
 public:
  DrawSink(const Model& model, const ChainSpec& spec, io::CsvWriter& csv, Progress& progress,
           ChainResult& result, unsigned int gq_seed)
      : model_(model), spec_(spec), csv_(csv), progress_(progress), result_(result),
        gq_rng_(gq_seed), constrained_(model.names().size()) {}

  // Appends the constrained values at q to `row` and writes/keeps it.
  void emit(std::vector<double>& row, const Eigen::VectorXd& q, bool keep) {
    std::string msg;
    if (!model_.constrain(q.data(), constrained_.data(), gq_rng_, &msg)) {
      // As Stan: a failing generated quantities block gives NaN values, not a crash.
      std::fill(constrained_.begin(), constrained_.end(), std::numeric_limits<double>::quiet_NaN());
      report_error(msg);
    }
    row.insert(row.end(), constrained_.begin(), constrained_.end());
    csv_.write_draw(row);
    if (keep) result_.draws->append(row);
  }

  void report_error(const std::string& msg) {
    if (++reported_ > 3) return;
    std::string text = "Chain " + std::to_string(spec_.chain_id) +
                       ": Informational Message: The current Metropolis proposal is about to be "
                       "rejected because of the following issue:\n" + msg;
    if (reported_ == 3) text += "\n(further messages of this chain are counted, not printed)";
    progress_.message(text);
  }

 private:
  const Model& model_;
  const ChainSpec& spec_;
  io::CsvWriter& csv_;
  Progress& progress_;
  ChainResult& result_;
  GqRng gq_rng_;
  std::vector<double> constrained_;
  int reported_ = 0;
};

// As CmdStan's fixed_param service: no warmup, num_samples iterations at the initial point,
// generated quantities redrawn each time.
void run_fixed_param(const io::SampleOptions& o, const ChainSpec& spec, const PhasePoint& z,
                     io::CsvWriter& csv, DrawSink& sink, Progress& progress, ChainResult& result) {
  csv.write_header(result.names);
  const auto t0 = Clock::now();
  for (int m = 0; m < o.num_samples; ++m) {
    if (stop_requested()) {
      result.interrupted = true;
      break;
    }
    if (m % o.thin == 0) {
      std::vector<double> row = {0, 0};
      sink.emit(row, z.q, true);
    }
    progress.update(spec.index, m + 1);
  }
  if (!result.interrupted) {
    result.sampling_seconds = seconds_since(t0);
    csv.write_timing(0, result.sampling_seconds);
  }
}

std::vector<double> flatten_metric(const Metric& metric) {
  if (metric.kind() == Metric::Kind::Diag) {
    const Eigen::VectorXd& d = metric.inv_metric_diag();
    return std::vector<double>(d.data(), d.data() + d.size());
  }
  if (metric.kind() == Metric::Kind::Dense) {
    const Eigen::MatrixXd& m = metric.inv_metric_dense();
    std::vector<double> v;
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j) v.push_back(m(i, j));
    return v;
  }
  return {};
}

}  // namespace

ChainResult run_chain(const Model& model, const io::SampleOptions& o,
                      const InitialMetric& initial_metric, const ChainSpec& spec,
                      Progress& progress) {
  ChainResult result;
  try {
    Rng rng(spec.seed, static_cast<std::uint64_t>(spec.chain_id));
    io::CsvWriter csv(spec.output_path, o.sig_figs);
    csv.write_comments(spec.config_lines);
    const bool fixed_param = o.fixed_param || model.dim() == 0;
    result.names = fixed_param ? kFixedParamColumns : kNutsColumns;
    result.names.insert(result.names.end(), model.names().begin(), model.names().end());

    // Stan prints every rejected initial value; so do we, also when all of them fail.
    std::ostringstream init_messages;
    auto flush_init_messages = [&] {
      std::string text = init_messages.str();
      if (text.empty()) return;
      text.pop_back();
      progress.message("Chain " + std::to_string(spec.chain_id) + ": " + text);
    };
    PhasePoint z(model.dim());
    try {
      z = initialize(model, o.init, rng, init_messages);
    } catch (...) {
      flush_init_messages();
      throw;
    }
    flush_init_messages();
    DrawSink sink(model, spec, csv, progress, result, rng.next_u32());
    if (fixed_param) {
      run_fixed_param(o, spec, z, csv, sink, progress, result);
      return result;
    }

    const int dim = model.dim();
    Metric metric(Metric::parse_kind(o.metric), dim);
    if (initial_metric.diag.size() > 0) metric.set_inv_metric_diag(initial_metric.diag);
    if (initial_metric.dense.size() > 0) metric.set_inv_metric_dense(initial_metric.dense);
    Hamiltonian ham(model, metric);
    Nuts nuts(ham, dim, o.max_depth, o.stepsize_jitter);
    nuts.set_nominal_stepsize(o.stepsize);
    ModelErrorLog errors;
    std::ostringstream adapt_messages;
    AdaptiveSampler adapter(o, dim, metric, nuts, adapt_messages);
    if (o.adapt_engaged && spec.index == 0 && !adapt_messages.str().empty())
      progress.message(adapt_messages.str().substr(0, adapt_messages.str().size() - 1));

    csv.write_header(result.names);
    auto record = [&](const TransitionStats& s, bool keep) {
      std::vector<double> row = {s.lp, s.accept_stat, s.stepsize, double(s.treedepth),
                                 double(s.n_leapfrog), s.divergent ? 1.0 : 0.0, s.energy};
      sink.emit(row, z.q, keep);
    };
    auto step = [&]() {
      const long before = errors.count;
      TransitionStats s = nuts.transition(z, rng, &errors);
      if (errors.count > before) sink.report_error(errors.last_message);
      return s;
    };

    const auto t_warmup = Clock::now();
    if (o.adapt_engaged) adapter.begin_warmup(z, rng, &errors);
    for (int m = 0; m < o.num_warmup; ++m) {
      if (stop_requested()) {
        result.interrupted = true;
        return result;
      }
      const TransitionStats s = step();
      if (o.adapt_engaged) adapter.learn(s, z, rng, &errors);
      if (o.save_warmup && m % o.thin == 0) record(s, false);
      progress.update(spec.index, m + 1);
    }
    if (o.adapt_engaged) {
      adapter.end_warmup();
      csv.write_adaptation(nuts.nominal_stepsize(), o.metric, flatten_metric(metric));
    }
    result.stepsize = nuts.nominal_stepsize();
    result.warmup_seconds = seconds_since(t_warmup);

    const auto t_sampling = Clock::now();
    for (int m = 0; m < o.num_samples; ++m) {
      if (stop_requested()) {
        result.interrupted = true;
        break;
      }
      const TransitionStats s = step();
      if (m % o.thin == 0) record(s, true);
      progress.update(spec.index, o.num_warmup + m + 1);
    }
    result.sampling_seconds = seconds_since(t_sampling);
    result.model_errors = errors.count;
    if (!result.interrupted) csv.write_timing(result.warmup_seconds, result.sampling_seconds);
  } catch (const std::exception& e) {
    result.failed = true;
    result.error = e.what();
  }
  return result;
}

}  // namespace mvc::nuts
