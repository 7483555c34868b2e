#include "storage/migrations_script.hpp"

#include <gtest/gtest.h>

#include "storage/migrations_errc.hpp"

namespace authsvc::storage {
namespace {

std::vector<std::string> split(std::string_view script) {
  auto r = split_sql_script(script);
  EXPECT_TRUE(r.ok()) << r.error().describe();
  return r.ok() ? *r : std::vector<std::string>{};
}

TEST(MigrationsScript, SplitsAtTopLevelSemicolons) {
  EXPECT_EQ(
      split("CREATE TABLE a (x int);\n\n  INSERT INTO a VALUES (1)  ;SELECT 1"),
      (std::vector<std::string>{"CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)", "SELECT 1"}));
}

TEST(MigrationsScript, DropsEmptyAndCommentOnlyStatements) {
  EXPECT_EQ(split("-- header; with a semicolon\n;;\n/* block; */\nSELECT 1;\n-- trailer\n"),
            (std::vector<std::string>{"/* block; */\nSELECT 1"}));
  EXPECT_TRUE(split("  -- only a comment\n").empty());
}

TEST(MigrationsScript, IgnoresSemicolonsInQuotesAndComments) {
  const auto statements = split(
      "INSERT INTO t VALUES ('a;b', 'it''s;', E'x\\';y', \"odd;name\"); -- c;\n"
      "SELECT /* one; /* nested; */ still; */ 2;");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "INSERT INTO t VALUES ('a;b', 'it''s;', E'x\\';y', \"odd;name\")");
  EXPECT_EQ(statements[1], "-- c;\nSELECT /* one; /* nested; */ still; */ 2");
}

TEST(MigrationsScript, KeepsPostgresDollarQuotedBodiesWhole) {
  const auto statements = split(
      "DO $$ BEGIN RAISE NOTICE 'a;'; END $$;\n"
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
      "BEGIN NEW.x := 1; RETURN NEW; END $body$;\n"
      "SELECT $1, price$2 FROM t;");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0], "DO $$ BEGIN RAISE NOTICE 'a;'; END $$");
  EXPECT_NE(statements[1].find("RETURN NEW; END $body$"), std::string::npos);
  EXPECT_EQ(statements[2], "SELECT $1, price$2 FROM t");
}

TEST(MigrationsScript, KeepsSqliteTriggerBodiesWhole) {
  const auto statements = split(
      "CREATE TRIGGER t AFTER INSERT ON a WHEN NEW.x IS NULL\n"
      "BEGIN\n"
      "  UPDATE a SET x = CASE WHEN y > 0 THEN 1 ELSE 2 END WHERE id = NEW.id;\n"
      "  DELETE FROM b;\n"
      "END;\n"
      "CREATE INDEX i ON a (x);\n"
      "create temp trigger u after update on a begin select 1; end;");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_TRUE(statements[0].ends_with("DELETE FROM b;\nEND"));
  EXPECT_EQ(statements[1], "CREATE INDEX i ON a (x)");
  EXPECT_EQ(statements[2], "create temp trigger u after update on a begin select 1; end");
}

TEST(MigrationsScript, BeginOutsideTriggersDoesNotGroup) {
  EXPECT_EQ(split("SELECT 1 AS begin; SELECT 2 AS case_; SELECT 3;").size(), 3u);
}

TEST(MigrationsScript, UnterminatedQuotesAreErrors) {
  for (const char* bad : {"SELECT 'abc", "SELECT \"abc", "SELECT 1 /* open", "DO $$ BEGIN END"}) {
    auto r = split_sql_script(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(MigrationErrc::invalid_migration_set));
  }
}

}  // namespace
}  // namespace authsvc::storage
