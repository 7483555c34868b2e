#include "storage/traced_sql_database.hpp"

#include <gtest/gtest.h>

namespace authsvc::storage {
namespace {

TEST(SqlSpanName, OperationAndTheFirstTableItNames) {
  EXPECT_EQ(sql_span_name(R"(SELECT id, email FROM "user" WHERE email_canonical = $1)"),
            "SELECT user");
  EXPECT_EQ(sql_span_name("insert into login_histories (id, user_id) values ($1, $2)"),
            "INSERT login_histories");
  EXPECT_EQ(sql_span_name("UPDATE auth_session SET revoked_at = $2 WHERE id = $1"),
            "UPDATE auth_session");
  EXPECT_EQ(sql_span_name("  DELETE FROM usersroles WHERE user_id = $1"), "DELETE usersroles");
  EXPECT_EQ(sql_span_name("SELECT 1"), "SELECT");
  EXPECT_EQ(sql_span_name("BEGIN"), "BEGIN");
  EXPECT_EQ(sql_span_name(""), "SQL");
  EXPECT_EQ(sql_span_name("WITH gone AS (DELETE FROM revoked_token RETURNING 1) SELECT count(*) "
                          "FROM gone"),
            "WITH revoked_token");
}

}  // namespace
}  // namespace authsvc::storage
