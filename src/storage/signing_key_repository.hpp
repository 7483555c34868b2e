#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// A row of signing_key (migration 0003): one JWS signing key shared by every instance.
struct SigningKeyRow {
  std::string kid;
  std::string alg;  // "RS256", "ES256", "EdDSA"
  // PKCS#8 PEM, sealed (crypto::KeyEncryption) when a key-encryption key is configured.
  std::string private_pem;
  TimePoint created_at{};
  std::optional<TimePoint> retired_at;  // NULL: the active key of its alg (one per alg)
  std::optional<TimePoint> not_after;   // set together with retired_at
};

// signing_key over SqlDatabase (PostgreSQL and SQLite). `db` must outlive the repository.
class SigningKeyRepository {
 public:
  explicit SigningKeyRepository(SqlDatabase& db) : db_(db) {}

  // Every row, oldest first.
  boost::asio::awaitable<Result<std::vector<SigningKeyRow>>> load_all();
  // DbErrc::unique_violation when the kid exists, or when the row is active and its alg already
  // has an active key (two instances racing at first start).
  boost::asio::awaitable<Result<void>> insert(SigningKeyRow row);
  // One transaction: the active key(s) of `alg` are retired (retired_at, not_after), `replacement`
  // becomes the active key, and rows whose not_after is before `retired_at` are deleted.
  // DbErrc::unique_violation when another rotation committed in between.
  boost::asio::awaitable<Result<void>> rotate(std::string alg, TimePoint retired_at,
                                              TimePoint not_after, SigningKeyRow replacement);
  // Replaces a key's stored private key (sealing it, or re-sealing it under a new key-encryption
  // key); false when the kid is gone.
  boost::asio::awaitable<Result<bool>> replace_private_key(std::string kid, std::string stored);

 private:
  SqlDatabase& db_;
};

}  // namespace authsvc::storage
