#include "app/maintenance.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"

namespace authsvc::app {

Maintenance::Maintenance(boost::asio::any_io_executor executor, ServiceGraph& services,
                         Options options)
    : executor_(executor),
      services_(services),
      options_(options),
      timer_(executor),
      finished_(done_.get_future()) {
  boost::asio::co_spawn(executor_, loop(),
                        [this](const std::exception_ptr&) { done_.set_value(); });
}

Maintenance::~Maintenance() {
  boost::asio::post(executor_, [this] {
    stopping_ = true;
    timer_.cancel();
  });
  // The backend thread may already have stopped (then the loop never runs again).
  finished_.wait_for(std::chrono::seconds(10));
}

boost::asio::awaitable<void> Maintenance::loop() {
  auto next_purge = std::chrono::steady_clock::now();
  auto next_import = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (auto* original = services_.original_revocations();
        original != nullptr && std::chrono::steady_clock::now() >= next_import) {
      next_import = std::chrono::steady_clock::now() + options_.original_import_interval;
      auto imported = co_await original->import_all();
      if (!imported) {
        log_event(spdlog::level::warn, "copying the original service's denylist failed",
                  {{"error", boost::json::value(imported.error().describe())}});
      } else if (*imported > 0) {
        log_event(spdlog::level::info, "copied the original service's denylist",
                  {{"tokens", boost::json::value(*imported)}});
      }
    }
    const auto wait =
        services_.original_revocations() != nullptr
            ? std::min(options_.key_reload_interval, options_.original_import_interval)
            : options_.key_reload_interval;
    timer_.expires_after(wait);
    boost::system::error_code ec;
    co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (stopping_) break;
    if (!services_.key_ring().is_hmac()) {
      auto reloaded = co_await services_.key_ring().reload();
      if (!reloaded) {
        log_event(spdlog::level::warn, "signing key reload failed",
                  {{"error", boost::json::value(reloaded.error().describe())}});
      }
    }
    if (std::chrono::steady_clock::now() >= next_purge) {
      next_purge = std::chrono::steady_clock::now() + options_.purge_interval;
      auto purged = co_await services_.purge_expired_revocations();
      if (!purged) {
        log_event(spdlog::level::warn, "purging expired revocations failed",
                  {{"error", boost::json::value(purged.error().describe())}});
      }
    }
  }
}

}  // namespace authsvc::app
