#include "tokens/token_errc.hpp"

namespace authsvc::tokens {
const char* error_category_name(TokenErrc) noexcept {
  return "token";
}

const char* describe(TokenErrc e) noexcept {
  switch (e) {
    case TokenErrc::malformed:
      return "Not enough segments";
    case TokenErrc::bad_signature:
      return "Signature verification failed";
    case TokenErrc::expired:
      return "Token has expired";
    case TokenErrc::not_yet_valid:
      return "The token is not yet valid (nbf)";
    case TokenErrc::alg_not_allowed:
      return "The specified alg value is not allowed";
    case TokenErrc::unknown_kid:
      return "Unknown key ID";
    case TokenErrc::unsupported_header:
      return "Signature verification failed";
    case TokenErrc::invalid_claims:
      return "Invalid claims";
    case TokenErrc::wrong_type:
      return "Only non-refresh tokens are allowed";
    case TokenErrc::revoked:
      return "Token has been revoked";
    case TokenErrc::missing_header:
      return "Missing Authorization Header";
    case TokenErrc::wrong_scheme:
      return "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer "
             "<JWT>'";
    case TokenErrc::bad_header:
      return "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";
  }
  return "Invalid token";
}

Error token_error(TokenErrc code, std::string client_text, std::string detail) {
  Error error(code, detail.empty() ? client_text : std::move(detail));
  error.client_text = std::move(client_text);
  return error;
}

int token_error_status(TokenErrc e) noexcept {
  switch (e) {
    case TokenErrc::expired:
    case TokenErrc::revoked:
    case TokenErrc::missing_header:
    case TokenErrc::wrong_scheme:
      return 401;
    default:
      return 422;
  }
}

std::optional<TokenErrorReply> token_error_reply(const Error& error) {
  if (!is_category<TokenErrc>(error.code)) return std::nullopt;
  const auto code = static_cast<TokenErrc>(error.code.value());
  return TokenErrorReply{token_error_status(code), error.client_text.empty()
                                                       ? std::string(describe(code))
                                                       : error.client_text};
}

}  // namespace authsvc::tokens
