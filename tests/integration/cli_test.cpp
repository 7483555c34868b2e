// The `auth` binary as an operator uses it: exit codes, messages, and the database it leaves.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

// Runs `auth` with an embedded database in `dir` (and whatever extra environment is given).
CommandResult auth(const TempDir& dir, const std::string& args, const std::string& env = {}) {
  return run_command(
      "cd '" + dir.path().string() + "' && env -u DATABASE_URL -u REDIS_URL -u DB_HOST " +
      "SQLITE_PATH=auth.db ARGON2_MEMORY_KIB=19456 " + env + " " + auth_binary() + " " + args);
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, VersionAndHelp) {
  TempDir dir;
  const auto version = auth(dir, "--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("auth 0."), std::string::npos);
  const auto help = auth(dir, "--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word : {"serve", "db", "create"})
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
}

TEST(Cli, UsageErrorsExitTwo) {
  TempDir dir;
  EXPECT_EQ(auth(dir, "").exit_code, 2);
  EXPECT_EQ(auth(dir, "frobnicate").exit_code, 2);
  EXPECT_EQ(auth(dir, "db").exit_code, 2);
  EXPECT_EQ(auth(dir, "create superuser only-email@example.com").exit_code, 2);
  EXPECT_EQ(auth(dir, "serve --port 99999").exit_code, 2);
}

TEST(Cli, DbUpgradeTwiceChangesNothingTheSecondTime) {
  TempDir dir;
  const auto first = auth(dir, "db upgrade");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied 0001"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("applied 0002"), std::string::npos) << first.out;
  const auto second = auth(dir, "db upgrade");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "database is up to date\n");
  const auto status = auth(dir, "db status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("0001"), std::string::npos);
  EXPECT_EQ(status.out.find("pending"), std::string::npos) << status.out;
}

TEST(Cli, CreateSuperuserOnceThenRefusesTheSameEmail) {
  TempDir dir;
  const auto created = auth(dir, "create superuser Admin@Example.com 'correct horse battery'");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("created superuser"), std::string::npos);
  // The same address in another case is the same account (canonical e-mail).
  const auto again = auth(dir, "create superuser admin@example.com 'another password'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(line_count(again.err), 1U) << again.err;
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
}

TEST(Cli, CreateSuperuserValidatesInput) {
  TempDir dir;
  const auto short_password = auth(dir, "create superuser a@example.com short");
  EXPECT_EQ(short_password.exit_code, 1);
  EXPECT_NE(short_password.err.find("at least 8"), std::string::npos) << short_password.err;
  const auto bad_email = auth(dir, "create superuser not-an-email 'long enough password'");
  EXPECT_EQ(bad_email.exit_code, 1);
  EXPECT_EQ(line_count(bad_email.err), 1U);
}

TEST(Cli, InvalidConfigurationNamesTheOption) {
  TempDir dir;
  const auto result = auth(dir, "db upgrade", "APP_PORT=eighty");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.err), 1U);
  EXPECT_NE(result.err.find("APP_PORT"), std::string::npos) << result.err;
}

TEST(Cli, EnvFileIsReadAndEnvironmentWins) {
  TempDir dir;
  {
    std::ofstream out(dir.path() / "settings.env");
    out << "SQLITE_PATH=from-file.db\nLOG_LEVEL=loud\n";
  }
  const auto bad = auth(dir, "--env-file settings.env db upgrade");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("LOG_LEVEL"), std::string::npos) << bad.err;
  const auto good = auth(dir, "--env-file settings.env db upgrade", "LOG_LEVEL=warn");
  EXPECT_EQ(good.exit_code, 0) << good.err;
  // SQLITE_PATH from the process environment (auth.db) wins over the file's value.
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "auth.db"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "from-file.db"));
}

TEST(Cli, DbMigrateCreatesNumberedFilesForBothBackends) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "migrations" / "postgres");
  std::filesystem::create_directories(dir.path() / "migrations" / "sqlite");
  std::ofstream(dir.path() / "migrations" / "postgres" / "0007_old.sql") << "-- old\n";
  const auto result = auth(dir, "db migrate -m 'Add audit index'");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(
      std::filesystem::exists(dir.path() / "migrations" / "postgres" / "0008_add_audit_index.sql"))
      << result.out;
  EXPECT_TRUE(
      std::filesystem::exists(dir.path() / "migrations" / "sqlite" / "0008_add_audit_index.sql"));
  EXPECT_EQ(auth(dir, "db migrate").exit_code, 2);
}

TEST(Cli, ServeStopsGracefullyOnSigterm) {
  TempDir dir;
  const std::string log = (dir.path() / "serve.log").string();
  const std::string pid_file = (dir.path() / "serve.pid").string();
  // Start in the background, find the port in the log, then SIGTERM it.
  const auto started =
      run_command("cd '" + dir.path().string() + "' && (env -u DATABASE_URL -u REDIS_URL " +
                  "SQLITE_PATH=auth.db " + auth_binary() + " serve --port 0 >" + log +
                  " 2>&1 & echo $! >" + pid_file + ")");
  ASSERT_EQ(started.exit_code, 0);
  std::string pid;
  std::ifstream(pid_file) >> pid;
  std::uint16_t port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find("port=");
    if (at != std::string::npos) port = static_cast<std::uint16_t>(std::stoi(text.substr(at + 5)));
  }
  ASSERT_NE(port, 0) << "server did not report its port";
  HttpClient client(port);
  EXPECT_EQ(client.get("/healthz").status, 200U);
  const auto stopped = run_command("kill -TERM " + pid + " && for i in $(seq 100); do kill -0 " +
                                   pid + " 2>/dev/null || exit 0; sleep 0.05; done; exit 1");
  EXPECT_EQ(stopped.exit_code, 0) << "process did not exit after SIGTERM";
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("stopped"), std::string::npos) << text;
}

TEST(Cli, DbUpgradeOnPostgresTwice) {
  AUTH_REQUIRE_POSTGRES(database_url);
  TempDir dir;
  // Runs against the shared test database; migrations there may already be applied by other tests.
  const auto first = auth(dir, "db upgrade", "DATABASE_URL='" + database_url + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto second = auth(dir, "db upgrade", "DATABASE_URL='" + database_url + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "database is up to date\n");
}

}  // namespace
}  // namespace authsvc::test
