#include "tracing/otlp/otlp_exporter.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "common/log.hpp"

namespace authsvc::tracing {
namespace {

bool retryable(unsigned status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

OtlpExporter::OtlpExporter(OtlpExporterOptions options,
                           std::unique_ptr<outbound::HttpClient> client)
    : options_(std::move(options)), client_(std::move(client)) {
  queue_.reserve(options_.max_queue);
  thread_ = std::thread([this] { run(); });
}

OtlpExporter::~OtlpExporter() {
  shutdown(std::chrono::milliseconds(0));
}

void OtlpExporter::submit(std::unique_ptr<SpanData> span) noexcept {
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.max_queue) {
      dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
      return;  // `span` is freed outside the lock
    }
    queue_.push_back(std::move(span));
    wake = queue_.size() == options_.max_batch;
  }
  if (wake) wake_.notify_one();
}

void OtlpExporter::shutdown(std::chrono::milliseconds deadline) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      shutdown_deadline_ = std::chrono::steady_clock::now() + deadline;
    }
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

OtlpExporter::Counters OtlpExporter::counters() const noexcept {
  return {exported_.load(std::memory_order_relaxed),
          dropped_queue_full_.load(std::memory_order_relaxed),
          dropped_export_failed_.load(std::memory_order_relaxed),
          export_requests_failed_.load(std::memory_order_relaxed)};
}

std::size_t OtlpExporter::queued() const {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

void OtlpExporter::run() {
  Batch taken;
  taken.reserve(options_.max_queue);
  for (;;) {
    bool stopping = false;
    std::chrono::steady_clock::time_point deadline;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.schedule_delay,
                     [&] { return stopping_ || queue_.size() >= options_.max_batch; });
      taken.swap(queue_);
      stopping = stopping_;
      deadline = shutdown_deadline_;
    }
    for (std::size_t first = 0; first < taken.size(); first += options_.max_batch) {
      const std::size_t last = std::min(taken.size(), first + options_.max_batch);
      Batch batch(std::make_move_iterator(taken.begin() + static_cast<std::ptrdiff_t>(first)),
                  std::make_move_iterator(taken.begin() + static_cast<std::ptrdiff_t>(last)));
      auto give_up = std::chrono::steady_clock::now() + options_.export_timeout;
      if (stopping) give_up = std::min(give_up, deadline);
      const bool sent = std::chrono::steady_clock::now() < give_up && export_batch(batch, give_up);
      (sent ? exported_ : dropped_export_failed_)
          .fetch_add(batch.size(), std::memory_order_relaxed);
    }
    taken.clear();
    if (stopping) return;
  }
}

bool OtlpExporter::export_batch(const Batch& batch, std::chrono::steady_clock::time_point give_up) {
  const std::string body = encode_otlp_json(batch, options_.resource);
  auto backoff = std::chrono::milliseconds(200);
  for (;;) {
    outbound::OutboundRequest request;
    request.method = "POST";
    request.url = options_.traces_url;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    auto sending = client_->send(std::move(request));
    auto future = boost::asio::co_spawn(io_, std::move(sending), boost::asio::use_future);
    // Only until this export is done: kept-alive connections leave timers behind.
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (io_.stopped()) io_.restart();
      io_.run_one();
    }
    const auto answer = future.get();
    if (answer && answer->status >= 200 && answer->status < 300) return true;
    export_requests_failed_.fetch_add(1, std::memory_order_relaxed);
    const bool again = !answer || retryable(answer->status);
    const auto now = std::chrono::steady_clock::now();
    if (!again || now + backoff >= give_up) {
      log_event(spdlog::level::warn, "span export failed",
                {{"spans", boost::json::value(batch.size())},
                 {"error", boost::json::value(answer ? "HTTP " + std::to_string(answer->status)
                                                     : answer.error().describe())}});
      return false;
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

}  // namespace authsvc::tracing
