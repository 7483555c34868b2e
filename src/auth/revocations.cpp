#include "auth/revocations.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "common/log.hpp"

namespace authsvc::auth {
namespace {

// The marker outlives any token (it only needs to vanish with a flush).
constexpr auto kMarkerLifetime = std::chrono::hours(24 * 365);

}  // namespace

std::string Revocations::token_key(std::string_view jti) {
  return "auth:rv:j:" + std::string(jti);
}

std::string Revocations::session_key(std::string_view session_id) {
  return "auth:rv:s:" + std::string(session_id);
}

boost::asio::awaitable<Result<void>> Revocations::deny(std::string key, TimePoint expires_at) {
  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      covered_until(expires_at) - clock_.now());
  // Already expired: verification rejects it anyway. One extra second covers rounding.
  if (remaining.count() <= 0) co_return ok_result();
  auto stored = co_await store_.put(std::move(key), "1", remaining + std::chrono::seconds(1));
  // The database has it, the denylist does not: a retry of the request may never come, so the
  // marker goes as soon as the store answers again and every instance asks the database.
  if (!stored) {
    failed_denies_.fetch_add(1);
    marker_stale_ = true;
    // And every other instance, now or after a restart: the doubt is durable.
    auto raised = co_await state_.raise();
    if (!raised) {
      log_event(spdlog::level::err, "could not record that the denylist lacks a revocation",
                {{"error", boost::json::value(raised.error().describe())}});
    }
  }
  co_return stored;
}

void Revocations::start() {
  store_.subscribe(
      std::string(kEventsChannel), [](std::string_view) {}, [this] { marker_stale_ = true; });
}

boost::asio::awaitable<Result<void>> Revocations::seed() {
  const auto failures_before = failed_denies_.load();
  auto doubt_before = co_await state_.read();
  if (!doubt_before) co_return doubt_before.take_error();
  const auto now = clock_.now();
  auto tokens = co_await durable_.unexpired(now);
  if (!tokens) co_return tokens.take_error();
  for (const auto& token : *tokens) {
    auto put = co_await deny(token_key(token.jti), token.expires_at);
    if (!put) co_return put.take_error();
  }
  auto ended = co_await sessions_.ended_unexpired(now);
  if (!ended) co_return ended.take_error();
  for (const auto& session : *ended) {
    auto put = co_await deny(session_key(session.id), session.expires_at);
    if (!put) co_return put.take_error();
  }
  auto doubt_after = co_await state_.read();
  if (!doubt_after) co_return doubt_after.take_error();
  if (failed_denies_.load() != failures_before || marker_stale_.load() ||
      doubt_after->raised != doubt_before->raised) {
    co_return Error(InfraErrc::unavailable,
                    "a revocation could not reach the denylist during its rebuild");
  }
  std::string marker(kSeedMarker);
  auto published =
      co_await store_.put(std::move(marker), "1",
                          std::chrono::duration_cast<std::chrono::milliseconds>(kMarkerLifetime));
  if (!published) co_return published.take_error();
  // Everything recorded before this rebuild began is in the denylist now.
  co_return co_await state_.clear(doubt_before->raised);
}

void Revocations::rebuild_in_background(boost::asio::any_io_executor executor) {
  if (reseeding_.exchange(true)) return;
  boost::asio::co_spawn(
      executor,
      [this]() -> boost::asio::awaitable<void> {
        auto seeded = co_await seed();
        if (!seeded) {
          log_event(spdlog::level::err, "rebuilding the revocation denylist failed",
                    {{"error", boost::json::value(seeded.error().describe())}});
        }
        reseeding_ = false;
      },
      boost::asio::detached);
}

boost::asio::awaitable<Result<void>> Revocations::reconcile() {
  auto doubt = co_await state_.read();
  if (!doubt) co_return doubt.take_error();
  auto executor = co_await boost::asio::this_coro::executor;
  if (doubt->doubtful() && !reseeding_.load()) {
    std::string marker(kSeedMarker);
    auto withdrawn = co_await store_.remove(std::move(marker));
    if (withdrawn) {
      marker_stale_ = false;
      log_event(spdlog::level::warn, "the denylist may lack a revocation; rebuilding it");
      rebuild_in_background(executor);
    } else {
      marker_stale_ = true;  // checks ask the database until the marker can be withdrawn
    }
  }
  const auto now = clock_.now();
  if (now - last_copy_ >= kReconcileEvery) {
    // Back to a little before the previous round (rows commit a moment after their revoked_at),
    // at most a minute: each revocation is copied about twice, not once per round for a minute.
    const auto since =
        std::max(now - std::chrono::minutes(1), last_copy_ - std::chrono::seconds(5));
    last_copy_ = now;
    co_return co_await copy_recent(since);
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> Revocations::copy_recent(TimePoint since) {
  const auto now = clock_.now();
  auto tokens = co_await durable_.revoked_since(since, now);
  if (!tokens) co_return tokens.take_error();
  for (const auto& token : *tokens) {
    auto put = co_await deny(token_key(token.jti), token.expires_at);
    if (!put) co_return put.take_error();
  }
  auto ended = co_await sessions_.ended_since(since, now);
  if (!ended) co_return ended.take_error();
  for (const auto& session : *ended) {
    auto put = co_await deny(session_key(session.id), session.expires_at);
    if (!put) co_return put.take_error();
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<bool>> Revocations::is_revoked(
    std::string jti, std::optional<std::string> session_id) {
  if (marker_stale_.load()) {
    std::string marker(kSeedMarker);
    auto withdrawn = co_await store_.remove(std::move(marker));
    if (withdrawn) {
      marker_stale_ = false;  // from now on: database answers, then a rebuild
    } else {
      // The store still holds a marker it must not (a replica answering READONLY to the removal,
      // a timeout): what it says is not trusted, the database answers.
      co_return co_await durable_.is_revoked(std::move(jti), std::move(session_id));
    }
  }
  std::vector<std::string> keys{token_key(jti), std::string(kSeedMarker)};
  if (session_id) keys.push_back(session_key(*session_id));
  auto cached = co_await store_.get_many(std::move(keys));
  if (cached && (*cached)[1]) {
    const bool listed = (*cached)[0] || (cached->size() > 2 && (*cached)[2]);
    co_return listed;
  }
  if (cached && !reseeding_.load()) {
    // The store answered without the marker: it lost its data (or the marker was withdrawn).
    // Rebuild it in the background; until then every check asks the database.
    log_event(spdlog::level::warn, "revocation denylist has no marker; rebuilding it");
    rebuild_in_background(co_await boost::asio::this_coro::executor);
  }
  co_return co_await durable_.is_revoked(std::move(jti), std::move(session_id));
}

boost::asio::awaitable<Result<void>> Revocations::revoke_token(
    std::string jti, std::optional<std::string> session_id, TimePoint expires_at) {
  auto recorded =
      co_await durable_.add(jti, std::move(session_id), covered_until(expires_at), clock_.now());
  if (!recorded) co_return recorded.take_error();
  co_return co_await deny(token_key(jti), expires_at);
}

boost::asio::awaitable<Result<void>> Revocations::deny_session(std::string session_id,
                                                               TimePoint expires_at) {
  co_return co_await deny(session_key(session_id), expires_at);
}

boost::asio::awaitable<Result<void>> Revocations::deny_token(std::string jti,
                                                             TimePoint expires_at) {
  co_return co_await deny(token_key(jti), expires_at);
}

}  // namespace authsvc::auth
