#include "codegen/native_target.h"

#include <chrono>
#include <mutex>

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

namespace mvc::codegen {
namespace {

void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::string hostFeatures() {
  std::string features;
  for (const auto& f : llvm::sys::getHostCPUFeatures()) {
    if (!features.empty()) features += ",";
    features += (f.second ? "+" : "-") + f.first().str();
  }
  return features;
}

// One target machine per process: creating it costs more than compiling a small model.
llvm::TargetMachine* hostMachine(std::string& error) {
  initializeOnce();
  static std::unique_ptr<llvm::TargetMachine> machine;
  static std::string machineError;
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::Triple triple(llvm::sys::getProcessTriple());
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, machineError);
    if (!target) return;
    llvm::TargetOptions options;
    machine.reset(target->createTargetMachine(triple, llvm::sys::getHostCPUName(), hostFeatures(), options,
                                              llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
    if (!machine) machineError = "LLVM could not create a target machine for " + triple.str();
  });
  error = machineError;
  return machine.get();
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::unique_ptr<llvm::Module> newHostModule(llvm::LLVMContext& context, const std::string& name) {
  auto m = std::make_unique<llvm::Module>(name, context);
  std::string error;
  if (llvm::TargetMachine* tm = hostMachine(error)) {
    m->setTargetTriple(tm->getTargetTriple());
    m->setDataLayout(tm->createDataLayout());
  }
  return m;
}

void tuneForHost(llvm::Function& f) {
  f.addFnAttr("target-cpu", llvm::sys::getHostCPUName());
  f.addFnAttr("target-features", hostFeatures());
}

std::string emitObject(llvm::Module& module, const std::string& path, ObjectTimings* timings) {
  std::string error;
  llvm::TargetMachine* tm = hostMachine(error);
  if (!tm) return error;
  std::string problems;
  llvm::raw_string_ostream problemStream(problems);
  if (llvm::verifyModule(module, &problemStream)) return "invalid LLVM IR: " + problems;

  auto t0 = std::chrono::steady_clock::now();
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(module, mam);
  if (timings) timings->optimizeSeconds = secondsSince(t0);

  t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) return "cannot write '" + path + "': " + ec.message();
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    return "LLVM cannot emit an object file for this target";
  pm.run(module);
  out.flush();
  if (timings) timings->emitSeconds = secondsSince(t0);
  return "";
}

}  // namespace mvc::codegen
