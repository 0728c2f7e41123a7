// The pass pipeline: IR -> IR rewrites in a fixed order, each in its own file.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ir/ir.h"

namespace mvc::passes {

struct Pass {
  const char* name;
  const char* why;  // why it runs at this position
  void (*run)(ir::Module&);
};

// The passes in the order they run.
const std::vector<Pass>& pipeline();

struct PipelineOptions {
  bool verify = true;              // run the verifier after every pass (tests, debug builds)
  std::string printAfter;          // a pass name, or "all": print the IR after it to `out`
  std::vector<std::string> skip;   // passes not to run (mvc compile --no-vectorize)
  std::ostream* out = nullptr;
};

// Runs the pipeline. Throws InternalError if the verifier finds a problem (a bug in a pass).
void runPipeline(ir::Module& m, const PipelineOptions& options);

bool isPassName(const std::string& name);

// The passes, one file each.
void inlineFunctions(ir::Module& m);  // inline_functions.cpp
void constantFold(ir::Module& m);  // constant_fold.cpp
void hoistData(ir::Module& m);     // hoist_data.cpp
void cse(ir::Module& m);           // cse.cpp
void vectorizeBatchedMvn(ir::Module& m);  // vectorize_batched_mvn.cpp
void fuseLoadIndex(ir::Module& m); // fuse_load_index.cpp
void dce(ir::Module& m);           // dce.cpp
void classifyLoops(ir::Module& m); // classify_loops.cpp

}  // namespace mvc::passes
