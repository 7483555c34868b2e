#include "tracing/trace_context.hpp"

#include <sys/random.h>

#include <algorithm>
#include <random>

namespace authsvc::tracing {
namespace {

constexpr char kHex[] = "0123456789abcdef";

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  std::string out(N * 2, '0');
  for (std::size_t i = 0; i < N; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return out;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is invalid in traceparent
}

template <std::size_t N>
bool from_hex(std::string_view text, std::array<std::uint8_t, N>& out) noexcept {
  if (text.size() != N * 2) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int high = hex_value(text[2 * i]);
    const int low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

template <std::size_t N>
bool nonzero(const std::array<std::uint8_t, N>& bytes) noexcept {
  return std::any_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b != 0; });
}

// splitmix64: fast, and its output over a random seed is all a trace id needs.
class IdGenerator {
 public:
  IdGenerator() {
    if (getrandom(&state_, sizeof state_, 0) != sizeof state_) state_ = std::random_device{}();
  }
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 0;
};

IdGenerator& generator() {
  thread_local IdGenerator instance;
  return instance;
}

template <std::size_t N>
void fill_random(std::array<std::uint8_t, N>& bytes) {
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      const std::uint64_t word = generator().next();
      for (std::size_t j = 0; j < 8 && i + j < N; ++j) {
        bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
      }
    }
  } while (!nonzero(bytes));
}

}  // namespace

bool TraceId::valid() const noexcept {
  return nonzero(bytes);
}
std::string TraceId::hex() const {
  return to_hex(bytes);
}
bool SpanId::valid() const noexcept {
  return nonzero(bytes);
}
std::string SpanId::hex() const {
  return to_hex(bytes);
}

std::optional<TraceContext> parse_traceparent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
  constexpr std::size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  std::array<std::uint8_t, 1> version{};
  if (!from_hex(header.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0 && header.size() != kLength) return std::nullopt;
  if (header.size() > kLength && header[kLength] != '-') return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  TraceContext context;
  std::array<std::uint8_t, 1> flags{};
  if (!from_hex(header.substr(3, 32), context.trace_id.bytes) ||
      !from_hex(header.substr(36, 16), context.span_id.bytes) ||
      !from_hex(header.substr(53, 2), flags)) {
    return std::nullopt;
  }
  if (!context.trace_id.valid() || !context.span_id.valid()) return std::nullopt;
  context.flags = flags[0];
  return context;
}

std::string format_traceparent(const TraceContext& context) {
  std::string out = "00-";
  out += context.trace_id.hex();
  out += '-';
  out += context.span_id.hex();
  out += '-';
  out += kHex[context.flags >> 4];
  out += kHex[context.flags & 0x0f];
  return out;
}

std::string sanitize_tracestate(std::string_view header) {
  if (header.size() > 512) return {};
  for (const char c : header) {
    if (c < 0x20 || c > 0x7e) return {};
  }
  return std::string(header);
}

TraceId random_trace_id() {
  TraceId id;
  fill_random(id.bytes);
  return id;
}

SpanId random_span_id() {
  SpanId id;
  fill_random(id.bytes);
  return id;
}

std::optional<TraceId> trace_id_from_hex(std::string_view hex) {
  TraceId id;
  if (!from_hex(hex, id.bytes) || !id.valid()) return std::nullopt;
  return id;
}

}  // namespace authsvc::tracing
