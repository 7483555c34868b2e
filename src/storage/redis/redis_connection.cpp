#include "storage/redis/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "storage/redis/asio_hiredis_adapter.hpp"

namespace authsvc::storage {
namespace {

constexpr std::chrono::milliseconds kInitialBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{1000};

bool send_argv(redisAsyncContext* context, redisCallbackFn* callback,
               const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAsyncCommandArgv(context, callback, nullptr, static_cast<int>(args.size()),
                               argv.data(), lengths.data()) == REDIS_OK;
}

RedisConnection* owner(redisAsyncContext* context) {
  return static_cast<RedisConnection*>(context->data);
}

}  // namespace

RedisConnection::RedisConnection(const boost::asio::any_io_executor& executor, RedisConfig config,
                                 std::string role)
    : strand_(boost::asio::make_strand(executor)),
      config_(std::move(config)),
      role_(std::move(role)),
      target_(describe_redis_target(config_)),
      connect_timer_(strand_),
      retry_timer_(strand_),
      backoff_(kInitialBackoff) {}

RedisConnection::~RedisConnection() {
  // Normally shutdown() ran already. If the executor was destroyed with our shutdown still queued,
  // free the context here (nothing runs concurrently then); the derived part is gone, so no
  // virtual calls: on_context_freed() sees state_ == closed and returns early.
  state_ = State::closed;
  connected_ = false;
  if (context_ != nullptr) redisAsyncFree(context_);
  context_ = nullptr;
}

std::string RedisConnection::unavailable_detail() const {
  if (state_ == State::closed) return "redis " + target_ + ": client closed";
  return "redis " + target_ + ": " + last_error_;
}

void RedisConnection::start() {
  if (state_ == State::connecting && context_ == nullptr) start_attempt();
}

void RedisConnection::shutdown() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  connected_ = false;
  connect_timer_.cancel();
  retry_timer_.cancel();
  free_context("client closed");
  adapter_.reset();
}

void RedisConnection::reset(std::string why) {
  if (state_ != State::ready || context_ == nullptr) return;
  log_event(spdlog::level::warn, "redis connection reset",
            {{"role", boost::json::value(role_)},
             {"target", boost::json::value(target_)},
             {"reason", boost::json::value(why)}});
  resetting_ = true;
  free_context(std::move(why));
  resetting_ = false;
  state_ = State::backoff;
  on_down();
  start_attempt();
}

void RedisConnection::start_attempt() {
  ++generation_;
  state_ = State::connecting;
  free_reason_.clear();
  redisAsyncContext* context = redisAsyncConnect(config_.host.c_str(), config_.port);
  if (context == nullptr) return attempt_failed("out of memory");
  if (context->err != 0) {
    std::string error = context->errstr != nullptr ? context->errstr : "connect failed";
    redisAsyncFree(context);  // no hooks attached yet: frees synchronously, no callbacks
    return attempt_failed(std::move(error));
  }
  context->data = this;
  adapter_ = AsioHiredisAdapter::attach(context, strand_,
                                        [this, generation = generation_](std::string error) {
                                          on_context_freed(generation, std::move(error));
                                        });
  if (!adapter_) {
    redisAsyncFree(context);
    return attempt_failed("cannot register the socket with the executor");
  }
  context_ = context;

  // The handshake is pipelined behind the TCP connect; commands wait for it (see RedisClient).
  bool sent = true;
  if (!config_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!config_.user.empty()) auth.push_back(config_.user);
    auth.push_back(config_.password);
    sent = sent && send_argv(context, &on_handshake_step, auth);
  }
  if (config_.db != 0)
    sent = sent && send_argv(context, &on_handshake_step, {"SELECT", std::to_string(config_.db)});
  sent = sent && send_argv(context, &on_handshake_done, {"PING"});
  if (!sent) return free_context("cannot queue the handshake");

  connect_timer_.expires_after(config_.connect_timeout);
  connect_timer_.async_wait(
      [self = shared_from_this(), generation = generation_](const boost::system::error_code& ec) {
        if (ec || generation != self->generation_ || self->state_ != State::connecting) return;
        self->free_context("connect timeout after " +
                           std::to_string(self->config_.connect_timeout.count()) + " ms");
      });
}

