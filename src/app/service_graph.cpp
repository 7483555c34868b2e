#include "app/service_graph.hpp"

#include <stdexcept>

#include "app/sql_key_store.hpp"
#include "common/log.hpp"
#include "crypto/jws_algorithm.hpp"
#include "outbound/beast_http_client.hpp"
#include "outbound/traced_http_client.hpp"
#include "storage/memory_ephemeral_store.hpp"
#include "storage/redis/redis_ephemeral_store.hpp"
#include "storage/redis/redis_original_denylist.hpp"

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

Result<std::unique_ptr<crypto::KeyEncryption>> make_key_encryption(const Config& config) {
  std::vector<crypto::KeyEncryptionKey> keys;
  for (const auto& [variable, text] :
       {std::pair<const char*, const std::string&>{"AUTH_KEY_ENCRYPTION_KEY",
                                                   config.key_encryption_key},
        std::pair<const char*, const std::string&>{"AUTH_KEY_ENCRYPTION_KEY_PREVIOUS",
                                                   config.previous_key_encryption_key}}) {
    if (text.empty()) continue;
    auto key = crypto::KeyEncryptionKey::parse(text);
    if (!key) {
      return Error(InfraErrc::internal,
                   std::string(variable) + ": expected 64 hex digits or base64 of 32 bytes");
    }
    keys.push_back(std::move(*key));
  }
  if (config.key_encryption_key.empty()) {
    if (!config.previous_key_encryption_key.empty()) {
      return Error(InfraErrc::internal,
                   "AUTH_KEY_ENCRYPTION_KEY_PREVIOUS is set without AUTH_KEY_ENCRYPTION_KEY");
    }
    const bool keys_in_postgres = !config.database_url.empty() && config.jwt_algorithm != "HS256";
    if (keys_in_postgres && !config.allow_plaintext_signing_keys) {
      return Error(
          InfraErrc::internal,
          "AUTH_KEY_ENCRYPTION_KEY (or AUTH_KEY_ENCRYPTION_KEY_FILE) is required with "
          "PostgreSQL: signing keys must not sit in plaintext in a shared database and its "
          "backups (AUTH_ALLOW_PLAINTEXT_SIGNING_KEYS=true accepts that risk)");
    }
    return std::unique_ptr<crypto::KeyEncryption>();
  }
  return std::make_unique<crypto::KeyEncryption>(std::move(keys));
}

