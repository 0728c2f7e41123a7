#include "driver/build.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "autodiff/autodiff.h"
#include "codegen/emit.h"
#include "driver/cache.h"
#include "driver/link.h"

namespace mvc {
namespace fs = std::filesystem;

namespace {

// The runtime's archives, in link order (their paths in the build tree; see CMakeLists.txt).
std::vector<std::string> runtimeArchives(BuildKind kind) {
  std::vector<std::string> a;
  if (kind == BuildKind::Program) a = {MVC_LIB_SAMPLER_MAIN, MVC_LIB_SAMPLER, MVC_LIB_DIAGNOSTICS};
  a.insert(a.end(), {MVC_LIB_MODEL, MVC_LIB_COMPILED, MVC_LIB_MATH, MVC_LIB_IO});
  return a;
}

// What the compiler and the runtime it links are, for the cache key: the version alone would
// serve stale programs after a rebuild of mvc or of its runtime with the same version. Size and
// modification time of the mvc binary and of each archive (cheap: no file is read).
std::string buildIdentity(BuildKind kind) {
  std::vector<std::string> files = runtimeArchives(kind);
  std::error_code ec;
  files.push_back(fs::read_symlink("/proc/self/exe", ec).string());
  std::string id;
  for (const std::string& f : files) {
    std::error_code e1, e2;
    auto size = fs::file_size(f, e1);
    auto time = fs::last_write_time(f, e2);
    id += f + ":" + (e1 ? "?" : std::to_string(size)) + ":" +
          (e2 ? "?" : std::to_string(time.time_since_epoch().count())) + ";";
  }
  return id;
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool copyFile(const std::string& from, const std::string& to, std::string& err) {
  std::error_code ec;
  fs::path tmp = to + ".tmp" + std::to_string(getpid());
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(tmp, fs::status(from).permissions(), ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp);
    err = ec.message();
    return false;
  }
  return true;
}

}  // namespace

int buildModel(ir::Module& m, const BuildOptions& o, double frontEndSeconds, double passesSeconds) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    autodiff::differentiate(m);
  } catch (const autodiff::Unsupported& e) {
    std::cerr << "mvc: " << e.what() << "\n";
    return 1;
  }
  double adSeconds = since(t0);

  // The cache: the same program, compiler, flags and CPU give the same file.
  std::string cached;
  if (o.useCache && (o.kind == BuildKind::Program || o.kind == BuildKind::SharedLibrary)) {
    std::string dir = cacheDirectory();
    if (!dir.empty()) {
      std::vector<std::string> flags = o.flags;
      flags.push_back(o.kind == BuildKind::Program ? "program" : "shared");
      flags.push_back(buildIdentity(o.kind));
      cached = dir + "/" + cacheKey(o.source, MVC_VERSION, flags, codegen::hostCpuName()) +
               (o.kind == BuildKind::Program ? ".bin" : ".so");
      std::string err;
      if (fs::exists(cached) && copyFile(cached, o.output, err)) {
        if (o.printTimings) std::cerr << "mvc: " << o.output << " from the compile cache (" << cached << ")\n";
        return 0;
      }
    }
  }

  std::string obj = o.kind == BuildKind::Object ? o.output : o.output + ".o.tmp" + std::to_string(getpid());
  codegen::CompileTimings ct;
  std::string llvmText, err;
  try {
    err = codegen::compileToObject(m, obj, &ct, o.kind == BuildKind::LlvmIr ? &llvmText : nullptr);
  } catch (const codegen::Unsupported& e) {
    std::cerr << "mvc: " << e.what() << "\n";
    return 1;
  }
  if (!err.empty()) {
    std::remove(obj.c_str());
    std::cerr << "mvc: internal compiler error: " << err << "\n";
    return 70;
  }
  if (o.kind == BuildKind::LlvmIr) {
    std::remove(obj.c_str());
    if (o.output.empty() || o.output == "-") {
      std::cout << llvmText;
    } else {
      std::ofstream f(o.output);
      f << llvmText;
      if (!f) {
        std::cerr << "mvc: cannot write " << o.output << "\n";
        return 1;
      }
    }
    return 0;
  }
  double linkSeconds = 0;
  if (o.kind != BuildKind::Object) {
    auto tl = std::chrono::steady_clock::now();
    // -S: the runtime archives carry debug information (RelWithDebInfo); copying it into every
    // model is most of the link time (1.3 s -> 0.2 s for eight schools) and no user needs it.
    std::vector<std::string> inputs{obj, "-Wl,-S"}, libs;
    LinkKind kind = o.kind == BuildKind::Program ? LinkKind::Program : LinkKind::SharedLibrary;
    if (kind == LinkKind::SharedLibrary) {
      // Only the BridgeStan API is exported; the runtime binds inside the library.
      inputs.push_back("-Wl,--version-script=" MVC_MODEL_VERSION_SCRIPT);
      inputs.push_back("-Wl,--whole-archive");
      inputs.push_back(MVC_LIB_MODEL);
      inputs.push_back("-Wl,--no-whole-archive");
    }
    inputs.push_back("-Wl,--start-group");
    for (const std::string& a : runtimeArchives(o.kind)) inputs.push_back(a);
    inputs.push_back("-Wl,--end-group");
    libs = {"-lpthread", "-ldl"};
    std::string tmpOut = o.output + ".tmp" + std::to_string(getpid());
    err = linkObjects(inputs, libs, tmpOut, kind);
    std::remove(obj.c_str());
    if (err.empty()) {
      std::error_code ec;
      fs::rename(tmpOut, o.output, ec);
      if (ec) err = "cannot write " + o.output + ": " + ec.message();
    }
    if (!err.empty()) {
      std::remove(tmpOut.c_str());
      std::cerr << "mvc: linking " << o.output << " failed: " << err << "\n";
      return 1;
    }
    linkSeconds = since(tl);
    if (!cached.empty()) {
      std::error_code ec;
      fs::create_directories(fs::path(cached).parent_path(), ec);
      std::string ignored;
      if (!ec) copyFile(o.output, cached, ignored);  // a cache that cannot be written is only slower
    }
  }
  if (o.printTimings) {
    std::fprintf(stderr,
                 "mvc: times (s): parse+check %.4f, passes %.4f, autodiff %.4f, codegen %.4f, LLVM O3 %.4f, "
                 "object %.4f, link %.4f\n",
                 frontEndSeconds, passesSeconds, adSeconds, ct.emitIrSeconds, ct.optimizeSeconds, ct.objectSeconds,
                 linkSeconds);
  }
  return 0;
}

}  // namespace mvc
