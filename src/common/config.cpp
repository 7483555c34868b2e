#include "common/config.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "common/ip_range.hpp"
#include "common/url_policy.hpp"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX name

namespace authsvc {
namespace {

struct ConfigError {
  std::string message;
};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

class Reader {
 public:
  explicit Reader(const EnvMap& env) : env_(env) {}

  const std::string* find(std::string_view name) const {
    const auto it = env_.find(name);
    return it == env_.end() ? nullptr : &it->second;
  }

  void string(std::string_view name, std::string& out) const {
    if (const auto* v = find(name)) out = *v;
  }

  template <class Int>
  void integer(std::string_view name, Int& out, long long min, long long max) const {
    const auto* v = find(name);
    if (!v) return;
    long long parsed = 0;
    const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
    if (ec != std::errc() || ptr != v->data() + v->size() || parsed < min || parsed > max) {
      throw ConfigError{
          fmt::format("{}: expected an integer from {} to {}, got '{}'", name, min, max, *v)};
    }
    out = static_cast<Int>(parsed);
  }

  void millis(std::string_view name, std::chrono::milliseconds& out, long long min,
              long long max) const {
    long long value = out.count();
    integer(name, value, min, max);
    out = std::chrono::milliseconds(value);
  }

  // A secret from `name`, or from the file named by `name`_FILE (surrounding whitespace trimmed);
  // both set is an error, so it is always clear which one is in force.
  void secret(const std::string& name, std::string& out) const {
    const auto* value = find(name);
    const auto* file = find(name + "_FILE");
    if (value && file) throw ConfigError{name + " and " + name + "_FILE: set only one"};
    if (value) out = *value;
    if (!file) return;
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw ConfigError{name + "_FILE: cannot read " + *file};
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.pop_back();
    }
    out = trim(content);
  }

  // Comma-separated values (addresses), blanks skipped.
  void address_list(std::string_view name, std::vector<std::string>& out) const {
    const auto* v = find(name);
    if (!v) return;
    out.clear();
    std::string_view rest = *v;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (!item.empty()) out.push_back(std::move(item));
    }
  }

  void real(std::string_view name, double& out, double min, double max) const {
    const auto* v = find(name);
    if (!v) return;
    char* end = nullptr;
    const double parsed = std::strtod(v->c_str(), &end);
    if (v->empty() || end != v->c_str() + v->size() || !(parsed >= min && parsed <= max)) {
      throw ConfigError{
          fmt::format("{}: expected a number from {} to {}, got '{}'", name, min, max, *v)};
    }
    out = parsed;
  }

  void boolean(std::string_view name, bool& out) const {
    const auto* v = find(name);
    if (!v) return;
    std::string lower = *v;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
      out = true;
    } else if (lower == "false" || lower == "0" || lower == "no" || lower == "off" ||
               lower.empty()) {
      out = false;
    } else {
      throw ConfigError{fmt::format("{}: expected true or false, got '{}'", name, *v)};
    }
  }

 private:
  const EnvMap& env_;
};

