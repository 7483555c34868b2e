#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "app/backends.hpp"
#include "auth/accounts.hpp"
#include "auth/authenticator.hpp"
#include "auth/introspection.hpp"
#include "auth/login_history.hpp"
#include "auth/login_throttle.hpp"
#include "auth/logins.hpp"
#include "auth/original_revocations.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/revocations.hpp"
#include "auth/roles.hpp"
#include "auth/service_clients.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "common/bounded_work_pool.hpp"
#include "common/clock.hpp"
#include "common/config.hpp"
#include "crypto/key_encryption.hpp"
#include "crypto/password_hasher.hpp"
#include "oauth/provider_registry.hpp"
#include "oauth/social_login.hpp"
#include "outbound/http_client.hpp"
#include "storage/ephemeral_store.hpp"
#include "storage/login_history_repository.hpp"
#include "storage/memory_ephemeral_store.hpp"
#include "storage/original_denylist.hpp"
#include "storage/revocation_repository.hpp"
#include "storage/role_repository.hpp"
#include "storage/session_repository.hpp"
#include "storage/signing_key_repository.hpp"
#include "storage/social_account_repository.hpp"
#include "storage/sql_user_repository.hpp"
#include "storage/user_change_repository.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/key_store.hpp"
#include "tokens/token_issuer.hpp"
#include "tokens/token_verifier.hpp"
#include "tracing/metrics.hpp"

namespace authsvc::app {

// Every service object of a running instance, built from the configuration over the backends, in
// dependency order (members are destroyed in reverse). Not movable: services hold references to
// each other.
class ServiceGraph {
 public:
  ServiceGraph(const Config& config, Backends& backends);
  ServiceGraph(const ServiceGraph&) = delete;
  ServiceGraph& operator=(const ServiceGraph&) = delete;
  ~ServiceGraph();

  // Loads (or creates) the signing key, rebuilds the denylist when needed, subscribes to
  // invalidations. Run on the backend executor before serving.
  boost::asio::awaitable<Result<void>> prepare();

  auth::Accounts& accounts() { return *accounts_; }
  auth::Logins& logins() { return *logins_; }
  auth::Sessions& sessions() { return *sessions_; }
  auth::Authenticator& authenticator() { return *authenticator_; }
  auth::Introspection& introspection() { return *introspection_; }
  auth::LoginHistory& login_history() { return *history_; }
  auth::Roles& roles() { return *roles_; }
  oauth::SocialLogin& social_login() { return *social_login_; }
  const oauth::ProviderRegistry& providers() { return *providers_; }
  auth::RateLimiter& rate_limiter() { return *limiter_; }
  const auth::ServiceClients& service_clients() { return service_clients_; }
  tokens::KeyRing& key_ring() { return *key_ring_; }
  auth::Revocations& revocations() { return *revocations_; }
  auth::UserDirectory& directory() { return *directory_; }
  BoundedWorkPool& cpu() { return cpu_; }
  tracing::Metrics& metrics() { return metrics_; }
  boost::asio::awaitable<Result<std::int64_t>> purge_expired_revocations();
  boost::asio::awaitable<Result<std::int64_t>> purge_old_user_changes();
  // The original service's denylist during a switch-over; null otherwise.
  auth::OriginalRevocations* original_revocations() { return original_revocations_.get(); }

 private:
  void describe_metrics(const Config& config);

  SystemClock clock_;
  tracing::Metrics metrics_;
  std::unique_ptr<storage::EphemeralStore> ephemeral_;
  // Login failures are counted here while Redis cannot count them (bounded).
  storage::MemoryEphemeralStore throttle_fallback_{clock_, 100'000};
  storage::SqlUserRepository users_;
  storage::UserChangeRepository user_changes_;
  storage::SessionRepository sessions_repository_;
  storage::RevocationRepository revocation_repository_;
  storage::DenylistStateRepository denylist_state_;
  storage::AuditRepository audit_;
  storage::LoginHistoryRepository history_repository_;
  storage::SigningKeyRepository signing_keys_;
  storage::RoleRepository role_repository_;
  std::unique_ptr<crypto::KeyEncryption> key_encryption_;  // null: keys stored in plaintext
  std::unique_ptr<tokens::KeyStore> key_store_;
  std::unique_ptr<tokens::KeyRing> key_ring_;
  std::unique_ptr<tokens::TokenIssuer> issuer_;
  std::unique_ptr<tokens::TokenVerifier> verifier_;
  crypto::PasswordHasher hasher_;
  BoundedWorkPool cpu_;
  std::unique_ptr<auth::Revocations> revocations_;
  std::unique_ptr<storage::OriginalDenylist> original_denylist_;     // HS256 + Redis only
  std::unique_ptr<auth::OriginalRevocations> original_revocations_;  // with it
  std::unique_ptr<auth::UserDirectory> directory_;
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<auth::Sessions> sessions_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::Introspection> introspection_;
  std::unique_ptr<auth::LoginHistory> history_;
  std::unique_ptr<auth::Roles> roles_;
  std::unique_ptr<auth::RateLimiter> limiter_;
  std::unique_ptr<auth::LoginThrottle> throttle_;
  std::unique_ptr<auth::Logins> logins_;
  auth::ServiceClients service_clients_;
  storage::SocialAccountRepository social_accounts_;
  std::unique_ptr<outbound::HttpClient> outbound_;
  std::unique_ptr<oauth::ProviderRegistry> providers_;
  std::unique_ptr<oauth::SocialLogin> social_login_;
};

// How signing keys are sealed at rest (null: in plaintext, where the configuration allows it), or
// why the configuration is refused.
Result<std::unique_ptr<crypto::KeyEncryption>> make_key_encryption(const Config& config);

// The key ring of this configuration over `store` (HS256: the secret, `store` unused).
Result<std::unique_ptr<tokens::KeyRing>> make_key_ring(const Config& config, const Clock& clock,
                                                       tokens::KeyStore& store);

}  // namespace authsvc::app
