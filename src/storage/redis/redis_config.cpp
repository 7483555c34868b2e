#include "storage/redis/redis_config.hpp"

#include <charconv>
#include <system_error>

namespace authsvc::storage {
namespace {

Error bad_url(std::string what) {
  return Error(std::make_error_code(std::errc::invalid_argument),
               "invalid redis URL: " + std::move(what));
}

bool parse_int(std::string_view text, int min, int max, int& out) {
  if (text.empty()) return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return false;
  out = value;
  return true;
}

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// Percent-decodes `text`; false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_digit(text[i + 1]);
    const int low = hex_digit(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char ch) {
      return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

Result<RedisConfig> parse_redis_url(std::string_view url) {
  RedisConfig config;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return bad_url("expected redis://[[user]:password@]host[:port][/db]");
  const std::string_view scheme = url.substr(0, scheme_end);
  if (iequals(scheme, "rediss")) return bad_url("TLS (rediss://) is not supported");
  if (!iequals(scheme, "redis"))
    return bad_url("unsupported scheme '" + std::string(scheme) + "', expected redis://");

  std::string_view rest = url.substr(scheme_end + 3);
  // userinfo: everything up to the last '@', so a password may hold '@', '/', '?' or '#' unescaped.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos)
      return bad_url("credentials must be written [user]:password@");
    if (!percent_decode(userinfo.substr(0, colon), config.user))
      return bad_url("malformed %-escape in the user");
    if (!percent_decode(userinfo.substr(colon + 1), config.password)) {
      return bad_url("malformed %-escape in the password");
    }
  }
  if (const auto special = rest.find_first_of("?#"); special != std::string_view::npos) {
    return bad_url(rest[special] == '?' ? "query parameters are not supported"
                                        : "fragments are not supported");
  }
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  const std::string_view path =
      path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);

  // host[:port], with an IPv6 literal in brackets.
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_url("unterminated '[' in the IPv6 host");
    config.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url("unexpected characters after the IPv6 host");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
      authority = authority.substr(0, colon);
    }
    if (authority.find(':') != std::string_view::npos)
      return bad_url("IPv6 hosts must be written in brackets");
    config.host = std::string(authority);
  }
  if (config.host.empty()) return bad_url("missing host");
  if (has_port && !parse_int(port_text, 1, 65535, config.port)) {
    return bad_url("invalid port '" + std::string(port_text) + "' (expected 1-65535)");
  }

  // [/db]
  if (path.size() > 1) {
    const std::string_view db_text = path.substr(1);
    if (!parse_int(db_text, 0, 1'000'000, config.db)) {
      return bad_url("invalid database number '" + std::string(db_text) +
                     "' (expected /0, /1, ...)");
    }
  }
  return config;
}

std::string describe_redis_target(const RedisConfig& config) {
  const bool ipv6 = config.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + config.host + "]" : config.host) + ":" + std::to_string(config.port) + "/" +
         std::to_string(config.db);
}

}  // namespace authsvc::storage