ServiceGraph::ServiceGraph(const Config& config, Backends& backends)
    : users_(*backends.database),
      user_changes_(*backends.database),
      sessions_repository_(*backends.database),
      revocation_repository_(*backends.database),
      denylist_state_(*backends.database),
      audit_(*backends.database),
      history_repository_(*backends.database),
      signing_keys_(*backends.database),
      role_repository_(*backends.database),
      hasher_(crypto::PasswordHasherOptions{{config.argon2_memory_kib, config.argon2_iterations},
                                            config.write_werkzeug_hashes}),
      cpu_(BoundedWorkPool::Options{config.cpu_workers, config.cpu_queue_limit}),
      service_clients_(config.introspection_clients),
      social_accounts_(*backends.database) {
  if (backends.redis) {
    ephemeral_ = std::make_unique<storage::RedisEphemeralStore>(
        backends.redis, backends.redis_subscriber, backends.redis_per_thread,
        config.redis_key_prefix);
  } else {
    ephemeral_ = std::make_unique<storage::MemoryEphemeralStore>();
  }
  auto encryption = make_key_encryption(config);
  if (!encryption) throw std::runtime_error(encryption.error().detail);
  key_encryption_ = std::move(encryption).value();
  key_store_ = std::make_unique<app::SqlKeyStore>(signing_keys_, key_encryption_.get());
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
  revocations_ =
      std::make_unique<auth::Revocations>(*ephemeral_, revocation_repository_, sessions_repository_,
                                          denylist_state_, clock_, config.token_leeway);
  if (backends.original_redis) {
    original_denylist_ = std::make_unique<storage::RedisOriginalDenylist>(backends.original_redis);
    original_revocations_ = std::make_unique<auth::OriginalRevocations>(
        *original_denylist_, *revocations_, clock_, config.refresh_token_lifetime);
  }
  directory_ = std::make_unique<auth::UserDirectory>(users_, user_changes_, *ephemeral_, clock_);
  accounts_ = std::make_unique<auth::Accounts>(users_, hasher_, cpu_, clock_,
                                               auth::PasswordPolicy{config.password_min_length});
  sessions_ = std::make_unique<auth::Sessions>(
      sessions_repository_, revocation_repository_, audit_, *revocations_, *directory_, *ephemeral_,
      *issuer_, cpu_, clock_,
      auth::SessionOptions{config.refresh_reuse_grace, std::chrono::milliseconds(3000),
                           [this] { metrics_.add("auth_refresh_reuse_detected_total"); }});
  authenticator_ = std::make_unique<auth::Authenticator>(*verifier_, *revocations_, *directory_,
                                                         original_revocations_.get());
  introspection_ = std::make_unique<auth::Introspection>(*authenticator_, *sessions_, *directory_);
  history_ = std::make_unique<auth::LoginHistory>(history_repository_, clock_);
  roles_ = std::make_unique<auth::Roles>(role_repository_, users_, *directory_, clock_);
  limiter_ = std::make_unique<auth::RateLimiter>(*ephemeral_, config.request_limit_per_minute);
  throttle_ = std::make_unique<auth::LoginThrottle>(
      *ephemeral_, throttle_fallback_,
      auth::LoginThrottleOptions{config.login_max_failures, config.login_account_max_failures,
                                 config.login_failure_window, config.login_delay_base,
                                 config.login_delay_max});
  logins_ =
      std::make_unique<auth::Logins>(*accounts_, *throttle_, *directory_, *sessions_, *history_);
  outbound::HttpClientOptions http;
  http.connect_timeout = std::min(config.outbound_timeout, std::chrono::milliseconds(3000));
  http.request_timeout = config.outbound_timeout;
  http.extra_ca_file = config.outbound_ca_file;
  // Provider calls carry the request's trace (and are spans of it when it is sampled).
  outbound_ = std::make_unique<outbound::TracedHttpClient>(
      std::make_unique<outbound::BeastHttpClient>(std::move(http)));
  providers_ =
      std::make_unique<oauth::ProviderRegistry>(config.oauth_providers, *outbound_, clock_);
  social_login_ = std::make_unique<oauth::SocialLogin>(
      *providers_, *ephemeral_, social_accounts_, users_, *accounts_, *directory_, *sessions_,
      *history_, clock_,
      oauth::SocialLoginOptions{config.oauth_redirect_base_url, config.oauth_link_verified_email,
                                config.oauth_state_ttl, config.oauth_max_concurrent_callbacks});
  describe_metrics(config);
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
  auto calibrated = co_await accounts_->calibrate_unknown_email_cost();
  if (!calibrated) {
    log_event(spdlog::level::warn, "could not match unknown e-mails' login cost to stored hashes",
              {{"error", boost::json::value(calibrated.error().describe())}});
  }
  directory_->start();
  revocations_->start();
  co_return ok_result();
}

void ServiceGraph::describe_metrics(const Config& config) {
  metrics_.describe("auth_login_success_total", "Password logins that issued tokens.");
  metrics_.describe("auth_login_failed_total", "Password logins refused, by reason.");
  metrics_.describe("auth_tokens_issued_total", "Token pairs issued, by how.");
  metrics_.describe("auth_tokens_rejected_total", "Bearer tokens refused, by reason.");
  metrics_.describe("auth_refresh_reuse_detected_total",
                    "Refresh tokens presented again after rotation (sessions ended).");
  metrics_.describe("auth_revocations_total", "Sessions ended and tokens revoked, by how.");
  metrics_.describe("auth_rate_limited_total", "Requests answered 429 by the rate limiter.");
  metrics_.describe("auth_rate_limiter_degraded_total",
                    "Requests let through uncounted because the limiter's store was unreachable.");
  metrics_.describe("auth_http_requests_total", "HTTP requests by route, method and status.");
  metrics_.describe("auth_oauth_callbacks_total", "OAuth callbacks by provider and outcome.");
  BoundedWorkPool* cpu = &cpu_;
  metrics_.gauge("auth_hash_queue_depth", "Hashing and signing jobs waiting for a worker.",
                 [cpu] { return static_cast<double>(cpu->queued()); });
  metrics_.gauge("auth_hash_running", "Hashing and signing jobs running now.",
                 [cpu] { return static_cast<double>(cpu->running()); });
  metrics_.gauge("auth_hash_queue_limit", "Jobs that may wait before requests get 503.",
                 [cpu] { return static_cast<double>(cpu->queue_limit()); });
  const double pool = config.uses_postgres() ? static_cast<double>(config.db_pool_size) : 2.0;
  metrics_.gauge("auth_db_pool_size", "Database connections this instance may open.",
                 [pool] { return pool; });
}

boost::asio::awaitable<Result<std::int64_t>> ServiceGraph::purge_expired_revocations() {
  co_return co_await revocation_repository_.purge_expired(clock_.now());
}

boost::asio::awaitable<Result<std::int64_t>> ServiceGraph::purge_old_user_changes() {
  // Every instance reads the feed twice a second; an hour is ample for one that was paused.
  co_return co_await user_changes_.purge(clock_.now() - std::chrono::hours(1));
}

}  // namespace authsvc::app
