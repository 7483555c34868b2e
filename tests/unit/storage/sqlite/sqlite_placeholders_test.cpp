#include "storage/sqlite/sqlite_placeholders.hpp"

#include <gtest/gtest.h>

namespace authsvc::storage {
namespace {

TEST(SqlitePlaceholders, RewritesNumberedPlaceholders) {
  EXPECT_EQ(rewrite_placeholders_for_sqlite("SELECT $2, $1, $10"), "SELECT ?2, ?1, ?10");
  EXPECT_EQ(rewrite_placeholders_for_sqlite("WHERE a=$1 AND b=$1"), "WHERE a=?1 AND b=?1");
}

TEST(SqlitePlaceholders, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(rewrite_placeholders_for_sqlite("SELECT '$1', 'it''s $2', $3"),
            "SELECT '$1', 'it''s $2', ?3");
  EXPECT_EQ(rewrite_placeholders_for_sqlite(R"(SELECT "a$1", "x""$2", `$3`, [$4], $5)"),
            R"(SELECT "a$1", "x""$2", `$3`, [$4], ?5)");
  EXPECT_EQ(rewrite_placeholders_for_sqlite("SELECT $1 -- $2\n, $3 /* $4 */"),
            "SELECT ?1 -- $2\n, ?3 /* $4 */");
}

TEST(SqlitePlaceholders, LeavesOtherDollarsAlone) {
  EXPECT_EQ(rewrite_placeholders_for_sqlite("SELECT $name, price$1, $"),
            "SELECT $name, price$1, $");
  EXPECT_EQ(rewrite_placeholders_for_sqlite("'unterminated $1"), "'unterminated $1");
}

}  // namespace
}  // namespace authsvc::storage
