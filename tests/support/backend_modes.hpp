#pragma once
// Tests that run once per backend: embedded (SQLite + in-process state) and production
// (PostgreSQL + Redis). Derive from BackendModeTest and instantiate with
// INSTANTIATE_TEST_SUITE_P(Modes, Suite, kBackendModes, backend_mode_name).

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {

enum class BackendMode { embedded, production };

inline const auto kBackendModes = ::testing::Values(BackendMode::embedded, BackendMode::production);

inline std::string backend_mode_name(const ::testing::TestParamInfo<BackendMode>& param) {
  return param.param == BackendMode::embedded ? "Embedded" : "Production";
}

class BackendModeTest : public ::testing::TestWithParam<BackendMode> {
 protected:
  // The configuration of this mode; empty when its servers are missing.
  std::optional<Config> config() {
    if (GetParam() == BackendMode::embedded) return embedded_test_config(dir_);
    const auto pg = postgres_url();
    const auto redis = redis_url();
    if (pg.empty() || redis.empty()) return std::nullopt;
    return production_test_config(dir_, pg, redis);
  }

  TempDir dir_;
};

}  // namespace authsvc::test

// At the top of a BackendModeTest body: the mode's configuration in `var`, or a skip (a failure
// under `make test`, which requires the servers) when its servers are missing.
#define AUTH_MODE_CONFIG(var)                                                     \
  auto var = config();                                                            \
  if (!var) {                                                                     \
    if (std::getenv("AUTH_REQUIRE_SERVICES")) FAIL() << "PostgreSQL/Redis unset"; \
    GTEST_SKIP() << "PostgreSQL/Redis not configured";                            \
  }
