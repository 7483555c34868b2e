#pragma once
// In the composition root because it joins two layers (tokens and storage) that do not link each
// other.

#include <boost/asio/awaitable.hpp>
#include <utility>
#include <vector>

#include "crypto/key_encryption.hpp"
#include "storage/signing_key_repository.hpp"
#include "tokens/key_store.hpp"

namespace authsvc::app {

// tokens::KeyStore over the signing_key table (storage::SigningKeyRepository). With `encryption`,
// private keys are sealed before they are written and opened after they are read (rows still in
// plaintext, from before a key-encryption key was configured, are read as they are until
// `auth db upgrade` seals them). `repository` and `encryption` must outlive it.
class SqlKeyStore final : public tokens::KeyStore {
 public:
  explicit SqlKeyStore(storage::SigningKeyRepository& repository,
                       const crypto::KeyEncryption* encryption = nullptr)
      : repository_(repository), encryption_(encryption) {}

  boost::asio::awaitable<Result<std::vector<tokens::StoredKey>>> load_all() override {
    auto rows = co_await repository_.load_all();
    if (!rows) co_return rows.take_error();
    std::vector<tokens::StoredKey> keys;
    keys.reserve(rows->size());
    for (auto& row : *rows) {
      if (crypto::KeyEncryption::is_sealed(row.private_pem)) {
        if (encryption_ == nullptr) {
          co_return Error(InfraErrc::internal, "signing key " + row.kid +
                                                   " is sealed: AUTH_KEY_ENCRYPTION_KEY is needed");
        }
        auto opened = encryption_->open(row.private_pem, row.kid);
        if (!opened)
          co_return Error(opened.error().code,
                          "signing key " + row.kid + ": " + opened.error().describe());
        row.private_pem = std::move(opened).value();
      }
      keys.push_back(from_row(std::move(row)));
    }
    co_return keys;
  }

  // `auth db upgrade`: seals every stored key that is not sealed under the current key-encryption
  // key (plaintext rows, and rows of the previous key during a rotation). How many it sealed.
  boost::asio::awaitable<Result<std::int64_t>> seal_stored_keys() {
    if (encryption_ == nullptr) co_return std::int64_t{0};
    auto rows = co_await repository_.load_all();
    if (!rows) co_return rows.take_error();
    std::int64_t sealed = 0;
    for (auto& row : *rows) {
      if (encryption_->is_current(row.private_pem)) continue;
      std::string plaintext = row.private_pem;
      if (crypto::KeyEncryption::is_sealed(row.private_pem)) {
        auto opened = encryption_->open(row.private_pem, row.kid);
        if (!opened)
          co_return Error(opened.error().code,
                          "signing key " + row.kid + ": " + opened.error().describe());
        plaintext = std::move(opened).value();
      }
      auto stored = encryption_->seal(plaintext, row.kid);
      auto replaced = co_await repository_.replace_private_key(row.kid, std::move(stored));
      if (!replaced) co_return replaced.take_error();
      if (*replaced) ++sealed;
    }
    co_return sealed;
  }

  boost::asio::awaitable<Result<void>> insert(tokens::StoredKey key) override {
    // Arguments built as locals first: g++ 12 mishandles some temporaries inside co_await.
    auto row = to_row(std::move(key));
    co_return co_await repository_.insert(std::move(row));
  }

  boost::asio::awaitable<Result<void>> rotate(std::string alg, TimePoint retired_at,
                                              TimePoint not_after,
                                              tokens::StoredKey replacement) override {
    auto row = to_row(std::move(replacement));
    co_return co_await repository_.rotate(std::move(alg), retired_at, not_after, std::move(row));
  }

 private:
  static tokens::StoredKey from_row(storage::SigningKeyRow row) {
    return tokens::StoredKey{std::move(row.kid), std::move(row.alg), std::move(row.private_pem),
                             row.created_at,     row.retired_at,     row.not_after};
  }
  storage::SigningKeyRow to_row(tokens::StoredKey key) const {
    if (encryption_ != nullptr) key.private_pem = encryption_->seal(key.private_pem, key.kid);
    return storage::SigningKeyRow{
        std::move(key.kid), std::move(key.alg), std::move(key.private_pem),
        key.created_at,     key.retired_at,     key.not_after};
  }

  storage::SigningKeyRepository& repository_;
  const crypto::KeyEncryption* encryption_;
};

}  // namespace authsvc::app
