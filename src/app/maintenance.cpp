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

namespace {

void warn_on_failure(const Result<std::int64_t>& result, const char* what) {
  if (!result) {
    log_event(spdlog::level::warn, what,
              {{"error", boost::json::value(result.error().describe())}});
  }
}

}  // namespace

boost::asio::awaitable<void> Maintenance::loop() {
  using Clock = std::chrono::steady_clock;
  auto next_purge = Clock::now();
  auto next_import = Clock::now();
  auto next_key_reload = Clock::now() + options_.key_reload_interval;  // prepare() loaded them
  auto last_warning = Clock::time_point{};
  auto warn_now_and_then = [&last_warning](const Result<void>& result, const char* what) {
    if (result || Clock::now() - last_warning < std::chrono::seconds(10)) return;
    last_warning = Clock::now();
    log_event(spdlog::level::warn, what,
              {{"error", boost::json::value(result.error().describe())}});
  };
  while (!stopping_) {
    const auto caught_up = co_await services_.directory().catch_up();
    warn_now_and_then(caught_up, "reading user changes failed");
    const auto reconciled = co_await services_.revocations().reconcile();
    warn_now_and_then(reconciled, "reconciling the revocation denylist failed");
    if (auto* original = services_.original_revocations();
        original != nullptr && Clock::now() >= next_import) {
      next_import = Clock::now() + options_.original_import_interval;
      auto imported = co_await original->import_all();
      if (!imported) {
        log_event(spdlog::level::warn, "copying the original service's denylist failed",
                  {{"error", boost::json::value(imported.error().describe())}});
      } else if (*imported > 0) {
        log_event(spdlog::level::info, "copied the original service's denylist",
                  {{"tokens", boost::json::value(*imported)}});
      }
    }
    if (!services_.key_ring().is_hmac() && Clock::now() >= next_key_reload) {
      next_key_reload = Clock::now() + options_.key_reload_interval;
      auto reloaded = co_await services_.key_ring().reload();
      if (!reloaded) {
        log_event(spdlog::level::warn, "signing key reload failed",
                  {{"error", boost::json::value(reloaded.error().describe())}});
      }
    }
    if (Clock::now() >= next_purge) {
      next_purge = Clock::now() + options_.purge_interval;
      const auto revocations = co_await services_.purge_expired_revocations();
      warn_on_failure(revocations, "purging expired revocations failed");
      const auto changes = co_await services_.purge_old_user_changes();
      warn_on_failure(changes, "purging old user changes failed");
    }
    timer_.expires_after(auth::UserDirectory::kCatchUpInterval);
    boost::system::error_code ec;
    co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

}  // namespace authsvc::app
