#include "common/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace authsvc {
namespace {

TEST(Config, DefaultsAreTheEmbeddedMode) {
  const auto config = load_config({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8000);
  EXPECT_FALSE(config->uses_postgres());
  EXPECT_FALSE(config->uses_redis());
  EXPECT_EQ(config->sqlite_path, "var/auth.db");
  EXPECT_GE(config->io_threads, 1U);
  EXPECT_EQ(config->max_body_bytes, 64U * 1024U);
  EXPECT_EQ(config->max_header_bytes, 8U * 1024U);
  EXPECT_FALSE(config->require_request_id);
}

TEST(Config, OriginalVariableNamesBuildConnections) {
  const auto config = load_config({{"DB_HOST", "db.local"},
                                   {"DB_PORT", "6543"},
                                   {"DB_NAME", "auth_db"},
                                   {"DB_USER", "app"},
                                   {"DB_PASSWORD", "p'w"},
                                   {"REDIS_HOST", "cache"},
                                   {"REDIS_PORT", "6380"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database_url,
            R"(host='db.local' port='6543' dbname='auth_db' user='app' password='p\'w')");
  EXPECT_EQ(config->redis_url, "redis://cache:6380/0");
}

TEST(Config, UrlFormsWin) {
  const auto config = load_config({{"DATABASE_URL", "postgresql://u:p@h:1/d"},
                                   {"DB_HOST", "ignored"},
                                   {"REDIS_URL", "redis://r:2/1"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database_url, "postgresql://u:p@h:1/d");
  EXPECT_EQ(config->redis_url, "redis://r:2/1");
}

TEST(Config, SqliteUrlSelectsEmbeddedFile) {
  const auto config = load_config({{"DATABASE_URL", "sqlite:///tmp/x/auth.db"}});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->uses_postgres());
  EXPECT_EQ(config->sqlite_path, "/tmp/x/auth.db");
}

TEST(Config, InvalidValuesNameTheOption) {
  const auto port = load_config({{"APP_PORT", "http"}});
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().detail.find("APP_PORT"), std::string::npos);
  const auto big = load_config({{"APP_PORT", "70000"}});
  ASSERT_FALSE(big.ok());
  const auto flag = load_config({{"REQUIRE_REQUEST_ID", "maybe"}});
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().detail.find("REQUIRE_REQUEST_ID"), std::string::npos);
  const auto db = load_config({{"DATABASE_URL", "mysql://x"}});
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().detail.find("DATABASE_URL"), std::string::npos);
  const auto weak = load_config({{"ARGON2_MEMORY_KIB", "1024"}});
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.error().detail.find("ARGON2_MEMORY_KIB"), std::string::npos);
  const auto format = load_config({{"LOG_FORMAT", "xml"}});
  ASSERT_FALSE(format.ok());
}

TEST(Config, RequireRequestIdAcceptsBooleans) {
  EXPECT_TRUE(load_config({{"REQUIRE_REQUEST_ID", "true"}})->require_request_id);
  EXPECT_TRUE(load_config({{"REQUIRE_REQUEST_ID", "1"}})->require_request_id);
  EXPECT_FALSE(load_config({{"REQUIRE_REQUEST_ID", "false"}})->require_request_id);
}

TEST(Config, EnvFileParsesCommentsQuotesAndExport) {
  const std::string path = ::testing::TempDir() + "/auth_config_test.env";
  {
    std::ofstream out(path);
    out << "# comment\n\nexport APP_PORT=9001\nAPP_HOST = \"0.0.0.0\"\nLOG_FORMAT='json'\n";
  }
  const auto env = read_env_file(path);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->at("APP_PORT"), "9001");
  EXPECT_EQ(env->at("APP_HOST"), "0.0.0.0");
  EXPECT_EQ(env->at("LOG_FORMAT"), "json");
  std::remove(path.c_str());
}

