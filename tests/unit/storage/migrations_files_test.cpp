// `auth db migrate -m MSG`: create_migration_files.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "storage/migrations.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"

namespace authsvc::storage {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void touch(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "-- existing\n";
}

TEST(MigrationsFiles, NextNumberIsOnePastTheHighestOfBothFolders) {
  test::SqliteTempDir dir;
  touch(dir.path() / "postgres" / "0001_original_schema.sql");
  touch(dir.path() / "postgres" / "0002_auth_service.sql");
  touch(dir.path() / "sqlite" / "0001_original_schema.sql");
  touch(dir.path() / "sqlite" / "0003_only_here.sql");
  touch(dir.path() / "sqlite" / "notes.txt");

  auto files = create_migration_files(dir.path(), "Add index on users' e-mail!\nsecond line");
  ASSERT_TRUE(files.ok()) << files.error().describe();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0],
            dir.path() / "postgres" / "0004_add_index_on_users_e_mail_second_line.sql");
  EXPECT_EQ((*files)[1], dir.path() / "sqlite" / "0004_add_index_on_users_e_mail_second_line.sql");
  const std::string postgres = read((*files)[0]);
  EXPECT_TRUE(
      postgres.starts_with("-- 0004_add_index_on_users_e_mail_second_line.sql: Add index on "
                           "users' e-mail! second line\n"))
      << postgres;
  EXPECT_NE(postgres.find("PostgreSQL"), std::string::npos);
  EXPECT_NE(read((*files)[1]).find("SQLite"), std::string::npos);

  auto next = create_migration_files(dir.path(), "again");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)[0].filename(), "0005_again.sql");
}

TEST(MigrationsFiles, CreatesMissingFolders) {
  test::SqliteTempDir dir;
  auto files = create_migration_files(dir.path() / "migrations", "initial");
  ASSERT_TRUE(files.ok()) << files.error().describe();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "migrations" / "postgres" / "0001_initial.sql"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "migrations" / "sqlite" / "0001_initial.sql"));
}

TEST(MigrationsFiles, LongMessagesAreShortened) {
  test::SqliteTempDir dir;
  auto files = create_migration_files(dir.path(), std::string(200, 'a'));
  ASSERT_TRUE(files.ok());
  EXPECT_LE((*files)[0].filename().string().size(), 5u + 60u + 4u);
}

TEST(MigrationsFiles, RejectsMessagesWithoutAName) {
  test::SqliteTempDir dir;
  for (const char* bad : {"", "   ", "!!! ???", "Привет"}) {
    auto files = create_migration_files(dir.path(), bad);
    ASSERT_FALSE(files.ok()) << bad;
    EXPECT_TRUE(files.error().is(MigrationErrc::invalid_message)) << bad;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace authsvc::storage
