#pragma once
// In the composition root because it joins two layers (tokens and storage) that do not link each
// other.

#include <boost/asio/awaitable.hpp>
#include <utility>
#include <vector>

#include "storage/signing_key_repository.hpp"
#include "tokens/key_store.hpp"

namespace authsvc::app {

// tokens::KeyStore over the signing_key table (storage::SigningKeyRepository). `repository` must
// outlive it.
class SqlKeyStore final : public tokens::KeyStore {
 public:
  explicit SqlKeyStore(storage::SigningKeyRepository& repository) : repository_(repository) {}

  boost::asio::awaitable<Result<std::vector<tokens::StoredKey>>> load_all() override {
    auto rows = co_await repository_.load_all();
    if (!rows) co_return rows.take_error();
    std::vector<tokens::StoredKey> keys;
    keys.reserve(rows->size());
    for (auto& row : *rows) keys.push_back(from_row(std::move(row)));
    co_return keys;
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
  static storage::SigningKeyRow to_row(tokens::StoredKey key) {
    return storage::SigningKeyRow{
        std::move(key.kid), std::move(key.alg), std::move(key.private_pem),
        key.created_at,     key.retired_at,     key.not_after};
  }

  storage::SigningKeyRepository& repository_;
};

}  // namespace authsvc::app