// libpq key=value conninfo from the original service's DB_* variables (values quoted for libpq).
std::string conninfo_from_parts(const Reader& r) {
  auto quote = [](const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string host = "localhost", port = "5432", name = "auth", user = "postgres", password;
  r.string("DB_HOST", host);
  r.string("DB_PORT", port);
  r.string("DB_NAME", name);
  r.string("DB_USER", user);
  r.string("DB_PASSWORD", password);
  std::string info = "host=" + quote(host) + " port=" + quote(port) + " dbname=" + quote(name) +
                     " user=" + quote(user);
  if (!password.empty()) info += " password=" + quote(password);
  return info;
}

void load_storage(const Reader& r, Config& c) {
  std::string url;
  r.string("DATABASE_URL", url);
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (path.starts_with("///"))
      path = path.substr(2);  // sqlite:///abs/path -> /abs/path
    else if (path.starts_with("//"))
      path = path.substr(2);
    if (path.empty()) throw ConfigError{"DATABASE_URL: sqlite URL without a file path"};
    c.sqlite_path = path;
  } else if (!url.empty()) {
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
      throw ConfigError{"DATABASE_URL: expected postgresql://... or sqlite:///path"};
    }
    c.database_url = url;
  } else if (r.find("DB_HOST")) {
    c.database_url = conninfo_from_parts(r);
  }
  r.string("SQLITE_PATH", c.sqlite_path);
  r.integer("DB_POOL_SIZE", c.db_pool_size, 1, 256);
  r.millis("DB_CONNECT_TIMEOUT_MS", c.db_connect_timeout, 100, 60'000);
  r.millis("DB_QUERY_TIMEOUT_MS", c.db_query_timeout, 100, 600'000);

  r.string("REDIS_URL", c.redis_url);
  if (c.redis_url.empty() && r.find("REDIS_HOST")) {
    std::string host = *r.find("REDIS_HOST"), port = "6379";
    r.string("REDIS_PORT", port);
    c.redis_url = "redis://" + host + ":" + port + "/0";
  }
  if (!c.redis_url.empty() && !c.redis_url.starts_with("redis://")) {
    throw ConfigError{"REDIS_URL: expected redis://host:port/db"};
  }
  r.millis("REDIS_TIMEOUT_MS", c.redis_timeout, 10, 60'000);
  r.string("REDIS_KEY_PREFIX", c.redis_key_prefix);
}

// "id:secret,id2:secret2"
std::map<std::string, std::string, std::less<>> parse_clients(std::string_view name,
                                                              std::string_view text) {
  std::map<std::string, std::string, std::less<>> clients;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size()) {
      throw ConfigError{fmt::format("{}: expected client_id:secret[,client_id:secret...]", name)};
    }
    clients[item.substr(0, colon)] = item.substr(colon + 1);
  }
  return clients;
}

void load_tokens(const Reader& r, Config& c) {
  r.string("JWT_ALGORITHM", c.jwt_algorithm);
  static const char* const kAlgorithms[] = {"RS256", "ES256", "EdDSA", "HS256"};
  if (std::find(std::begin(kAlgorithms), std::end(kAlgorithms), c.jwt_algorithm) ==
      std::end(kAlgorithms)) {
    throw ConfigError{"JWT_ALGORITHM: expected RS256, ES256, EdDSA or HS256, got '" +
                      c.jwt_algorithm + "'"};
  }
  r.string("JWT_SECRET_KEY", c.jwt_secret_key);
  r.boolean("JWT_ALLOW_INSECURE_SECRET", c.jwt_allow_insecure_secret);
  r.secret("AUTH_KEY_ENCRYPTION_KEY", c.key_encryption_key);
  r.secret("AUTH_KEY_ENCRYPTION_KEY_PREVIOUS", c.previous_key_encryption_key);
  r.boolean("AUTH_ALLOW_PLAINTEXT_SIGNING_KEYS", c.allow_plaintext_signing_keys);
  if (c.jwt_algorithm == "HS256" && c.jwt_secret_key.empty()) {
    throw ConfigError{"JWT_SECRET_KEY: required when JWT_ALGORITHM is HS256"};
  }
  long long access_hours = 1;
  r.integer("JWT_ACCESS_TOKEN_EXPIRES", access_hours, 1, 24 * 365);
  c.access_token_lifetime = std::chrono::hours(access_hours);
  long long refresh_days = 30;
  r.integer("JWT_REFRESH_TOKEN_EXPIRES_DAYS", refresh_days, 1, 3650);
  c.refresh_token_lifetime = std::chrono::hours(24 * refresh_days);
  if (c.refresh_token_lifetime < c.access_token_lifetime) {
    throw ConfigError{
        "JWT_REFRESH_TOKEN_EXPIRES_DAYS: must not be shorter than the access lifetime"};
  }
  long long leeway = 0;
  r.integer("JWT_LEEWAY_SECONDS", leeway, 0, 300);
  c.token_leeway = std::chrono::seconds(leeway);
  long long grace = 10;
  r.integer("REFRESH_REUSE_GRACE_SECONDS", grace, 0, 300);
  c.refresh_reuse_grace = std::chrono::seconds(grace);
  r.string("PUBLIC_URL", c.public_url);
  while (c.public_url.ends_with('/')) c.public_url.pop_back();
  if (!c.public_url.empty() && !c.public_url.starts_with("http://") &&
      !c.public_url.starts_with("https://")) {
    throw ConfigError{"PUBLIC_URL: expected http://... or https://..."};
  }
  r.string("JWT_ISSUER", c.jwt_issuer);
  r.integer("ORIGINAL_REDIS_DB", c.original_redis_db, 0, 1023);
  long long import_every = 60;
  r.integer("ORIGINAL_DENYLIST_IMPORT_SECONDS", import_every, 1, 1800);
  c.original_denylist_import_interval = std::chrono::seconds(import_every);
  r.address_list("TRUSTED_PROXIES", c.trusted_proxies);
  r.address_list("METRICS_ALLOW", c.metrics_allow);
  for (const auto& [name, list] : {std::pair{"TRUSTED_PROXIES", &c.trusted_proxies},
                                   std::pair{"METRICS_ALLOW", &c.metrics_allow}}) {
    for (const auto& entry : *list) {
      if (!IpRange::parse(entry)) {
        throw ConfigError{
            fmt::format("{}: expected IP addresses or CIDR ranges, got '{}'", name, entry)};
      }
    }
  }
  std::string clients;
  r.string("INTROSPECTION_CLIENTS", clients);
  c.introspection_clients = parse_clients("INTROSPECTION_CLIENTS", clients);
}

