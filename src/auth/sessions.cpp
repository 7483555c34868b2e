#include "auth/sessions.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/account_errors.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::auth {
namespace {

Error revoked_error() {
  return tokens::token_error(tokens::TokenErrc::revoked, "Token has been revoked");
}

std::string encode(const IssuedPair& pair) {
  return boost::json::serialize(
      boost::json::object{{"a", pair.access_token}, {"r", pair.refresh_token}});
}

std::optional<IssuedPair> decode(std::string_view text) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& object = value.get_object();
  const auto* access = object.if_contains("a");
  const auto* refresh = object.if_contains("r");
  if (!access || !refresh || !access->is_string() || !refresh->is_string()) return std::nullopt;
  return IssuedPair{std::string(access->get_string()), std::string(refresh->get_string())};
}

IssuedPair to_issued(const tokens::TokenPair& pair) {
  return IssuedPair{pair.access.token, pair.refresh.token};
}

}  // namespace

std::string Sessions::successor_key(std::string_view refresh_jti) {
  return "auth:rot:" + std::string(refresh_jti);
}

TimePoint Sessions::access_expiry(const tokens::TokenClaims& refresh_claims) {
  // The paired token's own exp when the refresh token names it; otherwise (the original's tokens,
  // ours from before at_exp) the refresh token's exp, which no paired access token outlives.
  // Never the access lifetime configured today: it may have been longer when the token was issued.
  const std::int64_t exp = refresh_claims.at_exp.value_or(refresh_claims.exp);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::seconds(exp)));
}

boost::asio::awaitable<Result<tokens::TokenPair>> Sessions::issue(tokens::IssueRequest request,
                                                                  tokens::PairJtis jtis) {
  // RS256 signing is ~0.3 ms of CPU per token: never on an I/O thread.
  const tokens::TokenIssuer* issuer = &issuer_;
  auto sign = [issuer, request = std::move(request), jtis = std::move(jtis)]() {
    return issuer->issue(request, jtis);
  };
  co_return co_await cpu_.run(std::move(sign));
}

boost::asio::awaitable<Result<OpenedSession>> Sessions::open(UserSnapshot user, ClientInfo client,
                                                             std::string provider) {
  tokens::IssueRequest request{user.id, new_uuid(), user.roles, user.is_superuser};
  const std::string session_id = request.session_id;
  tokens::PairJtis jtis{new_uuid(), new_uuid()};
  auto pair = co_await issue(std::move(request), std::move(jtis));
  if (!pair) co_return pair.take_error();

  storage::SessionRecord session;
  session.id = session_id;
  session.user_id = user.id;
  session.user_agent = std::move(client.user_agent);
  session.ip = std::move(client.ip);
  session.provider = std::move(provider);
  session.created_at = clock_.now();
  session.refreshed_at = session.created_at;
  session.expires_at = pair->refresh.expires_at;
  session.refresh_jti = pair->refresh.jti;
  auto opened = co_await sessions_.open(std::move(session));
  if (!opened) co_return opened.take_error();
  co_return OpenedSession{session_id, to_issued(*pair)};
}

