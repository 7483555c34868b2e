#include "app/service_graph.hpp"

#include <stdexcept>

#include "common/log.hpp"
#include "crypto/jws_algorithm.hpp"
#include "storage/memory_ephemeral_store.hpp"
#include "storage/redis/redis_ephemeral_store.hpp"
#include "tokens/sql_key_store.hpp"

namespace authsvc::app {

Result<std::unique_ptr<tokens::KeyRing>> make_key_ring(const Config& config, const Clock& clock,
                                                       tokens::KeyStore& store) {
  const auto algorithm = crypto::parse_jws_algorithm(config.jwt_algorithm);
  if (!algorithm) return Error(InfraErrc::internal, "JWT_ALGORITHM: unsupported algorithm");
  if (*algorithm == crypto::JwsAlgorithm::hs256) {
    auto ring =
        tokens::KeyRing::hmac(clock, config.jwt_secret_key, config.jwt_allow_insecure_secret);
    if (!ring) {
      return Error(ring.error().code,
                   "JWT_SECRET_KEY: refused (at least 32 bytes and not a well-known default; "
                   "JWT_ALLOW_INSECURE_SECRET=true allows it for development)");
    }
    return ring;
  }
  tokens::KeyRingOptions options;
  options.algorithm = *algorithm;
  options.retired_key_lifetime = config.refresh_token_lifetime;
  return std::make_unique<tokens::KeyRing>(clock, store, options);
}

ServiceGraph::ServiceGraph(const Config& config, Backends& backends)
    : users_(*backends.database),
      sessions_repository_(*backends.database),
      revocation_repository_(*backends.database),
      audit_(*backends.database),
      history_repository_(*backends.database),
      signing_keys_(*backends.database),
      role_repository_(*backends.database),
      hasher_(crypto::PasswordHasherOptions{{config.argon2_memory_kib, config.argon2_iterations},
                                            config.write_werkzeug_hashes}),
      cpu_(BoundedWorkPool::Options{config.cpu_workers, config.cpu_queue_limit}) {
  if (backends.redis) {
    ephemeral_ = std::make_unique<storage::RedisEphemeralStore>(
        backends.redis, backends.redis_subscriber, backends.redis_per_thread,
        config.redis_key_prefix);
  } else {
    ephemeral_ = std::make_unique<storage::MemoryEphemeralStore>();
  }
  key_store_ = std::make_unique<tokens::SqlKeyStore>(signing_keys_);
  auto ring = make_key_ring(config, clock_, *key_store_);
  if (!ring) throw std::runtime_error(ring.error().detail);
  key_ring_ = std::move(ring).value();

  issuer_ = std::make_unique<tokens::TokenIssuer>(
      clock_, *key_ring_,
      tokens::IssuerOptions{config.jwt_issuer, config.access_token_lifetime,
                            config.refresh_token_lifetime});
  // During an HS256 switch-over the original service's tokens carry no `iss`.
  verifier_ = std::make_unique<tokens::TokenVerifier>(
      clock_, *key_ring_,
      tokens::VerifierOptions{config.jwt_issuer, !key_ring_->is_hmac(), config.token_leeway});
  revocations_ = std::make_unique<auth::Revocations>(*ephemeral_, revocation_repository_,
                                                     sessions_repository_, clock_);
  directory_ = std::make_unique<auth::UserDirectory>(users_, *ephemeral_);
  accounts_ = std::make_unique<auth::Accounts>(users_, hasher_, cpu_, clock_,
                                               auth::PasswordPolicy{config.password_min_length});
  sessions_ = std::make_unique<auth::Sessions>(
      sessions_repository_, revocation_repository_, audit_, *revocations_, *directory_, *ephemeral_,
      *issuer_, cpu_, clock_, auth::SessionOptions{config.refresh_reuse_grace});
  authenticator_ = std::make_unique<auth::Authenticator>(*verifier_, *revocations_);
  history_ = std::make_unique<auth::LoginHistory>(history_repository_);
  roles_ = std::make_unique<auth::Roles>(role_repository_, users_, *directory_, clock_);
  limiter_ = std::make_unique<auth::RateLimiter>(*ephemeral_, config.request_limit_per_minute);
  throttle_ = std::make_unique<auth::LoginThrottle>(*ephemeral_, config.login_max_failures,
                                                    config.login_failure_window);
}

ServiceGraph::~ServiceGraph() {
  cpu_.stop();
}

boost::asio::awaitable<Result<void>> ServiceGraph::prepare() {
  if (!key_ring_->is_hmac()) {
    auto key = co_await key_ring_->ensure_key();
    if (!key) co_return Error(key.error().code, "signing key: " + key.error().describe());
  }
  // Without Redis at start-up the service still starts: checks fall back to the database until
  // the denylist is rebuilt (the first check that finds Redis without its marker triggers that).
  auto seeded = co_await revocations_->seed();
  if (!seeded) {
    log_event(spdlog::level::warn, "revocation denylist not seeded; checks use the database",
              {{"error", boost::json::value(seeded.error().describe())}});
  }
  directory_->start();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::int64_t>> ServiceGraph::purge_expired_revocations() {
  co_return co_await revocation_repository_.purge_expired(clock_.now());
}

http::ApiServices ServiceGraph::api_services(const Config& config) {
  http::ApiSettings settings;
  settings.public_url = config.public_url;
  settings.issuer = config.jwt_issuer;
  settings.algorithm = config.jwt_algorithm;
  settings.password_min_length = config.password_min_length;
  settings.introspection_clients = config.introspection_clients;
  settings.trusted_proxies = config.trusted_proxies;
  return http::ApiServices{
      *accounts_, *sessions_, *authenticator_, *directory_, *history_,
      *roles_,    *limiter_,  *throttle_,      *key_ring_,  std::move(settings)};
}

}  // namespace authsvc::app
