// The mvc command line.
//   mvc check FILE          parse and check a program; exit 0, or 1 with diagnostics
//   mvc print ast FILE      print the syntax tree
//   mvc print ir FILE       print the IR after lowering and the pass pipeline
//   mvc compile FILE [-o OUT] [--shared] [--emit=ir|llvm|obj] [--print-ir-after=PASS|all]
//               [--no-vectorize] [--no-cache] [--time]
//   mvc summary CSV...      summary and diagnostics of Stan CSV files (ours or CmdStan's)
//   mvc graph FILE [--data JSON] [-o OUT.dot|OUT.svg]
//   mvc --version | --help
// Exit codes: 0 success, 1 errors in the program, 2 bad command line or unreadable file,
// 70 an internal error in mvc itself (a bug: please report it).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>
#include <string>
#include <vector>

#include "autodiff/autodiff.h"
#include "frontend/ast_printer.h"
#include "frontend/parse.h"
#include "driver/build.h"
#include "driver/graph.h"
#include "frontend/sema.h"
#include "io/json_data.h"
#include "lower/lower.h"
#include "passes/pipeline.h"
#include "summary_command.h"

#ifndef MVC_VERSION
#define MVC_VERSION "0.0.0"
#endif

namespace {

constexpr int kExitOk = 0, kExitProgramError = 1, kExitUsage = 2, kExitInternal = 70;

const char* kUsage =
    "mvc " MVC_VERSION " -- a compiler for Stan-like probabilistic models\n"
    "\n"
    "Usage:\n"
    "  mvc check FILE           check a program for errors (exit 0 if it has none)\n"
    "  mvc print ast FILE       print the program's syntax tree\n"
    "  mvc print ir FILE        print the program's IR after the optimisation passes\n"
    "  mvc compile FILE [-o OUT] [--shared] [--no-vectorize]\n"
    "                           compile to a sampler program (default OUT: FILE without its\n"
    "                           extension) or, with --shared, to a BridgeStan shared library\n"
    "                           (default OUT: FILE's name + _model.so); --no-vectorize keeps\n"
    "                           loops of multivariate normals as written; --no-cache does not\n"
    "                           use the compile cache; --time prints the stages' times\n"
    "  mvc compile FILE --emit=ir|llvm|obj [--print-ir-after=PASS|Lower|Autodiff|all] [-o OUT]\n"
    "                           print the IR (after one pass, or all), the LLVM IR, or write\n"
    "                           the object file\n"
    "  mvc graph FILE [--data JSON] [-o OUT.dot|OUT.svg]\n"
    "                           draw the model's variables and their dependencies (Graphviz);\n"
    "                           arrays are drawn once inside a plate labelled with their size\n"
    "  mvc summary CSV...       summarise Stan CSV files (written by mvc or CmdStan):\n"
    "                           Mean, MCSE, StdDev, quantiles, ESS_bulk, ESS_tail, R_hat\n"
    "                           and diagnostics; options --sig-figs=N, --csv\n"
    "  mvc --version            print the version\n"
    "  mvc --help               print this help\n"
    "\n"
    "FILE is a program in the Stan language (.model or .stan). Diagnostics go to standard error\n"
    "as FILE:LINE:COLUMN: error: MESSAGE [Kind]. Exit codes: 0 ok, 1 errors in the program,\n"
    "2 bad command line or unreadable file, 70 internal error.\n";

int usageError(const std::string& message) {
  std::cerr << "mvc: " << message << "\n" << "Run 'mvc --help' for usage.\n";
  return kExitUsage;
}

// Reads, parses and (if `check`) checks a program. Returns null after printing diagnostics.
std::string readSource(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::unique_ptr<mvc::Program> load(const std::string& path, bool check, int& exitCode) {
  std::string error;
  auto file = mvc::SourceFile::read(path, error);
  if (!file) {
    std::cerr << "mvc: " << error << "\n";
    exitCode = kExitUsage;
    return nullptr;
  }
  mvc::Diagnostics diags(file);
  auto program = mvc::parseProgram(file, diags);
  if (program && check) mvc::checkProgram(*program, diags);
  diags.render(std::cerr);
  if (!program || diags.hasErrors()) {
    exitCode = kExitProgramError;
    return nullptr;
  }
  exitCode = kExitOk;
  return program;
}

int graphCommand(const std::vector<std::string>& args) {
  std::string file, data, out;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--data" || a == "-o") && i + 1 < args.size()) (a == "-o" ? out : data) = args[++i];
    else if (a.rfind("--data=", 0) == 0) data = a.substr(7);
    else if (a.rfind("-", 0) == 0) return usageError("unknown option '" + a + "' for 'mvc graph'");
    else if (file.empty()) file = a;
    else return usageError("'mvc graph' takes one model file");
  }
  if (file.empty()) return usageError("usage: mvc graph FILE [--data JSON] [-o OUT.dot|OUT.svg]");
  std::map<std::string, int64_t> sizes;
  if (!data.empty()) {
    try {
      for (const auto& [name, v] : mvc::io::read_json_data_file(data))
        if (v.dims.empty() && v.is_int && v.values.size() == 1) sizes[name] = static_cast<int64_t>(v.values[0]);
    } catch (const mvc::io::JsonError& e) {
      std::cerr << "mvc: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  int code = 0;
  auto program = load(file, true, code);
  if (!program) return code;
  std::string dot = mvc::modelGraph(*program, sizes);
  if (out.empty()) {
    std::cout << dot;
    return kExitOk;
  }
  bool svg = out.size() > 4 && out.compare(out.size() - 4, 4, ".svg") == 0;
  std::string dotPath = svg ? out + ".dot.tmp" : out;
  {
    std::ofstream f(dotPath);
    f << dot;
    if (!f) {
      std::cerr << "mvc: cannot write '" << dotPath << "'\n";
      return kExitUsage;
    }
  }
  if (!svg) return kExitOk;
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    std::remove(dotPath.c_str());
    std::cerr << "mvc: rendering SVG needs Graphviz's 'dot' (Debian: apt-get install graphviz); "
                 "or write the graph with -o FILE.dot\n";
    return kExitUsage;
  }
  std::string cmd = "dot -Tsvg '" + dotPath + "' -o '" + out + "'";
  int rc = std::system(cmd.c_str());
  std::remove(dotPath.c_str());
  if (rc != 0) {
    std::cerr << "mvc: Graphviz could not render '" << out << "'\n";
    return kExitUsage;
  }
  return kExitOk;
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) return usageError("no command given");
  const std::string& cmd = args[0];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (cmd == "--version") {
    std::cout << "mvc " << MVC_VERSION << "\n";
    return kExitOk;
  }
  if (cmd == "check") {
    if (args.size() != 2) return usageError("'mvc check' takes one file: mvc check FILE");
    int code = 0;
    load(args[1], true, code);
    return code;
  }
  if (cmd == "print" && !(args.size() == 3 && args[1] == "ir")) {
    if (args.size() != 3 || args[1] != "ast") return usageError("usage: mvc print ast FILE  or  mvc print ir FILE");
    int code = 0;
    auto program = load(args[2], false, code);
    if (program) mvc::printAst(*program, std::cout);
    return code;
  }
  if (cmd == "compile" || (cmd == "print" && args.size() == 3 && args[1] == "ir")) {
    std::string file, printAfter, emit, output;
    std::vector<std::string> skip;
    bool emitIr = cmd == "print", shared = false, noCache = false, timings = false;
    if (cmd == "print") file = args[2];
    for (size_t i = 1; cmd == "compile" && i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--emit=ir") emitIr = true;
      else if (a == "--emit=llvm" || a == "--emit=obj") emit = a.substr(7);
      else if (a.rfind("--emit=", 0) == 0) return usageError("unknown --emit kind '" + a.substr(7) + "'; the kinds are ir, llvm, obj");
      else if (a == "--shared") shared = true;
      else if (a == "--no-cache") noCache = true;
      else if (a == "--time") timings = true;
      else if (a == "-o") {
        if (i + 1 >= args.size()) return usageError("-o needs a file name");
        output = args[++i];
      }
      else if (a == "--no-vectorize") skip.push_back("VectorizeBatchedMvn");
      else if (a.rfind("--print-ir-after=", 0) == 0) printAfter = a.substr(17);
      else if (a.rfind("-", 0) == 0) return usageError("unknown option '" + a + "' for 'mvc compile'");
      else if (file.empty()) file = a;
      else return usageError("'mvc compile' takes one model file, but '" + file + "' and '" + a + "' were given");
    }
    if (file.empty()) return usageError("usage: mvc compile FILE [-o OUT] [--shared]");
    if (!printAfter.empty() && printAfter != "all" && printAfter != "Lower" && printAfter != "Autodiff" &&
        !mvc::passes::isPassName(printAfter)) {
      std::string names = "Lower";
      for (const auto& p : mvc::passes::pipeline()) names += std::string(", ") + p.name;
      return usageError("unknown pass '" + printAfter + "'; the passes are: " + names + ", Autodiff (or 'all')");
    }
    auto t0 = std::chrono::steady_clock::now();
    int code = 0;
    auto program = load(file, true, code);
    if (!program) return code;
    std::string name = file.substr(file.find_last_of('/') + 1);
    name = name.substr(0, name.find('.'));
    auto t1 = std::chrono::steady_clock::now();
    auto module = mvc::lowerProgram(*program, name);
    mvc::passes::PipelineOptions options;
    options.printAfter = printAfter;
    options.skip = skip;
    options.out = &std::cout;
    mvc::passes::runPipeline(*module, options);
    auto t2 = std::chrono::steady_clock::now();
    if (emitIr) mvc::ir::print(*module, std::cout);
    if (printAfter == "Autodiff") {  // the module with its reverse sweep, as code generation sees it
      try {
        mvc::autodiff::differentiate(*module);
      } catch (const mvc::autodiff::Unsupported& e) {
        std::cerr << "mvc: " << e.what() << "\n";
        return 1;
      }
      std::cout << "; IR after Autodiff\n";
      mvc::ir::print(*module, std::cout);
      return kExitOk;
    }
    if (emitIr || (!printAfter.empty() && emit.empty())) return kExitOk;

    mvc::BuildOptions build;
    build.kind = emit == "llvm" ? mvc::BuildKind::LlvmIr
                 : emit == "obj" ? mvc::BuildKind::Object
                 : shared        ? mvc::BuildKind::SharedLibrary
                                 : mvc::BuildKind::Program;
    std::string stem = file.substr(0, file.find_last_of('.') == std::string::npos || file.find_last_of('.') < file.find_last_of('/') + 1
                                          ? file.size() : file.find_last_of('.'));
    if (stem == file) stem += ".out";
    build.output = !output.empty() ? output
                   : build.kind == mvc::BuildKind::SharedLibrary ? stem + "_model.so"
                   : build.kind == mvc::BuildKind::Object        ? stem + ".o"
                   : build.kind == mvc::BuildKind::LlvmIr        ? "-"
                                                                 : stem;
    build.source = readSource(file);
    build.flags = skip;
    build.useCache = !noCache;
    build.printTimings = timings;
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    return mvc::buildModel(*module, build, secs(t0, t1), secs(t1, t2));
  }
  if (cmd == "graph") return graphCommand(args);
  if (cmd == "summary") {
    return mvc::diag::summary_command(std::vector<std::string>(args.begin() + 1, args.end()), std::cout, std::cerr);
  }
  return usageError("unknown command '" + cmd + "'");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return run(args);
  } catch (const mvc::InternalError& e) {
    std::cerr << "mvc: internal compiler error: " << e.what()
              << "\nThis is a bug in mvc, not in your program. Please report it with the program that caused it.\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "mvc: internal compiler error: " << e.what()
              << "\nThis is a bug in mvc, not in your program. Please report it with the program that caused it.\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "mvc: internal compiler error: unknown exception"
              << "\nThis is a bug in mvc, not in your program. Please report it with the program that caused it.\n";
    return kExitInternal;
  }
}
