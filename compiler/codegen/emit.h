// IR -> LLVM IR: the model object's functions against the runtime ABI of
// runtime/include/mvc/compiled.h (docs/codegen.md).
//
// The emitted module defines one symbol, `mvc_cg_module_desc`, whose four functions are the
// IR's sections compiled to native control flow:
//   construct    data + transformed_data (values used later go to the model's slots), then
//                the declarations of parameters and outputs with their resolved sizes
//   log_density  parameters + model, then the `gradient` region when a gradient is asked
//   write_array  parameters + transformed parameters + (when asked) generated quantities
//   unconstrain  the parameters section with each param read from the constrained input
// plus one internal function per user-defined function that InlineFunctions left as a call
// (recursive, or returning from inside a loop; docs/codegen.md, "User-defined functions").
// Every IR value is a handle to a runtime value; each operation is one call of an mvc_v_*
// function. Loops, conditionals, break/continue and the reverse sweep are LLVM control flow.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>

#include "ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace mvc::codegen {

// A construct of the IR that the code generator does not handle yet; what() is a message for
// the user ("... is not supported by the code generator yet").
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds the LLVM module of m, which must have been through the pass pipeline and
// autodiff::differentiate. Throws Unsupported.
std::unique_ptr<llvm::Module> emitModule(const ir::Module& m, llvm::LLVMContext& context);

struct CompileTimings {
  double emitIrSeconds = 0;     // IR -> LLVM IR
  double optimizeSeconds = 0;   // LLVM O3
  double objectSeconds = 0;     // machine code and the object file
};

// emitModule + emitObject: writes the model's object file to `path`. Returns "" or an internal
// error; throws Unsupported. `llvmText` (optional) receives the LLVM IR before optimization.
std::string compileToObject(const ir::Module& m, const std::string& path, CompileTimings* timings = nullptr,
                            std::string* llvmText = nullptr);

// The host CPU's name as LLVM knows it ("skylake-avx512"), for the compile cache's key.
std::string hostCpuName();

}  // namespace mvc::codegen
