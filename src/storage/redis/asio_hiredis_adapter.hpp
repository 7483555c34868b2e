#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <string>

struct redisAsyncContext;  // hiredis

namespace authsvc::storage {

// Drives one hiredis async context from Asio: hiredis asks for read/write interest through its `ev`
// hooks, we wait on the socket with a stream_descriptor and call redisAsyncHandleRead/Write.
//
// hiredis owns the socket and may free the whole context inside redisAsyncHandleRead/Write (on an
// error) or inside redisAsyncFree; it tells us through the `cleanup` hook, after which this adapter
// never touches the context again. The descriptor is released, never closed (hiredis closes it).
// Every pending wait holds a shared_ptr to the adapter, so the adapter outlives its handlers.
//
// Single-threaded: all hooks and handlers run on `executor`, which must be a strand or an
// io_context run by one thread. Not thread-safe.
class AsioHiredisAdapter : public std::enable_shared_from_this<AsioHiredisAdapter> {
 public:
  // Called from hiredis' cleanup hook, i.e. while the context is being freed: `error` is the
  // context's error text (empty for a requested close). The context must not be used any more.
  using CleanupHandler = std::function<void(std::string error)>;

  // Installs the hooks on `context` (whose ev.data must be unset). Returns null if the socket
  // cannot be registered with the executor's reactor (the caller then frees the context).
  static std::shared_ptr<AsioHiredisAdapter> attach(redisAsyncContext* context,
                                                    const boost::asio::any_io_executor& executor,
                                                    CleanupHandler on_cleanup);

  AsioHiredisAdapter(const AsioHiredisAdapter&) = delete;
  AsioHiredisAdapter& operator=(const AsioHiredisAdapter&) = delete;
  ~AsioHiredisAdapter();

  // False once hiredis has freed (or is freeing) the context.
  bool attached() const noexcept { return context_ != nullptr; }

 private:
  struct Private {};

 public:
  AsioHiredisAdapter(Private, redisAsyncContext* context,
                     const boost::asio::any_io_executor& executor, CleanupHandler on_cleanup);

 private:
  static void add_read(void* self);
  static void del_read(void* self);
  static void add_write(void* self);
  static void del_write(void* self);
  static void cleanup(void* self);

  void arm_read();
  void arm_write();
  void detach();

  redisAsyncContext* context_;
  boost::asio::posix::stream_descriptor socket_;
  CleanupHandler on_cleanup_;
  bool want_read_ = false;
  bool want_write_ = false;
  bool read_pending_ = false;
  bool write_pending_ = false;
};

}  // namespace authsvc::storage
