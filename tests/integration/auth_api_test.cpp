// The auth API on the real server (port 0), in both modes: embedded (SQLite + in-process state)
// and production (PostgreSQL + Redis). The contract's texts are covered by the black-box suite
// (tests/e2e); these tests cover concurrency, durability and failure behaviour.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <set>
#include <thread>

#include "common/ids.hpp"
#include "crypto/jws.hpp"
#include "crypto/jws_key.hpp"
#include "storage/sql_database.hpp"
#include "support/api_client.hpp"
#include "support/async.hpp"
#include "support/backend_modes.hpp"
#include "support/http_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "integration-password-1";

// Runs one database statement from the test thread. The caller's io_context must outlive the
// backend thread (which may still hold work on it after the result arrived): one for the process.
Result<storage::SqlResult> query(TestApp& app, std::string_view sql,
                                 std::vector<storage::SqlParam> params) {
  static boost::asio::io_context io;
  return run_sync(io, app.application().database().execute(sql, std::move(params)));
}

class AuthApiTest : public BackendModeTest {
 protected:
  // Runs `count` calls of `fn(i)` at once, each on its own thread.
  template <class F>
  static void in_parallel(int count, F fn) {
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < count; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        fn(i);
      });
    }
    go = true;
    for (auto& thread : threads) thread.join();
  }
};

TEST_P(AuthApiTest, FiftyParallelRefreshesOfOneTokenAllGetTheSamePair) {
  AUTH_MODE_CONFIG(cfg);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("refresh");
  api.register_user(email, kPassword);
  const auto first = api.login_ok(email, kPassword);

  std::vector<HttpResult> results(50);
  in_parallel(50, [&](int i) { results[i] = api.refresh(first.refresh); });

  std::set<std::string> bodies;
  for (const auto& result : results) {
    ASSERT_EQ(result.status, 200U) << result.body;
    bodies.insert(result.body);
  }
  EXPECT_EQ(bodies.size(), 1U) << "every success must carry the same successor pair";
  const auto successor = ApiClient::tokens_of(results.front());
  EXPECT_NE(successor.refresh, first.refresh);
  EXPECT_EQ(api.verify(successor.access).status, 200U);
  const auto old_access = api.verify(first.access);
  EXPECT_EQ(old_access.status, 401U);
  EXPECT_EQ(old_access.json().at("msg"), "Token has been revoked");
  // The successor rotates once more, normally.
  EXPECT_EQ(api.refresh(successor.refresh).status, 200U);
}

TEST_P(AuthApiTest, TwoHundredParallelSignupsOfTwentyEmailsCreateTwentyAccounts) {
  AUTH_MODE_CONFIG(cfg);
  TestApp app(*cfg);
  ApiClient api(app.port());
  std::vector<std::string> emails;
  for (int i = 0; i < 20; ++i) emails.push_back(ApiClient::unique_email("burst"));

  std::vector<HttpResult> results(200);
  in_parallel(200, [&](int i) {
    std::string email = emails[static_cast<std::size_t>(i % 20)];
    if (i % 3 == 0) email[0] = static_cast<char>(std::toupper(email[0]));  // same canonical form
    results[static_cast<std::size_t>(i)] = api.signup(email, kPassword);
  });

  int created = 0;
  int duplicates = 0;
  for (const auto& result : results) {
    ASSERT_LT(result.status, 500U) << result.body;
    if (result.status == 201) {
      ++created;
    } else {
      ASSERT_EQ(result.status, 400U) << result.body;
      EXPECT_NE(result.body.find("is already exists"), std::string::npos) << result.body;
      ++duplicates;
    }
  }
  EXPECT_EQ(created, 20);
  EXPECT_EQ(duplicates, 180);
  for (const auto& email : emails) EXPECT_EQ(api.login(email, kPassword).status, 200U) << email;
}

TEST_P(AuthApiTest, ReuseAfterTheGraceWindowEndsTheSessionAndIsAudited) {
  AUTH_MODE_CONFIG(cfg);
  cfg->refresh_reuse_grace = std::chrono::seconds(0);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("theft");
  const auto user_id = api.register_user(email, kPassword);
  const auto stolen = api.login_ok(email, kPassword);
  const auto other_session = api.login_ok(email, kPassword);

  const auto legitimate = api.refresh(stolen.refresh);
  ASSERT_EQ(legitimate.status, 200U);
  const auto successor = ApiClient::tokens_of(legitimate);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const auto reuse = api.refresh(stolen.refresh);
  EXPECT_EQ(reuse.status, 401U);
  EXPECT_EQ(reuse.json().at("msg"), "Token has been revoked");
  // The whole family is gone: the successor pair too.
  EXPECT_EQ(api.verify(successor.access).status, 401U);
  EXPECT_EQ(api.refresh(successor.refresh).status, 401U);
  // Other sessions are untouched.
  EXPECT_EQ(api.verify(other_session.access).status, 200U);

  std::vector<storage::SqlParam> params{user_id};
  auto audit = query(app, "SELECT kind FROM audit_event WHERE user_id = $1", std::move(params));
  ASSERT_TRUE(audit) << audit.error().describe();
  ASSERT_EQ(audit->size(), 1U);
  EXPECT_EQ(audit->at(0, 0), "refresh_token_reuse");
}

