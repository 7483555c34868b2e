#pragma once

#include <algorithm>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "common/error.hpp"
#include "tokens/key_store.hpp"

namespace authsvc::test {

// An in-memory tokens::KeyStore with the constraints of the signing_key table (unique kid, at most
// one active key per alg). Several KeyRings sharing one FakeKeyStore behave like instances sharing
// a database.
class FakeKeyStore final : public tokens::KeyStore {
 public:
  boost::asio::awaitable<Result<std::vector<tokens::StoredKey>>> load_all() override {
    ++loads;
    if (slow) {  // a real database answers later: let other coroutines run meanwhile
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
      timer.expires_after(std::chrono::milliseconds(30));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    if (fail) co_return Error(InfraErrc::unavailable, "fake store down");
    std::lock_guard lock(mutex_);
    co_return rows_;
  }

  boost::asio::awaitable<Result<void>> insert(tokens::StoredKey key) override {
    if (before_insert) before_insert();
    if (fail) co_return Error(InfraErrc::unavailable, "fake store down");
    std::lock_guard lock(mutex_);
    co_return insert_locked(std::move(key));
  }

  boost::asio::awaitable<Result<void>> rotate(std::string alg, TimePoint retired_at,
                                              TimePoint not_after,
                                              tokens::StoredKey replacement) override {
    if (fail) co_return Error(InfraErrc::unavailable, "fake store down");
    std::lock_guard lock(mutex_);
    auto saved = rows_;
    for (auto& row : rows_) {
      if (row.alg == alg && !row.retired_at) {
        row.retired_at = retired_at;
        row.not_after = not_after;
      }
    }
    std::erase_if(rows_,
                  [&](const auto& row) { return row.not_after && *row.not_after < retired_at; });
    auto inserted = insert_locked(std::move(replacement));
    if (!inserted) rows_ = std::move(saved);
    co_return inserted;
  }

  // Direct access, as another instance would write.
  Result<void> add(tokens::StoredKey key) {
    std::lock_guard lock(mutex_);
    return insert_locked(std::move(key));
  }
  std::vector<tokens::StoredKey> rows() const {
    std::lock_guard lock(mutex_);
    return rows_;
  }

  std::atomic<int> loads{0};
  std::atomic<bool> fail{false};
  std::atomic<bool> slow{false};
  std::function<void()> before_insert;  // runs at the start of insert() (simulates a race)

 private:
  Result<void> insert_locked(tokens::StoredKey key) {
    for (const auto& row : rows_) {
      if (row.kid == key.kid || (row.alg == key.alg && !row.retired_at && !key.retired_at)) {
        return Error(InfraErrc::internal, "unique violation");
      }
    }
    rows_.push_back(std::move(key));
    return ok_result();
  }

  mutable std::mutex mutex_;
  std::vector<tokens::StoredKey> rows_;
};

}  // namespace authsvc::test
