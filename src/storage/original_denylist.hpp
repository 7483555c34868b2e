#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace authsvc::storage {

// The original (Flask) service's token denylist, read during a switch-over: it writes the jti of
// every token it revokes (logout, refresh) as a raw key, with a one-hour TTL, into its Redis
// database (0).
struct OriginalDenylistEntry {
  std::string jti;
  std::chrono::milliseconds ttl{0};  // left on the key
};

struct OriginalDenylistPage {
  std::vector<OriginalDenylistEntry> entries;  // keys that are canonical UUIDs (jtis) only
  std::string cursor;                          // "0" when the scan is complete
};

class OriginalDenylist {
 public:
  virtual ~OriginalDenylist() = default;
  virtual boost::asio::awaitable<Result<bool>> contains(std::string jti) = 0;
  // One step of a full scan, starting at cursor "0".
  virtual boost::asio::awaitable<Result<OriginalDenylistPage>> scan(std::string cursor) = 0;
};

}  // namespace authsvc::storage