TEST(Config, EnvFileRejectsGarbageLines) {
  const std::string path = ::testing::TempDir() + "/auth_config_bad.env";
  {
    std::ofstream out(path);
    out << "APP_PORT=1\nthis is not a setting\n";
  }
  const auto env = read_env_file(path);
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.error().detail.find(":2:"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace authsvc

namespace authsvc {
namespace {

TEST(ConfigTokens, DefaultsAreRs256WithAStableIssuer) {
  const auto config = load_config({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->jwt_algorithm, "RS256");
  EXPECT_EQ(config->access_token_lifetime, std::chrono::hours(1));
  EXPECT_EQ(config->refresh_token_lifetime, std::chrono::hours(24 * 30));
  EXPECT_EQ(config->jwt_issuer, "auth");
  EXPECT_EQ(config->refresh_reuse_grace, std::chrono::seconds(10));
  EXPECT_EQ(config->token_leeway, std::chrono::seconds(0));
  EXPECT_TRUE(config->introspection_clients.empty());
}

TEST(ConfigTokens, OriginalNamesAndNewOptions) {
  const auto config = load_config({{"JWT_ALGORITHM", "HS256"},
                                   {"JWT_SECRET_KEY", "s3cret"},
                                   {"JWT_ACCESS_TOKEN_EXPIRES", "3"},
                                   {"PUBLIC_URL", "https://auth.example.com/"},
                                   {"INTROSPECTION_CLIENTS", "content:abc, billing:d:e"},
                                   {"TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2"}});
  ASSERT_TRUE(config.ok()) << config.error().detail;
  EXPECT_EQ(config->access_token_lifetime, std::chrono::hours(3));
  EXPECT_EQ(config->public_url, "https://auth.example.com");
  EXPECT_EQ(config->jwt_issuer, "https://auth.example.com");
  EXPECT_EQ(config->introspection_clients.at("content"), "abc");
  EXPECT_EQ(config->introspection_clients.at("billing"), "d:e");
  EXPECT_EQ(config->trusted_proxies, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
}

TEST(ConfigTokens, InvalidTokenOptionsNameTheOption) {
  const std::pair<EnvMap, std::string> cases[] = {
      {{{"JWT_ALGORITHM", "none"}}, "JWT_ALGORITHM"},
      {{{"JWT_ALGORITHM", "HS256"}}, "JWT_SECRET_KEY"},
      {{{"JWT_ACCESS_TOKEN_EXPIRES", "0"}}, "JWT_ACCESS_TOKEN_EXPIRES"},
      {{{"JWT_ACCESS_TOKEN_EXPIRES", "48"}, {"JWT_REFRESH_TOKEN_EXPIRES_DAYS", "1"}},
       "JWT_REFRESH_TOKEN_EXPIRES_DAYS"},
      {{{"INTROSPECTION_CLIENTS", "nosecret"}}, "INTROSPECTION_CLIENTS"},
      {{{"PUBLIC_URL", "ftp://x"}}, "PUBLIC_URL"},
      {{{"REFRESH_REUSE_GRACE_SECONDS", "-1"}}, "REFRESH_REUSE_GRACE_SECONDS"},
  };
  for (const auto& [env, option] : cases) {
    const auto config = load_config(env);
    ASSERT_FALSE(config.ok()) << option;
    EXPECT_TRUE(config.error().detail.starts_with(option + ":")) << config.error().detail;
  }
}

TEST(ConfigTokens, TheKeyEncryptionKeyComesFromTheVariableOrItsFileNotBoth) {
  const std::string path = ::testing::TempDir() + "/auth_config_kek";
  {
    std::ofstream out(path);
    out << std::string(64, 'c') << "\n";
  }
  auto from_file = load_config({{"AUTH_KEY_ENCRYPTION_KEY_FILE", path}});
  ASSERT_TRUE(from_file.ok()) << from_file.error().detail;
  EXPECT_EQ(from_file->key_encryption_key, std::string(64, 'c')) << "trimmed";
  auto both = load_config(
      {{"AUTH_KEY_ENCRYPTION_KEY", std::string(64, 'd')}, {"AUTH_KEY_ENCRYPTION_KEY_FILE", path}});
  ASSERT_FALSE(both.ok());
  EXPECT_TRUE(both.error().detail.starts_with("AUTH_KEY_ENCRYPTION_KEY and"))
      << both.error().detail;
  auto missing = load_config({{"AUTH_KEY_ENCRYPTION_KEY_FILE", path + ".absent"}});
  ASSERT_FALSE(missing.ok());
  std::remove(path.c_str());
}

TEST(ConfigTokens, TheExampleFileIsValidAndComplete) {
  auto env = read_env_file(std::string(AUTH_SOURCE_DIR) + "/config/auth.example.env");
  ASSERT_TRUE(env.ok()) << env.error().describe();
  const auto config = load_config(*env);
  ASSERT_TRUE(config.ok()) << config.error().detail;
  for (const char* option : {"JWT_ALGORITHM",
                             "JWT_SECRET_KEY",
                             "JWT_ACCESS_TOKEN_EXPIRES",
                             "JWT_REFRESH_TOKEN_EXPIRES_DAYS",
                             "JWT_ISSUER",
                             "PUBLIC_URL",
                             "REFRESH_REUSE_GRACE_SECONDS",
                             "INTROSPECTION_CLIENTS",
                             "TRUSTED_PROXIES",
                             "DATABASE_URL",
                             "REDIS_URL",
                             "APP_PORT",
                             "YANDEX_CLIENT_ID",
                             "YANDEX_CLIENT_SECRET",
                             "GOOGLE_CLIENT_ID",
                             "GOOGLE_CLIENT_SECRET",
                             "VK_CLIENT_ID",
                             "MAIL_CLIENT_ID",
                             "GITHUB_CLIENT_ID",
                             "FACEBOOK_CLIENT_ID",
                             "TWITTER_CLIENT_ID",
                             "YANDEX_AUTH_URL",
                             "GOOGLE_AUTH_URL",
                             "OAUTH_OIDC_PROVIDERS",
                             "OAUTH_REDIRECT_BASE_URL",
                             "OAUTH_LINK_VERIFIED_EMAIL",
                             "OAUTH_STATE_TTL_SECONDS",
                             "OAUTH_MAX_CONCURRENT_CALLBACKS",
                             "OUTBOUND_TIMEOUT_MS",
                             "OUTBOUND_CA_FILE"}) {
    EXPECT_TRUE(env->contains(option)) << option << " is not documented";
  }
}

TEST(ConfigOAuth, ProvidersAreEnabledByTheirCredentialsWithTheOriginalsNames) {
  const auto config = load_config(
      {{"YANDEX_CLIENT_ID", "y-id"},
       {"YANDEX_CLIENT_SECRET", "y-secret"},
       {"YANDEX_AUTH_URL", "http://127.0.0.1:9000/token"},
       {"GOOGLE_CLIENT_ID", "g-id"},
       {"GOOGLE_CLIENT_SECRET", "g-secret"},
       {"GOOGLE_AUTH_URL", "https://accounts.example/.well-known/openid-configuration"},
       {"OAUTH_GITHUB_USERINFO_URL", "http://localhost:1/user"},
       {"OAUTH_OIDC_PROVIDERS", "corp-sso, lab"},
       {"OAUTH_CORP_SSO_DISCOVERY_URL", "https://sso.corp/.well-known/openid-configuration"},
       {"OAUTH_CORP_SSO_CLIENT_ID", "c-id"},
       {"OAUTH_CORP_SSO_CLIENT_SECRET", "c-secret"},
       {"OAUTH_CORP_SSO_SCOPES", "openid email"},
       {"OAUTH_LAB_DISCOVERY_URL", "http://[::1]:8080/x"},
       {"OAUTH_LAB_CLIENT_ID", "l-id"},
       {"OAUTH_LAB_CLIENT_SECRET", "l-secret"},
       {"PUBLIC_URL", "https://auth.example.com/"}});
  ASSERT_TRUE(config.ok()) << config.error().detail;
  ASSERT_EQ(config->oauth_providers.size(), 4u);
  const auto& yandex = config->oauth_providers[0];
  EXPECT_EQ(yandex.name, "yandex");
  EXPECT_EQ(yandex.token_url, "http://127.0.0.1:9000/token") << "YANDEX_AUTH_URL is the token URL";
  const auto& google = config->oauth_providers[1];
  EXPECT_EQ(google.discovery_url, "https://accounts.example/.well-known/openid-configuration");
  EXPECT_EQ(config->oauth_providers[2].name, "corp-sso");
  EXPECT_TRUE(config->oauth_providers[2].generic_oidc);
  EXPECT_EQ(config->oauth_providers[2].scopes, "openid email");
  EXPECT_EQ(config->oauth_providers[3].discovery_url, "http://[::1]:8080/x");
  EXPECT_EQ(config->oauth_redirect_base_url, "https://auth.example.com") << "from PUBLIC_URL";
  EXPECT_FALSE(config->oauth_link_verified_email);
}

TEST(ConfigOAuth, BadProviderSettingsNameTheOption) {
  const EnvMap google{{"GOOGLE_CLIENT_ID", "g"},
                      {"GOOGLE_CLIENT_SECRET", "s"},
                      {"OAUTH_REDIRECT_BASE_URL", "https://auth.example.com"}};
  auto with = [&](EnvMap extra) {
    EnvMap env = google;
    for (auto& [key, value] : extra) env[key] = value;
    return env;
  };
  const std::pair<EnvMap, std::string> cases[] = {
      {{{"VK_CLIENT_ID", "only-the-id"}}, "VK_CLIENT_SECRET"},
      {{{"MAIL_CLIENT_SECRET", "only-the-secret"}}, "MAIL_CLIENT_ID"},
      {with({{"OAUTH_GOOGLE_TOKEN_URL", "http://evil.example/token"}}), "OAUTH_GOOGLE_TOKEN_URL"},
      {with({{"GOOGLE_AUTH_URL", "http://10.0.0.1/discovery"}}), "GOOGLE_AUTH_URL"},
      {with({{"OAUTH_OIDC_PROVIDERS", "google"}}), "OAUTH_OIDC_PROVIDERS"},
      {with({{"OAUTH_OIDC_PROVIDERS", "Bad Name"}}), "OAUTH_OIDC_PROVIDERS"},
      {with({{"OAUTH_OIDC_PROVIDERS", "corp"}, {"OAUTH_CORP_CLIENT_ID", "x"}}),
       "OAUTH_CORP_DISCOVERY_URL"},
      {with({{"OAUTH_REDIRECT_BASE_URL", "ftp://x"}}), "OAUTH_REDIRECT_BASE_URL"},
      {{{"GOOGLE_CLIENT_ID", "g"}, {"GOOGLE_CLIENT_SECRET", "s"}}, "OAUTH_REDIRECT_BASE_URL"},
      {with({{"OAUTH_STATE_TTL_SECONDS", "0"}}), "OAUTH_STATE_TTL_SECONDS"},
  };
  for (const auto& [env, option] : cases) {
    const auto config = load_config(env);
    ASSERT_FALSE(config.ok()) << option;
    EXPECT_TRUE(config.error().detail.starts_with(option + ":")) << config.error().detail;
  }
}

}  // namespace
}  // namespace authsvc

namespace authsvc {
namespace {

TEST(ConfigTracing, OffUnlessAnEndpointIsNamed) {
  const auto config = load_config({});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->exports_traces());
  EXPECT_EQ(config->otel_service_name, "auth");
  EXPECT_EQ(config->otel_sampler, "parentbased_always_on");
}

TEST(ConfigTracing, EndpointsInOpenTelemetrysOrderAndTheOriginalsJaegerHost) {
  EXPECT_EQ(
      load_config({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"}})->otlp_traces_url,
      "http://collector:4318/v1/traces");
  EXPECT_EQ(load_config({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"},
                         {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/in"}})
                ->otlp_traces_url,
            "https://traces.example/in");
  EXPECT_EQ(load_config({{"JAEGER_HOST_NAME", "jaeger"}})->otlp_traces_url,
            "http://jaeger:4318/v1/traces");
  EXPECT_EQ(load_config({{"JAEGER_HOST_NAME", "jaeger"},
                         {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}})
                ->otlp_traces_url,
            "http://collector:4318/v1/traces");
  EXPECT_FALSE(load_config({{"JAEGER_HOST_NAME", "jaeger"}, {"OTEL_SDK_DISABLED", "true"}})
                   ->exports_traces());
  EXPECT_FALSE(load_config({{"JAEGER_HOST_NAME", "jaeger"}, {"OTEL_TRACES_EXPORTER", "none"}})
                   ->exports_traces());
}

TEST(ConfigTracing, SamplerAndBatchSettings) {
  const auto config = load_config({{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                                   {"OTEL_TRACES_SAMPLER_ARG", "0.01"},
                                   {"OTEL_BSP_SCHEDULE_DELAY", "200"},
                                   {"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
                                   {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"},
                                   {"OTEL_SERVICE_NAME", "auth-eu"}});
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_EQ(config->otel_sampler, "parentbased_traceidratio");
  EXPECT_DOUBLE_EQ(config->otel_sampler_arg, 0.01);
  EXPECT_EQ(config->otel_schedule_delay, std::chrono::milliseconds(200));
  EXPECT_EQ(config->otel_max_queue, 100U);
  EXPECT_EQ(config->otel_max_batch, 10U);
  EXPECT_EQ(config->otel_service_name, "auth-eu");
}

TEST(ConfigTracing, BadValuesNameTheOption) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"OTEL_TRACES_SAMPLER", "jaeger_remote"},
           {"OTEL_TRACES_SAMPLER_ARG", "1.5"},
           {"OTEL_TRACES_SAMPLER_ARG", "half"},
           {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"},
           {"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"},
           {"OTEL_TRACES_EXPORTER", "zipkin"},
           {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "5000"}}) {
    const auto config = load_config({{name, value}});
    ASSERT_FALSE(config.ok()) << name << "=" << value;
    EXPECT_NE(config.error().detail.find(name), std::string::npos) << config.error().detail;
  }
  EXPECT_TRUE(load_config({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}).ok());
}

}  // namespace
}  // namespace authsvc
