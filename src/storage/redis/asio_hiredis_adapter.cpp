#include "storage/redis/asio_hiredis_adapter.hpp"

#include <hiredis/async.h>

#include <boost/system/error_code.hpp>

namespace authsvc::storage {

std::shared_ptr<AsioHiredisAdapter> AsioHiredisAdapter::attach(
    redisAsyncContext* context, const boost::asio::any_io_executor& executor,
    CleanupHandler on_cleanup) {
  if (context == nullptr || context->ev.data != nullptr) return nullptr;
  std::shared_ptr<AsioHiredisAdapter> adapter;
  try {
    adapter =
        std::make_shared<AsioHiredisAdapter>(Private{}, context, executor, std::move(on_cleanup));
  } catch (const std::exception&) {  // e.g. the reactor refused the descriptor
    return nullptr;
  }
  context->ev.data = adapter.get();
  context->ev.addRead = &AsioHiredisAdapter::add_read;
  context->ev.delRead = &AsioHiredisAdapter::del_read;
  context->ev.addWrite = &AsioHiredisAdapter::add_write;
  context->ev.delWrite = &AsioHiredisAdapter::del_write;
  context->ev.cleanup = &AsioHiredisAdapter::cleanup;
  return adapter;
}

AsioHiredisAdapter::AsioHiredisAdapter(Private, redisAsyncContext* context,
                                       const boost::asio::any_io_executor& executor,
                                       CleanupHandler on_cleanup)
    : context_(context), socket_(executor, context->c.fd), on_cleanup_(std::move(on_cleanup)) {}

AsioHiredisAdapter::~AsioHiredisAdapter() {
  // The owner frees the context before dropping the adapter; should it not have, unhook so that
  // hiredis never calls into freed memory, and never close hiredis' socket.
  if (context_ != nullptr) {
    context_->ev = {};
    context_ = nullptr;
  }
  if (socket_.is_open()) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    socket_.release();
  }
}

void AsioHiredisAdapter::add_read(void* self) {
  auto* adapter = static_cast<AsioHiredisAdapter*>(self);
  adapter->want_read_ = true;
  adapter->arm_read();
}

void AsioHiredisAdapter::del_read(void* self) {
  static_cast<AsioHiredisAdapter*>(self)->want_read_ = false;
}

void AsioHiredisAdapter::add_write(void* self) {
  auto* adapter = static_cast<AsioHiredisAdapter*>(self);
  adapter->want_write_ = true;
  adapter->arm_write();
}

void AsioHiredisAdapter::del_write(void* self) {
  static_cast<AsioHiredisAdapter*>(self)->want_write_ = false;
}

void AsioHiredisAdapter::cleanup(void* self) {
  static_cast<AsioHiredisAdapter*>(self)->detach();
}

void AsioHiredisAdapter::detach() {
  // Called by hiredis from inside __redisAsyncFree: the context is still readable but about to go.
  std::string error;
  if (context_ != nullptr && context_->c.err != 0) error = context_->c.errstr;
  context_ = nullptr;
  want_read_ = want_write_ = false;
  if (socket_.is_open()) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    socket_.release();  // hiredis closes the fd in redisFree
  }
  // Last: the handler may drop the owner's reference to this adapter (a handler's copy keeps it
  // alive).
  if (auto handler = std::move(on_cleanup_)) handler(std::move(error));
}

void AsioHiredisAdapter::arm_read() {
  if (read_pending_ || context_ == nullptr) return;
  read_pending_ = true;
  socket_.async_wait(
      boost::asio::posix::stream_descriptor::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) {
        self->read_pending_ = false;
        if (ec || self->context_ == nullptr || !self->want_read_) return;
        redisAsyncHandleRead(self->context_);  // may free the context (cleanup -> detach)
        if (self->context_ != nullptr && self->want_read_) self->arm_read();
      });
}

void AsioHiredisAdapter::arm_write() {
  if (write_pending_ || context_ == nullptr) return;
  write_pending_ = true;
  socket_.async_wait(
      boost::asio::posix::stream_descriptor::wait_write,
      [self = shared_from_this()](const boost::system::error_code& ec) {
        self->write_pending_ = false;
        if (ec || self->context_ == nullptr || !self->want_write_) return;
        redisAsyncHandleWrite(self->context_);  // may free the context (cleanup -> detach)
        if (self->context_ != nullptr && self->want_write_) self->arm_write();
      });
}

}  // namespace authsvc::storage
