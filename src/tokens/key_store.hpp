#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace authsvc::tokens {

// One signing key as persisted (table signing_key). Keys of every algorithm may be stored; a ring
// uses those of its own.
struct StoredKey {
  std::string kid;
  std::string alg;          // "RS256", "ES256", "EdDSA"
  std::string private_pem;  // PKCS#8
  TimePoint created_at{};
  std::optional<TimePoint> retired_at;  // null: the active signer of its alg
  std::optional<TimePoint> not_after;   // a retired key verifies until then
};

// Where a KeyRing keeps its keys so that every instance shares them (the key-source seam).
// app/sql_key_store.hpp adapts storage::SigningKeyRepository; tests use a fake.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual boost::asio::awaitable<Result<std::vector<StoredKey>>> load_all() = 0;
  // Fails when the kid exists or when `key` is active while another key of its alg is active.
  virtual boost::asio::awaitable<Result<void>> insert(StoredKey key) = 0;
  // In one transaction: every active key of `alg` gets retired_at/not_after, `replacement` (active)
  // is inserted, and keys whose not_after is before `retired_at` are deleted.
  virtual boost::asio::awaitable<Result<void>> rotate(std::string alg, TimePoint retired_at,
                                                      TimePoint not_after,
                                                      StoredKey replacement) = 0;
};

}  // namespace authsvc::tokens
