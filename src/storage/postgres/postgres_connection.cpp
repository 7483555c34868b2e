#include "storage/postgres/postgres_connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "storage/postgres/postgres_error.hpp"

namespace authsvc::storage::postgres {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::posix::descriptor_base;

// The wire protocol counts parameters in 16 bits.
constexpr std::size_t kMaxParams = 65535;

std::int64_t parse_count(const char* text) {
  std::int64_t value = 0;
  if (text != nullptr) std::from_chars(text, text + std::char_traits<char>::length(text), value);
  return value;
}

void copy_rows(PGresult* result, SqlResult& out) {
  const int columns = PQnfields(result);
  const int rows = PQntuples(result);
  out.columns.clear();
  out.columns.reserve(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(result, c));
  out.rows.clear();
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<SqlCell> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c) != 0) {
        cells.emplace_back(std::nullopt);
      } else {
        cells.emplace_back(std::in_place, PQgetvalue(result, r, c),
                           static_cast<std::size_t>(PQgetlength(result, r, c)));
      }
    }
    out.rows.push_back(std::move(cells));
  }
}

bool is_success(ExecStatusType status) noexcept {
  return status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE || status == PGRES_COMMAND_OK ||
         status == PGRES_EMPTY_QUERY;
}

bool is_copy(ExecStatusType status) noexcept {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

}  // namespace

PgConnection::PgConnection(const asio::any_io_executor& executor, PGconn* conn)
    : conn_(conn), socket_(executor), timer_(executor), started_(Clock::now()) {
  PQsetNoticeReceiver(conn_, &PgConnection::on_notice, this);
}

PgConnection::~PgConnection() {
  // libpq owns the fd: stop watching it (deregisters from the reactor), then let PQfinish close it.
  if (socket_.is_open()) socket_.release();
  PQfinish(conn_);
}

void PgConnection::on_notice(void* self, const PGresult* result) {
  const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
  const std::string_view level = severity != nullptr ? severity : "";
  // A FATAL message outside a command: the server says why it is about to close the connection.
  if (level == "FATAL" || level == "PANIC")
    static_cast<PgConnection*>(self)->server_closing_ = true;
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  spdlog::debug("postgres {}: {}", level, message != nullptr ? message : "");
}

awaitable<Result<std::unique_ptr<PgConnection>>> PgConnection::connect(
    asio::any_io_executor executor, std::string conninfo, Clock::time_point deadline) {
  PGconn* raw = PQconnectStart(conninfo.c_str());
  if (raw == nullptr) co_return Error(InfraErrc::internal, "libpq could not allocate a connection");
  std::unique_ptr<PgConnection> conn(new PgConnection(executor, raw));
  if (PQstatus(raw) == CONNECTION_BAD) co_return connection_error(raw, "connecting to PostgreSQL");

  // As libpq documents: behave as if PQconnectPoll had asked to wait for writing first.
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  while (poll != PGRES_POLLING_OK) {
    if (poll == PGRES_POLLING_FAILED) co_return connection_error(raw, "connecting to PostgreSQL");
    const Wait wanted = poll == PGRES_POLLING_READING ? Wait::read : Wait::write;
    auto ready = co_await conn->wait_connecting(wanted, deadline);
    if (!ready) {
      co_return Error(InfraErrc::unavailable,
                      "connecting to PostgreSQL: " + ready.error().describe());
    }
    poll = PQconnectPoll(raw);
  }
  if (PQsetnonblocking(raw, 1) != 0)
    co_return connection_error(raw, "switching libpq to non-blocking mode");
  boost::system::error_code ec;
  conn->socket_.assign(PQsocket(raw), ec);
  if (ec) co_return Error(InfraErrc::internal, "watching the PostgreSQL socket: " + ec.message());
  co_return std::move(conn);
}

awaitable<Result<void>> PgConnection::wait_connecting(Wait what, Clock::time_point deadline) {
  const int fd = PQsocket(conn_);
  if (fd < 0) co_return connection_error(conn_, "no socket");
  boost::system::error_code ec;
  socket_.assign(fd, ec);
  if (ec) co_return Error(InfraErrc::unavailable, "watching the socket: " + ec.message());
  auto ready = co_await wait_socket(what, deadline);
  socket_.release();
  co_return ready;
}

