#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/application.hpp"

namespace authsvc::test {

// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Configuration for an in-process server on 127.0.0.1:0 with a fresh SQLite file, cheap hashing
// and short deadlines.
Config embedded_test_config(const TempDir& dir);
// The same against PostgreSQL and Redis (production mode).
Config production_test_config(const TempDir& dir, const std::string& database_url,
                              const std::string& redis_url);

// The real application, started in-process; stops (gracefully) when destroyed.
class TestApp {
 public:
  explicit TestApp(Config config);
  ~TestApp();
  std::uint16_t port() const { return app_->port(); }
  app::Application& application() { return *app_; }

 private:
  std::unique_ptr<app::Application> app_;
};

}  // namespace authsvc::test
