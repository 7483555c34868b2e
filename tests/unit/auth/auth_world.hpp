#pragma once
// The auth layer of one instance without HTTP: every service over an in-memory SQLite database
// (the real migrations) and the in-process EphemeralStore, with a fake clock, so tests move time
// instead of sleeping. Passwords are Werkzeug PBKDF2 with few iterations: fast, and still the real
// hasher.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "auth/accounts.hpp"
#include "auth/authenticator.hpp"
#include "auth/introspection.hpp"
#include "auth/login_history.hpp"
#include "auth/login_throttle.hpp"
#include "auth/logins.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/revocations.hpp"
#include "auth/roles.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "common/bounded_work_pool.hpp"
#include "crypto/password_hasher.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_key_store.hpp"
#include "fakes/test_keys.hpp"
#include "storage/login_history_repository.hpp"
#include "storage/memory_ephemeral_store.hpp"
#include "storage/migrations.hpp"
#include "storage/revocation_repository.hpp"
#include "storage/role_repository.hpp"
#include "storage/session_repository.hpp"
#include "storage/sql_user_repository.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/async.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_issuer.hpp"
#include "tokens/token_verifier.hpp"

namespace authsvc::test {

inline constexpr const char* kWorldPassword = "Correct-Horse-1";

struct AuthWorld {
  static constexpr auto kGrace = std::chrono::seconds(10);
  static constexpr std::int64_t kMaxFailures = 3;
  static constexpr std::int64_t kAccountMaxFailures = 6;
  static constexpr auto kFailureWindow = std::chrono::seconds(60);

  AuthWorld() {
    auto added = keys.add(stored_key(fixture_key(crypto::JwsAlgorithm::es256), clock.now()));
    if (!added) throw std::runtime_error("fixture key");
    tokens::KeyRingOptions options;
    options.algorithm = crypto::JwsAlgorithm::es256;
    ring = std::make_unique<tokens::KeyRing>(clock, keys, options);
    must(run(ring->reload()), "key ring");
    issuer = std::make_unique<tokens::TokenIssuer>(clock, *ring, tokens::IssuerOptions{"auth"});
    verifier = std::make_unique<tokens::TokenVerifier>(
        clock, *ring, tokens::VerifierOptions{"auth", true, std::chrono::seconds(0)});
    must(run(storage::upgrade(db)), "migrations");
    sessions = std::make_unique<auth::Sessions>(
        session_rows, revocation_rows, audit, revocations, directory, store, *issuer, cpu, clock,
        auth::SessionOptions{kGrace, std::chrono::milliseconds(500), [this] { ++reuses; }});
    authenticator = std::make_unique<auth::Authenticator>(*verifier, revocations, directory);
    introspection = std::make_unique<auth::Introspection>(*authenticator, *sessions, directory);
    logins = std::make_unique<auth::Logins>(accounts, throttle, directory, *sessions, history);
    directory.start();
    revocations.start();
    must(run(revocations.seed()), "denylist seed");
  }

  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return run_sync(io, std::move(task));
  }
  template <class R>
  static void must(const R& result, const char* what) {
    if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().describe());
  }

  // A new account; its id.
  std::string user(const std::string& email, const std::string& password = kWorldPassword) {
    auto created = run(accounts.signup({email, password, {}, {}, {}}));
    must(created, "signup");
    return created->user.id;
  }
  auth::OpenedSession login(const std::string& email,
                            const std::string& password = kWorldPassword) {
    auto opened = run(logins->with_password({email, password, {"unit-test", "127.0.0.1"}}));
    must(opened, "login");
    return *opened;
  }
  tokens::TokenClaims claims(const std::string& token) {
    auto verified = run(authenticator->verify(token));
    must(verified, "verify");
    return *verified;
  }

  boost::asio::io_context io;
  FakeClock clock;
  FakeKeyStore keys;
  std::unique_ptr<tokens::KeyRing> ring;
  std::unique_ptr<tokens::TokenIssuer> issuer;
  std::unique_ptr<tokens::TokenVerifier> verifier;
  storage::SqliteDatabase db{":memory:"};
  storage::MemoryEphemeralStore store{clock};
  storage::SqlUserRepository users{db};
  storage::SessionRepository session_rows{db};
  storage::RevocationRepository revocation_rows{db};
  storage::AuditRepository audit{db};
  storage::LoginHistoryRepository history_rows{db};
  storage::RoleRepository role_rows{db};
  crypto::PasswordHasher hasher{crypto::PasswordHasherOptions{{}, true, 1000}};
  BoundedWorkPool cpu{BoundedWorkPool::Options{1, 64}};
  storage::DenylistStateRepository denylist_state{db};
  auth::Revocations revocations{store, revocation_rows, session_rows, denylist_state, clock};
  storage::UserChangeRepository user_changes{db};
  auth::UserDirectory directory{users, user_changes, store, clock};
  auth::Accounts accounts{users, hasher, cpu, clock, auth::PasswordPolicy{8}};
  auth::LoginHistory history{history_rows, clock};
  auth::Roles roles{role_rows, users, directory, clock};
  storage::MemoryEphemeralStore throttle_fallback{clock};
  auth::LoginThrottle throttle{
      store, throttle_fallback,
      auth::LoginThrottleOptions{kMaxFailures, kAccountMaxFailures, kFailureWindow,
                                 std::chrono::milliseconds(0), std::chrono::milliseconds(0)}};
  auth::RateLimiter limiter{store, 5};
  std::unique_ptr<auth::Sessions> sessions;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<auth::Introspection> introspection;
  std::unique_ptr<auth::Logins> logins;
  int reuses = 0;
};

}  // namespace authsvc::test
