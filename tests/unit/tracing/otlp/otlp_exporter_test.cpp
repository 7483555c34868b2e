#include "tracing/otlp/otlp_exporter.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <mutex>
#include <thread>

namespace authsvc::tracing {
namespace {

using namespace std::chrono_literals;

// Records what the exporter posts; answers with the statuses it is given, then 200.
class RecordingClient final : public outbound::HttpClient {
 public:
  struct Shared {
    std::mutex mutex;
    std::vector<outbound::OutboundRequest> requests;
    std::vector<unsigned> statuses;  // answered in order before 200s
    std::chrono::milliseconds delay{0};
  };
  explicit RecordingClient(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  boost::asio::awaitable<Result<outbound::OutboundResponse>> send(
      outbound::OutboundRequest request) override {
    std::this_thread::sleep_for(shared_->delay);
    outbound::OutboundResponse response;
    const std::lock_guard lock(shared_->mutex);
    const std::size_t attempt = shared_->requests.size();
    response.status = attempt < shared_->statuses.size() ? shared_->statuses[attempt] : 200;
    shared_->requests.push_back(std::move(request));
    co_return response;
  }

 private:
  std::shared_ptr<Shared> shared_;
};

std::unique_ptr<SpanData> span_named(std::string name) {
  auto span = std::make_unique<SpanData>();
  span->trace_id = random_trace_id();
  span->span_id = random_span_id();
  span->name = std::move(name);
  return span;
}

std::size_t spans_in(const std::vector<outbound::OutboundRequest>& requests) {
  std::size_t total = 0;
  for (const auto& request : requests) {
    total += boost::json::parse(request.body)
                 .at("resourceSpans")
                 .at(0)
                 .at("scopeSpans")
                 .at(0)
                 .at("spans")
                 .as_array()
                 .size();
  }
  return total;
}

OtlpExporterOptions options(std::size_t queue, std::size_t batch) {
  OtlpExporterOptions out;
  out.traces_url = "http://127.0.0.1:4318/v1/traces";
  out.schedule_delay = 50ms;
  out.max_queue = queue;
  out.max_batch = batch;
  out.export_timeout = 5s;
  return out;
}

TEST(OtlpExporter, BatchesAndPostsJsonToTheTracesUrl) {
  auto shared = std::make_shared<RecordingClient::Shared>();
  OtlpExporter exporter(options(100, 4), std::make_unique<RecordingClient>(shared));
  for (int i = 0; i < 10; ++i) exporter.submit(span_named("span " + std::to_string(i)));
  exporter.shutdown(5s);
  const std::lock_guard lock(shared->mutex);
  ASSERT_GE(shared->requests.size(), 3U) << "batches of at most 4";
  EXPECT_EQ(spans_in(shared->requests), 10U);
  const auto& first = shared->requests.front();
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.url, "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(first.headers.at(0),
            (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(exporter.counters().exported, 10U);
}

TEST(OtlpExporter, AFullQueueDropsAndCountsInsteadOfWaiting) {
  auto shared = std::make_shared<RecordingClient::Shared>();
  shared->delay = 300ms;  // a slow collector
  OtlpExporter exporter(options(5, 5), std::make_unique<RecordingClient>(shared));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) exporter.submit(span_named("s"));
  const auto spent = std::chrono::steady_clock::now() - started;
  exporter.shutdown(5s);
  const auto counters = exporter.counters();
  EXPECT_GE(counters.dropped_queue_full, 85U);
  EXPECT_EQ(counters.exported + counters.dropped_queue_full, 100U);
  // Not a timing assertion on speed: submit must not wait for the 300 ms export to finish.
  EXPECT_LT(spent, 300ms);
}

TEST(OtlpExporter, RetriesWhatTheCollectorAsksToRetryAndDropsTheRest) {
  auto shared = std::make_shared<RecordingClient::Shared>();
  shared->statuses = {503, 429};
  OtlpExporter exporter(options(100, 100), std::make_unique<RecordingClient>(shared));
  exporter.submit(span_named("kept"));
  exporter.shutdown(5s);
  EXPECT_EQ(exporter.counters().exported, 1U);
  EXPECT_EQ(exporter.counters().export_requests_failed, 2U);

  auto refusing = std::make_shared<RecordingClient::Shared>();
  refusing->statuses = {400};
  OtlpExporter strict(options(100, 100), std::make_unique<RecordingClient>(refusing));
  strict.submit(span_named("refused"));
  strict.shutdown(5s);
  EXPECT_EQ(strict.counters().dropped_export_failed, 1U) << "a 400 is not retried";
  const std::lock_guard lock(refusing->mutex);
  EXPECT_EQ(refusing->requests.size(), 1U);
}

TEST(OtlpExporter, ShutdownSendsWhatIsQueuedAtOnce) {
  auto shared = std::make_shared<RecordingClient::Shared>();
  auto slow = options(100, 100);
  slow.schedule_delay = 1h;
  OtlpExporter exporter(std::move(slow), std::make_unique<RecordingClient>(shared));
  exporter.submit(span_named("last words"));
  exporter.shutdown(5s);
  EXPECT_EQ(exporter.counters().exported, 1U);
  exporter.submit(span_named("too late"));
  EXPECT_EQ(exporter.counters().dropped_queue_full, 1U) << "nothing is accepted after shutdown";
}

}  // namespace
}  // namespace authsvc::tracing
