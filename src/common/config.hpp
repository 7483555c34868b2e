#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/result.hpp"

namespace authsvc {

// One social login provider as configured (SPEC 6). Empty endpoints: the provider's documented
// ones (OIDC: from its discovery document).
struct OAuthProviderConfig {
  std::string name;  // yandex, google, vk, mail, github, facebook, twitter, or a generic OIDC name
  bool generic_oidc = false;
  std::string client_id;
  std::string client_secret;
  std::string authorize_url;
  std::string token_url;
  std::string userinfo_url;
  std::string discovery_url;
  std::string scopes;  // empty: the provider's default for e-mail and names
};

// Every option of the service, with its default. config/auth.example.env documents each one.
struct Config {
  // Listening and HTTP limits.
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  unsigned io_threads = 0;  // 0: one per core
  bool require_request_id = false;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::milliseconds read_timeout{15'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{10'000};

  // Storage: PostgreSQL when database_url is set, else the embedded SQLite file.
  std::string database_url;
  std::string sqlite_path = "var/auth.db";
  std::size_t db_pool_size = 8;
  std::chrono::milliseconds db_connect_timeout{3'000};
  std::chrono::milliseconds db_query_timeout{5'000};

  // Redis: shared denylist and limiter when set, else in-process state.
  std::string redis_url;
  std::chrono::milliseconds redis_timeout{1'000};
  // Prepended to every key and channel, so several deployments can share one Redis.
  std::string redis_key_prefix;

  // Passwords: length rules and Argon2id hashing on the bounded CPU pool.
  std::size_t password_min_length = 8;
  std::uint32_t argon2_memory_kib = 19 * 1024;
  std::uint32_t argon2_iterations = 2;
  unsigned cpu_workers = 0;  // 0: one per core
  std::size_t cpu_queue_limit = 1024;
  bool write_werkzeug_hashes = false;

  // Tokens (SPEC 4). The key ring lives in the database unless the algorithm is HS256.
  std::string jwt_algorithm = "RS256";  // RS256, ES256, EdDSA or HS256
  std::string jwt_secret_key;           // HS256 only
  bool jwt_allow_insecure_secret = false;
  // Signing keys at rest: sealed with AES-256-GCM under this key-encryption key (64 hex digits or
  // base64 of 32 bytes); the previous one still opens rows during a rotation. Required with
  // PostgreSQL (a database the original service may share, and its backups) unless
  // allow_plaintext_signing_keys says otherwise.
  std::string key_encryption_key;
  std::string previous_key_encryption_key;
  bool allow_plaintext_signing_keys = false;
  std::chrono::seconds access_token_lifetime = std::chrono::hours(1);
  std::chrono::seconds refresh_token_lifetime = std::chrono::hours(24 * 30);
  std::chrono::seconds token_leeway{0};
  std::string jwt_issuer;  // default: public_url, else "auth"
  std::string public_url;  // base of discovery URLs; default: from the request's Host
  std::chrono::seconds refresh_reuse_grace{10};
  // HS256 switch-over with Redis: the original service's Redis database (on the same server), where
  // it lists the jtis it revoked, and how often that list is copied into the durable record (its
  // keys live one hour).
  int original_redis_db = 0;
  std::chrono::seconds original_denylist_import_interval{60};
  // RFC 7662 callers: client id -> secret.
  std::map<std::string, std::string, std::less<>> introspection_clients;

  // Social login (SPEC 6): the enabled providers, the base of callback URLs (never taken from an
  // unchecked Host), whether a provider-verified e-mail may join an existing account, and limits.
  std::vector<OAuthProviderConfig> oauth_providers;
  std::string oauth_redirect_base_url;  // default: public_url
  bool oauth_link_verified_email = false;
  std::chrono::seconds oauth_state_ttl{600};
  std::size_t oauth_max_concurrent_callbacks = 64;
  std::chrono::milliseconds outbound_timeout{10'000};
  std::string outbound_ca_file;  // trust anchors besides the system store (PEM)

  // SPEC R4 and brute-force protection.
  std::int64_t request_limit_per_minute = 20;
  // RFC 7662 introspection, per authenticated service client (per IP before authentication).
  std::int64_t introspection_limit_per_minute = 6000;
  std::int64_t login_max_failures = 10;  // per account and client
  std::int64_t login_account_max_failures = 100;
  std::chrono::seconds login_failure_window{900};
  std::chrono::milliseconds login_delay_base{100};
  std::chrono::milliseconds login_delay_max{2000};

  // Peers whose X-Real-IP / X-Forwarded-For are believed (nginx in front).
  std::vector<std::string> trusted_proxies;  // addresses or CIDR ranges; none by default
  // Peers that may read /metrics (others get 404).
  std::vector<std::string> metrics_allow{"127.0.0.1", "::1"};

  // Tracing (SPEC 7): spans exported over OTLP/HTTP JSON; no traces URL, no spans (the logs still
  // carry trace ids). OpenTelemetry's variable names and defaults.
  std::string otlp_traces_url;
  std::string otel_service_name = "auth";
  std::string otel_sampler = "parentbased_always_on";
  double otel_sampler_arg = 1.0;
  std::chrono::milliseconds otel_schedule_delay{5'000};
  std::size_t otel_max_queue = 2'048;
  std::size_t otel_max_batch = 512;
  std::chrono::milliseconds otel_export_timeout{10'000};

  // Logging.
  LogFormat log_format = LogFormat::text;
  std::string log_level = "info";

  bool uses_postgres() const { return !database_url.empty(); }
  bool uses_redis() const { return !redis_url.empty(); }
  bool exports_traces() const { return !otlp_traces_url.empty(); }
  // The original service's tokens are accepted (HS256), so its denylist is honoured.
  bool reads_original_denylist() const { return jwt_algorithm == "HS256" && uses_redis(); }
};

using EnvMap = std::map<std::string, std::string, std::less<>>;

// The process environment as a map.
EnvMap process_environment();
// KEY=VALUE lines (comments, blank lines, `export `, single or double quotes allowed).
Result<EnvMap> read_env_file(const std::filesystem::path& path);
// Builds the configuration from variables; an invalid option fails with one line naming it.
Result<Config> load_config(const EnvMap& env);

}  // namespace authsvc
