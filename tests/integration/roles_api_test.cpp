// Roles, user roles, the admin rule, rate limiting and brute-force protection (SPEC 2, R4) on the
// real server, in embedded mode and against PostgreSQL + Redis.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "common/ids.hpp"
#include "support/api_client.hpp"
#include "support/async.hpp"
#include "support/backend_modes.hpp"
#include "support/http_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "roles-password-1";

class RolesApiTest : public BackendModeTest {
 protected:
  // A user with a session; superuser when asked (through the CLI's path: Accounts).
  struct Caller {
    std::string id;
    std::string email;
    std::string access;
  };
  static Caller make_user(TestApp& app, ApiClient& api, bool superuser = false) {
    Caller caller;
    caller.email = ApiClient::unique_email(superuser ? "root" : "plain");
    caller.id = api.register_user(caller.email, kPassword);
    if (superuser) {
      static boost::asio::io_context io;  // outlives the storage threads' work on it
      std::vector<storage::SqlParam> params{caller.id};
      auto done = run_sync(
          io, app.application().database().execute(
                  R"(UPDATE "user" SET is_superuser = '1' WHERE id = $1)", std::move(params)));
      if (!done) throw std::runtime_error(done.error().describe());
    }
    caller.access = api.login_ok(caller.email, kPassword).access;
    return caller;
  }

  static HttpResult call(std::uint16_t port, const std::string& method, const std::string& target,
                         const std::string& token, const std::string& body = {}) {
    HttpClient client(port);
    return client.request(method, target, body, {ApiClient::bearer(token)});
  }
};

