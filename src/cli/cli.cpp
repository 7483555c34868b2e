#include "cli/cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "common/config.hpp"

namespace authsvc::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Process environment over the optional env file (--env-file or AUTH_ENV_FILE).
Result<Config> configuration(const std::string& env_file) {
  EnvMap env = process_environment();
  std::string file = env_file;
  if (file.empty()) {
    if (const auto it = env.find("AUTH_ENV_FILE"); it != env.end()) file = it->second;
  }
  if (!file.empty()) {
    auto from_file = read_env_file(file);
    if (!from_file) return from_file.take_error();
    for (auto& [key, value] : *from_file)
      env.emplace(key, value);  // emplace keeps the process's value
  }
  auto config = load_config(env);
  if (!config) return Error(config.error().code, "invalid configuration: " + config.error().detail);
  return config;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"auth — authentication and authorization service"};
  app.set_version_flag("--version", std::string("auth ") + AUTH_VERSION);
  app.require_subcommand(1);
  std::string env_file;
  app.add_option("--env-file", env_file,
                 "Read KEY=VALUE settings from this file (the environment wins)");

  auto* serve = app.add_subcommand("serve", "Run the HTTP service");
  std::string host;
  int port = -1;
  serve->add_option("--host", host, "Listening address (env APP_HOST, default 127.0.0.1)");
  serve
      ->add_option("--port", port,
                   "Listening port, 0 for any free one (env APP_PORT, default 8000)")
      ->check(CLI::Range(0, 65535));

  auto* db = app.add_subcommand("db", "Database schema");
  db->require_subcommand(1);
  db->add_subcommand("upgrade",
                     "Apply every pending migration (adopts a database of the original service)");
  db->add_subcommand("status", "List migrations and whether each is applied");
  auto* migrate =
      db->add_subcommand("migrate", "Create a new numbered migration file for each backend");
  std::string message;
  std::string migrations_dir = "migrations";
  migrate->add_option("-m,--message", message, "What the migration does")->required();
  migrate->add_option("--dir", migrations_dir, "The migrations folder of the source tree");

  auto* create = app.add_subcommand("create", "Create records");
  create->require_subcommand(1);
  auto* superuser = create->add_subcommand("superuser", "Create a superuser with a password");
  std::string email, password;
  superuser->add_option("email", email, "E-mail address")->required();
  superuser->add_option("password", password, "Password")->required();

  auto* keys = app.add_subcommand("keys", "Signing keys");
  keys->require_subcommand(1);
  auto* rotate = keys->add_subcommand(
      "rotate", "Add a new active signing key (old public keys stay in the JWKS until expiry)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (migrate->parsed()) return create_migration(migrations_dir, message);

  auto config = configuration(env_file);
  if (!config) {
    std::cerr << "error: " << config.error().detail << '\n';
    return kExitFailure;
  }
  if (serve->parsed()) {
    if (!host.empty()) config->host = host;
    if (port >= 0) config->port = static_cast<std::uint16_t>(port);
    return serve_command(std::move(config).value());
  }
  if (db->got_subcommand("upgrade")) return db_upgrade(*config);
  if (db->got_subcommand("status")) return db_status(*config);
  if (superuser->parsed()) return create_superuser(*config, email, password);
  if (rotate->parsed()) return keys_rotate(*config);
  return kExitUsage;
}

}  // namespace authsvc::cli
