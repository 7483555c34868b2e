#pragma once

#include <string>

#include "common/config.hpp"

namespace authsvc::cli {

// Each returns the process exit code and prints one line on failure.
int serve_command(Config config);
int db_upgrade(const Config& config);
int db_status(const Config& config);
int create_migration(const std::string& migrations_dir, const std::string& message);
int create_superuser(const Config& config, const std::string& email, const std::string& password);
// A new active signing key; the old one keeps verifying until its tokens have expired.
int keys_rotate(const Config& config);

}  // namespace authsvc::cli
