#include "crypto/jose_json.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace authsvc::crypto {
namespace {

constexpr char32_t kNoChar = 0xFFFFFFFF;

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::string hex_byte(unsigned char c) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", c);
  return text;
}

// CPython's UTF-8 decoder with the 'surrogatepass' handler (what json.loads(bytes) runs), reporting
// its UnicodeDecodeError text. Code points go to `out`.
bool decode_utf8(std::string_view bytes, std::u32string& out, std::string& error) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  out.reserve(n);
  std::size_t pos = 0;
  const auto fail = [&](std::size_t start, std::size_t end, const char* reason) {
    if (end - start == 1) {
      error = "'utf-8' codec can't decode byte " + hex_byte(b[start]) + " in position " +
              std::to_string(start) + ": " + reason;
    } else {
      error = "'utf-8' codec can't decode bytes in position " + std::to_string(start) + "-" +
              std::to_string(end - 1) + ": " + reason;
    }
    return false;
  };
  while (pos < n) {
    const unsigned char c = b[pos];
    const std::size_t left = n - pos;
    if (c < 0x80) {
      out.push_back(c);
      ++pos;
      continue;
    }
    if (c < 0xC2) return fail(pos, pos + 1, "invalid start byte");
    if (c < 0xE0) {
      if (left < 2) return fail(pos, n, "unexpected end of data");
      if (!is_continuation(b[pos + 1])) return fail(pos, pos + 1, "invalid continuation byte");
      out.push_back((char32_t{c} & 0x1F) << 6 | (char32_t{b[pos + 1]} & 0x3F));
      pos += 2;
      continue;
    }
    if (c < 0xF0) {
      if (left >= 3 && c == 0xED && b[pos + 1] >= 0xA0 && b[pos + 1] <= 0xBF &&
          is_continuation(b[pos + 2])) {
        // An encoded surrogate: 'surrogatepass' lets it through as a lone surrogate code point.
        out.push_back(0xD000 | (char32_t{b[pos + 1]} & 0x3F) << 6 | (char32_t{b[pos + 2]} & 0x3F));
        pos += 3;
        continue;
      }
      if (left < 2) return fail(pos, n, "unexpected end of data");
      const unsigned char c2 = b[pos + 1];
      if (!is_continuation(c2) || (c == 0xE0 && c2 < 0xA0) || (c == 0xED && c2 >= 0xA0)) {
        return fail(pos, pos + 1, "invalid continuation byte");
      }
      if (left < 3) return fail(pos, n, "unexpected end of data");
      if (!is_continuation(b[pos + 2])) return fail(pos, pos + 2, "invalid continuation byte");
      out.push_back((char32_t{c} & 0x0F) << 12 | (char32_t{c2} & 0x3F) << 6 |
                    (char32_t{b[pos + 2]} & 0x3F));
      pos += 3;
      continue;
    }
    if (c < 0xF5) {
      if (left < 2) return fail(pos, n, "unexpected end of data");
      const unsigned char c2 = b[pos + 1];
      if (!is_continuation(c2) || (c == 0xF0 && c2 < 0x90) || (c == 0xF4 && c2 >= 0x90)) {
        return fail(pos, pos + 1, "invalid continuation byte");
      }
      if (left < 3) return fail(pos, n, "unexpected end of data");
      if (!is_continuation(b[pos + 2])) return fail(pos, pos + 2, "invalid continuation byte");
      if (left < 4) return fail(pos, n, "unexpected end of data");
      if (!is_continuation(b[pos + 3])) return fail(pos, pos + 3, "invalid continuation byte");
      out.push_back((char32_t{c} & 0x07) << 18 | (char32_t{c2} & 0x3F) << 12 |
                    (char32_t{b[pos + 2]} & 0x3F) << 6 | (char32_t{b[pos + 3]} & 0x3F));
      pos += 4;
      continue;
    }
    return fail(pos, pos + 1, "invalid start byte");
  }
  return true;
}

// Python's json.detect_encoding: bytes it would decode as UTF-16 or UTF-32 (BOMs, NUL patterns).
bool looks_like_utf16_or_utf32(std::string_view bytes) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.starts_with(std::string_view("\xFF\xFE", 2)) ||
      bytes.starts_with(std::string_view("\xFE\xFF", 2)) ||
      bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    return true;
  }
  if (bytes.size() >= 4) return b(0) == 0 || b(1) == 0;
  if (bytes.size() == 2) return b(0) == 0 || b(1) == 0;
  return false;
}

