#include "common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json/serialize.hpp>

namespace authsvc {
namespace {

std::atomic<LogFormat> g_format{LogFormat::text};

// Text-mode values print bare only when that cannot forge a field or a line (log injection).
bool is_plain(const boost::json::value& value) {
  if (!value.is_string()) return false;
  const auto& text = value.get_string();
  if (text.empty()) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == '"' || u == '=' || u == 0x7f) return false;
  }
  return true;
}

}  // namespace

void init_logging(LogFormat format, spdlog::level::level_enum level) {
  g_format = format;
  auto logger = spdlog::stderr_logger_mt("auth");
  spdlog::set_default_logger(logger);
  if (format == LogFormat::json) {
    spdlog::set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_level(level);
}

void log_event(spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<LogField> fields) {
  if (!spdlog::should_log(level)) return;
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == LogFormat::json) {
    line = "\"msg\":" + boost::json::serialize(boost::json::value(message));
    for (const auto& [key, value] : fields) {
      line += ',';
      line += boost::json::serialize(boost::json::value(key));
      line += ':';
      line += boost::json::serialize(value);
    }
  } else {
    line = message;
    for (const auto& [key, value] : fields) {
      line += ' ';
      line += key;
      line += '=';
      line += is_plain(value) ? std::string(value.get_string()) : boost::json::serialize(value);
    }
  }
  spdlog::log(level, "{}", line);
}

}  // namespace authsvc
