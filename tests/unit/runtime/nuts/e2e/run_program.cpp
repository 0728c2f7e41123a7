#include "run_program.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mvc::testing {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string test_dir(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(::getenv("TMPDIR") ? ::getenv("TMPDIR") : "/tmp") /
                                  ("mvc_nuts_e2e_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

int start_program(const std::string& program, const std::vector<std::string>& args,
                  const std::string& dir) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int out = ::open("stdout.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

ProgramResult wait_program(int pid, const std::string& dir) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProgramResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(dir + "/stdout.txt");
  r.err = read_text(dir + "/stderr.txt");
  return r;
}

ProgramResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::string& dir) {
  return wait_program(start_program(program, args, dir), dir);
}

}  // namespace mvc::testing
