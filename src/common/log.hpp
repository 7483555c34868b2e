#pragma once

#include <spdlog/common.h>

#include <boost/json/value.hpp>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace authsvc {

enum class LogFormat { text, json };

// Sets up the process logger (stderr, UTC timestamps). Call once at start-up.
void init_logging(LogFormat format, spdlog::level::level_enum level);

using LogField = std::pair<std::string_view, boost::json::value>;

// One structured line: a JSON object per line in json mode, `message key=value ...` in text mode.
// Never pass secrets (passwords, tokens, hashes) as fields.
void log_event(spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<LogField> fields = {});

}  // namespace authsvc
