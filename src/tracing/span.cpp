#include "tracing/span.hpp"

#include <chrono>

namespace authsvc::tracing {

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    data_ = std::move(other.data_);
    sink_ = other.sink_;
  }
  return *this;
}

void Span::rename(std::string name) {
  if (data_) data_->name = std::move(name);
}

void Span::put(std::string_view key, AttributeValue value) {
  if (!data_) return;
  for (auto& attribute : data_->attributes) {
    if (attribute.key == key) {
      attribute.value = std::move(value);
      return;
    }
  }
  data_->attributes.push_back(Attribute{std::string(key), std::move(value)});
}

void Span::set_error(std::string_view description) {
  if (!data_) return;
  data_->status = SpanStatus::error;
  data_->status_message = std::string(description);
}

void Span::end() noexcept {
  if (!data_) return;
  data_->end_unix_nanos = unix_nanos_now();
  sink_->submit(std::move(data_));
}

std::int64_t unix_nanos_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace authsvc::tracing