TEST_P(AuthApiTest, AFullHashingQueueAnswers503WithRetryAfter) {
  AUTH_MODE_CONFIG(cfg);
  cfg->cpu_workers = 1;
  cfg->cpu_queue_limit = 1;
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("storm");
  api.register_user(email, kPassword);

  std::vector<HttpResult> results(16);
  in_parallel(16,
              [&](int i) { results[static_cast<std::size_t>(i)] = api.login(email, kPassword); });
  int ok = 0;
  int overloaded = 0;
  for (const auto& result : results) {
    if (result.status == 200) {
      ++ok;
    } else {
      ASSERT_EQ(result.status, 503U) << result.body;
      EXPECT_EQ(result.header("retry-after"), "1");
      EXPECT_EQ(result.json().at("message"), "service overloaded, retry later");
      ++overloaded;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(overloaded, 1);
  // Verification never queues behind hashing.
  const auto tokens = api.login_ok(email, kPassword);
  EXPECT_EQ(api.verify(tokens.access).status, 200U);
}

TEST_P(AuthApiTest, LoginRehashesAWerkzeugHashToArgon2id) {
  AUTH_MODE_CONFIG(cfg);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const std::string id = new_uuid();
  const std::string email = ApiClient::unique_email("werkzeug");
  // Ivan's hash and password in the original service's own database (tests/data/original_*.sql).
  std::vector<storage::SqlParam> params{
      id, email,
      "pbkdf2:sha256:260000$tkDzdsV2nesjdw40$"
      "ff6c42254c183cb8752193db27e27e9ab7e85a97f88895d3e1d4d714e97086f0"};
  // Inserted as the original service would: its six columns, no canonical email, no profile.
  auto inserted =
      query(app,
            R"(INSERT INTO "user" (id, email, password_hash, is_active, is_superuser, date_joined)
               VALUES ($1, $2, $3, '1', '0', '2026-12-05 03:04:01.214222'))",
            std::move(params));
  ASSERT_TRUE(inserted) << inserted.error().describe();

  EXPECT_EQ(api.login(email, "wrong-password-1").status, 401U);
  ASSERT_EQ(api.login(email, "Ivan-original-1").status, 200U);
  std::vector<storage::SqlParam> lookup{id};
  auto stored = query(app, R"(SELECT password_hash FROM "user" WHERE id = $1)", std::move(lookup));
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->at(0, 0)->starts_with("$argon2id$")) << *stored->at(0, 0);
  EXPECT_EQ(api.login(email, "Ivan-original-1").status, 200U);
}

// Tokens as the original service issues them, signed with the shared HS256 secret.
class OriginalTokens {
 public:
  OriginalTokens(const std::string& secret, std::string user_id)
      : key_(crypto::JwsKey::hmac(secret).value()), user_id_(std::move(user_id)) {}

  // flask-jwt-extended's claims: no iss, no sid, no kid. `age`: seconds since issue.
  std::pair<std::string, std::string> pair(std::int64_t age = 0) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() -
                     age;
    const std::string access_jti = new_uuid();
    return {sign({{"fresh", false},
                  {"iat", now},
                  {"jti", access_jti},
                  {"type", "access"},
                  {"sub", user_id_},
                  {"nbf", now},
                  {"exp", now + 3600}}),
            sign({{"fresh", false},
                  {"iat", now},
                  {"jti", new_uuid()},
                  {"type", "refresh"},
                  {"sub", user_id_},
                  {"nbf", now},
                  {"exp", now + 86400},
                  {"at", access_jti}})};
  }

 private:
  std::string sign(const boost::json::object& claims) const {
    auto token = crypto::sign_jws(key_, "", boost::json::serialize(claims));
    if (!token) throw std::runtime_error(token.error().describe());
    return *token;
  }
  crypto::JwsKey key_;
  std::string user_id_;
};

