#include "tracing/sampler.hpp"

#include <cmath>
#include <cstdint>

namespace authsvc::tracing {

std::optional<Sampler> Sampler::named(std::string_view name, double arg) {
  const bool parent_based = name.starts_with("parentbased_");
  const std::string_view root = parent_based ? name.substr(12) : name;
  if (root == "always_on") return Sampler(Root::always_on, parent_based, 1.0);
  if (root == "always_off") return Sampler(Root::always_off, parent_based, 0.0);
  if (root == "traceidratio") return Sampler(Root::ratio, parent_based, arg);
  return std::nullopt;
}

bool Sampler::sample(const std::optional<TraceContext>& parent,
                     const TraceId& trace_id) const noexcept {
  if (parent_based_ && parent) return parent->sampled();
  switch (root_) {
    case Root::always_on:
      return true;
    case Root::always_off:
      return false;
    case Root::ratio:
      break;
  }
  if (ratio_ >= 1.0) return true;
  if (ratio_ <= 0.0) return false;
  // The same decision for the same trace everywhere: the trace id's last 8 bytes against the ratio
  // of the 64-bit range (trace ids are random, so this samples `ratio` of the traces).
  std::uint64_t tail = 0;
  for (std::size_t i = 8; i < 16; ++i) tail = tail << 8 | trace_id.bytes[i];
  const auto bound = static_cast<std::uint64_t>(std::ldexp(ratio_, 64));
  return tail < bound;
}

}  // namespace authsvc::tracing
