#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace authsvc::test {

// A fresh directory under the system temp folder, removed with everything in it at scope exit.
class SqliteTempDir {
 public:
  SqliteTempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("authsvc-sqlite-" + std::to_string(random()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~SqliteTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  SqliteTempDir(const SqliteTempDir&) = delete;
  SqliteTempDir& operator=(const SqliteTempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace authsvc::test