TEST_P(AuthApiTest, TokensOfTheOriginalServiceStayValidDuringAnHs256SwitchOver) {
  AUTH_MODE_CONFIG(cfg);
  cfg->jwt_algorithm = "HS256";
  cfg->jwt_secret_key = random_hex(32);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("original");
  const auto user_id = api.register_user(email, kPassword);

  const auto [access, refresh] = OriginalTokens(cfg->jwt_secret_key, user_id).pair();

  const auto verified = api.verify(access);
  ASSERT_EQ(verified.status, 200U) << verified.body;
  EXPECT_EQ(verified.json().at("id").as_string(), user_id.c_str());

  const auto rotated = api.refresh(refresh);
  ASSERT_EQ(rotated.status, 200U) << rotated.body;
  EXPECT_EQ(api.refresh(refresh).body, rotated.body) << "a retry in the grace window";
  EXPECT_EQ(api.verify(access).status, 401U) << "the paired access token is revoked";
  const auto successor = ApiClient::tokens_of(rotated);
  EXPECT_EQ(api.verify(successor.access).status, 200U);
  // The successor belongs to a real session now.
  EXPECT_EQ(api.logout(successor.refresh).status, 200U);
  EXPECT_EQ(api.verify(successor.access).status, 401U);
}

// Tokens of the original service have no session: a credential event ends them by the account's
// cut-off (issue 13 item 5), and a reuse of a rotated one ends its family like a native reuse.
TEST_P(AuthApiTest, ACredentialEventEndsTheOriginalServicesTokens) {
  AUTH_MODE_CONFIG(cfg);
  cfg->jwt_algorithm = "HS256";
  cfg->jwt_secret_key = random_hex(32);
  TestApp app(*cfg);
  ApiClient api(app.port());
  HttpClient client(app.port());
  const auto email = ApiClient::unique_email("cutoff");
  const auto user_id = api.register_user(email, kPassword);
  const OriginalTokens original(cfg->jwt_secret_key, user_id);
  const auto [access, refresh] = original.pair(/*age=*/5);
  ASSERT_EQ(api.verify(access).status, 200U);

  const auto own = api.login_ok(email, kPassword);
  const auto everywhere =
      client.request("DELETE", "/api/v1/auth/sessions", "", {ApiClient::bearer(own.access)});
  ASSERT_EQ(everywhere.status, 204U) << everywhere.body;
  const auto after = api.verify(access);
  EXPECT_EQ(after.status, 401U) << "log out everywhere includes the original's tokens";
  EXPECT_EQ(after.json().at("msg"), "Token has been revoked");
  EXPECT_EQ(api.refresh(refresh).status, 401U) << "and its refresh token opens no session";

  // Tokens the original issues after the event (a later second: iat has whole seconds) are the
  // user's new ones.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto [later_access, later_refresh] = original.pair();
  EXPECT_EQ(api.verify(later_access).status, 200U);
  EXPECT_EQ(api.refresh(later_refresh).status, 200U);
}

TEST_P(AuthApiTest, AReusedRefreshTokenOfTheOriginalEndsItsFamily) {
  AUTH_MODE_CONFIG(cfg);
  cfg->jwt_algorithm = "HS256";
  cfg->jwt_secret_key = random_hex(32);
  cfg->refresh_reuse_grace = std::chrono::seconds(1);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("legacy-reuse");
  const auto user_id = api.register_user(email, kPassword);
  const auto [access, refresh] = OriginalTokens(cfg->jwt_secret_key, user_id).pair();
  const auto rotated = api.refresh(refresh);
  ASSERT_EQ(rotated.status, 200U) << rotated.body;
  const auto successor = ApiClient::tokens_of(rotated);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the grace window
  EXPECT_EQ(api.refresh(refresh).status, 401U);
  EXPECT_EQ(api.verify(successor.access).status, 401U) << "the family ended, as for a native reuse";
  EXPECT_EQ(api.refresh(successor.refresh).status, 401U);
}

INSTANTIATE_TEST_SUITE_P(Modes, AuthApiTest, kBackendModes, backend_mode_name);

// --- production only: several instances, Redis trouble ----------------------------------------

TEST(AuthApiProductionTest, ARevocationOnOneInstanceIsSeenByTheOtherAtOnce) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir_a;
  TempDir dir_b;
  TestApp a(production_test_config(dir_a, pg, redis));
  TestApp b(production_test_config(dir_b, pg, redis));
  ApiClient on_a(a.port());
  ApiClient on_b(b.port());
  const auto email = ApiClient::unique_email("fleet");
  on_a.register_user(email, kPassword);
  const auto tokens = on_a.login_ok(email, kPassword);
  ASSERT_EQ(on_b.verify(tokens.access).status, 200U) << "instances share keys and users";

  ASSERT_EQ(on_a.logout(tokens.refresh).status, 200U);
  const auto after = on_b.verify(tokens.access);
  EXPECT_EQ(after.status, 401U);
  EXPECT_EQ(after.json().at("msg"), "Token has been revoked");
  EXPECT_EQ(on_b.refresh(tokens.refresh).status, 401U);
}

