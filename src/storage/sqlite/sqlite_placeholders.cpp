#include "storage/sqlite/sqlite_placeholders.hpp"

namespace authsvc::storage {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_identifier_char(char c) {
  return is_digit(c) || c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Copies a quoted run starting at `i` (the opening quote) up to and including its closing quote.
// A doubled closing quote ('' or "") is an escaped quote and does not end the run.
std::size_t copy_quoted(std::string_view sql, std::size_t i, char close, std::string& out) {
  out.push_back(sql[i++]);
  while (i < sql.size()) {
    const char c = sql[i++];
    out.push_back(c);
    if (c == close) {
      if (close != ']' && i < sql.size() && sql[i] == close) {
        out.push_back(sql[i++]);
        continue;
      }
      break;
    }
  }
  return i;
}

}  // namespace

std::string rewrite_placeholders_for_sqlite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      i = copy_quoted(sql, i, c, out);
    } else if (c == '[') {
      i = copy_quoted(sql, i, ']', out);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '$' && i + 1 < sql.size() && is_digit(sql[i + 1]) &&
               (i == 0 || !is_identifier_char(sql[i - 1]))) {
      out.push_back('?');
      ++i;
      while (i < sql.size() && is_digit(sql[i])) out.push_back(sql[i++]);
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace authsvc::storage
