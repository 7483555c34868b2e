#include "crypto/jws.hpp"

#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "crypto/base64url.hpp"
#include "crypto/jose_json.hpp"

namespace authsvc::crypto {
namespace {

// Header parameters that carry or point at key material: honouring them lets the token choose its
// own key (CVE-2018-0114) or makes us fetch a URL (SSRF). We never fetch and never trust them.
constexpr std::array<std::string_view, 4> kKeyCarryingParameters = {"jku", "x5u", "jwk", "x5c"};

// Attacker-chosen names echoed in messages are cut to this many bytes.
constexpr std::size_t kMaxEchoBytes = 64;

std::string echo(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, kMaxEchoBytes)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c);
  }
  return out;
}

}  // namespace

std::string_view JwsParts::alg() const noexcept {
  const auto* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return {};
  return {alg->get_string().data(), alg->get_string().size()};
}

std::optional<std::string_view> JwsParts::kid() const noexcept {
  const auto* kid = header.if_contains("kid");
  if (kid == nullptr || !kid->is_string()) return std::nullopt;
  return std::string_view(kid->get_string().data(), kid->get_string().size());
}

Result<JwsParts> decode_jws(std::string_view token) {
  if (token.size() > kMaxJwsBytes) return Error(JwsErrc::malformed, "Token is too large");
  // PyJWT: signing_input, crypto = rsplit(".", 1); header, payload = signing_input.split(".", 1)
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return Error(JwsErrc::malformed, "Not enough segments");
  const std::string_view signing_input = token.substr(0, last_dot);
  const auto first_dot = signing_input.find('.');
  if (first_dot == std::string_view::npos) {
    return Error(JwsErrc::malformed, "Not enough segments");
  }
  const std::string_view header_segment = signing_input.substr(0, first_dot);
  const std::string_view payload_segment = signing_input.substr(first_dot + 1);
  const std::string_view signature_segment = token.substr(last_dot + 1);

  auto header_bytes = base64url_decode(header_segment);
  if (!header_bytes) return Error(JwsErrc::bad_header, "Invalid header padding");
  std::string json_error;
  auto header = parse_jose_object(*header_bytes, json_error);
  if (!header) return Error(JwsErrc::bad_header, "Invalid header string: " + json_error);

  // A payload segment holding a '.' (4 or more segments) is not base64url: "Invalid payload
  // padding".
  auto payload = base64url_decode(payload_segment);
  if (!payload) return Error(JwsErrc::bad_payload_encoding, "Invalid payload padding");
  auto signature = base64url_decode(signature_segment);
  if (!signature) return Error(JwsErrc::bad_signature_encoding, "Invalid crypto padding");

  JwsParts parts;
  parts.header = std::move(*header);
  parts.payload = std::move(*payload);
  parts.signature = std::move(*signature);
  parts.signing_input = signing_input;
  return parts;
}

Result<void> check_jws_header(const JwsParts& parts, JwsAlgorithm expected) {
  const auto& header = parts.header;
  // PyJWT's first check, before any key is prepared.
  const auto* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string() ||
      std::string_view(alg->get_string().data(), alg->get_string().size()) !=
          jws_algorithm_name(expected)) {
    return Error(JwsErrc::alg_not_allowed, "The specified alg value is not allowed");
  }
  if (const auto* kid = header.if_contains("kid"); kid != nullptr && !kid->is_string()) {
    return Error(JwsErrc::bad_kid, "Key ID header parameter must be a string");
  }
  if (const auto* crit = header.if_contains("crit"); crit != nullptr) {
    if (!crit->is_array() || crit->get_array().empty()) {
      return Error(JwsErrc::unsupported_header, "Invalid 'crit' header: must be a non-empty list");
    }
    // PyJWT checks the entries in order; none is supported, so the first one decides.
    const auto& first = crit->get_array().front();
    if (!first.is_string()) {
      return Error(JwsErrc::unsupported_header, "Invalid 'crit' header: values must be strings");
    }
    return Error(JwsErrc::unsupported_header,
                 "Unsupported critical extension: " +
                     echo(std::string_view(first.get_string().data(), first.get_string().size())));
  }
  for (const auto name : kKeyCarryingParameters) {
    if (header.contains(name)) {
      return Error(JwsErrc::unsupported_header,
                   "Unsupported header parameter: " + std::string(name));
    }
  }
  return ok_result();
}

Result<void> verify_jws_signature(const JwsParts& parts, const JwsKey& key) {
  if (parts.alg() != jws_algorithm_name(key.algorithm()) ||
      !key.verify(parts.signing_input, parts.signature)) {
    return Error(JwsErrc::bad_signature, "Signature verification failed");
  }
  return ok_result();
}

Result<std::string> sign_jws(const JwsKey& key, std::string_view kid,
                             std::string_view payload_json) {
  boost::json::object header;
  header["alg"] = jws_algorithm_name(key.algorithm());
  if (!kid.empty()) header["kid"] = kid;
  header["typ"] = "JWT";
  std::string token = base64url_encode(boost::json::serialize(header));
  token += '.';
  token += base64url_encode(payload_json);
  auto signature = key.sign(token);
  if (!signature) {
    return Error(JwsErrc::signing_failed, signature.error().describe());
  }
  token += '.';
  token += base64url_encode(*signature);
  return token;
}

}  // namespace authsvc::crypto
