#pragma once

#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage::postgres {

using Clock = std::chrono::steady_clock;

// One libpq connection driven without blocking: libpq in non-blocking mode, and its socket
// watched through an Asio stream_descriptor (released, never closed: libpq owns the fd).
//
// Single-threaded: create and use it on one executor (a strand). One command at a time.
// Every operation has a deadline; when it passes the connection is left broken (timed_out()),
// because the server may still be running the statement: discard it, cancel best-effort.
//
// Caveat: PQconnectStart resolves a host *name* synchronously; numeric addresses never block.
class PgConnection {
 public:
  // Opens a connection (PQconnectStart + PQconnectPoll). Any failure, including the deadline,
  // is InfraErrc::unavailable, with libpq's message as detail.
  static boost::asio::awaitable<Result<std::unique_ptr<PgConnection>>> connect(
      boost::asio::any_io_executor executor, std::string conninfo, Clock::time_point deadline);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // One statement with $1..$N text parameters (NULL = nullopt); text results (NULL cell = nullopt).
  boost::asio::awaitable<Result<SqlResult>> execute(std::string sql, std::vector<SqlParam> params,
                                                    Clock::time_point deadline);
  // Several statements as one simple query; every result is drained, the first error returned.
  boost::asio::awaitable<Result<void>> execute_script(std::string sql, Clock::time_point deadline);

  // Healthy, no command running and outside a transaction: fit to go back to the pool.
  bool reusable() const noexcept;
  // Inside a transaction block that an earlier error aborted (only ROLLBACK is accepted).
  bool in_failed_transaction() const noexcept;
  // Inside a transaction block (healthy or aborted).
  bool in_transaction() const noexcept;
  // Lost, timed out or otherwise beyond repair.
  bool broken() const noexcept;
  // The last operation passed its deadline; the server may still be running it.
  bool timed_out() const noexcept { return timed_out_; }
  // The last operation failed because the connection was gone before the server answered anything:
  // it did not run, so running it again elsewhere is safe.
  bool failed_before_answer() const noexcept;
  // For a connection that sat idle: reads whatever the server sent meanwhile without blocking,
  // and tells whether the connection still looks alive.
  bool check_idle_alive();
  // Server process id, for pg_cancel_backend.
  int backend_pid() const noexcept;

 private:
  enum class Wait { read, write, read_or_write };

  PgConnection(const boost::asio::any_io_executor& executor, PGconn* conn);

  static void on_notice(void* self, const PGresult* result);

  Result<void> start_command();
  void end_command();
  using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

  // Waits until the socket is ready (or the deadline passes: a timeout that breaks the connection).
  boost::asio::awaitable<Result<void>> wait_socket(Wait what, Clock::time_point deadline);
  // The same while connecting: libpq may swap the fd between polls, so it is watched only
  // meanwhile.
  boost::asio::awaitable<Result<void>> wait_connecting(Wait what, Clock::time_point deadline);
  // Sends what libpq has queued.
  boost::asio::awaitable<Result<void>> flush(Clock::time_point deadline);
  // Every result of the command in flight, up to libpq's terminating nullptr.
  boost::asio::awaitable<Result<std::vector<ResultPtr>>> collect(Clock::time_point deadline);
  // The first error among `results`; a connection that died before the server answered wins.
  Result<void> check_results(const std::vector<ResultPtr>& results);
  void note_result(const PGresult* result) noexcept;
  Error lost(std::string_view doing);
  Error deadline_passed();
  void drop_notifications() noexcept;

  PGconn* conn_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point started_{};
  bool busy_ = false;
  bool broken_ = false;
  bool timed_out_ = false;
  bool answered_ = false;        // the server answered the current command (a result or an error)
  bool server_closing_ = false;  // the server sent a FATAL message: it is about to close
};

}  // namespace authsvc::storage::postgres
