#include "storage/traced_sql_database.hpp"

#include <cctype>

#include "tracing/request_scope.hpp"

namespace authsvc::storage {
namespace {

bool separates_words(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '(' || c == ')' || c == ',' ||
         c == ';';
}

std::string_view next_word(std::string_view& text) {
  std::size_t start = 0;
  while (start < text.size() && separates_words(text[start])) ++start;
  std::size_t end = start;
  while (end < text.size() && !separates_words(text[end])) ++end;
  const auto word = text.substr(start, end - start);
  text.remove_prefix(end);
  return word;
}

std::string upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string unquoted(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c != '"') out += c;
  }
  return out;
}

// The table after the keyword that introduces it (FROM, INTO, TABLE; UPDATE names it first).
std::string first_table(std::string_view rest, std::string_view operation) {
  if (operation == "UPDATE") return unquoted(next_word(rest));
  for (auto word = next_word(rest); !word.empty(); word = next_word(rest)) {
    const std::string keyword = upper(word);
    if (keyword == "FROM" || keyword == "INTO" || keyword == "TABLE") {
      return unquoted(next_word(rest));
    }
  }
  return {};
}

void describe_target(tracing::Span& span, const SqlSpanTarget& target) {
  span.set("db.system", target.system);
  span.set("db.system.name", target.system);
  if (!target.database.empty()) span.set("db.namespace", target.database);
  if (!target.server_address.empty()) {
    span.set("server.address", target.server_address);
    span.set("server.port", target.server_port);
  }
}

template <class T>
void record_outcome(tracing::Span& span, const Result<T>& outcome) {
  if (!outcome) span.set_error(outcome.error().code.message());
}

boost::asio::awaitable<Result<SqlResult>> traced_execute(SqlDatabase& inner, tracing::Span span,
                                                         std::string_view sql,
                                                         std::vector<SqlParam> params) {
  auto outcome = co_await inner.execute(sql, std::move(params));
  record_outcome(span, outcome);
  co_return outcome;
}

// The session of a traced transaction: its statements are spans too.
class TracedSqlSession final : public SqlSession {
 public:
  TracedSqlSession(SqlSession& inner, const SqlSpanTarget& target)
      : inner_(inner), target_(target) {}
  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params) override {
    auto span = tracing::start_child_span(sql_span_name(sql), tracing::SpanKind::client);
    describe_target(span, target_);
    span.set("db.query.text", sql);
    auto outcome = co_await inner_.execute(sql, std::move(params));
    record_outcome(span, outcome);
    co_return outcome;
  }

 private:
  SqlSession& inner_;
  const SqlSpanTarget& target_;
};

}  // namespace

std::string sql_span_name(std::string_view sql) {
  std::string_view rest = sql;
  const std::string operation = upper(next_word(rest));
  if (operation.empty()) return "SQL";
  const std::string table = first_table(rest, operation);
  return table.empty() ? operation : operation + " " + table;
}

boost::asio::awaitable<Result<SqlResult>> TracedSqlDatabase::execute(std::string_view sql,
                                                                     std::vector<SqlParam> params) {
  if (!tracing::recording_request()) return inner_->execute(sql, std::move(params));
  auto span = tracing::start_child_span(sql_span_name(sql), tracing::SpanKind::client);
  describe_target(span, target_);
  span.set("db.query.text", sql);
  return traced_execute(*inner_, std::move(span), sql, std::move(params));
}

boost::asio::awaitable<Result<void>> TracedSqlDatabase::transaction(TransactionWork work) {
  if (!tracing::recording_request()) co_return co_await inner_->transaction(std::move(work));
  auto span = tracing::start_child_span("transaction", tracing::SpanKind::client);
  describe_target(span, target_);
  const tracing::ParentSpanScope nested(span);
  TransactionWork traced = [&work,
                            this](SqlSession& session) -> boost::asio::awaitable<Result<void>> {
    TracedSqlSession traced_session(session, target_);
    co_return co_await work(traced_session);
  };
  auto outcome = co_await inner_->transaction(std::move(traced));
  record_outcome(span, outcome);
  co_return outcome;
}

boost::asio::awaitable<Result<void>> TracedSqlDatabase::execute_script(std::string_view sql) {
  return inner_->execute_script(sql);
}

}  // namespace authsvc::storage
