#include "crypto/jws_errc.hpp"

#include <string>

namespace authsvc::crypto {
namespace {

class JwsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "jws"; }
  std::string message(int value) const override {
    switch (static_cast<JwsErrc>(value)) {
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
};

}  // namespace

const std::error_category& jws_category() noexcept {
  static const JwsCategory category;
  return category;
}

std::error_code make_error_code(JwsErrc e) noexcept {
  return {static_cast<int>(e), jws_category()};
}

}  // namespace authsvc::crypto
