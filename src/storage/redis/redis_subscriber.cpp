#include "storage/redis/redis_subscriber.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/post.hpp>
#include <boost/json/value.hpp>
#include <exception>
#include <map>
#include <set>
#include <vector>

#include "common/log.hpp"
#include "storage/redis/redis_connection.hpp"

namespace authsvc::storage {
namespace {

std::string_view element_text(const redisReply& reply, std::size_t index) {
  if (reply.type != REDIS_REPLY_ARRAY || index >= reply.elements || reply.element[index] == nullptr)
    return {};
  const redisReply& element = *reply.element[index];
  if (element.type != REDIS_REPLY_STRING || element.str == nullptr) return {};
  return {element.str, element.len};
}

}  // namespace

class RedisSubscriber::Core final : public RedisConnection {
 public:
  Core(const boost::asio::any_io_executor& executor, RedisConfig config)
      : RedisConnection(executor, std::move(config), "subscriber") {}

  ~Core() override {
    try {
      shutdown();
    } catch (...) {  // see RedisClient::Core::~Core
    }
  }

  std::shared_ptr<Core> self() { return std::static_pointer_cast<Core>(shared_from_this()); }

  void begin() {
    boost::asio::post(strand(), [self = self()] { self->start(); });
  }

  void close() {
    boost::asio::post(strand(), [self = self()] {
      self->shutdown();
      self->channels_.clear();
      self->resubscribed_hook_ = nullptr;
    });
  }

  void add(std::string channel, MessageHandler handler) {
    boost::asio::post(strand(), [self = self(), channel = std::move(channel),
                                 handler = std::move(handler)]() mutable {
      if (self->state() == State::closed || !handler) return;
      auto& handlers = self->channels_[channel];
      handlers.push_back(std::move(handler));
      if (handlers.size() == 1 && self->state() == State::ready) self->send({"SUBSCRIBE", channel});
    });
  }

  void remove(std::string channel) {
    boost::asio::post(strand(), [self = self(), channel = std::move(channel)] {
      if (self->channels_.erase(channel) == 0) return;
      self->awaiting_.erase(channel);
      if (self->state() == State::ready) self->send({"UNSUBSCRIBE", channel});
    });
  }

  void set_hook(std::function<void()> hook) {
    boost::asio::post(strand(), [self = self(), hook = std::move(hook)]() mutable {
      if (self->state() != State::closed) self->resubscribed_hook_ = std::move(hook);
    });
  }

 private:
  void send(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    // (UN)SUBSCRIBE callbacks live in hiredis' channel table: called for each message and
    // confirmation, and with a null reply when the context is freed.
    if (redisAsyncCommandArgv(context(), &Core::on_message, this, static_cast<int>(argv.size()),
                              argv.data(), lengths.data()) != REDIS_OK) {
      reset("cannot queue " + args.front());
    }
  }

  void on_ready() override {
    if (channels_.empty()) {
      was_ready_ = true;
      return;
    }
    std::vector<std::string> args{"SUBSCRIBE"};
    awaiting_.clear();
    for (const auto& entry : channels_) {
      args.push_back(entry.first);
      if (was_ready_) awaiting_.insert(entry.first);
    }
    was_ready_ = true;
    send(args);
  }

  void on_down() override { awaiting_.clear(); }

  static void on_message(redisAsyncContext* /*context*/, void* reply, void* privdata) {
    if (reply == nullptr) return;  // context freed; resubscribed on reconnect
    static_cast<Core*>(privdata)->dispatch(*static_cast<const redisReply*>(reply));
  }

  void dispatch(const redisReply& reply) {
    const std::string_view kind = element_text(reply, 0);
    const std::string_view channel = element_text(reply, 1);
    if (kind == "message") {
      const auto found = channels_.find(channel);
      if (found == channels_.end()) return;
      const std::string_view payload = element_text(reply, 2);
      for (const auto& handler : found->second) invoke(handler, payload);
    } else if (kind == "subscribe") {
      if (awaiting_.erase(std::string(channel)) == 1 && awaiting_.empty() && resubscribed_hook_) {
        try {
          resubscribed_hook_();
        } catch (const std::exception& e) {
          log_event(spdlog::level::err, "redis resubscribe hook failed",
                    {{"error", boost::json::value(e.what())}});
        }
      }
    }
  }

  static void invoke(const MessageHandler& handler, std::string_view payload) {
    try {  // never let an exception unwind through hiredis' C frames
      handler(payload);
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, "redis message handler failed",
                {{"error", boost::json::value(e.what())}});
    } catch (...) {
      log_event(spdlog::level::err, "redis message handler failed");
    }
  }

  std::map<std::string, std::vector<MessageHandler>, std::less<>> channels_;
  std::set<std::string> awaiting_;  // channels not yet confirmed after a reconnect
  std::function<void()> resubscribed_hook_;
  bool was_ready_ = false;
};

RedisSubscriber::RedisSubscriber(boost::asio::any_io_executor executor, RedisConfig config)
    : core_(std::make_shared<Core>(executor, std::move(config))) {
  core_->begin();
}

RedisSubscriber::~RedisSubscriber() {
  try {
    close();
  } catch (...) {  // could not post: the core's destructor frees the connection instead
  }
}

void RedisSubscriber::subscribe(std::string channel, MessageHandler on_message) {
  core_->add(std::move(channel), std::move(on_message));
}

void RedisSubscriber::unsubscribe(std::string channel) {
  core_->remove(std::move(channel));
}

void RedisSubscriber::on_resubscribed(std::function<void()> hook) {
  core_->set_hook(std::move(hook));
}

bool RedisSubscriber::connected() const noexcept {
  return core_->connected();
}

void RedisSubscriber::close() {
  core_->close();
}

}  // namespace authsvc::storage
