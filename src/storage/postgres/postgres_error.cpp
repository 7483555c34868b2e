#include "storage/postgres/postgres_error.hpp"

#include <string>

#include "storage/sql_database.hpp"

namespace authsvc::storage::postgres {
namespace {

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

bool is_connection_sqlstate(std::string_view sqlstate) noexcept {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03" || sqlstate == "53300";
}

std::error_code sqlstate_error_code(std::string_view sqlstate) noexcept {
  if (sqlstate == "23505") return make_error_code(DbErrc::unique_violation);
  if (sqlstate == "23503") return make_error_code(DbErrc::foreign_key_violation);
  if (sqlstate.size() == 5 && sqlstate.starts_with("23"))
    return make_error_code(DbErrc::constraint_violation);
  if (sqlstate == "40001" || sqlstate == "40P01")
    return make_error_code(DbErrc::serialization_failure);
  if (sqlstate == "57014") return make_error_code(InfraErrc::timeout);
  if (is_connection_sqlstate(sqlstate)) return make_error_code(InfraErrc::unavailable);
  return make_error_code(DbErrc::query_failed);
}

Error result_error(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string_view sqlstate = state != nullptr ? state : "";
  // The primary message only: DETAIL may quote row values (e-mail addresses) that do not belong in
  // logs.
  std::string message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty()) message = trimmed(PQresultErrorMessage(result));
  std::string detail =
      sqlstate.empty() ? message : "SQLSTATE " + std::string(sqlstate) + ": " + message;
  if (const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME)) {
    detail += " (constraint ";
    detail += constraint;
    detail += ')';
  }
  if (sqlstate.empty()) return Error(DbErrc::query_failed, std::move(detail));
  return Error(sqlstate_error_code(sqlstate), std::move(detail));
}

Error connection_error(const PGconn* conn, std::string_view doing) {
  std::string detail(doing);
  const std::string message = trimmed(conn != nullptr ? PQerrorMessage(conn) : nullptr);
  if (!message.empty()) detail += ": " + message;
  return Error(InfraErrc::unavailable, std::move(detail));
}

}  // namespace authsvc::storage::postgres
