// Fuzz target for the JSON body reader of every JSON endpoint (http/request_fields.hpp): arbitrary
// bytes must give either fields that follow the rules or a 400 JSON answer, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_require.hpp"
#include "http/request_fields.hpp"

using authsvc::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace authsvc::http;  // NOLINT(google-build-using-namespace)
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const auto unknown : {UnknownFields::reject, UnknownFields::ignore}) {
    auto [fields, error] = read_json_fields(
        body, {{"email", true, 255}, {"password", true}, {"phone", false, 50, true}}, unknown);
    if (error) {
      require(error->status == 400);
      require(!error->body.empty() && error->body.front() == '{');
      continue;
    }
    require(fields.has("email") && fields.has("password"));
    require(fields.get("email").has_value() && fields.get_or_empty("email").size() <= 255);
    if (const auto phone = fields.get("phone")) require(phone->size() <= 50);
  }
  return 0;
}
