#include "crypto/base64url.hpp"

#include <array>
#include <cstdint>

namespace authsvc::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = make_decode_table();

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  const auto byte = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kAlphabet[(n >> 18) & 0x3F]);
    out.push_back(kAlphabet[(n >> 12) & 0x3F]);
    out.push_back(kAlphabet[(n >> 6) & 0x3F]);
    out.push_back(kAlphabet[n & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = byte(i) << 16;
    out.push_back(kAlphabet[(n >> 18) & 0x3F]);
    out.push_back(kAlphabet[(n >> 12) & 0x3F]);
  } else if (rest == 2) {
    const std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(kAlphabet[(n >> 18) & 0x3F]);
    out.push_back(kAlphabet[(n >> 12) & 0x3F]);
    out.push_back(kAlphabet[(n >> 6) & 0x3F]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  const std::size_t rest = text.size() % 4;
  if (rest == 1) return std::nullopt;
  const std::size_t quads = text.size() / 4;
  std::string out(quads * 3 + (rest == 0 ? 0 : rest - 1), '\0');
  const auto value = [&](std::size_t at) {
    return static_cast<std::uint32_t>(kDecode[static_cast<unsigned char>(text[at])]);
  };
  std::uint32_t invalid = 0;  // any table entry of 0xFF sets bits above the low 6
  std::size_t o = 0;
  for (std::size_t q = 0; q < quads; ++q) {
    const std::size_t i = q * 4;
    const std::uint32_t a = value(i), b = value(i + 1), c = value(i + 2), d = value(i + 3);
    invalid |= a | b | c | d;
    const std::uint32_t n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = static_cast<char>((n >> 16) & 0xFF);
    out[o++] = static_cast<char>((n >> 8) & 0xFF);
    out[o++] = static_cast<char>(n & 0xFF);
  }
  const std::size_t i = quads * 4;
  if (rest == 2) {
    const std::uint32_t a = value(i), b = value(i + 1);
    invalid |= a | b;
    // 4 spare bits: they must be zero, or a second spelling of the same bytes would exist.
    if ((b & 0x0F) != 0) return std::nullopt;
    out[o++] = static_cast<char>(((a << 2) | (b >> 4)) & 0xFF);
  } else if (rest == 3) {
    const std::uint32_t a = value(i), b = value(i + 1), c = value(i + 2);
    invalid |= a | b | c;
    if ((c & 0x03) != 0) return std::nullopt;  // 2 spare bits
    const std::uint32_t n = (a << 10) | (b << 4) | (c >> 2);
    out[o++] = static_cast<char>((n >> 8) & 0xFF);
    out[o++] = static_cast<char>(n & 0xFF);
  }
  if ((invalid & ~std::uint32_t{0x3F}) != 0) return std::nullopt;
  return out;
}

}  // namespace authsvc::crypto
