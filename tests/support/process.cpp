#include "support/process.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/ids.hpp"

namespace authsvc::test {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

CommandResult run_command(const std::string& command_line) {
  const auto base = std::filesystem::temp_directory_path() / ("auth-cmd-" + random_hex(6));
  const auto out_path = base.string() + ".out";
  const auto err_path = base.string() + ".err";
  const std::string line = "(" + command_line + ") </dev/null >" + out_path + " 2>" + err_path;
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return result;
}

std::string auth_binary() {
  return std::string("'") + AUTH_BINARY + "'";
}

}  // namespace authsvc::test
