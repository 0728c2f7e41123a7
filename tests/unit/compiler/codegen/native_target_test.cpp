// The LLVM back end and the link step, end to end on a small hand-built module: LLVM IR ->
// O3 for the host -> object -> a shared library (dlopen'ed) and a program (run).
#include "codegen/native_target.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "driver/cache.h"
#include "driver/link.h"

namespace mvc {
namespace {

// A fresh folder, removed when the test process exits.
std::string tempDir() {
  static std::vector<std::string> made;
  struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      for (const std::string& d : made) std::filesystem::remove_all(d, ec);
    }
  };
  static Cleanup cleanup;
  char dir[] = "/tmp/mvc-codegen-test-XXXXXX";
  made.push_back(mkdtemp(dir));
  return made.back();
}

// const char* mvc_gen_name(void) { return "handmade"; }
// double mvc_test_axpy(double a, double x, double y) { return a * x + y; }
// int main(void) { return 42; }
void buildModule(llvm::Module& m) {
  llvm::LLVMContext& c = m.getContext();
  llvm::IRBuilder<> b(c);
  auto* name = llvm::Function::Create(llvm::FunctionType::get(llvm::PointerType::get(c, 0), false),
                                      llvm::Function::ExternalLinkage, "mvc_gen_name", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(c, "entry", name));
  b.CreateRet(b.CreateGlobalString("handmade"));

  llvm::Type* d = b.getDoubleTy();
  auto* axpy = llvm::Function::Create(llvm::FunctionType::get(d, {d, d, d}, false), llvm::Function::ExternalLinkage,
                                      "mvc_test_axpy", m);
  codegen::tuneForHost(*axpy);
  b.SetInsertPoint(llvm::BasicBlock::Create(c, "entry", axpy));
  auto args = axpy->arg_begin();
  llvm::Value* a = &*args++;
  llvm::Value* x = &*args++;
  llvm::Value* y = &*args;
  b.CreateRet(b.CreateFAdd(b.CreateFMul(a, x), y));

  auto* main = llvm::Function::Create(llvm::FunctionType::get(b.getInt32Ty(), false), llvm::Function::ExternalLinkage,
                                      "main", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(c, "entry", main));
  b.CreateRet(b.getInt32(42));
}

TEST(NativeTarget, EmitsAnObjectThatLinksIntoALibraryAndAProgram) {
  std::string dir = tempDir();
  llvm::LLVMContext context;
  auto m = codegen::newHostModule(context, "handmade");
  buildModule(*m);
  codegen::ObjectTimings timings;
  ASSERT_EQ(codegen::emitObject(*m, dir + "/m.o", &timings), "");
  EXPECT_GE(timings.optimizeSeconds, 0.0);

  ASSERT_EQ(linkObjects({dir + "/m.o"}, {}, dir + "/libm.so", LinkKind::SharedLibrary), "");
  void* lib = dlopen((dir + "/libm.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  auto name = reinterpret_cast<const char* (*)()>(dlsym(lib, "mvc_gen_name"));
  auto axpy = reinterpret_cast<double (*)(double, double, double)>(dlsym(lib, "mvc_test_axpy"));
  ASSERT_NE(name, nullptr);
  ASSERT_NE(axpy, nullptr);
  EXPECT_STREQ(name(), "handmade");
  EXPECT_EQ(axpy(2.0, 3.0, 0.5), 6.5);
  dlclose(lib);

  ASSERT_EQ(linkObjects({dir + "/m.o"}, {}, dir + "/prog", LinkKind::Program), "");
  int status = std::system((dir + "/prog").c_str());
  EXPECT_EQ(WEXITSTATUS(status), 42);
  std::system(("rm -rf " + dir).c_str());
}

TEST(NativeTarget, InvalidIrIsReportedNotCrashed) {
  llvm::LLVMContext context;
  auto m = codegen::newHostModule(context, "broken");
  llvm::IRBuilder<> b(context);
  auto* f = llvm::Function::Create(llvm::FunctionType::get(b.getDoubleTy(), false), llvm::Function::ExternalLinkage,
                                   "f", *m);
  llvm::BasicBlock::Create(context, "entry", f);  // a block without a terminator
  std::string err = codegen::emitObject(*m, "/tmp/never-written.o");
  EXPECT_NE(err.find("invalid LLVM IR"), std::string::npos) << err;
}

TEST(Link, ALinkerErrorQuotesTheLinker) {
  std::string err = linkObjects({"/nonexistent/object.o"}, {}, "/tmp/never-linked", LinkKind::Program);
  EXPECT_NE(err.find("linking '/tmp/never-linked' failed"), std::string::npos) << err;
  EXPECT_NE(err.find("/nonexistent/object.o"), std::string::npos) << err;
}

TEST(Cache, KeyDependsOnEverythingThatDecidesTheOutput) {
  std::string k = cacheKey("model {}", "0.1.0", {"--no-vectorize"}, "cascadelake");
  EXPECT_EQ(k.size(), 16u);
  EXPECT_EQ(k, cacheKey("model {}", "0.1.0", {"--no-vectorize"}, "cascadelake"));
  EXPECT_NE(k, cacheKey("model { }", "0.1.0", {"--no-vectorize"}, "cascadelake"));
  EXPECT_NE(k, cacheKey("model {}", "0.1.1", {"--no-vectorize"}, "cascadelake"));
  EXPECT_NE(k, cacheKey("model {}", "0.1.0", {}, "cascadelake"));
  EXPECT_NE(k, cacheKey("model {}", "0.1.0", {"--no-vectorize"}, "znver4"));
  EXPECT_NE(cacheKey("ab", "c", {}, ""), cacheKey("a", "bc", {}, ""));
  setenv("MVC_CACHE_DIR", "/tmp/mvc-cache-test", 1);
  EXPECT_EQ(cacheDirectory(), "/tmp/mvc-cache-test");
  unsetenv("MVC_CACHE_DIR");
}

}  // namespace
}  // namespace mvc
