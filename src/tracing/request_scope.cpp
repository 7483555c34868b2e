#include "tracing/request_scope.hpp"

namespace authsvc::tracing {
namespace {

thread_local RequestSlot* t_current_slot = nullptr;

}  // namespace

RequestSlot* current_slot() noexcept {
  return t_current_slot;
}

SlotScope::SlotScope(RequestSlot* slot) noexcept : previous_(t_current_slot) {
  t_current_slot = slot;
}

SlotScope::~SlotScope() {
  t_current_slot = previous_;
}

RequestBinding::RequestBinding(const ActiveRequest& request) noexcept : slot_(current_slot()) {
  if (slot_ == nullptr) return;
  previous_ = slot_->active;
  slot_->active = &request;
}

RequestBinding::~RequestBinding() {
  if (slot_ != nullptr) slot_->active = previous_;
}

ParentSpanScope::ParentSpanScope(const Span& span) {
  RequestSlot* slot = current_slot();
  if (!span.recording() || slot == nullptr || slot->active == nullptr) return;
  slot_ = slot;
  previous_ = slot->active;
  nested_ = *previous_;
  nested_.context.span_id = span.id();
  slot->active = &nested_;
}

ParentSpanScope::~ParentSpanScope() {
  if (slot_ != nullptr) slot_->active = previous_;
}

Span start_child_span(std::string_view name, SpanKind kind) {
  const ActiveRequest* request = active_request();
  if (request == nullptr || !request->recording) return {};
  return request->tracer->start_child(*request, name, kind);
}

std::optional<TraceContext> outgoing_context(const Span& span) {
  const ActiveRequest* request = active_request();
  if (request == nullptr) return std::nullopt;
  TraceContext context = request->context;
  if (span.recording()) context.span_id = span.id();
  return context;
}

}  // namespace authsvc::tracing