TEST_P(RolesApiTest, EveryRoleRowOfTheContract) {
  AUTH_MODE_CONFIG(cfg);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto root = make_user(app, api, true);
  const auto port = app.port();
  const std::string name = "editor-" + random_hex(4);
  const std::string other = "viewer-" + random_hex(4);

  // create
  auto created = call(port, "POST", "/api/v1/roles/", root.access,
                      R"({"name":")" + name + R"(","description":"edits"})");
  ASSERT_EQ(created.status, 200U) << created.body;
  EXPECT_EQ(created.body, R"({"name":")" + name + R"(","description":"edits"})");
  ASSERT_EQ(
      call(port, "POST", "/api/v1/roles/", root.access, R"({"name":")" + other + R"("})").status,
      200U);
  auto duplicate =
      call(port, "POST", "/api/v1/roles/", root.access, R"({"name":")" + name + R"("})");
  EXPECT_EQ(duplicate.status, 409U);
  EXPECT_EQ(duplicate.json().at("message").as_string(),
            ("<Role " + name + "> already exists.").c_str());
  auto invalid = call(port, "POST", "/api/v1/roles/", root.access, R"({"description":5,"x":1})");
  EXPECT_EQ(invalid.status, 400U);
  EXPECT_EQ(invalid.body, R"({"message":{"name":["Missing data for required field."],)"
                          R"("description":["Not a valid string."],"x":["Unknown field."]}})");

  // list, in creation order; the slash-less path redirects
  auto listed = call(port, "GET", "/api/v1/roles/", root.access);
  ASSERT_EQ(listed.status, 200U);
  const auto roles = listed.json().at("roles").as_array();
  ASSERT_GE(roles.size(), 2U);
  EXPECT_EQ(roles[roles.size() - 2].at("name").as_string(), name.c_str());
  EXPECT_EQ(roles[roles.size() - 1].at("name").as_string(), other.c_str());
  auto redirect = call(port, "GET", "/api/v1/roles", root.access);
  EXPECT_EQ(redirect.status, 308U);
  EXPECT_EQ(redirect.header("location"), "/api/v1/roles/");

  // get by name
  auto fetched = call(port, "GET", "/api/v1/roles/" + name, root.access);
  ASSERT_EQ(fetched.status, 200U) << fetched.body;
  const std::string role_id(fetched.json().at("id").as_string());
  EXPECT_TRUE(is_uuid(role_id));
  auto unknown = call(port, "GET", "/api/v1/roles/nope-" + name, root.access);
  EXPECT_EQ(unknown.status, 404U);
  EXPECT_EQ(unknown.json().at("message").as_string(),
            ("There is no role with name = nope-" + name).c_str());

  // update
  const std::string renamed = name + "-2";
  auto updated = call(port, "PATCH", "/api/v1/roles/" + role_id, root.access,
                      R"({"name":")" + renamed + R"("})");
  ASSERT_EQ(updated.status, 200U) << updated.body;
  EXPECT_EQ(updated.body, R"({"name":")" + renamed + R"(","description":"edits"})");
  EXPECT_EQ(
      call(port, "PATCH", "/api/v1/roles/" + role_id, root.access, R"({"name":")" + other + R"("})")
          .status,
      409U);
  const std::string missing_id = new_uuid();
  auto missing = call(port, "PATCH", "/api/v1/roles/" + missing_id, root.access, R"({"name":"x"})");
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.json().at("message").as_string(),
            ("There is no data with id = " + missing_id + ".").c_str());

  // assign, check, revoke
  const auto member = make_user(app, api);
  const std::string link = "/api/v1/users/" + member.id + "/roles/" + role_id;
  EXPECT_EQ(call(port, "GET", link, root.access).body, R"({"exists":false})");
  auto assigned = call(port, "POST", link, root.access);
  ASSERT_EQ(assigned.status, 200U) << assigned.body;
  EXPECT_TRUE(is_uuid(std::string(assigned.json().at("id").as_string())));
  auto again = call(port, "POST", link, root.access);
  EXPECT_EQ(again.status, 409U);
  EXPECT_EQ(again.json().at("message").as_string(),
            ("<Role " + role_id + " for user " + member.id + "> already exists.").c_str());
  EXPECT_EQ(call(port, "GET", link, root.access).body, R"({"exists":true})");
  // The role shows on verify-jwt at once, and in the next token's claims.
  auto verified = api.verify(member.access);
  EXPECT_EQ(verified.json().at("role").as_string(), renamed.c_str());
  EXPECT_EQ(
      call(port, "POST", "/api/v1/users/" + new_uuid() + "/roles/" + role_id, root.access).status,
      404U);
  EXPECT_EQ(
      call(port, "POST", "/api/v1/users/" + member.id + "/roles/" + new_uuid(), root.access).status,
      404U);
  auto revoked = call(port, "DELETE", link, root.access);
  ASSERT_EQ(revoked.status, 200U);
  EXPECT_EQ(
      revoked.json().at("message").as_string(),
      ("Role with id = " + role_id + " for user with id = " + member.id + " is deleted.").c_str());
  EXPECT_EQ(api.verify(member.access).json().at("role"), "user");
  EXPECT_EQ(call(port, "DELETE", link, root.access).status, 404U);

  // delete removes the assignments too
  ASSERT_EQ(call(port, "POST", link, root.access).status, 200U);
  auto deleted = call(port, "DELETE", "/api/v1/roles/" + role_id, root.access);
  EXPECT_EQ(deleted.status, 204U);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(call(port, "DELETE", "/api/v1/roles/" + role_id, root.access).status, 404U);
  EXPECT_EQ(api.verify(member.access).json().at("roles").as_array().size(), 0U);
}

TEST_P(RolesApiTest, OnlySuperusersAndAdminHoldersPass) {
  AUTH_MODE_CONFIG(cfg);
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto port = app.port();
  const auto root = make_user(app, api, true);
  const auto plain = make_user(app, api);
  const auto other_role = make_user(app, api);
  const auto admin = make_user(app, api);

  // An `admin` role (it may exist already in a shared database) and another role.
  auto ensure_role = [&](const std::string& role_name) {
    call(port, "POST", "/api/v1/roles/", root.access, R"({"name":")" + role_name + R"("})");
    auto found = call(port, "GET", "/api/v1/roles/" + role_name, root.access);
    return std::string(found.json().at("id").as_string());
  };
  const auto admin_role = ensure_role("admin");
  const auto other_role_id = ensure_role("support-" + random_hex(4));
  ASSERT_EQ(
      call(port, "POST", "/api/v1/users/" + admin.id + "/roles/" + admin_role, root.access).status,
      200U);
  ASSERT_EQ(
      call(port, "POST", "/api/v1/users/" + other_role.id + "/roles/" + other_role_id, root.access)
          .status,
      200U);

  const std::vector<std::pair<std::string, std::string>> requests{
      {"GET", "/api/v1/roles/"},
      {"GET", "/api/v1/roles/admin"},
      {"GET", "/api/v1/users/" + plain.id + "/roles/" + admin_role}};
  for (const auto& [method, target] : requests) {
    for (const auto* caller : {&plain, &other_role}) {
      auto denied = call(port, method, target, caller->access);
      EXPECT_EQ(denied.status, 403U) << method << " " << target;
      EXPECT_EQ(denied.body, R"({"message":"Access error."})");
    }
    EXPECT_EQ(call(port, method, target, root.access).status, 200U) << target;
    EXPECT_EQ(call(port, method, target, admin.access).status, 200U) << target;
  }
  auto anonymous = HttpClient(port).get("/api/v1/roles/");
  EXPECT_EQ(anonymous.status, 401U);
  EXPECT_EQ(anonymous.body, R"({"msg":"Missing Authorization Header"})");
  EXPECT_EQ(call(port, "POST", "/api/v1/roles/", plain.access, R"({"name":"sneaky"})").status,
            403U);
}

