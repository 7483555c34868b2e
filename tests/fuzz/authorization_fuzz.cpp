// Fuzz target for the Authorization header parsers: Bearer (http/bearer.hpp, with
// flask-jwt-extended's answers) and Basic client credentials (http/client_credentials.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz/fuzz_require.hpp"
#include "http/bearer.hpp"
#include "http/client_credentials.hpp"
#include "tokens/token_errc.hpp"

using authsvc::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace authsvc;  // NOLINT(google-build-using-namespace)
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  auto token = http::bearer_token(std::optional<std::string_view>(header));
  if (token) {
    require(!token->empty() && token->size() < size);
    require(token->find(' ') == std::string::npos && token->find('\t') == std::string::npos);
  } else {
    const auto reply = tokens::token_error_reply(token.error());
    require(reply && (reply->status == 401 || reply->status == 422) && !reply->msg.empty());
  }
  if (const auto client = http::basic_credentials(header)) {
    require(client->id.find(':') == std::string::npos);
    require(client->id.size() + client->secret.size() < size);
  }
  return 0;
}