bool is_surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDFFF;
}
bool is_high_surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDBFF;
}
bool is_low_surrogate(char32_t c) {
  return c >= 0xDC00 && c <= 0xDFFF;
}

int hex_value(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

// A transcription of CPython's C scanner (Modules/_json.c: scan_once_unicode, _parse_object,
// _parse_array, scanstring, _match_number) over code points, so that the first syntax error and
// its position are the ones Python reports. On the side it notes the first thing Python accepts
// but we refuse (duplicate keys, NaN/Infinity, lone surrogates).
class PyJsonScanner {
 public:
  explicit PyJsonScanner(const std::u32string& text) : s_(text), n_(text.size()) {}

  // Python's JSONDecoder.decode: optional whitespace, one value, optional whitespace, end.
  bool decode() {
    std::size_t idx = skip_ws(0);
    std::size_t end = 0;
    if (!scan_once(idx, end, 0)) {
      if (stop_) raise("Expecting value", stop_at_);
      return false;
    }
    end = skip_ws(end);
    if (end != n_) return raise("Extra data", end);
    return true;
  }

  const std::string& message() const { return message_; }
  // The first refusal of ours when Python would have accepted the text ("" when none).
  const std::string& strict_message() const { return strict_message_; }

 private:
  static bool is_ws(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  std::size_t skip_ws(std::size_t idx) const {
    while (idx < n_ && is_ws(s_[idx])) ++idx;
    return idx;
  }
  char32_t at(std::size_t idx) const { return idx < n_ ? s_[idx] : kNoChar; }

  std::string position(std::size_t pos) const {
    std::size_t line = 1;
    std::size_t last_newline = 0;
    bool seen_newline = false;
    for (std::size_t i = 0; i < pos && i < n_; ++i) {
      if (s_[i] == '\n') {
        ++line;
        last_newline = i;
        seen_newline = true;
      }
    }
    const std::size_t column = seen_newline ? pos - last_newline : pos + 1;
    return ": line " + std::to_string(line) + " column " + std::to_string(column) + " (char " +
           std::to_string(pos) + ")";
  }
  bool raise(const char* what, std::size_t pos) {
    stop_ = false;
    message_ = what + position(pos);
    return false;
  }
  // Python's StopIteration(idx): "Expecting value" at idx, unless a caller adds context.
  bool stop_iteration(std::size_t idx) {
    stop_ = true;
    stop_at_ = idx;
    return false;
  }
  void refuse(const char* what, std::size_t pos) {
    if (strict_message_.empty()) strict_message_ = what + position(pos);
  }

  bool scan_once(std::size_t idx, std::size_t& next, std::size_t depth) {
    if (idx >= n_) return stop_iteration(idx);
    switch (s_[idx]) {
      case '"':
        return scan_string(idx + 1, next, nullptr);
      case '{':
      case '[':
        if (depth + 1 > kMaxJoseJsonDepth) {
          return raise("Nesting too deep", idx);
        }
        return s_[idx] == '{' ? parse_object(idx + 1, next, depth + 1)
                              : parse_array(idx + 1, next, depth + 1);
      case 'n':
      case 't':
      case 'f': {
        const std::u32string_view word = s_[idx] == 'n'   ? U"null"
                                         : s_[idx] == 't' ? U"true"
                                                          : U"false";
        if (matches(idx, word)) {
          next = idx + word.size();
          return true;
        }
        break;
      }
      case 'N':
      case 'I':
      case '-': {
        const std::u32string_view word = s_[idx] == 'N'   ? U"NaN"
                                         : s_[idx] == 'I' ? U"Infinity"
                                                          : U"-Infinity";
        if (matches(idx, word)) {
          refuse("Non-standard constant", idx);
          next = idx + word.size();
          return true;
        }
        break;
      }
      default:
        break;
    }
    return match_number(idx, next);
  }

  bool matches(std::size_t idx, std::u32string_view word) const {
    return n_ - idx >= word.size() && std::u32string_view(s_).substr(idx, word.size()) == word;
  }

  bool is_digit(std::size_t idx) const { return idx < n_ && s_[idx] >= '0' && s_[idx] <= '9'; }

  bool match_number(std::size_t start, std::size_t& next) {
    std::size_t idx = start;
    if (at(idx) == '-') {
      ++idx;
      if (idx >= n_) return stop_iteration(start);
    }
    if (at(idx) >= '1' && at(idx) <= '9') {
      ++idx;
      while (is_digit(idx)) ++idx;
    } else if (at(idx) == '0') {
      ++idx;
    } else {
      return stop_iteration(start);
    }
    if (idx + 1 < n_ && s_[idx] == '.' && is_digit(idx + 1)) {
      idx += 2;
      while (is_digit(idx)) ++idx;
    }
    if (idx + 1 < n_ && (s_[idx] == 'e' || s_[idx] == 'E')) {
      const std::size_t e_start = idx;
      ++idx;
      if (idx + 1 < n_ && (s_[idx] == '-' || s_[idx] == '+')) ++idx;
      while (is_digit(idx)) ++idx;
      if (!(s_[idx - 1] >= '0' && s_[idx - 1] <= '9')) idx = e_start;
    }
    next = idx;
    return true;
  }

  // `end` is just after the opening quote. Decodes into `key` when given (object keys).
  bool scan_string(std::size_t end, std::size_t& next_out, std::u32string* key) {
    const std::size_t begin = end - 1;
    std::size_t next = end;
    for (;;) {
      char32_t c = kNoChar;
      for (next = end; next < n_; ++next) {
        c = s_[next];
        if (c == '"' || c == '\\') break;
        if (c <= 0x1F) return raise("Invalid control character at", next);
        if (is_surrogate(c)) refuse("Unpaired surrogate", next);
        if (key != nullptr) key->push_back(c);
      }
      if (next >= n_) return raise("Unterminated string starting at", begin);
      if (c == '"') {
        next_out = next + 1;
        return true;
      }
      ++next;  // the backslash
      if (next == n_) return raise("Unterminated string starting at", begin);
      c = s_[next];
      if (c != 'u') {
        end = next + 1;
        char32_t decoded = 0;
        switch (c) {
          case '"':
            decoded = '"';
            break;
          case '\\':
            decoded = '\\';
            break;
          case '/':
            decoded = '/';
            break;
          case 'b':
            decoded = '\b';
            break;
          case 'f':
            decoded = '\f';
            break;
          case 'n':
            decoded = '\n';
            break;
          case 'r':
            decoded = '\r';
            break;
          case 't':
            decoded = '\t';
            break;
          default:
            return raise("Invalid \\escape", end - 2);
        }
        if (key != nullptr) key->push_back(decoded);
        continue;
      }
      ++next;
      end = next + 4;
      if (end >= n_) return raise("Invalid \\uXXXX escape", next - 1);
      char32_t unit = 0;
      for (; next < end; ++next) {
        const int digit = hex_value(s_[next]);
        if (digit < 0) return raise("Invalid \\uXXXX escape", end - 5);
        unit = unit << 4 | static_cast<char32_t>(digit);
      }
      const std::size_t escape_at = end - 6;
      if (is_high_surrogate(unit) && end + 6 < n_ && s_[next] == '\\' && s_[next + 1] == 'u') {
        next += 2;
        end += 6;
        char32_t low = 0;
        for (; next < end; ++next) {
          const int digit = hex_value(s_[next]);
          if (digit < 0) return raise("Invalid \\uXXXX escape", end - 5);
          low = low << 4 | static_cast<char32_t>(digit);
        }
        if (is_low_surrogate(low)) {
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        } else {
          end -= 6;
        }
      }
      if (is_surrogate(unit)) refuse("Unpaired surrogate", escape_at);
      if (key != nullptr) key->push_back(unit);
    }
  }

  bool parse_object(std::size_t idx, std::size_t& next_out, std::size_t depth) {
    std::vector<std::pair<std::u32string, std::size_t>> keys;
    idx = skip_ws(idx);
    if (idx >= n_ || s_[idx] != '}') {
      for (;;) {
        if (idx >= n_ || s_[idx] != '"') {
          return raise("Expecting property name enclosed in double quotes", idx);
        }
        std::u32string key;
        std::size_t next = 0;
        const std::size_t key_at = idx;
        if (!scan_string(idx + 1, next, &key)) return false;
        keys.emplace_back(std::move(key), key_at);
        idx = skip_ws(next);
        if (idx >= n_ || s_[idx] != ':') return raise("Expecting ':' delimiter", idx);
        idx = skip_ws(idx + 1);
        if (!scan_once(idx, next, depth)) return false;
        idx = skip_ws(next);
        if (idx < n_ && s_[idx] == '}') break;
        if (idx >= n_ || s_[idx] != ',') return raise("Expecting ',' delimiter", idx);
        idx = skip_ws(idx + 1);
      }
    }
    next_out = idx + 1;
    if (keys.size() > 1) {
      std::sort(keys.begin(), keys.end());
      const auto duplicate =
          std::adjacent_find(keys.begin(), keys.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; });
      if (duplicate != keys.end()) refuse("Duplicate key", std::next(duplicate)->second);
    }
    return true;
  }

  bool parse_array(std::size_t idx, std::size_t& next_out, std::size_t depth) {
    idx = skip_ws(idx);
    if (idx >= n_ || s_[idx] != ']') {
      for (;;) {
        std::size_t next = 0;
        if (!scan_once(idx, next, depth)) return false;
        idx = skip_ws(next);
        if (idx < n_ && s_[idx] == ']') break;
        if (idx >= n_ || s_[idx] != ',') return raise("Expecting ',' delimiter", idx);
        idx = skip_ws(idx + 1);
      }
    }
    next_out = idx + 1;
    return true;
  }

  const std::u32string& s_;
  const std::size_t n_;
  std::string message_;
  std::string strict_message_;
  bool stop_ = false;
  std::size_t stop_at_ = 0;
};

}  // namespace