boost::asio::awaitable<Result<IssuedPair>> Sessions::refresh(tokens::TokenClaims claims) {
  if (!claims.sid) co_return co_await refresh_without_session(std::move(claims));
  const auto now = clock_.now();

  auto user = co_await directory_.get(claims.sub);
  if (!user) co_return user.take_error();
  if (!*user) co_return revoked_error();  // the user was deleted, and its sessions with it

  // Signed before the swap: if signing fails (a full pool answers 503) nothing has changed and the
  // client's retry is a first use again, never a "retry" waiting for a pair that does not exist.
  // Requests that lose the swap discard their signatures.
  tokens::IssueRequest request{claims.sub, *claims.sid, (*user)->roles, (*user)->is_superuser};
  tokens::PairJtis jtis{new_uuid(), new_uuid()};
  const std::string new_refresh_jti = jtis.refresh;
  auto pair = co_await issue(std::move(request), std::move(jtis));
  if (!pair) co_return pair.take_error();

  storage::SessionRepository::Rotation rotation;
  rotation.session_id = *claims.sid;
  rotation.old_jti = claims.jti;
  rotation.new_jti = new_refresh_jti;
  rotation.now = now;
  rotation.new_expires_at = pair->refresh.expires_at;
  rotation.revoked_access_jti = claims.at;
  rotation.access_expires_at = revocations_.covered_until(access_expiry(claims));
  auto swapped = co_await sessions_.rotate(std::move(rotation));
  if (!swapped) co_return swapped.take_error();

  if (*swapped) {
    const IssuedPair issued = to_issued(*pair);
    co_await remember_successor(claims.jti, issued);
    if (claims.at) {
      // Recorded durably by rotate(). The rotation is done: the pair is delivered even when the
      // denylist cannot be written, because an answer of 503 here would make the client's retry
      // after the outage a reuse that ends its session. A failed write withdraws the denylist's
      // marker (Revocations::deny), so every instance asks the database until it is rebuilt.
      auto denied = co_await revocations_.deny_token(*claims.at, access_expiry(claims));
      if (!denied) {
        log_event(spdlog::level::warn,
                  "rotated access token recorded in the database only; the denylist is rebuilt",
                  {{"error", boost::json::value(denied.error().describe())}});
      }
    }
    co_return issued;
  }

  // Lost the race, or the token was already rotated.
  auto session = co_await sessions_.find(*claims.sid);
  if (!session) co_return session.take_error();
  if (!*session || (*session)->revoked_at || (*session)->user_id != claims.sub) {
    co_return revoked_error();
  }
  const auto& row = **session;
  if (row.refresh_jti == claims.jti) co_return revoked_error();  // the session has expired
  const bool retry_in_grace = row.previous_refresh_jti == claims.jti && row.rotated_at &&
                              now - *row.rotated_at <= options_.reuse_grace;
  if (retry_in_grace) co_return co_await successor_for_retry(claims, row);

  auto ended = co_await end_for_reuse(claims, *claims.sid);
  if (!ended) co_return ended.take_error();
  co_return revoked_error();
}

boost::asio::awaitable<Result<IssuedPair>> Sessions::successor_for_retry(
    const tokens::TokenClaims& claims, storage::SessionRecord row) {
  auto published = co_await await_successor(claims.jti);
  if (published || !published.error().is(tokens::TokenErrc::revoked) || !row.refresh_jti) {
    co_return published;
  }
  // The rotation committed but its pair was never published: its request failed after the commit,
  // or its statement reached the database late (a stalled connection) after the client had been
  // answered 503. The client proves possession of the previous token within the grace window, so
  // it gets a pair for the session's current refresh token; concurrent retries share it.
  auto user = co_await directory_.get(claims.sub);
  if (!user) co_return user.take_error();
  if (!*user) co_return revoked_error();
  tokens::IssueRequest request{claims.sub, *claims.sid, (*user)->roles, (*user)->is_superuser};
  tokens::PairJtis jtis{new_uuid(), *row.refresh_jti};
  auto pair = co_await issue(std::move(request), std::move(jtis));
  if (!pair) co_return pair.take_error();
  IssuedPair issued = to_issued(*pair);
  auto key = successor_key(claims.jti);
  auto value = encode(issued);
  const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(options_.reuse_grace +
                                                                         std::chrono::seconds(5));
  auto claimed = co_await store_.put_if_absent(std::move(key), std::move(value), ttl);
  if (!claimed) co_return claimed.take_error();
  if (!*claimed) co_return co_await await_successor(claims.jti);  // another retry's pair
  co_return issued;
}

