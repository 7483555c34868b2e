#include "storage/redis/redis_client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <array>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <deque>
#include <string_view>

#include "storage/redis/redis_connection.hpp"
#include "tracing/request_scope.hpp"

namespace authsvc::storage {
namespace {

using CommandHandler = boost::asio::any_completion_handler<void(Result<RedisReply>)>;

struct PendingCommand {
  PendingCommand(const RedisConnection::Strand& strand, std::vector<std::string> a,
                 boost::asio::any_io_executor caller, CommandHandler h)
      : args(std::move(a)),
        handler(std::move(h)),
        work(boost::asio::prefer(std::move(caller),
                                 boost::asio::execution::outstanding_work.tracked)),
        deadline(strand) {}

  std::vector<std::string> args;  // released once handed to hiredis
  CommandHandler handler;
  boost::asio::any_io_executor work;  // the caller's executor, kept busy until we complete
  boost::asio::steady_timer deadline;
  std::uint64_t generation = 0;  // of the connection it was sent on; 0 = not sent yet
  std::uint64_t replies_at_send = 0;
  bool done = false;
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char ch) {
      return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Commands that would change the state of the shared connection under the other callers' feet.
bool changes_connection_state(const std::vector<std::string>& args) {
  static constexpr std::array<std::string_view, 11> kRefused{
      "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
      "monitor",   "select",     "quit",       "reset",       "hello"};
  for (const auto name : kRefused) {
    if (iequals(args.front(), name)) return true;
  }
  return args.size() >= 2 && iequals(args[0], "client") && iequals(args[1], "reply");
}

// Error replies that say the server cannot serve right now, not that the command was wrong: a
// replica or demoted master (READONLY), a restart loading its data (LOADING), memory full (OOM),
// a lost master (MASTERDOWN, NOREPLICAS), a busy script (BUSY), persistence failing (MISCONF),
// cluster states (TRYAGAIN, CLUSTERDOWN). They are outages (503), like a lost connection.
bool is_outage_reply(const RedisReply& reply) {
  if (!reply.is_error()) return false;
  static constexpr std::string_view kOutages[] = {"READONLY",   "LOADING",     "OOM",
                                                  "MASTERDOWN", "BUSY",        "MISCONF",
                                                  "TRYAGAIN",   "CLUSTERDOWN", "NOREPLICAS"};
  const std::string_view code = std::string_view(reply.str).substr(0, reply.str.find(' '));
  return std::find(std::begin(kOutages), std::end(kOutages), code) != std::end(kOutages);
}

}  // namespace

class RedisClient::Core final : public RedisConnection {
 public:
  Core(const boost::asio::any_io_executor& executor, RedisConfig config)
      : RedisConnection(executor, std::move(config), "client") {}

  ~Core() override {
    // Only reached with the context still open when the executor died before running close().
    try {
      shutdown();
      fail_waiting();
    } catch (...) {  // out of memory while failing the last commands: nothing better to do
    }
  }

  void begin() {
    boost::asio::post(strand(), [self = self()] { self->start(); });
  }

  void close() {
    boost::asio::post(strand(), [self = self()] {
      self->shutdown();  // pending commands get their callbacks with a null reply -> unavailable
      self->fail_waiting();
    });
  }

  // Any executor. Hops to the strand and resumes the caller on its own executor. The awaiting
  // frames hold only a weak reference: a suspended caller never keeps the core (and its I/O
  // objects) alive past the client and its executor.
  static boost::asio::awaitable<Result<RedisReply>> command(std::weak_ptr<Core> core,
                                                            std::vector<std::string> args) {
    auto caller = co_await boost::asio::this_coro::executor;
    co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                   void(Result<RedisReply>)>(
        [](auto handler, const std::weak_ptr<Core>& weak, boost::asio::any_io_executor ex,
           std::vector<std::string> a) {
          if (auto c = weak.lock()) {
            c->submit(std::move(a), std::move(ex), CommandHandler(std::move(handler)));
            return;
          }
          boost::asio::post(ex, [h = std::move(handler)]() mutable {
            std::move(h)(Result<RedisReply>(Error(InfraErrc::unavailable, "redis: client closed")));
          });
        },
        boost::asio::use_awaitable, std::move(core), std::move(caller), std::move(args));
  }

  // Any thread.
  void submit(std::vector<std::string> args, boost::asio::any_io_executor caller,
              CommandHandler handler) {
    auto op = std::make_shared<PendingCommand>(strand(), std::move(args), std::move(caller),
                                               std::move(handler));
    boost::asio::post(strand(),
                      [self = self(), op = std::move(op)]() mutable { self->run(std::move(op)); });
  }

 private:
  std::shared_ptr<Core> self() { return std::static_pointer_cast<Core>(shared_from_this()); }

  static void complete(PendingCommand& op, Result<RedisReply> result) {
    if (op.done) return;
    op.done = true;
    op.deadline.cancel();
    op.args = {};
    // Always posted (never run inline): the caller must not resume inside a hiredis callback.
    // The tracked work travels with the handler and is released on the caller's own thread, so
    // nothing here touches the caller's io_context once it may have finished and been destroyed.
    boost::asio::any_io_executor target =
        boost::asio::prefer(op.work, boost::asio::execution::outstanding_work.untracked);
    boost::asio::post(
        target, [handler = std::move(op.handler), result = std::move(result),
                 work = std::move(op.work)]() mutable { std::move(handler)(std::move(result)); });
  }