TEST_P(RolesApiTest, TheLimitPassesExactlyUnderConcurrency) {
  AUTH_MODE_CONFIG(cfg);
  cfg->request_limit_per_minute = 20;
  cfg->redis_key_prefix = "test-" + random_hex(4) + ":";  // counters of its own in a shared Redis
  TestApp app(*cfg);
  std::optional<TestApp> second;  // production: two instances share the Redis counters
  if (GetParam() == BackendMode::production) second.emplace(*cfg);
  // A caller identity of its own: a fresh IP bucket is not available on loopback, so use a token.
  ApiClient setup(app.port());
  const auto email = ApiClient::unique_email("limited");
  setup.register_user(email, kPassword);
  const auto token = setup.login_ok(email, kPassword).access;

  std::vector<HttpResult> results(100);
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      const auto port = (second && i % 2 == 1) ? second->port() : app.port();
      results[static_cast<std::size_t>(i)] = call(port, "GET", "/api/v1/auth/hello", token);
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  int passed = 0;
  int limited = 0;
  for (const auto& result : results) {
    if (result.status == 200) {
      ++passed;
      EXPECT_EQ(result.header("ratelimit-limit"), "20");
    } else {
      ASSERT_EQ(result.status, 429U) << result.body;
      EXPECT_EQ(result.body, R"({"message":"too many requests"})");
      EXPECT_FALSE(result.header("retry-after").empty());
      EXPECT_EQ(result.header("ratelimit-remaining"), "0");
      ++limited;
    }
  }
  EXPECT_EQ(passed, 20);
  EXPECT_EQ(limited, 80);
}

TEST_P(RolesApiTest, TenFailedLoginsLockTheEmailEvenForTheRightPassword) {
  AUTH_MODE_CONFIG(cfg);
  cfg->login_max_failures = 10;
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("guessed");
  api.register_user(email, kPassword);

  // A success resets the count.
  for (int i = 0; i < 9; ++i) ASSERT_EQ(api.login(email, "wrong-password").status, 401U);
  ASSERT_EQ(api.login(email, kPassword).status, 200U);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(api.login(email, "wrong-password").status, 401U);
  auto locked = api.login(email, kPassword);
  EXPECT_EQ(locked.status, 429U);
  EXPECT_EQ(locked.body, R"({"message":"too many requests"})");
  EXPECT_FALSE(locked.header("retry-after").empty());
  // Case variants are the same account.
  std::string upper = email;
  upper[0] = static_cast<char>(std::toupper(upper[0]));
  EXPECT_EQ(api.login(upper, kPassword).status, 429U);

  // Unknown e-mails behave exactly the same.
  const auto nobody = ApiClient::unique_email("nobody");
  for (int i = 0; i < 10; ++i) {
    auto answer = api.login(nobody, "wrong-password");
    ASSERT_EQ(answer.status, 401U);
    EXPECT_EQ(answer.json().at("message").as_string(),
              ("Email " + nobody + " or password is wrong").c_str());
  }
  EXPECT_EQ(api.login(nobody, "wrong-password").status, 429U);
}