boost::asio::awaitable<Result<IssuedPair>> Sessions::refresh_without_session(
    tokens::TokenClaims claims) {
  // A refresh token of the original service (HS256 switch-over): no session row to arbitrate, so
  // recording its jti as revoked is the claim (first writer wins); the successor gets a session.
  // Everything that can fail comes before the claim, so a failure leaves the token unspent and the
  // client's retry is a first use again: an outage never spends it.
  auto user = co_await directory_.get(claims.sub);
  if (!user) co_return user.take_error();
  if (!*user) co_return revoked_error();
  if (claims.at) {
    auto access = co_await durable_.add(
        *claims.at, std::nullopt, revocations_.covered_until(access_expiry(claims)), clock_.now());
    if (!access) co_return access.take_error();
  }
  ClientInfo unknown_client;  // (a local: g++ 12 and braced temporaries inside co_await)
  auto opened = co_await open(**user, std::move(unknown_client), "password");
  if (!opened) co_return opened.take_error();

  // The claim names the successor's session: a reuse after the grace window ends that family.
  auto claimed = co_await durable_.add(
      claims.jti, opened->id, revocations_.covered_until(claims.expires_at()), clock_.now());
  if (!claimed || !*claimed) {
    // Another request spent it first, or the claim could not be recorded: the session opened for
    // it must not live on.
    auto discarded = co_await sessions_.end(opened->id, std::nullopt, "refresh_lost", clock_.now());
    if (!discarded) {
      log_event(spdlog::level::warn, "could not end a session opened for a lost refresh",
                {{"error", boost::json::value(discarded.error().describe())}});
    }
    if (!claimed) co_return claimed.take_error();
    co_return co_await spent_without_session(claims);
  }
  // The spent token is not denylisted: retries within the grace window must reach
  // await_successor(); the durable claim above refuses everything else. Its access token is in
  // the durable record; a failed denylist write makes every instance ask the database.
  co_await remember_successor(claims.jti, opened->tokens);
  if (claims.at) {
    auto denied = co_await revocations_.deny_token(*claims.at, access_expiry(claims));
    if (!denied) {
      log_event(spdlog::level::warn, "revoked access token recorded in the database only",
                {{"error", boost::json::value(denied.error().describe())}});
    }
  }
  co_return std::move(opened->tokens);
}

boost::asio::awaitable<Result<IssuedPair>> Sessions::spent_without_session(
    const tokens::TokenClaims& claims) {
  // Like a session's reuse rule: a retry within the grace window gets the same pair; a use after it
  // is theft and ends the successor's session. A token the original service spent (no successor
  // here) is simply revoked.
  auto spent = co_await durable_.find(claims.jti);
  if (!spent) co_return spent.take_error();
  if (!*spent || !(*spent)->session_id) co_return revoked_error();
  if (clock_.now() - (*spent)->revoked_at <= options_.reuse_grace) {
    co_return co_await await_successor(claims.jti);
  }
  auto ended = co_await end_for_reuse(claims, *(*spent)->session_id);
  if (!ended) co_return ended.take_error();
  co_return revoked_error();
}

boost::asio::awaitable<void> Sessions::remember_successor(std::string refresh_jti,
                                                          const IssuedPair& pair) {
  auto key = successor_key(refresh_jti);
  auto value = encode(pair);
  auto stored = co_await store_.put(std::move(key), std::move(value),
                                    std::chrono::duration_cast<std::chrono::milliseconds>(
                                        options_.reuse_grace + std::chrono::seconds(5)));
  if (!stored) {
    // The winner still answers; only concurrent retries may then get a 503 and retry.
    log_event(spdlog::level::warn, "could not keep the successor pair for retries",
              {{"error", boost::json::value(stored.error().describe())}});
  }
}

