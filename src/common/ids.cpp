#include "common/ids.hpp"

#include <sys/random.h>

#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>

namespace authsvc {
namespace {

void fill_random(std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = getrandom(data, size, 0);
    if (got < 0) throw std::runtime_error("getrandom failed");
    data += got;
    size -= static_cast<std::size_t>(got);
  }
}

constexpr std::string_view kHex = "0123456789abcdef";

}  // namespace

std::string new_uuid() {
  std::array<std::uint8_t, 16> bytes{};
  fill_random(bytes.data(), bytes.size());
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

bool is_canonical_uuid(std::string_view text) noexcept {
  if (!is_uuid(text)) return false;
  for (const char c : text) {
    if (c >= 'A' && c <= 'F') return false;
  }
  return true;
}

std::string random_hex(std::size_t size) {
  std::string bytes(size, '\0');
  fill_random(reinterpret_cast<std::uint8_t*>(bytes.data()), size);
  std::string out;
  out.reserve(size * 2);
  for (const char b : bytes) {
    const auto u = static_cast<std::uint8_t>(b);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 0x0f]);
  }
  return out;
}

std::string correlation_id() {
  thread_local std::mt19937_64 generator = [] {
    std::array<std::uint64_t, 4> seed{};
    fill_random(reinterpret_cast<std::uint8_t*>(seed.data()), sizeof(seed));
    std::seed_seq sequence(seed.begin(), seed.end());
    return std::mt19937_64(sequence);
  }();
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t value = generator();
    for (int i = 0; i < 16; ++i) {
      out[static_cast<std::size_t>(half * 16 + i)] = kHex[value & 0xf];
      value >>= 4;
    }
  }
  return out;
}

}  // namespace authsvc
