#include "crypto/jws_errc.hpp"

namespace authsvc::crypto {

const char* error_category_name(JwsErrc) noexcept {
  return "jws";
}

const char* describe(JwsErrc e) noexcept {
  switch (e) {
    case JwsErrc::malformed:
      return "malformed token";
    case JwsErrc::bad_header:
      return "undecodable header";
    case JwsErrc::bad_payload_encoding:
      return "undecodable payload";
    case JwsErrc::bad_signature_encoding:
      return "undecodable signature";
    case JwsErrc::bad_kid:
      return "invalid kid";
    case JwsErrc::unsupported_header:
      return "unsupported header parameter";
    case JwsErrc::alg_not_allowed:
      return "algorithm not allowed";
    case JwsErrc::bad_signature:
      return "bad signature";
    case JwsErrc::signing_failed:
      return "signing failed";
  }
  return "unknown jws error";
}

}  // namespace authsvc::crypto
