// `auth db migrate -m MSG`: new, empty migration files for both dialects.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "storage/migrations.hpp"

namespace authsvc::storage {
namespace {

constexpr std::size_t kMaxSlugLength = 60;

// "Add index on users!" -> "add_index_on_users". Only ASCII letters and digits survive.
std::string slugify(std::string_view message) {
  std::string slug;
  for (const char c : message) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      slug.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!slug.empty() && slug.back() != '_') {
      slug.push_back('_');
    }
    if (slug.size() >= kMaxSlugLength) break;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug;
}

// The message on one line, for the header comment.
std::string one_line(std::string_view message) {
  std::string line;
  for (const char c : message) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return line;
}

Result<int> highest_version(const std::filesystem::path& dir) {
  int highest = 0;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return highest;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const Migration parsed = parse_migration_file_name(it->path().filename().string());
    highest = std::max(highest, parsed.version);
  }
  if (ec) return Error(ec, "cannot list " + dir.string());
  return highest;
}

std::string header(SqlDialect dialect, const std::string& file_name, std::string_view message) {
  const bool postgres = dialect == SqlDialect::postgres;
  return fmt::format(
      "-- {file}: {message}\n"
      "-- {dialect} migration, created by `auth db migrate`. `auth db upgrade` runs it in one\n"
      "-- transaction together with its schema_migrations row: no BEGIN/COMMIT here.\n"
      "-- Keep the {other} file of the same number equivalent.{hint}\n\n",
      fmt::arg("file", file_name), fmt::arg("message", one_line(message)),
      fmt::arg("dialect", postgres ? "PostgreSQL" : "SQLite"),
      fmt::arg("other", postgres ? "sqlite" : "postgres"),
      fmt::arg("hint", postgres ? "\n-- Databases shared with the original service may differ: "
                                  "prefer IF NOT EXISTS."
                                : ""));
}

}  // namespace

Result<std::vector<std::filesystem::path>> create_migration_files(
    std::filesystem::path migrations_dir, std::string_view message) {
  const std::string slug = slugify(message);
  if (slug.empty()) {
    return Error(MigrationErrc::invalid_message,
                 message.empty()
                     ? "the message is empty"
                     : "the message has no ASCII letters or digits to name the file by");
  }
  const SqlDialect dialects[] = {SqlDialect::postgres, SqlDialect::sqlite};
  int next = 0;
  for (const SqlDialect dialect : dialects) {
    auto highest = highest_version(migrations_dir / dialect_directory(dialect));
    if (!highest) return highest.take_error();
    next = std::max(next, *highest);
  }
  ++next;
  const std::string file_name = fmt::format("{:04d}_{}.sql", next, slug);

  std::vector<std::filesystem::path> written;
  auto undo = [&written] {
    std::error_code ignored;
    for (const auto& path : written) std::filesystem::remove(path, ignored);
  };
  for (const SqlDialect dialect : dialects) {
    const std::filesystem::path dir = migrations_dir / dialect_directory(dialect);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      undo();
      return Error(ec, "cannot create " + dir.string());
    }
    const std::filesystem::path path = dir / file_name;
    if (std::filesystem::exists(path, ec)) {
      undo();
      return Error(std::make_error_code(std::errc::file_exists), path.string());
    }
    written.push_back(path);
    std::ofstream out(path, std::ios::binary);
    out << header(dialect, file_name, message);
    out.close();
    if (!out) {
      undo();
      return Error(std::make_error_code(std::errc::io_error), "cannot write " + path.string());
    }
  }
  return written;
}

}  // namespace authsvc::storage
