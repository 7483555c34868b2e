#include "common/email.hpp"

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include <cstdlib>
#include <memory>

namespace authsvc {
namespace {

std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::optional<std::string> canonical_email(std::string_view email) {
  const std::string_view trimmed = trim_spaces(email);
  // A control character (NUL above all: libpq and C strings end there) never belongs in an address,
  // and would make one account answer to many spellings.
  for (const char c : trimmed) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return std::nullopt;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(trimmed.data());
  if (u8_check(bytes, trimmed.size()) != nullptr) return std::nullopt;
  std::size_t length = 0;
  // Lower-casing with NFC normalisation in one pass (libunistring applies `nf` to the result).
  std::uint8_t* folded = u8_tolower(bytes, trimmed.size(), nullptr, UNINORM_NFC, nullptr, &length);
  if (folded == nullptr) return std::nullopt;
  const std::unique_ptr<std::uint8_t, decltype(&std::free)> owner(folded, &std::free);
  return std::string(reinterpret_cast<const char*>(folded), length);
}

bool looks_like_email(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = email.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos) {
    return false;
  }
  for (const char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) return false;
  }
  return true;
}

}  // namespace authsvc
