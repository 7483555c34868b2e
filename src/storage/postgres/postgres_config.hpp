#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace authsvc::storage {

// How PostgresDatabase reaches the server and how long it waits for it.
struct PostgresConfig {
  // A libpq connection string: a URL (postgresql://user:pw@127.0.0.1:5432/auth) or key=value pairs.
  // Prefer numeric host addresses: libpq resolves host names synchronously (see
  // postgres_connection.hpp).
  std::string conninfo;
  // Most connections open at once; they are opened lazily, on demand.
  std::size_t pool_size = 4;
  // Opening one connection (TCP, TLS negotiation, authentication).
  std::chrono::milliseconds connect_timeout{3000};
  // One statement on an open connection, from sending it to its last result.
  std::chrono::milliseconds query_timeout{5000};
  // Waiting for a connection when all pool_size connections are in use.
  std::chrono::milliseconds acquire_timeout{5000};
};

}  // namespace authsvc::storage
