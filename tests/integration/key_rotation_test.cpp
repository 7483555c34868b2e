// `auth keys rotate` on a running deployment: the new key signs, the old one keeps verifying until
// its tokens expire, and both are in the JWKS.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "support/api_client.hpp"
#include "support/async.hpp"
#include "support/process.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "rotation-password-1";

CommandResult auth_in(const TempDir& dir, const std::string& args, const std::string& env = {}) {
  return run_command(
      "cd '" + dir.path().string() +
      "' && env -u DATABASE_URL -u REDIS_URL -u DB_HOST -u AUTH_KEY_ENCRYPTION_KEY_FILE "
      "SQLITE_PATH=auth.db " +
      env + " " + auth_binary() + " " + args);
}

std::vector<std::string> jwks_kids(std::uint16_t port) {
  HttpClient client(port);
  const auto answer = client.get("/.well-known/jwks.json");
  EXPECT_EQ(answer.status, 200U);
  EXPECT_NE(answer.header("cache-control").find("max-age="), std::string::npos);
  std::vector<std::string> kids;
  const auto body = answer.json();
  for (const auto& key : body.at("keys").as_array()) {
    EXPECT_EQ(key.at("alg"), "RS256");
    EXPECT_EQ(key.at("use"), "sig");
    kids.emplace_back(key.at("kid").as_string());
  }
  return kids;
}

std::string kid_of(const std::string& token) {
  const auto header = token.substr(0, token.find('.'));
  std::string padded = header;
  for (char& c : padded) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (padded.size() % 4 != 0) padded += '=';
  const auto decoded = run_command("printf '%s' '" + padded + "' | base64 -d");
  return std::string(boost::json::parse(decoded.out).at("kid").as_string());
}

TEST(KeyRotation, OldTokensKeepWorkingAndNewTokensUseTheNewKey) {
  TempDir dir;
  auto config = embedded_test_config(dir);
  config.sqlite_path = (dir.path() / "auth.db").string();
  TestApp app(config);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("rotation");
  api.register_user(email, kPassword);
  const auto before = api.login_ok(email, kPassword);
  const auto old_kids = jwks_kids(app.port());
  ASSERT_EQ(old_kids.size(), 1U);
  EXPECT_EQ(kid_of(before.access), old_kids.front());

  const auto rotated = auth_in(dir, "keys rotate");
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.out.find("retired key " + old_kids.front()), std::string::npos) << rotated.out;

  // What the maintenance loop does every 30 s (or an unknown kid triggers at once).
  // The io_context outlives the storage threads that may still hold work on it.
  static boost::asio::io_context io;
  ASSERT_TRUE(run_sync(io, app.application().services().key_ring().reload()));

  const auto kids = jwks_kids(app.port());
  ASSERT_EQ(kids.size(), 2U) << "the retired key stays published";
  EXPECT_EQ(api.verify(before.access).status, 200U) << "a token of the retired key verifies";
  const auto after = api.login_ok(email, kPassword);
  EXPECT_NE(kid_of(after.access), old_kids.front());
  EXPECT_NE(std::find(kids.begin(), kids.end(), kid_of(after.access)), kids.end());
  EXPECT_EQ(api.verify(after.access).status, 200U);
}

TEST(KeyRotation, Hs256HasNothingToRotate) {
  TempDir dir;
  const auto result =
      auth_in(dir, "keys rotate", "JWT_ALGORITHM=HS256 JWT_SECRET_KEY=" + std::string(40, 'k'));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("HS256"), std::string::npos) << result.err;
}

TEST(KeyRotation, AWeakHs256SecretIsRefusedAtStartUp) {
  TempDir dir;
  const auto result =
      auth_in(dir, "serve --port 0", "JWT_ALGORITHM=HS256 JWT_SECRET_KEY=top_secret");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("JWT_SECRET_KEY"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace authsvc::test