TEST(AuthApiProductionTest, AUserChangeOnOneInstanceInvalidatesTheOthersCache) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir_a;
  TempDir dir_b;
  TestApp a(production_test_config(dir_a, pg, redis));
  TestApp b(production_test_config(dir_b, pg, redis));
  ApiClient on_b(b.port());
  const auto email = ApiClient::unique_email("roles");
  const auto user_id = on_b.register_user(email, kPassword);
  const auto tokens = on_b.login_ok(email, kPassword);
  ASSERT_EQ(on_b.verify(tokens.access).json().at("role"), "user");  // now cached on b

  const std::string role_id = new_uuid();
  const std::string role_name = "editor-" + random_hex(4);
  std::vector<storage::SqlParam> role_row{role_id, role_name};
  ASSERT_TRUE(query(a, "INSERT INTO role (id, name) VALUES ($1, $2)", std::move(role_row)));
  std::vector<storage::SqlParam> grant{new_uuid(), user_id, role_id};
  ASSERT_TRUE(query(a, "INSERT INTO usersroles (id, user_id, role_id) VALUES ($1, $2, $3)",
                    std::move(grant)));
  // What the roles endpoints do after a change: invalidate on every instance.
  static boost::asio::io_context io;
  ASSERT_TRUE(run_sync(io, a.application().services().directory().invalidate(user_id)));

  std::string role;
  for (int attempt = 0; attempt < 100 && role != role_name; ++attempt) {
    const auto answer = on_b.verify(tokens.access);
    ASSERT_EQ(answer.status, 200U) << answer.body;
    role = std::string(answer.json().at("role").as_string());
    if (role != role_name) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(role, role_name) << "instance b still serves the cached roles after 1 s";
}

TEST(AuthApiProductionTest, WithRedisUnreachableChecksFallBackToPostgresAndWritesFailClosed) {
  AUTH_REQUIRE_POSTGRES(pg);
  TempDir dir;
  auto config = production_test_config(dir, pg, "redis://127.0.0.1:1/0");
  config.redis_timeout = std::chrono::milliseconds(200);
  TestApp app(config);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("no-redis");
  api.register_user(email, kPassword);
  const auto tokens = api.login_ok(email, kPassword);
  EXPECT_EQ(api.verify(tokens.access).status, 200U) << "the database answers the check";

  // The session ends in the database, but the shared denylist cannot be told: 503, retryable.
  const auto logout = api.logout(tokens.refresh);
  EXPECT_EQ(logout.status, 503U) << logout.body;
  EXPECT_FALSE(logout.header("retry-after").empty());
  // Fail closed: the durable record already says revoked.
  const auto after = api.verify(tokens.access);
  EXPECT_EQ(after.status, 401U);
  EXPECT_EQ(after.json().at("msg"), "Token has been revoked");
  // The limiter let everything through uncounted, and says so.
  const auto metrics = HttpClient(app.port()).get("/metrics");
  ASSERT_EQ(metrics.status, 200U);
  EXPECT_EQ(metrics.body.find("auth_rate_limiter_degraded_total 0"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("auth_rate_limiter_degraded_total "), std::string::npos);
}

TEST(AuthApiMetricsTest, MetricsCountRequestsLoginsAndRejectionsForAllowedPeersOnly) {
  TempDir dir;
  TestApp app(embedded_test_config(dir));
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("metrics");
  api.register_user(email, kPassword);
  ASSERT_EQ(api.login(email, "wrong-password").status, 401U);
  const auto tokens = api.login_ok(email, kPassword);
  ASSERT_EQ(api.verify(tokens.refresh).status, 422U);
  const auto text = HttpClient(app.port()).get("/metrics");
  ASSERT_EQ(text.status, 200U);
  EXPECT_EQ(text.header("content-type"), "text/plain; version=0.0.4");
  for (const char* line :
       {"auth_login_success_total 1\n", "auth_login_failed_total{reason=\"wrong_credentials\"} 1\n",
        "auth_tokens_issued_total{how=\"login\"} 1\n",
        "auth_tokens_rejected_total{reason=\"Only non-refresh tokens are allowed\"} 1\n",
        "auth_http_requests_total{route=\"/api/v1/auth/signup\",method=\"POST\",status=\"201\"} "
        "1\n",
        "# TYPE auth_hash_queue_depth gauge\n"}) {
    EXPECT_NE(text.body.find(line), std::string::npos) << line << "\n" << text.body;
  }

  TempDir other;
  auto closed = embedded_test_config(other);
  closed.metrics_allow = {"10.9.9.9"};
  TestApp private_app(closed);
  const auto hidden = HttpClient(private_app.port()).get("/metrics");
  EXPECT_EQ(hidden.status, 404U);
  EXPECT_EQ(hidden.body, R"({"message":"not found"})");
}

}  // namespace
}  // namespace authsvc::test