awaitable<Result<void>> PgConnection::wait_socket(Wait what, Clock::time_point deadline) {
  namespace ex = asio::experimental;
  if (Clock::now() >= deadline) co_return deadline_passed();
  timer_.expires_at(deadline);
  boost::system::error_code socket_ec;
  bool timer_first = false;
  if (what == Wait::read_or_write) {
    auto done = co_await ex::make_parallel_group(
                    socket_.async_wait(descriptor_base::wait_read, asio::deferred),
                    socket_.async_wait(descriptor_base::wait_write, asio::deferred),
                    timer_.async_wait(asio::deferred))
                    .async_wait(ex::wait_for_one(), asio::use_awaitable);
    const std::size_t first = std::get<0>(done)[0];
    timer_first = first == 2;
    socket_ec = first == 0 ? std::get<1>(done) : std::get<2>(done);
  } else {
    const auto type = what == Wait::read ? descriptor_base::wait_read : descriptor_base::wait_write;
    auto done = co_await ex::make_parallel_group(socket_.async_wait(type, asio::deferred),
                                                 timer_.async_wait(asio::deferred))
                    .async_wait(ex::wait_for_one(), asio::use_awaitable);
    timer_first = std::get<0>(done)[0] == 1;
    socket_ec = std::get<1>(done);
  }
  if (timer_first) co_return deadline_passed();
  if (socket_ec) {
    broken_ = true;
    co_return Error(InfraErrc::unavailable,
                    "waiting on the PostgreSQL socket: " + socket_ec.message());
  }
  co_return ok_result();
}

Result<void> PgConnection::start_command() {
  if (busy_)
    return Error(InfraErrc::internal, "a command is already running on this PostgreSQL connection");
  answered_ = false;
  timed_out_ = false;
  started_ = Clock::now();
  if (broken_ || server_closing_ || PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return Error(InfraErrc::unavailable, "the PostgreSQL connection is closed");
  }
  busy_ = true;
  return ok_result();
}

void PgConnection::end_command() {
  busy_ = false;
  drop_notifications();
  if (server_closing_ || PQstatus(conn_) != CONNECTION_OK) broken_ = true;
}

Error PgConnection::lost(std::string_view doing) {
  broken_ = true;
  return connection_error(conn_, doing);
}

Error PgConnection::deadline_passed() {
  broken_ = true;
  timed_out_ = true;
  return Error(InfraErrc::timeout,
               "PostgreSQL did not answer within " + std::to_string(elapsed_ms(started_)) + " ms");
}

void PgConnection::drop_notifications() noexcept {
  while (PGnotify* notification = PQnotifies(conn_)) PQfreemem(notification);
}

awaitable<Result<void>> PgConnection::flush(Clock::time_point deadline) {
  for (;;) {
    const int pending = PQflush(conn_);
    if (pending == 0) co_return ok_result();
    if (pending < 0) co_return lost("sending to PostgreSQL");
    // libpq: wait until the socket is writable, or readable (then consume, so the server never
    // blocks on us).
    if (auto ready = co_await wait_socket(Wait::read_or_write, deadline); !ready)
      co_return ready.take_error();
    if (PQconsumeInput(conn_) == 0) co_return lost("reading from PostgreSQL");
  }
}

void PgConnection::note_result(const PGresult* result) noexcept {
  if (is_success(PQresultStatus(result))) {
    answered_ = true;
    return;
  }
  // Errors libpq makes up itself (connection lost) carry no SQLSTATE; neither is an answer to the
  // command the server's farewell (57P01, admin shutdown) that it sent before reading it.
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (sqlstate != nullptr && !is_connection_sqlstate(sqlstate)) answered_ = true;
}

awaitable<Result<std::vector<PgConnection::ResultPtr>>> PgConnection::collect(
    Clock::time_point deadline) {
  std::vector<ResultPtr> results;
  for (;;) {
    while (PQisBusy(conn_) != 0) {
      if (auto ready = co_await wait_socket(Wait::read, deadline); !ready)
        co_return ready.take_error();
      if (PQconsumeInput(conn_) == 0) co_return lost("reading from PostgreSQL");
    }
    PGresult* raw = PQgetResult(conn_);
    if (raw == nullptr) break;
    results.emplace_back(raw, &PQclear);
    note_result(raw);
    if (is_copy(PQresultStatus(raw))) {
      // COPY would need its own protocol; give the connection up instead of driving it.
      broken_ = true;
      break;
    }
  }
  co_return std::move(results);
}

