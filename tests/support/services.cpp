#include "support/services.hpp"

#include <cstdlib>
#include <stdexcept>

namespace authsvc::test {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::string postgres_url() {
  return env_or_empty("TEST_DATABASE_URL");
}
std::string redis_url() {
  return env_or_empty("TEST_REDIS_URL");
}

void services_command(const std::string& command) {
  // Under ctest the working folder is the test binary's: name the servers' folder explicitly.
  const char* svc_dir = std::getenv("SVC_DIR");
  const std::string dir = svc_dir ? svc_dir : std::string(AUTH_SOURCE_DIR) + "/build/services";
  const std::string line = "SVC_DIR='" + dir + "' " + std::string(AUTH_SOURCE_DIR) +
                           "/scripts/services " + command + " >/dev/null";
  if (std::system(line.c_str()) != 0)
    throw std::runtime_error("scripts/services " + command + " failed");
}

}  // namespace authsvc::test
