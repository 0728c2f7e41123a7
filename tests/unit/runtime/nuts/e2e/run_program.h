// Runs a sampler program as a child process, as a user would from a shell.
#pragma once

#include <string>
#include <vector>

namespace mvc::testing {

struct ProgramResult {
  int exit_code = -1;  // the exit status, or 128 + signal when killed by a signal
  std::string out, err;
};

// Runs `program args...` in `dir` (created if missing) and waits for it.
ProgramResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::string& dir);

// Starts the program; returns its pid. Output goes to dir/stdout.txt and dir/stderr.txt.
int start_program(const std::string& program, const std::vector<std::string>& args,
                  const std::string& dir);
// Waits for a started program.
ProgramResult wait_program(int pid, const std::string& dir);

// A fresh empty directory for one test.
std::string test_dir(const std::string& name);
std::string read_text(const std::string& path);

}  // namespace mvc::testing