namespace {

// Members of objects in `text`, which Boost.JSON accepted: in valid JSON every ':' outside a
// string separates a member from its key.
std::size_t members_in_text(std::string_view text) {
  std::size_t count = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':') {
      ++count;
    }
  }
  return count;
}

std::size_t members_in_value(const boost::json::value& value) {
  std::size_t count = 0;
  if (value.is_object()) {
    for (const auto& member : value.get_object()) count += 1 + members_in_value(member.value());
  } else if (value.is_array()) {
    for (const auto& element : value.get_array()) count += members_in_value(element);
  }
  return count;
}

// The complete check: Python's scan for the exact error text, then our refusals, then the parse.
std::optional<boost::json::object> parse_slowly(std::string_view bytes, std::string& error) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    error = "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)";
    return std::nullopt;
  }
  if (looks_like_utf16_or_utf32(bytes)) {
    error = "JSON text must be UTF-8: line 1 column 1 (char 0)";
    return std::nullopt;
  }
  std::u32string text;
  if (!decode_utf8(bytes, text, error)) return std::nullopt;
  PyJsonScanner scanner(text);
  if (!scanner.decode()) {
    error = scanner.message();
    return std::nullopt;
  }
  if (!scanner.strict_message().empty()) {
    error = scanner.strict_message();
    return std::nullopt;
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJoseJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(bytes, ec, {}, options);
  if (ec) {
    // Not expected after the scan above; kept so a disagreement can never let bad input pass.
    error = "Invalid JSON: line 1 column 1 (char 0)";
    return std::nullopt;
  }
  if (!value.is_object()) {
    error = "must be a json object";
    return std::nullopt;
  }
  return std::move(value.get_object());
}

}  // namespace

std::optional<boost::json::object> parse_jose_object(std::string_view bytes, std::string& error) {
  error.clear();
  try {
    // Fast path, the one every valid token takes: whatever strict RFC 8259 JSON Boost.JSON accepts
    // within the depth limit, Python accepts too and our extra rules only add the duplicate-key
    // check, done by counting members. Anything else takes the slow path for its exact message.
    boost::json::parse_options options;
    options.max_depth = kMaxJoseJsonDepth;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(bytes, ec, {}, options);
    if (!ec && members_in_text(bytes) == members_in_value(value)) {
      if (!value.is_object()) {
        error = "must be a json object";
        return std::nullopt;
      }
      return std::move(value.get_object());
    }
    return parse_slowly(bytes, error);
  } catch (const std::exception&) {
    error = "Invalid JSON: line 1 column 1 (char 0)";  // out of memory
    return std::nullopt;
  }
}

}  // namespace authsvc::crypto
