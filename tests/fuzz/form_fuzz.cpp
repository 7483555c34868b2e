// Fuzz target for the form body parser of RFC 7009 / 7662 requests and the percent decoder of paths
// (http/request_fields.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_require.hpp"
#include "http/request_fields.hpp"

using authsvc::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace authsvc::http;  // NOLINT(google-build-using-namespace)
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto form = parse_form(body);
  for (const auto& [name, value] : form) require(name.size() + value.size() <= body.size());
  require(percent_decode(body, true).size() <= body.size());
  require(percent_decode(body, false).size() <= body.size());
  return 0;
}