// Issue 13 item 7: a third party's failures do not lock the owner out (NIST SP 800-63B); clients
// told apart by the address a trusted proxy (nginx) reports.
TEST_P(RolesApiTest, FailuresFromOneClientLeaveTheOwnersClientIn) {
  AUTH_MODE_CONFIG(cfg);
  cfg->login_max_failures = 4;
  cfg->login_delay_base = std::chrono::milliseconds(0);
  cfg->trusted_proxies = {"127.0.0.1"};
  TestApp app(*cfg);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("owner");
  api.register_user(email, kPassword);
  auto login_from = [&](const std::string& address, const std::string& password) {
    HttpClient client(app.port());
    const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
    return client.request("POST", "/api/v1/auth/login", body,
                          {{"Content-Type", "application/json"}, {"X-Forwarded-For", address}});
  };
  for (int i = 0; i < 4; ++i) ASSERT_EQ(login_from("203.0.113.7", "wrong-password").status, 401U);
  EXPECT_EQ(login_from("203.0.113.7", kPassword).status, 429U) << "the guessing client is refused";
  const auto owner = login_from("198.51.100.2", kPassword);
  EXPECT_EQ(owner.status, 200U) << "the owner is not locked out: " << owner.body;
}

INSTANTIATE_TEST_SUITE_P(Modes, RolesApiTest, kBackendModes, backend_mode_name);

// Issue 13 item 4: two instances whose pub/sub channels never meet (different key prefixes on one
// Redis), so the only way a role change on one reaches the other's user cache is the change feed
// in the database. A demoted admin must lose access on both within about a second.
TEST(RolesAcrossInstancesTest, ADemotedAdminLosesAccessEverywhereWithoutPubSub) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir_a;
  TempDir dir_b;
  auto config_a = production_test_config(dir_a, pg, redis);
  config_a.redis_key_prefix = "feed-a-" + random_hex(4) + ":";
  auto config_b = production_test_config(dir_b, pg, redis);
  config_b.redis_key_prefix = "feed-b-" + random_hex(4) + ":";
  TestApp a(config_a);
  TestApp b(config_b);
  ApiClient on_a(a.port());
  ApiClient on_b(b.port());
  auto call = [](std::uint16_t port, const std::string& method, const std::string& target,
                 const std::string& token, const std::string& body = {}) {
    HttpClient client(port);
    return client.request(method, target, body, {ApiClient::bearer(token)});
  };

  const auto root_email = ApiClient::unique_email("feed-root");
  const auto root_id = on_a.register_user(root_email, kPassword);
  static boost::asio::io_context io;
  std::vector<storage::SqlParam> params{root_id};
  ASSERT_TRUE(run_sync(
      io, a.application().database().execute(
              R"(UPDATE "user" SET is_superuser = '1' WHERE id = $1)", std::move(params))));
  const auto root = on_a.login_ok(root_email, kPassword).access;
  const auto admin_email = ApiClient::unique_email("feed-admin");
  const auto admin_id = on_a.register_user(admin_email, kPassword);
  call(a.port(), "POST", "/api/v1/roles/", root, R"({"name":"admin"})");
  const auto role = call(a.port(), "GET", "/api/v1/roles/admin", root);
  ASSERT_EQ(role.status, 200U) << role.body;
  const std::string admin_role(role.json().at("id").as_string());
  ASSERT_EQ(
      call(a.port(), "POST", "/api/v1/users/" + admin_id + "/roles/" + admin_role, root).status,
      200U);
  const auto admin = on_a.login_ok(admin_email, kPassword).access;
  ASSERT_EQ(call(b.port(), "GET", "/api/v1/roles/", admin).status, 200U) << "cached on b now";

  const auto demoted =
      call(a.port(), "DELETE", "/api/v1/users/" + admin_id + "/roles/" + admin_role, root);
  ASSERT_LT(demoted.status, 300U) << demoted.body;
  EXPECT_EQ(call(a.port(), "GET", "/api/v1/roles/", admin).status, 403U);
  // Well under the cache's 5-minute backstop: the feed is read twice a second.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  unsigned status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = call(b.port(), "GET", "/api/v1/roles/", admin).status;
    if (status == 403U) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 403U) << "b still serves the admin from a stale cache";
}

}  // namespace
}  // namespace authsvc::test