std::string upper_name(std::string_view name) {
  std::string out(name);
  for (char& ch : out) {
    ch = ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return out;
}

// SPEC 6: provider URLs are https, except on loopback addresses (local providers in tests).
void check_provider_url(std::string_view name, const std::string& url) {
  if (url.empty() || is_https_or_loopback_url(url)) return;
  throw ConfigError{fmt::format(
      "{}: must be an https URL (http only on a loopback address), got '{}'", name, url)};
}

void load_oauth_provider(const Reader& r, OAuthProviderConfig& p, std::string_view id_variable,
                         std::string_view secret_variable) {
  const std::string prefix = "OAUTH_" + upper_name(p.name) + "_";
  r.string(id_variable, p.client_id);
  r.string(secret_variable, p.client_secret);
  r.string(prefix + "AUTHORIZE_URL", p.authorize_url);
  r.string(prefix + "TOKEN_URL", p.token_url);
  r.string(prefix + "USERINFO_URL", p.userinfo_url);
  r.string(prefix + "DISCOVERY_URL", p.discovery_url);
  r.string(prefix + "SCOPES", p.scopes);
  for (const auto& [suffix, url] :
       {std::pair{"AUTHORIZE_URL", &p.authorize_url}, std::pair{"TOKEN_URL", &p.token_url},
        std::pair{"USERINFO_URL", &p.userinfo_url}, std::pair{"DISCOVERY_URL", &p.discovery_url}}) {
    check_provider_url(prefix + suffix, *url);
  }
}

void load_oauth(const Reader& r, Config& c) {
  static const char* const kBuiltin[] = {"yandex", "google",   "vk",     "mail",
                                         "github", "facebook", "twitter"};
  for (const char* name : kBuiltin) {
    OAuthProviderConfig p;
    p.name = name;
    const std::string id_variable = upper_name(name) + "_CLIENT_ID";
    const std::string secret_variable = upper_name(name) + "_CLIENT_SECRET";
    // The original's names: YANDEX_AUTH_URL is Yandex's token URL, GOOGLE_AUTH_URL Google's
    // discovery URL; the OAUTH_<PROVIDER>_* overrides win.
    if (p.name == "yandex") r.string("YANDEX_AUTH_URL", p.token_url);
    if (p.name == "google") r.string("GOOGLE_AUTH_URL", p.discovery_url);
    check_provider_url(p.name == "yandex" ? "YANDEX_AUTH_URL" : "GOOGLE_AUTH_URL",
                       p.name == "yandex" ? p.token_url : p.discovery_url);
    load_oauth_provider(r, p, id_variable, secret_variable);
    if (p.client_id.empty() && p.client_secret.empty()) continue;
    if (p.client_id.empty()) throw ConfigError{id_variable + ": required with " + secret_variable};
    if (p.client_secret.empty()) {
      throw ConfigError{secret_variable + ": required with " + id_variable};
    }
    c.oauth_providers.push_back(std::move(p));
  }
  std::vector<std::string> generic;
  r.address_list("OAUTH_OIDC_PROVIDERS", generic);
  for (const auto& name : generic) {
    const bool valid =
        !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        });
    if (!valid || std::find(std::begin(kBuiltin), std::end(kBuiltin), name) != std::end(kBuiltin) ||
        name == "accounts") {
      throw ConfigError{"OAUTH_OIDC_PROVIDERS: '" + name +
                        "' is not a usable name (lower-case letters, digits, '-' and '_', not a "
                        "built-in provider)"};
    }
    OAuthProviderConfig p;
    p.name = name;
    p.generic_oidc = true;
    const std::string prefix = "OAUTH_" + upper_name(name) + "_";
    load_oauth_provider(r, p, prefix + "CLIENT_ID", prefix + "CLIENT_SECRET");
    for (const auto& [variable, value] :
         {std::pair{"DISCOVERY_URL", &p.discovery_url}, std::pair{"CLIENT_ID", &p.client_id},
          std::pair{"CLIENT_SECRET", &p.client_secret}}) {
      if (value->empty()) throw ConfigError{prefix + variable + ": required for " + name};
    }
    c.oauth_providers.push_back(std::move(p));
  }
  r.string("OAUTH_REDIRECT_BASE_URL", c.oauth_redirect_base_url);
  while (c.oauth_redirect_base_url.ends_with('/')) c.oauth_redirect_base_url.pop_back();
  if (!c.oauth_redirect_base_url.empty() && !c.oauth_redirect_base_url.starts_with("http://") &&
      !c.oauth_redirect_base_url.starts_with("https://")) {
    throw ConfigError{"OAUTH_REDIRECT_BASE_URL: expected http://... or https://..."};
  }
  r.boolean("OAUTH_LINK_VERIFIED_EMAIL", c.oauth_link_verified_email);
  long long ttl = 600;
  r.integer("OAUTH_STATE_TTL_SECONDS", ttl, 1, 3600);
  c.oauth_state_ttl = std::chrono::seconds(ttl);
  r.integer("OAUTH_MAX_CONCURRENT_CALLBACKS", c.oauth_max_concurrent_callbacks, 1, 100'000);
  r.millis("OUTBOUND_TIMEOUT_MS", c.outbound_timeout, 100, 120'000);
  r.string("OUTBOUND_CA_FILE", c.outbound_ca_file);
}

// OpenTelemetry's SDK variables, as far as a traces exporter over OTLP/HTTP JSON goes; the
// original service's JAEGER_HOST_NAME names a Jaeger that takes OTLP on 4318.
void load_tracing(const Reader& r, Config& c) {
  bool disabled = false;
  r.boolean("OTEL_SDK_DISABLED", disabled);
  std::string exporter = "otlp";
  r.string("OTEL_TRACES_EXPORTER", exporter);
  if (exporter != "otlp" && exporter != "none") {
    throw ConfigError{"OTEL_TRACES_EXPORTER: expected otlp or none, got '" + exporter + "'"};
  }
  for (const char* name : {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
    if (const auto* protocol = r.find(name); protocol && *protocol != "http/json") {
      throw ConfigError{fmt::format("{}: only http/json is supported, got '{}'", name, *protocol)};
    }
  }
  std::string url;
  std::string base;
  std::string jaeger;
  r.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url);
  r.string("OTEL_EXPORTER_OTLP_ENDPOINT", base);
  r.string("JAEGER_HOST_NAME", jaeger);
  if (url.empty() && !base.empty()) {
    while (base.ends_with('/')) base.pop_back();
    url = base + "/v1/traces";
  }
  if (url.empty() && !jaeger.empty()) url = "http://" + jaeger + ":4318/v1/traces";
  if (!url.empty() && !url.starts_with("http://") && !url.starts_with("https://")) {
    throw ConfigError{"OTEL_EXPORTER_OTLP_ENDPOINT: expected http://... or https://..., got '" +
                      url + "'"};
  }
  if (!disabled && exporter == "otlp") c.otlp_traces_url = url;
  r.string("OTEL_SERVICE_NAME", c.otel_service_name);
  if (c.otel_service_name.empty()) throw ConfigError{"OTEL_SERVICE_NAME: must not be empty"};
  r.string("OTEL_TRACES_SAMPLER", c.otel_sampler);
  static const char* const kSamplers[] = {"always_on",
                                          "always_off",
                                          "traceidratio",
                                          "parentbased_always_on",
                                          "parentbased_always_off",
                                          "parentbased_traceidratio"};
  if (std::find(std::begin(kSamplers), std::end(kSamplers), c.otel_sampler) ==
      std::end(kSamplers)) {
    throw ConfigError{
        "OTEL_TRACES_SAMPLER: expected always_on, always_off, traceidratio or a "
        "parentbased_ form of them, got '" +
        c.otel_sampler + "'"};
  }
  r.real("OTEL_TRACES_SAMPLER_ARG", c.otel_sampler_arg, 0.0, 1.0);
  r.millis("OTEL_BSP_SCHEDULE_DELAY", c.otel_schedule_delay, 1, 600'000);
  r.integer("OTEL_BSP_MAX_QUEUE_SIZE", c.otel_max_queue, 1, 10'000'000);
  r.integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", c.otel_max_batch, 1, 10'000'000);
  if (c.otel_max_batch > c.otel_max_queue) {
    throw ConfigError{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE"};
  }
  r.millis("OTEL_EXPORTER_OTLP_TIMEOUT", c.otel_export_timeout, 1, 600'000);
  r.millis("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", c.otel_export_timeout, 1, 600'000);
}

void load_logging(const Reader& r, Config& c) {
  std::string format = "text";
  r.string("LOG_FORMAT", format);
  if (format == "json")
    c.log_format = LogFormat::json;
  else if (format == "text")
    c.log_format = LogFormat::text;
  else
    throw ConfigError{"LOG_FORMAT: expected text or json, got '" + format + "'"};
  r.string("LOG_LEVEL", c.log_level);
  static const char* const kLevels[] = {"trace", "debug",    "info", "warn",
                                        "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) {
    throw ConfigError{
        "LOG_LEVEL: expected trace, debug, info, warn, error, critical or off, got '" +
        c.log_level + "'"};
  }
}

}  // namespace

EnvMap process_environment() {
  EnvMap env;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view line(*entry);
    const auto eq = line.find('=');
    if (eq != std::string_view::npos)
      env.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return env;
}

Result<EnvMap> read_env_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error(InfraErrc::unavailable, "cannot read env file " + path.string());
  EnvMap env;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    if (text.starts_with("export ")) text = trim(std::string_view(text).substr(7));
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error(InfraErrc::internal,
                   fmt::format("{}:{}: expected KEY=VALUE", path.string(), number));
    }
    std::string key = trim(std::string_view(text).substr(0, eq));
    std::string value = trim(std::string_view(text).substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    env[key] = value;
  }
  return env;
}

Result<Config> load_config(const EnvMap& env) {
  Config c;
  const Reader r(env);
  try {
    r.string("APP_HOST", c.host);
    r.integer("APP_PORT", c.port, 0, 65535);
    r.integer("AUTH_WORKERS", c.io_threads, 0, 256);
    r.boolean("REQUIRE_REQUEST_ID", c.require_request_id);
    r.integer("MAX_BODY_BYTES", c.max_body_bytes, 1024, 64 * 1024 * 1024);
    r.integer("MAX_HEADER_BYTES", c.max_header_bytes, 1024, 1024 * 1024);
    r.millis("READ_TIMEOUT_MS", c.read_timeout, 100, 600'000);
    r.millis("IDLE_TIMEOUT_MS", c.idle_timeout, 100, 3'600'000);
    r.millis("SHUTDOWN_GRACE_MS", c.shutdown_grace, 0, 600'000);
    load_storage(r, c);
    r.integer("PASSWORD_MIN_LENGTH", c.password_min_length, 1, 1024);
    r.integer("ARGON2_MEMORY_KIB", c.argon2_memory_kib, 19 * 1024, 4 * 1024 * 1024);
    r.integer("ARGON2_ITERATIONS", c.argon2_iterations, 2, 100);
    r.integer("CPU_WORKERS", c.cpu_workers, 0, 256);
    r.integer("CPU_QUEUE_LIMIT", c.cpu_queue_limit, 1, 1'000'000);
    r.boolean("WRITE_WERKZEUG_HASHES", c.write_werkzeug_hashes);
    load_tokens(r, c);
    load_oauth(r, c);
    r.integer("REQUEST_LIMIT_PER_MINUTE", c.request_limit_per_minute, 1, 1'000'000'000);
    r.integer("INTROSPECTION_LIMIT_PER_MINUTE", c.introspection_limit_per_minute, 1, 1'000'000'000);
    r.integer("LOGIN_MAX_FAILURES", c.login_max_failures, 1, 1'000'000);
    long long window = 900;
    r.integer("LOGIN_FAILURE_WINDOW_SECONDS", window, 1, 86'400);
    c.login_failure_window = std::chrono::seconds(window);
    r.integer("LOGIN_ACCOUNT_MAX_FAILURES", c.login_account_max_failures, 1, 1'000'000'000);
    long long delay_base = 100;
    long long delay_max = 2000;
    r.integer("LOGIN_DELAY_BASE_MS", delay_base, 0, 60'000);
    r.integer("LOGIN_DELAY_MAX_MS", delay_max, 0, 60'000);
    c.login_delay_base = std::chrono::milliseconds(delay_base);
    c.login_delay_max = std::chrono::milliseconds(delay_max);
    load_tracing(r, c);
    load_logging(r, c);
  } catch (const ConfigError& e) {
    return Error(InfraErrc::internal, e.message);
  }
  if (c.host.empty()) return Error(InfraErrc::internal, "APP_HOST: must not be empty");
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  if (c.io_threads == 0) c.io_threads = cores;
  if (c.cpu_workers == 0) c.cpu_workers = cores;
  // Stable across instances and ports, so every instance accepts every other's tokens.
  if (c.jwt_issuer.empty()) c.jwt_issuer = c.public_url.empty() ? "auth" : c.public_url;
  // Callback URLs are never built from an unchecked Host.
  if (c.oauth_redirect_base_url.empty()) c.oauth_redirect_base_url = c.public_url;
  if (!c.oauth_providers.empty() && c.oauth_redirect_base_url.empty()) {
    return Error(InfraErrc::internal,
                 "OAUTH_REDIRECT_BASE_URL: required (or PUBLIC_URL) when a social login provider "
                 "is configured");
  }
  return c;
}

}  // namespace authsvc
