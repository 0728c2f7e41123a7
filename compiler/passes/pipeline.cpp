#include "passes/pipeline.h"

#include <algorithm>

#include "support/diagnostics.h"

namespace mvc::passes {

const std::vector<Pass>& pipeline() {
  static const std::vector<Pass> passes = {
      {"InlineFunctions",
       "first: every later pass, autodiff and code generation then see the bodies of user-defined functions "
       "at their call sites (and optimise across them)",
       inlineFunctions},
      {"ConstantFold", "first after inlining, so that every later pass sees constants instead of arithmetic on them", constantFold},
      {"HoistData",
       "before CSE: moves work that depends only on data into construction, where CSE can then merge "
       "it with transformed data",
       hoistData},
      {"CSE", "after folding and hoisting, which create equal expressions", cse},
      {"VectorizeBatchedMvn",
       "after CSE, so that the group index g[n] of L[g[n]] and tau[g[n]] is one value the pattern can "
       "recognise; before DCE, which removes the loop bodies it replaces",
       vectorizeBatchedMvn},
      {"FuseLoadIndex",
       "after VectorizeBatchedMvn, whose patterns read whole-variable loads; before ClassifyLoops, "
       "which describes the loops as they finally are",
       fuseLoadIndex},
      {"DCE", "removes what the earlier passes left unused", dce},
      {"ClassifyLoops", "last: it describes the loops as they finally are, for autodiff and code generation",
       classifyLoops},
  };
  return passes;
}

bool isPassName(const std::string& name) {
  for (const Pass& p : pipeline())
    if (name == p.name) return true;
  return false;
}

void runPipeline(ir::Module& m, const PipelineOptions& o) {
  auto check = [&](const char* after) {
    if (!o.verify) return;
    std::string problems = ir::verify(m);
    if (!problems.empty()) throw InternalError(std::string("IR verifier failed after ") + after + ":\n" + problems);
  };
  check("lowering");
  if (o.out && (o.printAfter == "Lower" || o.printAfter == "all")) {
    *o.out << "; IR after Lower\n";
    ir::print(m, *o.out);
  }
  for (const Pass& p : pipeline()) {
    if (std::find(o.skip.begin(), o.skip.end(), p.name) != o.skip.end()) continue;
    p.run(m);
    check(p.name);
    if (o.out && (o.printAfter == p.name || o.printAfter == "all")) {
      *o.out << "; IR after " << p.name << "\n";
      ir::print(m, *o.out);
    }
  }
}

}  // namespace mvc::passes
