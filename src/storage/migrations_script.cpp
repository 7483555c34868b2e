#include "storage/migrations_script.hpp"

#include <cctype>

#include "storage/migrations_errc.hpp"

namespace authsvc::storage {
namespace {

bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_word_char(char c) {
  return is_word_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '$';
}

std::string upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) --end;
  return std::string(text.substr(begin, end - begin));
}

class Splitter {
 public:
  explicit Splitter(std::string_view script) : s_(script) {}

  Result<std::vector<std::string>> run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '\'') {
        const bool backslashes = i_ > 0 && (s_[i_ - 1] == 'E' || s_[i_ - 1] == 'e') &&
                                 (i_ < 2 || !is_word_char(s_[i_ - 2]));
        if (!skip_quoted('\'', backslashes)) return fail("unterminated string literal");
        substantive_ = true;
      } else if (c == '"') {
        if (!skip_quoted('"', false)) return fail("unterminated quoted identifier");
        substantive_ = true;
      } else if (c == '-' && peek(1) == '-') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '/' && peek(1) == '*') {
        if (!skip_block_comment()) return fail("unterminated comment");
      } else if (c == '$' && (i_ == 0 || !is_word_char(s_[i_ - 1])) && dollar_tag_length() > 0) {
        if (!skip_dollar_quoted()) return fail("unterminated dollar-quoted string");
        substantive_ = true;
      } else if (is_word_start(c)) {
        const std::size_t start = i_;
        while (i_ < s_.size() && is_word_char(s_[i_])) ++i_;
        on_word(upper(s_.substr(start, i_ - start)));
        substantive_ = true;
      } else if (c == ';' && depth_ == 0) {
        finish(i_);
        ++i_;
        start_ = i_;
      } else {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) substantive_ = true;
        ++i_;
      }
    }
    finish(s_.size());
    return std::move(statements_);
  }

 private:
  char peek(std::size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  Error fail(const char* what) const {
    std::size_t line = 1;
    for (std::size_t k = 0; k < start_ && k < s_.size(); ++k) line += s_[k] == '\n' ? 1 : 0;
    return Error(
        MigrationErrc::invalid_migration_set,
        std::string(what) + " in the statement starting near line " + std::to_string(line));
  }

  bool skip_quoted(char quote, bool backslashes) {
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (backslashes && c == '\\') {
        ++i_;
      } else if (c == quote) {
        if (i_ < s_.size() && s_[i_] == quote) {
          ++i_;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  bool skip_block_comment() {  // PostgreSQL nests block comments
    int nesting = 0;
    while (i_ < s_.size()) {
      if (s_[i_] == '/' && peek(1) == '*') {
        ++nesting;
        i_ += 2;
      } else if (s_[i_] == '*' && peek(1) == '/') {
        i_ += 2;
        if (--nesting == 0) return true;
      } else {
        ++i_;
      }
    }
    return false;
  }

  // Length of "$tag$" at i_ ("$$" included), or 0 when i_ does not open a dollar quote ($1 is a
  // parameter).
  std::size_t dollar_tag_length() const {
    std::size_t k = i_ + 1;
    if (k < s_.size() && s_[k] == '$') return 2;
    if (k >= s_.size() || !is_word_start(s_[k])) return 0;
    while (k < s_.size() && (is_word_char(s_[k]) && s_[k] != '$')) ++k;
    return k < s_.size() && s_[k] == '$' ? k - i_ + 1 : 0;
  }

  bool skip_dollar_quoted() {
    const std::size_t length = dollar_tag_length();
    const std::string_view tag = s_.substr(i_, length);
    const std::size_t end = s_.find(tag, i_ + length);
    if (end == std::string_view::npos) return false;
    i_ = end + length;
    return true;
  }

  // BEGIN ... END (and CASE ... END inside it) only group statements in CREATE TRIGGER (SQLite)
  // and CREATE FUNCTION/PROCEDURE ... BEGIN ATOMIC (PostgreSQL).
  void on_word(const std::string& word) {
    if (head_.size() < 4) head_.push_back(word);
    if (!is_block_statement()) return;
    if (word == "BEGIN" || word == "CASE") {
      ++depth_;
    } else if (word == "END" && depth_ > 0) {
      --depth_;
    }
  }

  bool is_block_statement() const {
    if (head_.empty() || head_[0] != "CREATE") return false;
    for (std::size_t k = 1; k < head_.size(); ++k) {
      if (head_[k] == "TRIGGER" || head_[k] == "FUNCTION" || head_[k] == "PROCEDURE") return true;
    }
    return false;
  }

  void finish(std::size_t end) {
    if (substantive_) statements_.push_back(trim(s_.substr(start_, end - start_)));
    substantive_ = false;
    head_.clear();
    depth_ = 0;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::size_t start_ = 0;
  bool substantive_ = false;
  int depth_ = 0;
  std::vector<std::string> head_;
  std::vector<std::string> statements_;
};

}  // namespace

Result<std::vector<std::string>> split_sql_script(std::string_view script) {
  return Splitter(script).run();
}

}  // namespace authsvc::storage
