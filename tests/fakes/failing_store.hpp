#pragma once
// An EphemeralStore that cannot write (a Redis replica answering READONLY) or cannot answer at all
// (Redis down): reads go to `inner` when `reads_work`, everything else fails as an outage.

#include "common/error.hpp"
#include "storage/ephemeral_store.hpp"

namespace authsvc::test {

class FailingStore final : public storage::EphemeralStore {
 public:
  explicit FailingStore(storage::EphemeralStore& inner, bool reads_work)
      : inner_(inner), reads_work_(reads_work) {}

  boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>> get_many(
      std::vector<std::string> keys) override {
    if (reads_work_) return inner_.get_many(std::move(keys));
    return down<std::vector<std::optional<std::string>>>();
  }
  boost::asio::awaitable<Result<void>> put(std::string, std::string,
                                           std::chrono::milliseconds) override {
    return down<void>();
  }
  boost::asio::awaitable<Result<bool>> put_if_absent(std::string, std::string,
                                                     std::chrono::milliseconds) override {
    return down<bool>();
  }
  boost::asio::awaitable<Result<storage::WindowCount>> increment(
      std::string, std::chrono::milliseconds) override {
    return down<storage::WindowCount>();
  }
  boost::asio::awaitable<Result<void>> remove(std::string) override { return down<void>(); }
  boost::asio::awaitable<Result<std::optional<std::string>>> take(std::string) override {
    return down<std::optional<std::string>>();
  }
  boost::asio::awaitable<Result<void>> publish(std::string, std::string) override {
    return down<void>();
  }
  void subscribe(std::string, MessageHandler, std::function<void()>) override {}

 private:
  template <class T>
  static boost::asio::awaitable<Result<T>> down() {
    co_return Error(InfraErrc::unavailable, "the store cannot take this");
  }

  storage::EphemeralStore& inner_;
  bool reads_work_;
};

}  // namespace authsvc::test