Result<void> PgConnection::check_results(const std::vector<ResultPtr>& results) {
  std::optional<Error> error;
  for (const ResultPtr& result : results) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (is_success(status)) continue;
    if (error) continue;
    if (is_copy(status)) {
      error = Error(DbErrc::query_failed, "COPY is not supported");
    } else {
      error = result_error(result.get());
    }
  }
  if (server_closing_ || PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    // The connection died before the server answered: that is unavailability, whatever libpq
    // reported.
    if (!answered_) {
      return Error(InfraErrc::unavailable,
                   "PostgreSQL connection lost: " +
                       (error ? error->detail : connection_error(conn_, "").detail));
    }
  }
  if (error) return std::move(*error);
  return ok_result();
}

awaitable<Result<SqlResult>> PgConnection::execute(std::string sql, std::vector<SqlParam> params,
                                                   Clock::time_point deadline) {
  if (params.size() > kMaxParams) co_return Error(DbErrc::query_failed, "too many parameters");
  if (auto started = start_command(); !started) co_return started.take_error();
  struct Scope {
    PgConnection* self;
    bool completed = false;
    ~Scope() {
      if (!completed) self->broken_ = true;  // an exception left libpq mid-command
      self->end_command();
    }
  } scope{this};

  std::vector<const char*> values;
  values.reserve(params.size());
  for (const SqlParam& param : params) {
    // libpq reads text parameters as C strings: a NUL would silently cut the value short.
    if (param && param->find('\0') != std::string::npos) {
      scope.completed = true;
      co_return Error(DbErrc::query_failed, "a text parameter contains a NUL byte");
    }
    values.push_back(param ? param->c_str() : nullptr);
  }
  // Text parameters (no lengths or formats needed), text results (resultFormat 0).
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                        values.empty() ? nullptr : values.data(), nullptr, nullptr, 0) == 0) {
    scope.completed = true;
    co_return lost("sending a statement to PostgreSQL");
  }
  if (auto sent = co_await flush(deadline); !sent) {
    scope.completed = true;
    co_return sent.take_error();
  }
  auto collected = co_await collect(deadline);
  scope.completed = true;
  if (!collected) co_return collected.take_error();
  if (auto failed = check_results(*collected); !failed) co_return failed.take_error();

  SqlResult out;
  for (const ResultPtr& result : *collected) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) copy_rows(result.get(), out);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
      out.affected_rows = parse_count(PQcmdTuples(result.get()));
  }
  co_return std::move(out);
}

awaitable<Result<void>> PgConnection::execute_script(std::string sql, Clock::time_point deadline) {
  if (auto started = start_command(); !started) co_return started.take_error();
  struct Scope {
    PgConnection* self;
    bool completed = false;
    ~Scope() {
      if (!completed) self->broken_ = true;
      self->end_command();
    }
  } scope{this};

  if (PQsendQuery(conn_, sql.c_str()) == 0) {
    scope.completed = true;
    co_return lost("sending a script to PostgreSQL");
  }
  if (auto sent = co_await flush(deadline); !sent) {
    scope.completed = true;
    co_return sent.take_error();
  }
  auto collected = co_await collect(deadline);
  scope.completed = true;
  if (!collected) co_return collected.take_error();
  co_return check_results(*collected);
}

bool PgConnection::reusable() const noexcept {
  return !busy_ && !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool PgConnection::in_failed_transaction() const noexcept {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

bool PgConnection::in_transaction() const noexcept {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool PgConnection::broken() const noexcept {
  return broken_ || server_closing_ || PQstatus(conn_) != CONNECTION_OK;
}

bool PgConnection::failed_before_answer() const noexcept {
  return broken() && !timed_out_ && !answered_;
}

bool PgConnection::check_idle_alive() {
  if (busy_ || broken()) return false;
  // Non-blocking: reads what arrived (EOF marks the connection bad), then parses it, so that a
  // FATAL message the server sent while we were idle (it is shutting down) reaches on_notice.
  if (PQconsumeInput(conn_) == 0) {
    broken_ = true;
    return false;
  }
  (void)PQisBusy(conn_);
  drop_notifications();
  return !broken();
}

int PgConnection::backend_pid() const noexcept {
  return PQbackendPID(conn_);
}

}  // namespace authsvc::storage::postgres
