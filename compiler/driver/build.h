// `mvc compile` after the front end: reverse mode, code generation, the compile cache and the
// link with the runtime's archives into a sampler program or a BridgeStan shared library.
#pragma once
#include <string>
#include <vector>

#include "ir/ir.h"

namespace mvc {

enum class BuildKind { Program, SharedLibrary, Object, LlvmIr };

struct BuildOptions {
  BuildKind kind = BuildKind::Program;
  std::string output;                 // the file to write
  std::string source;                 // the program text (the cache key)
  std::vector<std::string> flags;     // flags that change the result (the cache key)
  bool useCache = true;
  bool printTimings = false;          // --time: the stages' times on stderr
};

// Runs autodiff and code generation on m (already through the pass pipeline), then links.
// Returns 0, or prints a message on stderr and returns the exit code (1: the program uses
// something the compiler does not support yet; 70: an internal error).
int buildModel(ir::Module& m, const BuildOptions& options, double frontEndSeconds, double passesSeconds);

}  // namespace mvc
