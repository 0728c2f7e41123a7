// The back end's fixed costs on this machine: LLVM O3 + object emission of a small module,
// and linking it into a shared library. What `mvc compile` will pay on top of the front end
// for every model (Stan pays 30-50 s of C++ compilation).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <unistd.h>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "codegen/native_target.h"
#include "driver/link.h"

namespace {

// A loop summing -0.5 x[i]^2 and writing the gradient: the shape of a tiny model.
std::unique_ptr<llvm::Module> smallModule(llvm::LLVMContext& c) {
  auto m = mvc::codegen::newHostModule(c, "bench");
  llvm::IRBuilder<> b(c);
  llvm::Type* d = b.getDoubleTy();
  llvm::Type* p = llvm::PointerType::get(c, 0);
  auto* f = llvm::Function::Create(llvm::FunctionType::get(d, {p, p, b.getInt64Ty()}, false),
                                   llvm::Function::ExternalLinkage, "lp", *m);
  mvc::codegen::tuneForHost(*f);
  auto* entry = llvm::BasicBlock::Create(c, "entry", f);
  auto* loop = llvm::BasicBlock::Create(c, "loop", f);
  auto* done = llvm::BasicBlock::Create(c, "done", f);
  auto args = f->arg_begin();
  llvm::Value* x = &*args++;
  llvm::Value* g = &*args++;
  llvm::Value* n = &*args;
  b.SetInsertPoint(entry);
  b.CreateBr(loop);
  b.SetInsertPoint(loop);
  auto* i = b.CreatePHI(b.getInt64Ty(), 2);
  auto* acc = b.CreatePHI(d, 2);
  i->addIncoming(b.getInt64(0), entry);
  acc->addIncoming(llvm::ConstantFP::get(d, 0.0), entry);
  llvm::Value* xi = b.CreateLoad(d, b.CreateGEP(d, x, i));
  llvm::Value* term = b.CreateFMul(llvm::ConstantFP::get(d, -0.5), b.CreateFMul(xi, xi));
  llvm::Value* next = b.CreateFAdd(acc, term);
  b.CreateStore(b.CreateFNeg(xi), b.CreateGEP(d, g, i));
  llvm::Value* i1 = b.CreateAdd(i, b.getInt64(1));
  i->addIncoming(i1, loop);
  acc->addIncoming(next, loop);
  b.CreateCondBr(b.CreateICmpSLT(i1, n), loop, done);
  b.SetInsertPoint(done);
  b.CreateRet(next);
  return m;
}

void optimizeAndEmit(benchmark::State& state) {
  for (auto _ : state) {
    llvm::LLVMContext c;
    auto m = smallModule(c);
    benchmark::DoNotOptimize(mvc::codegen::emitObject(*m, "/tmp/mvc-backend-bench.o"));
  }
}
BENCHMARK(optimizeAndEmit)->Unit(benchmark::kMillisecond);

void linkSharedLibrary(benchmark::State& state) {
  llvm::LLVMContext c;
  auto m = smallModule(c);
  mvc::codegen::emitObject(*m, "/tmp/mvc-backend-bench.o");
  for (auto _ : state) {
    benchmark::DoNotOptimize(mvc::linkObjects({"/tmp/mvc-backend-bench.o"}, {}, "/tmp/mvc-backend-bench.so",
                                              mvc::LinkKind::SharedLibrary));
  }
  unlink("/tmp/mvc-backend-bench.o");
  unlink("/tmp/mvc-backend-bench.so");
}
BENCHMARK(linkSharedLibrary)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
