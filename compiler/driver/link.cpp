#include "driver/link.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mvc {

std::string linkObjects(const std::vector<std::string>& inputs, const std::vector<std::string>& libs,
                        const std::string& output, LinkKind kind) {
  const char* linker = std::getenv("MVC_LINKER");
  std::vector<std::string> args{linker && *linker ? linker : "c++"};
  if (kind == LinkKind::SharedLibrary) args.push_back("-shared");
  args.push_back("-o");
  args.push_back(output);
  args.insert(args.end(), inputs.begin(), inputs.end());
  args.insert(args.end(), libs.begin(), libs.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // The linker's messages go to a temporary file, to be quoted if it fails.
  char logPath[] = "/tmp/mvc-link-XXXXXX";
  int log = mkstemp(logPath);
  if (log < 0) return std::string("cannot create a temporary file: ") + std::strerror(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, log, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log, STDERR_FILENO);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(log);
  std::string result;
  if (rc != 0) {
    result = "cannot run the linker '" + args[0] + "': " + std::strerror(rc) + " (install g++, or set MVC_LINKER)";
  } else {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::ifstream in(logPath);
      std::stringstream messages;
      messages << in.rdbuf();
      result = "linking '" + output + "' failed:\n" + messages.str();
    }
  }
  unlink(logPath);
  return result;
}

}  // namespace mvc
