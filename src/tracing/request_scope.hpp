#pragma once

#include <optional>
#include <string_view>

#include "tracing/span.hpp"
#include "tracing/tracer.hpp"

namespace authsvc::tracing {

// Which request the code running on this thread is serving, so that a database or Redis client
// deep below can start a child span without every call passing a context down.
//
// A connection's coroutine runs on a ContextExecutor (tracing/context_executor.hpp) holding the
// connection's RequestSlot: every time the coroutine resumes, on whichever thread, the executor
// makes that slot current, and the HTTP layer points the slot at the request it is serving. Code
// not running for a request (background tasks, other executors) sees no slot and starts no spans.
struct RequestSlot {
  const ActiveRequest* active = nullptr;
};

RequestSlot* current_slot() noexcept;

// Makes `slot` current for the scope (restoring what was current before).
class SlotScope {
 public:
  explicit SlotScope(RequestSlot* slot) noexcept;
  ~SlotScope();
  SlotScope(const SlotScope&) = delete;
  SlotScope& operator=(const SlotScope&) = delete;

 private:
  RequestSlot* previous_;
};

// The request being served here, if any.
inline const ActiveRequest* active_request() noexcept {
  const RequestSlot* slot = current_slot();
  return slot != nullptr ? slot->active : nullptr;
}

// Whether a span started now would be recorded (a sampled request is being served here): lets
// clients skip a tracing wrapper altogether on the untraced path.
inline bool recording_request() noexcept {
  const ActiveRequest* request = active_request();
  return request != nullptr && request->recording;
}

// Points the current slot at `request` for the scope (the HTTP layer, for each request); does
// nothing where no slot is current (tracing is off).
class RequestBinding {
 public:
  explicit RequestBinding(const ActiveRequest& request) noexcept;
  ~RequestBinding();
  RequestBinding(const RequestBinding&) = delete;
  RequestBinding& operator=(const RequestBinding&) = delete;

 private:
  RequestSlot* slot_;
  const ActiveRequest* previous_ = nullptr;
};

// Makes `span` the parent of the spans started during the scope (a transaction's statements), in
// place of the request's own span. Nothing happens when `span` is not recording.
class ParentSpanScope {
 public:
  explicit ParentSpanScope(const Span& span);
  ~ParentSpanScope();
  ParentSpanScope(const ParentSpanScope&) = delete;
  ParentSpanScope& operator=(const ParentSpanScope&) = delete;

 private:
  RequestSlot* slot_ = nullptr;
  const ActiveRequest* previous_ = nullptr;
  ActiveRequest nested_;
};

// A child span of the request being served; a non-recording span when there is none or it is
// not sampled. Start it before the first co_await of the work it measures.
Span start_child_span(std::string_view name, SpanKind kind);

// The traceparent to send on an outgoing call made for the request being served, naming `span`
// (the client span of the call) as parent, or the request's own span when `span` is not
// recording; nullopt outside a request.
std::optional<TraceContext> outgoing_context(const Span& span);

}  // namespace authsvc::tracing
