#include "tracing/sampler.hpp"

#include <gtest/gtest.h>

namespace authsvc::tracing {
namespace {

TraceContext parent(bool sampled) {
  TraceContext context;
  context.trace_id = random_trace_id();
  context.span_id = random_span_id();
  context.flags = sampled ? 1 : 0;
  return context;
}

int sampled_of(const Sampler& sampler, int traces) {
  int sampled = 0;
  for (int i = 0; i < traces; ++i) sampled += sampler.sample(std::nullopt, random_trace_id());
  return sampled;
}

TEST(Sampler, NamesOfTheOpenTelemetrySpecification) {
  for (const auto* name : {"always_on", "always_off", "traceidratio", "parentbased_always_on",
                           "parentbased_always_off", "parentbased_traceidratio"}) {
    EXPECT_TRUE(Sampler::named(name, 0.5)) << name;
  }
  EXPECT_FALSE(Sampler::named("jaeger_remote", 0.5));
  EXPECT_FALSE(Sampler::named("", 0.5));
}

TEST(Sampler, ParentBasedFollowsTheCallerRootRatioDecidesTheRest) {
  const auto sampler = *Sampler::named("parentbased_traceidratio", 0.0);
  EXPECT_TRUE(sampler.sample(parent(true), random_trace_id()));
  EXPECT_FALSE(sampler.sample(parent(false), random_trace_id()));
  EXPECT_EQ(sampled_of(sampler, 1000), 0);

  const auto plain = *Sampler::named("traceidratio", 0.0);
  EXPECT_FALSE(plain.sample(parent(true), random_trace_id())) << "not parent-based";
}

TEST(Sampler, RatioSamplesAboutThatShareAndTheSameTraceAlike) {
  const auto sampler = *Sampler::named("traceidratio", 0.25);
  const int sampled = sampled_of(sampler, 20000);
  EXPECT_GT(sampled, 4400);
  EXPECT_LT(sampled, 5600);
  const auto id = random_trace_id();
  const bool first = sampler.sample(std::nullopt, id);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sampler.sample(std::nullopt, id), first);
  EXPECT_EQ(sampled_of(*Sampler::named("always_on", 0), 100), 100);
  EXPECT_EQ(sampled_of(*Sampler::named("parentbased_always_off", 0), 100), 0);
}

}  // namespace
}  // namespace authsvc::tracing