boost::asio::awaitable<Result<IssuedPair>> Sessions::await_successor(std::string refresh_jti) {
  const auto deadline = std::chrono::steady_clock::now() + options_.successor_wait;
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer timer(executor);
  auto delay = std::chrono::milliseconds(2);
  for (;;) {
    std::vector<std::string> keys{successor_key(refresh_jti)};
    auto found = co_await store_.get_many(std::move(keys));
    if (!found) co_return found.take_error();
    if (found->front()) {
      if (auto pair = decode(*found->front())) co_return std::move(*pair);
      co_return Error(InfraErrc::internal, "unreadable successor pair");
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
    delay = std::min(delay * 2, std::chrono::milliseconds(50));
  }
  // The winner never published its pair (it failed, or the grace window of a session-less token
  // has passed): this token is spent.
  co_return revoked_error();
}

boost::asio::awaitable<Result<void>> Sessions::end_for_reuse(const tokens::TokenClaims& claims,
                                                             std::string session_id) {
  const auto now = clock_.now();
  auto ended = co_await sessions_.end(session_id, std::nullopt, "refresh_token_reuse", now);
  if (!ended) co_return ended.take_error();
  if (*ended) {
    auto denied = co_await revocations_.deny_session((*ended)->id, (*ended)->expires_at);
    if (!denied) co_return denied.take_error();
  }
  if (options_.on_reuse) options_.on_reuse();
  log_event(spdlog::level::warn, "refresh token reused after rotation; session ended",
            {{"user_id", boost::json::value(claims.sub)},
             {"session_id", boost::json::value(session_id)}});
  auto recorded =
      co_await audit_.record("refresh_token_reuse", claims.sub, session_id,
                             "refresh jti " + claims.jti + " presented after rotation", now);
  if (!recorded) co_return recorded.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> Sessions::logout(tokens::TokenClaims claims) {
  const auto now = clock_.now();
  if (claims.sid) {
    auto ended = co_await sessions_.end(*claims.sid, claims.sub, "logout", now);
    if (!ended) co_return ended.take_error();
    const TimePoint until = *ended ? (*ended)->expires_at : claims.expires_at();
    co_return co_await revocations_.deny_session(*claims.sid, until);
  }
  auto refresh = co_await revocations_.revoke_token(claims.jti, std::nullopt, claims.expires_at());
  if (!refresh) co_return refresh.take_error();
  if (claims.at) {
    co_return co_await revocations_.revoke_token(*claims.at, std::nullopt, access_expiry(claims));
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> Sessions::revoke(tokens::TokenClaims claims) {
  if (claims.type == tokens::TokenType::refresh) co_return co_await logout(std::move(claims));
  co_return co_await revocations_.revoke_token(claims.jti, claims.sid, claims.expires_at());
}

boost::asio::awaitable<Result<bool>> Sessions::is_current_refresh(
    const tokens::TokenClaims& claims) {
  if (!claims.sid) {
    auto spent = co_await durable_.is_revoked(claims.jti, std::nullopt);
    if (!spent) co_return spent.take_error();
    co_return !*spent;
  }
  auto session = co_await sessions_.find(*claims.sid);
  if (!session) co_return session.take_error();
  if (!*session) co_return false;
  const auto& row = **session;
  co_return !row.revoked_at && row.user_id == claims.sub && row.refresh_jti == claims.jti &&
      row.expires_at > clock_.now();
}

boost::asio::awaitable<Result<std::vector<storage::SessionRecord>>> Sessions::list(
    std::string user_id) {
  co_return co_await sessions_.list_live(std::move(user_id), clock_.now());
}

boost::asio::awaitable<Result<void>> Sessions::end(std::string user_id, std::string session_id) {
  auto ended = co_await sessions_.end(std::move(session_id), std::move(user_id), "ended_by_user",
                                      clock_.now());
  if (!ended) co_return ended.take_error();
  if (!*ended) co_return AccountErrc::session_not_found;
  co_return co_await revocations_.deny_session((*ended)->id, (*ended)->expires_at);
}

boost::asio::awaitable<Result<void>> Sessions::end_opened_by(std::string user_id,
                                                             std::string provider) {
  auto ended = co_await sessions_.end_opened_by(std::move(user_id), std::move(provider),
                                                "provider_unlinked", clock_.now());
  if (!ended) co_return ended.take_error();
  for (const auto& session : *ended) {
    auto denied = co_await revocations_.deny_session(session.id, session.expires_at);
    if (!denied) co_return denied.take_error();
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> Sessions::end_all(std::string user_id,
                                                       std::optional<std::string> keep,
                                                       std::string reason) {
  // Tokens without a session (the original service's) end by the account's cut-off.
  auto cut = co_await directory_.cut_off_tokens(user_id, clock_.now());
  if (!cut) co_return cut.take_error();
  auto ended = co_await sessions_.end_all(std::move(user_id), std::move(keep), std::move(reason),
                                          clock_.now());
  if (!ended) co_return ended.take_error();
  for (const auto& session : *ended) {
    auto denied = co_await revocations_.deny_session(session.id, session.expires_at);
    if (!denied) co_return denied.take_error();
  }
  co_return ok_result();
}

}  // namespace authsvc::auth
