#include "cli/commands.hpp"

#include <fmt/format.h>

#include <iostream>

#include "app/application.hpp"
#include "app/backend_runtime.hpp"
#include "app/backends.hpp"
#include "app/service_graph.hpp"
#include "app/sql_key_store.hpp"
#include "auth/accounts.hpp"
#include "storage/migrations.hpp"
#include "storage/signing_key_repository.hpp"
#include "storage/sql_user_repository.hpp"

namespace authsvc::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;

int fail(std::string_view reason) {
  std::cerr << "error: " << reason << '\n';
  return kExitFailure;
}

spdlog::level::level_enum log_level(const Config& config) {
  return spdlog::level::from_str(config.log_level);
}

// Opens the configured database for a one-shot command and closes it afterwards.
class CommandContext {
 public:
  explicit CommandContext(const Config& config) {
    init_logging(config.log_format, spdlog::level::warn);
    auto opened = app::open_backends(config, runtime_.executor());
    if (!opened) {
      error_ = opened.error().describe();
      return;
    }
    backends_ = std::move(opened).value();
  }
  ~CommandContext() { backends_.close(); }
  CommandContext(const CommandContext&) = delete;
  CommandContext& operator=(const CommandContext&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  storage::SqlDatabase& database() { return *backends_.database; }
  app::BackendRuntime& runtime() { return runtime_; }

 private:
  app::BackendRuntime runtime_;
  app::Backends backends_;
  std::string error_;
};

}  // namespace

int serve_command(Config config) {
  init_logging(config.log_format, log_level(config));
  app::Application application(std::move(config));
  if (auto started = application.start(); !started) return fail(started.error().describe());
  application.run_until_signal();
  return kExitOk;
}

int db_upgrade(const Config& config) {
  CommandContext context(config);
  if (!context.ok()) return fail(context.error());
  auto report = context.runtime().run(storage::upgrade(context.database()));
  if (!report) return fail(report.error().describe());
  if (report->adopted)
    std::cout << "adopted the original service's database (alembic revision 6883623fa6f0)\n";
  for (const auto& name : report->applied) std::cout << "applied " << name << '\n';
  if (report->applied.empty()) std::cout << "database is up to date\n";
  auto encryption = app::make_key_encryption(config);
  if (!encryption) return fail(encryption.error().describe());
  storage::SigningKeyRepository repository(context.database());
  app::SqlKeyStore store(repository, encryption->get());
  auto sealed = context.runtime().run(store.seal_stored_keys());
  if (!sealed) return fail(sealed.error().describe());
  if (*sealed > 0) {
    std::cout << "sealed " << *sealed << " signing key(s) with AUTH_KEY_ENCRYPTION_KEY\n";
  }
  return kExitOk;
}

int db_status(const Config& config) {
  CommandContext context(config);
  if (!context.ok()) return fail(context.error());
  auto migrations = context.runtime().run(storage::status(context.database()));
  if (!migrations) return fail(migrations.error().describe());
  for (const auto& m : *migrations) {
    std::cout << fmt::format(
        "{:04} {:<40} {}\n", m.version, m.name,
        m.applied ? "applied " + m.applied_at.value_or("") : std::string("pending"));
  }
  return kExitOk;
}

int create_migration(const std::string& migrations_dir, const std::string& message) {
  auto files = storage::create_migration_files(migrations_dir, message);
  if (!files) return fail(files.error().describe());
  for (const auto& file : *files) std::cout << "created " << file.string() << '\n';
  return kExitOk;
}

int create_superuser(const Config& config, const std::string& email, const std::string& password) {
  CommandContext context(config);
  if (!context.ok()) return fail(context.error());
  auto upgraded = context.runtime().run(storage::upgrade(context.database()));
  if (!upgraded) return fail(upgraded.error().describe());

  storage::SqlUserRepository users(context.database());
  const crypto::PasswordHasher hasher(crypto::PasswordHasherOptions{
      {config.argon2_memory_kib, config.argon2_iterations}, config.write_werkzeug_hashes});
  BoundedWorkPool cpu(BoundedWorkPool::Options{1, 1});
  const SystemClock clock;
  auth::Accounts accounts(users, hasher, cpu, clock,
                          auth::PasswordPolicy{config.password_min_length});
  auto created = context.runtime().run(accounts.create_superuser(email, password));
  if (!created) {
    const auto& error = created.error();
    if (error.is(auth::AccountErrc::email_taken))
      return fail("a user with email " + email + " already exists");
    if (error.is(auth::AccountErrc::invalid_email))
      return fail("not a valid email address: " + email);
    if (error.is(auth::AccountErrc::password_too_short)) {
      return fail(
          fmt::format("password must have at least {} characters", config.password_min_length));
    }
    if (error.is(auth::AccountErrc::password_too_long))
      return fail("password must be at most 1024 bytes");
    return fail(error.describe());
  }
  std::cout << "created superuser " << created->user.id << " <" << created->user.email << ">\n";
  return kExitOk;
}

}  // namespace authsvc::cli

namespace authsvc::cli {

int keys_rotate(const Config& config) {
  if (config.jwt_algorithm == "HS256")
    return fail(
        "JWT_ALGORITHM is HS256: its only key is JWT_SECRET_KEY, there is no ring to rotate");
  CommandContext context(config);
  if (!context.ok()) return fail(context.error());
  auto upgraded = context.runtime().run(storage::upgrade(context.database()));
  if (!upgraded) return fail(upgraded.error().describe());

  auto encryption = app::make_key_encryption(config);
  if (!encryption) return fail(encryption.error().describe());
  storage::SigningKeyRepository repository(context.database());
  app::SqlKeyStore store(repository, encryption->get());
  const SystemClock clock;
  auto ring = app::make_key_ring(config, clock, store);
  if (!ring) return fail(ring.error().describe());
  auto loaded = context.runtime().run((*ring)->reload());
  if (!loaded) return fail(loaded.error().describe());
  const auto previous = (*ring)->signer();
  auto rotated = context.runtime().run((*ring)->rotate());
  if (!rotated) return fail(rotated.error().describe());
  std::cout << "active key " << *rotated << " (" << config.jwt_algorithm << ")\n";
  if (previous) {
    std::cout << "retired key " << previous->kid
              << " keeps verifying until the tokens it signed have expired\n";
  }
  return kExitOk;
}

}  // namespace authsvc::cli
