// One chain from start to end: init, warmup with adaptation, sampling, the Stan CSV file.
//
// Everything random in a chain comes from its own Rng(seed, chain_id) (and a bs_rng seeded
// from it for generated quantities), so its draws do not depend on the thread running it.
// The chain polls stop_requested() every iteration; when a stop is requested it returns
// with interrupted = true and a CSV file that holds every draw made so far.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "draw_store.h"
#include "io/cli.h"
#include "model.h"
#include "progress.h"

namespace mvc::nuts {

// A user-supplied inverse metric (metric_file=), or empty for the identity.
struct InitialMetric {
  Eigen::VectorXd diag;   // diag_e
  Eigen::MatrixXd dense;  // dense_e
};

struct ChainSpec {
  int chain_id = 1;             // as written in the CSV and the file name
  int index = 0;                // position among the chains (for progress)
  unsigned long long seed = 0;  // the run's seed, shared by all chains
  std::string output_path;
  std::vector<std::string> config_lines;
};

struct ChainResult {
  std::vector<std::string> names;          // CSV columns
  std::shared_ptr<DrawStore> draws = std::make_shared<DrawStore>();  // post-warmup draws as written (thinned)
  bool interrupted = false;
  bool failed = false;
  std::string error;  // when failed
  double warmup_seconds = 0, sampling_seconds = 0;
  double stepsize = 0;  // after adaptation
  long model_errors = 0;
};

ChainResult run_chain(const Model& model, const io::SampleOptions& options,
                      const InitialMetric& initial_metric, const ChainSpec& spec,
                      Progress& progress);

}  // namespace mvc::nuts
