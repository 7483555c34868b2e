#include "storage/migrations_catalog.hpp"

#include <gtest/gtest.h>

#include "storage/migrations_errc.hpp"

namespace authsvc::storage {
namespace {

TEST(MigrationsCatalog, ParsesFileNames) {
  const Migration m = parse_migration_file_name("0012_add_index.sql");
  EXPECT_EQ(m.version, 12);
  EXPECT_EQ(m.name, "add_index");
  for (const char* bad :
       {"add.sql", "_x.sql", "12x_a.sql", "0001_.sql", "0001_a.txt", "0000_a.sql", "README.md"}) {
    EXPECT_EQ(parse_migration_file_name(bad).version, 0) << bad;
  }
}

TEST(MigrationsCatalog, BothDialectsEmbedTheSameNumberedMigrations) {
  auto postgres = embedded_migrations_for(SqlDialect::postgres);
  auto sqlite = embedded_migrations_for(SqlDialect::sqlite);
  ASSERT_TRUE(postgres.ok()) << postgres.error().describe();
  ASSERT_TRUE(sqlite.ok()) << sqlite.error().describe();
  ASSERT_GE(postgres->size(), 2u);
  ASSERT_EQ(postgres->size(), sqlite->size());
  for (std::size_t i = 0; i < postgres->size(); ++i) {
    EXPECT_EQ((*postgres)[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ((*postgres)[i].version, (*sqlite)[i].version);
    EXPECT_EQ((*postgres)[i].name, (*sqlite)[i].name);
    EXPECT_FALSE((*postgres)[i].sql.empty());
  }
  EXPECT_EQ((*postgres)[0].name, "original_schema");
  EXPECT_NE((*postgres)[0].sql.find("6883623fa6f0"), std::string_view::npos);
}

TEST(MigrationsCatalog, RejectsMisnamedAndDuplicateFiles) {
  const std::vector<EmbeddedFile> misnamed{{"migrations/sqlite/first.sql", "SELECT 1;"}};
  auto a = migrations_for(SqlDialect::sqlite, misnamed);
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.error().is(MigrationErrc::invalid_migration_set));

  const std::vector<EmbeddedFile> duplicated{{"migrations/sqlite/0001_a.sql", "SELECT 1;"},
                                             {"migrations/sqlite/001_b.sql", "SELECT 2;"},
                                             {"migrations/postgres/0001_a.sql", "SELECT 1;"}};
  auto b = migrations_for(SqlDialect::sqlite, duplicated);
  ASSERT_FALSE(b.ok());
  auto c = migrations_for(SqlDialect::postgres, duplicated);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->size(), 1u);
}

}  // namespace
}  // namespace authsvc::storage
