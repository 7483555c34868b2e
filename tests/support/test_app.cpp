#include "support/test_app.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include "common/ids.hpp"

namespace authsvc::test {

TempDir::TempDir() {
  path_ = std::filesystem::temp_directory_path() / ("auth-test-" + random_hex(8));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Config embedded_test_config(const TempDir& dir) {
  auto config = load_config({});
  if (!config) throw std::runtime_error(config.error().describe());
  config->port = 0;
  config->io_threads = 2;
  config->sqlite_path = (dir.path() / "auth.db").string();
  config->read_timeout = std::chrono::milliseconds(2000);
  config->idle_timeout = std::chrono::milliseconds(5000);
  config->shutdown_grace = std::chrono::milliseconds(3000);
  config->log_level = "warn";
  // Tests send bursts from one address; the limiter's own tests lower this again.
  config->request_limit_per_minute = 1'000'000'000;
  return std::move(config).value();
}

Config production_test_config(const TempDir& dir, const std::string& database_url,
                              const std::string& redis_url) {
  auto config = embedded_test_config(dir);
  config.database_url = database_url;
  config.redis_url = redis_url;
  // The shared test database's signing keys are sealed with the key scripts/services made for it;
  // without one (a database of the caller's own) they stay in plaintext, which tests may accept.
  if (const char* file = std::getenv("AUTH_KEY_ENCRYPTION_KEY_FILE"); file != nullptr) {
    std::ifstream in(file);
    std::getline(in, config.key_encryption_key);
  }
  config.allow_plaintext_signing_keys = config.key_encryption_key.empty();
  return config;
}

TestApp::TestApp(Config config) : app_(std::make_unique<app::Application>(std::move(config))) {
  auto started = app_->start();
  if (!started) throw std::runtime_error("test app did not start: " + started.error().describe());
}

TestApp::~TestApp() {
  app_->stop();
}

}  // namespace authsvc::test
