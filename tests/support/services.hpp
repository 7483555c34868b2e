#pragma once

#include <string>

namespace authsvc::test {

// The throwaway servers that `make test` starts (scripts/services). Under `make test`
// (AUTH_REQUIRE_SERVICES=1) a missing server fails the test; elsewhere the test is skipped.
std::string postgres_url();
std::string redis_url();
// Restarts PostgreSQL or stops/starts Redis through scripts/services.
void services_command(const std::string& command);

}  // namespace authsvc::test

// Use at the top of a test body: skips or fails when the server is not configured.
#define AUTH_REQUIRE_POSTGRES(url_var)                                             \
  const std::string url_var = ::authsvc::test::postgres_url();                     \
  if (url_var.empty()) {                                                           \
    if (std::getenv("AUTH_REQUIRE_SERVICES")) FAIL() << "DATABASE_URL is not set"; \
    GTEST_SKIP() << "DATABASE_URL is not set (make test starts PostgreSQL)";       \
  }
#define AUTH_REQUIRE_REDIS(url_var)                                             \
  const std::string url_var = ::authsvc::test::redis_url();                     \
  if (url_var.empty()) {                                                        \
    if (std::getenv("AUTH_REQUIRE_SERVICES")) FAIL() << "REDIS_URL is not set"; \
    GTEST_SKIP() << "REDIS_URL is not set (make test starts Redis)";            \
  }