void RedisConnection::attempt_failed(std::string error) {
  last_error_ = std::move(error);
  state_ = State::backoff;
  log_down(false);
  on_down();
  const auto delay = backoff_;
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  schedule_reconnect(delay);
}

void RedisConnection::free_context(std::string why) {
  if (context_ == nullptr) return;
  free_reason_ = std::move(why);
  // Runs the pending reply callbacks with a null reply, then the adapter's cleanup hook, which
  // lands in on_context_freed(). Inside a hiredis callback the free is deferred until it returns.
  redisAsyncFree(context_);
}

void RedisConnection::on_context_freed(std::uint64_t generation, std::string error) {
  // Inside hiredis' __redisAsyncFree: do not touch the context; only post work or arm timers.
  if (generation != generation_ || context_ == nullptr) return;
  context_ = nullptr;
  connected_ = false;
  connect_timer_.cancel();
  if (!error.empty()) {
    last_error_ = std::move(error);
  } else if (!free_reason_.empty()) {
    last_error_ = free_reason_;
  } else {
    last_error_ = "connection closed";
  }
  if (state_ == State::closed || resetting_) return;  // shutdown() or reset() carry on
  const bool was_ready = state_ == State::ready;
  state_ = State::backoff;
  log_down(was_ready);
  on_down();
  if (was_ready) {
    schedule_reconnect(std::chrono::milliseconds(0));  // a live connection broke: retry at once
  } else {
    const auto delay = backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    schedule_reconnect(delay);
  }
}

void RedisConnection::schedule_reconnect(std::chrono::milliseconds delay) {
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->state_ != State::backoff) return;
    self->start_attempt();
  });
}

void RedisConnection::log_down(bool was_ready) {
  if (down_logged_) return;  // one line per outage, not one per retry
  down_logged_ = true;
  log_event(spdlog::level::warn, was_ready ? "redis connection lost" : "redis connection failed",
            {{"role", boost::json::value(role_)},
             {"target", boost::json::value(target_)},
             {"error", boost::json::value(last_error_)}});
}

void RedisConnection::on_handshake_step(redisAsyncContext* context, void* reply,
                                        void* /*privdata*/) {
  if (reply == nullptr) return;  // being freed: on_context_freed() handles it
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type == REDIS_REPLY_ERROR) {
    owner(context)->handshake_failed(context, "handshake rejected: " + std::string(r->str, r->len));
  }
}

void RedisConnection::on_handshake_done(redisAsyncContext* context, void* reply,
                                        void* /*privdata*/) {
  if (reply == nullptr) return;
  const auto* r = static_cast<const redisReply*>(reply);
  RedisConnection* self = owner(context);
  if (r->type == REDIS_REPLY_ERROR) {
    self->handshake_failed(context, "handshake rejected: " + std::string(r->str, r->len));
  } else if (self->context_ == context && self->state_ == State::connecting) {
    self->became_ready(context);
  }
}

void RedisConnection::handshake_failed(redisAsyncContext* context, std::string why) {
  if (context != context_) return;
  free_context(std::move(why));  // deferred by hiredis until this callback returns
}

void RedisConnection::became_ready(redisAsyncContext* context) {
  redisEnableKeepAlive(&context->c);  // TCP keepalive (15 s): notice a dead peer even when idle
  connect_timer_.cancel();
  state_ = State::ready;
  connected_ = true;
  backoff_ = kInitialBackoff;
  if (down_logged_ || !ever_ready_) {
    log_event(spdlog::level::info, ever_ready_ ? "redis connection restored" : "redis connected",
              {{"role", boost::json::value(role_)}, {"target", boost::json::value(target_)}});
  }
  ever_ready_ = true;
  down_logged_ = false;
  on_ready();
}

}  // namespace authsvc::storage
