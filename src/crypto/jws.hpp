#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/jws_algorithm.hpp"
#include "crypto/jws_errc.hpp"
#include "crypto/jws_key.hpp"

namespace authsvc::crypto {

// Compact JWS (RFC 7515 section 7.1), the only serialisation accepted (no JSON serialisation, no
// JWE, no unencoded payloads).
//
// Checks run in PyJWT 2.6's order, and each failure carries PyJWT's text as the Error's detail
// (flask-jwt-extended sends it as {"msg": ...}), JwsErrc as the code:
//   decode_jws:           size cap          -> malformed              "Token is too large"
//                         split on '.'      -> malformed              "Not enough segments"
//                         header base64url  -> bad_header             "Invalid header padding"
//                         header JSON       -> bad_header             "Invalid header string: ..."
//                         payload base64url -> bad_payload_encoding   "Invalid payload padding"
//                         signature b64url  -> bad_signature_encoding "Invalid crypto padding"
//   check_jws_header:     alg != expected   -> alg_not_allowed "The specified alg value is not
//                                              allowed"
//                         then rules PyJWT 2.6 does not have, checked here before any key work
//                         (their texts name the rule; tokens/ shows clients the signature
//                         failure, which is what PyJWT 2.6 answers for such a forged token):
//                         kid not a string  -> bad_kid            "Key ID header parameter must
//                                              be a string"
//                         crit present      -> unsupported_header "Unsupported critical extension:
//                                              <name>" (we support no extension), "Invalid 'crit'
//                                              header: ..."
//                         jku/x5u/jwk/x5c   -> unsupported_header "Unsupported header parameter:
//                                              <name>"
//   verify_jws_signature: bad signature     -> bad_signature   "Signature verification failed"
// Base64url is strict (crypto/base64url.hpp): padding, '+', '/', whitespace or non-zero spare bits
// fail, where PyJWT is lenient. The header must be a JSON object without duplicate members.
inline constexpr std::size_t kMaxJwsBytes = 64 * 1024;

struct JwsParts {
  boost::json::object header;
  std::string payload;             // decoded bytes (JSON text, not parsed here)
  std::string signature;           // decoded bytes
  std::string_view signing_input;  // "<header>.<payload>" as received: a view into the token

  // The header's "alg" when it is a string, else "".
  std::string_view alg() const noexcept;
  // The header's "kid" when present and a string.
  std::optional<std::string_view> kid() const noexcept;
};

// Splits and decodes; no signature check. The result refers to `token` (signing_input).
Result<JwsParts> decode_jws(std::string_view token);
// Header rules: kid type, crit, key-carrying parameters, alg pinned to exactly `expected`.
Result<void> check_jws_header(const JwsParts& parts, JwsAlgorithm expected);
// The signature check with `key` (whose algorithm must be the header's: call check_jws_header).
Result<void> verify_jws_signature(const JwsParts& parts, const JwsKey& key);

// Serialises and signs: header {"alg":...,"kid":...,"typ":"JWT"} (kid omitted when empty), the
// payload JSON text as given. JwsErrc::signing_failed when the key cannot sign.
Result<std::string> sign_jws(const JwsKey& key, std::string_view kid,
                             std::string_view payload_json);

}  // namespace authsvc::crypto
