#pragma once

#include <string>

namespace authsvc::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line and captures its exit code, standard output and standard error.
CommandResult run_command(const std::string& command_line);

// The `auth` binary under test, quoted for a shell.
std::string auth_binary();

}  // namespace authsvc::test