  void run(std::shared_ptr<PendingCommand> op) {
    if (op->args.empty()) return complete(*op, Error(InfraErrc::internal, "redis: empty command"));
    if (changes_connection_state(op->args)) {
      return complete(*op,
                      Error(InfraErrc::internal, "redis: command '" + op->args.front() +
                                                     "' is not allowed on the shared connection"));
    }
    switch (state()) {
      case State::closed:
      case State::backoff:
        return complete(*op, Error(InfraErrc::unavailable, unavailable_detail()));
      case State::connecting:
        arm_deadline(op);
        waiting_.push_back(std::move(op));
        return;
      case State::ready:
        arm_deadline(op);
        send(op);
        return;
    }
  }

  void arm_deadline(const std::shared_ptr<PendingCommand>& op) {
    op->deadline.expires_after(config().command_timeout);
    op->deadline.async_wait([self = self(), op](const boost::system::error_code& ec) {
      if (!ec) self->on_deadline(*op);
    });
  }

  void on_deadline(PendingCommand& op) {
    if (op.done) return;
    const bool sent = op.generation != 0;
    const auto ms = std::to_string(config().command_timeout.count());
    complete(op, Error(InfraErrc::timeout, "redis " + describe_redis_target(config()) +
                                               ": no reply within " + ms + " ms"));
    // Nothing at all came back since this command went out: the connection is stuck (a blocking
    // command, a dead peer) and every command pipelined behind would time out too. Start afresh.
    if (sent && op.generation == generation() && state() == State::ready &&
        replies_received() == op.replies_at_send) {
      reset("no reply for " + ms + " ms");
    }
  }

  void send(const std::shared_ptr<PendingCommand>& op) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(op->args.size());
    lengths.reserve(op->args.size());
    for (const auto& arg : op->args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    auto* holder = new std::shared_ptr<PendingCommand>(op);  // owned by hiredis until on_reply
    if (redisAsyncCommandArgv(context(), &Core::on_reply, holder, static_cast<int>(argv.size()),
                              argv.data(), lengths.data()) != REDIS_OK) {
      delete holder;
      return complete(*op, Error(InfraErrc::unavailable, unavailable_detail()));
    }
    op->generation = generation();
    op->replies_at_send = replies_received();
    op->args = {};  // hiredis has formatted its own copy
  }

  // hiredis calls this exactly once per command: with the reply, or with null when the context is
  // freed (connection lost, reset, close). Freed after return: copy what we keep.
  static void on_reply(redisAsyncContext* context, void* reply, void* privdata) {
    std::unique_ptr<std::shared_ptr<PendingCommand>> holder(
        static_cast<std::shared_ptr<PendingCommand>*>(privdata));
    PendingCommand& op = **holder;
    Core* core = static_cast<Core*>(static_cast<RedisConnection*>(context->data));
    if (reply == nullptr) {
      if (op.done) return;
      const std::string why = context->c.err != 0 ? context->c.errstr : "connection closed";
      return complete(op, Error(InfraErrc::unavailable,
                                "redis " + describe_redis_target(core->config()) + ": " + why));
    }
    core->note_reply();
    if (op.done) return;  // timed out already: drop the late reply
    auto copy = copy_hiredis_reply(*static_cast<const redisReply*>(reply));
    if (is_outage_reply(copy)) {
      return complete(op, Error(InfraErrc::unavailable,
                                "redis " + describe_redis_target(core->config()) + " answered " +
                                    copy.str.substr(0, copy.str.find(' '))));
    }
    complete(op, std::move(copy));
  }

  void on_ready() override {
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& op : waiting) {
      if (!op->done) send(op);
    }
  }

  void on_down() override { fail_waiting(); }

  void fail_waiting() {
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& op : waiting) complete(*op, Error(InfraErrc::unavailable, unavailable_detail()));
  }

  std::deque<std::shared_ptr<PendingCommand>> waiting_;  // accepted while connecting
};

RedisClient::RedisClient(boost::asio::any_io_executor executor, RedisConfig config)
    : core_(std::make_shared<Core>(executor, std::move(config))) {
  core_->begin();
}

RedisClient::~RedisClient() {
  try {
    close();
  } catch (...) {  // could not post: the core's destructor frees the connection instead
  }
}

namespace {

// The command's span outlives the call: it ends when the reply (or the failure) is back. Error
// replies mark it failed with their error code only (the message can quote a key).
boost::asio::awaitable<Result<RedisReply>> traced_command(
    boost::asio::awaitable<Result<RedisReply>> command, tracing::Span span) {
  auto reply = co_await std::move(command);
  if (!reply) {
    span.set_error(reply.error().code.message());
  } else if (reply->is_error()) {
    span.set_error(reply->str.substr(0, reply->str.find(' ')));
  }
  co_return reply;
}

}  // namespace

boost::asio::awaitable<Result<RedisReply>> RedisClient::command(std::vector<std::string> args) {
  if (!tracing::recording_request() || args.empty()) return Core::command(core_, std::move(args));
  std::string operation = args.front();
  for (char& c : operation) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto span = tracing::start_child_span(operation, tracing::SpanKind::client);
  const auto& target = core_->config();
  span.set("db.system", "redis");
  span.set("db.system.name", "redis");
  span.set("db.operation.name", operation);
  span.set("db.namespace", std::to_string(target.db));
  span.set("server.address", target.host);
  span.set("server.port", target.port);
  return traced_command(Core::command(core_, std::move(args)), std::move(span));
}

bool RedisClient::connected() const noexcept {
  return core_->connected();
}

void RedisClient::close() {
  core_->close();
}

const RedisConfig& RedisClient::config() const noexcept {
  return core_->config();
}

}  // namespace authsvc::storage
