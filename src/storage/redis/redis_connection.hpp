#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/redis/redis_config.hpp"

struct redisAsyncContext;  // hiredis

namespace authsvc::storage {

class AsioHiredisAdapter;

// The life cycle of one hiredis connection, shared by RedisClient and RedisSubscriber (internal):
// connect, handshake (AUTH, SELECT, PING) under connect_timeout, then `ready`; when the connection
// drops or an attempt fails, reconnect in the background with a backoff of 50 ms doubling to 1 s.
//
//   connecting --handshake ok--> ready --lost--> backoff --timer--> connecting ...
//   connecting --refused/timeout/AUTH error--> backoff
//   any --shutdown()--> closed
//
// Everything except connected() runs on strand(); derived classes react in on_ready()/on_down().
// The object must be owned by a shared_ptr (timers hold references while armed). Whoever owns it
// calls shutdown() on the strand before letting go; the destructor frees a context left behind
// (only when the executor was destroyed first without running the posted shutdown).
class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  enum class State { connecting, ready, backoff, closed };
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;

  RedisConnection(const boost::asio::any_io_executor& executor, RedisConfig config,
                  std::string role);
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;
  virtual ~RedisConnection();

  const Strand& strand() const noexcept { return strand_; }
  const RedisConfig& config() const noexcept { return config_; }
  // Thread-safe: true while the handshake has succeeded and the connection is up.
  bool connected() const noexcept { return connected_.load(std::memory_order_acquire); }

 protected:
  // --- on the strand only ---
  void start();                 // the first attempt (the initial state is `connecting`)
  void shutdown();              // free the context, stop reconnecting; idempotent
  void reset(std::string why);  // drop a live connection (e.g. stuck) and reconnect at once
  State state() const noexcept { return state_; }
  redisAsyncContext* context() const noexcept { return context_; }   // set in connecting and ready
  std::uint64_t generation() const noexcept { return generation_; }  // +1 per attempt
  std::uint64_t replies_received() const noexcept { return replies_received_; }
  void note_reply() noexcept { ++replies_received_; }
  // "redis 127.0.0.1:6379/0: Connection refused" (why the connection is not usable).
  std::string unavailable_detail() const;

  // The handshake succeeded (called inside a hiredis reply callback: may issue commands).
  virtual void on_ready() = 0;
  // An attempt failed or a ready connection was lost (not called by shutdown()). Commands already
  // handed to hiredis have had their callbacks run with a null reply just before.
  virtual void on_down() = 0;

 private:
  static void on_handshake_step(redisAsyncContext* context, void* reply, void* privdata);
  static void on_handshake_done(redisAsyncContext* context, void* reply, void* privdata);

  void start_attempt();
  void attempt_failed(std::string error);
  void handshake_failed(redisAsyncContext* context, std::string why);
  void became_ready(redisAsyncContext* context);
  void on_context_freed(std::uint64_t generation, std::string error);
  void free_context(std::string why);
  void schedule_reconnect(std::chrono::milliseconds delay);
  void log_down(bool was_ready);

  Strand strand_;
  RedisConfig config_;
  std::string role_;    // "client" or "subscriber", for logs
  std::string target_;  // host:port/db, for logs and errors
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer retry_timer_;
  std::atomic<bool> connected_{false};

  State state_ = State::connecting;
  redisAsyncContext* context_ = nullptr;
  std::shared_ptr<AsioHiredisAdapter> adapter_;
  std::uint64_t generation_ = 0;
  std::uint64_t replies_received_ = 0;
  std::chrono::milliseconds backoff_;
  std::string last_error_ = "not connected yet";
  std::string free_reason_;  // why we are freeing the context ourselves
  bool ever_ready_ = false;
  bool down_logged_ = false;
  bool resetting_ = false;
};

}  // namespace authsvc::storage
