// The mvc command line.
//   mvc check FILE          parse and check a program; exit 0, or 1 with diagnostics
//   mvc print ast FILE      print the syntax tree
//   mvc summary CSV...      summary and diagnostics of Stan CSV files (ours or CmdStan's)
//   mvc --version | --help
// Exit codes: 0 success, 1 errors in the program, 2 bad command line or unreadable file,
// 70 an internal error in mvc itself (a bug: please report it).
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "frontend/ast_printer.h"
#include "frontend/parse.h"
#include "frontend/sema.h"
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
  if (cmd == "print") {
    if (args.size() != 3 || args[1] != "ast") return usageError("usage: mvc print ast FILE");
    int code = 0;
    auto program = load(args[2], false, code);
    if (program) mvc::printAst(*program, std::cout);
    return code;
  }
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
