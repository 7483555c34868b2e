#pragma once

#include <optional>
#include <string_view>

#include "tracing/trace_context.hpp"

namespace authsvc::tracing {

// OpenTelemetry's standard samplers (OTEL_TRACES_SAMPLER): always_on, always_off, traceidratio
// and their parentbased_ forms, which follow a caller's sampled flag and use the root decision
// only for traces that start here.
class Sampler {
 public:
  enum class Root { always_on, always_off, ratio };

  Sampler() = default;
  Sampler(Root root, bool parent_based, double ratio)
      : root_(root), parent_based_(parent_based), ratio_(ratio) {}
  // The sampler an OTEL_TRACES_SAMPLER value names (arg: OTEL_TRACES_SAMPLER_ARG, the ratio of
  // traceidratio forms, 0..1); nullopt for an unknown name.
  static std::optional<Sampler> named(std::string_view name, double arg);

  bool sample(const std::optional<TraceContext>& parent, const TraceId& trace_id) const noexcept;

 private:
  Root root_ = Root::always_on;
  bool parent_based_ = true;
  double ratio_ = 1.0;
};

}  // namespace authsvc::tracing
