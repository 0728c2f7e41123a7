// The LLVM back end of mvc: a module set up for the host CPU, optimised at O3 and written as
// an object file. This folder is the only code that includes LLVM headers (DESIGN.md section 3).
#pragma once
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class Function;
}  // namespace llvm

namespace mvc::codegen {

// A module whose target triple and data layout are the host's.
std::unique_ptr<llvm::Module> newHostModule(llvm::LLVMContext& context, const std::string& name);

// Marks a function to be compiled for the host CPU and its features (AVX2/AVX-512 where
// present), as `-march=native` would.
void tuneForHost(llvm::Function& f);

struct ObjectTimings {
  double optimizeSeconds = 0;
  double emitSeconds = 0;
};

// Verifies the module, runs LLVM's O3 pipeline and writes a position-independent object file.
// Returns "" or a description of the failure (an internal error: generated IR must be valid).
std::string emitObject(llvm::Module& module, const std::string& path, ObjectTimings* timings = nullptr);

}  // namespace mvc::codegen
