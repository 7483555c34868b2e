#include "tokens/claims_validator.hpp"

#include <cmath>
#include <cstdint>
#include <optional>

#include "common/ids.hpp"

namespace authsvc::tokens {
namespace {

// NumericDates beyond this many seconds from the epoch are refused: system_clock (nanoseconds)
// cannot represent them, and no token of ours comes near (2^33 s is about 272 years).
constexpr std::int64_t kMaxNumericDate = std::int64_t{1} << 33;

Error invalid(std::string text) {
  return token_error(TokenErrc::invalid_claims, std::move(text));
}

// A JSON number as whole seconds (truncated, like Python's int()); nullopt for anything else.
std::optional<std::int64_t> numeric_date(const boost::json::value& value) {
  if (value.is_int64()) {
    const std::int64_t v = value.get_int64();
    if (v > kMaxNumericDate || v < -kMaxNumericDate) return std::nullopt;
    return v;
  }
  if (value.is_uint64()) {
    const std::uint64_t v = value.get_uint64();
    if (v > static_cast<std::uint64_t>(kMaxNumericDate)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_double()) {
    const double v = value.get_double();
    if (!std::isfinite(v) || std::fabs(v) > static_cast<double>(kMaxNumericDate)) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(std::trunc(v));
  }
  return std::nullopt;
}

const boost::json::value* member(const boost::json::object& payload, std::string_view name) {
  return payload.if_contains(name);
}

// PyJWT's "payload.get(claim) is None": absent or null.
bool missing(const boost::json::value* value) {
  return value == nullptr || value->is_null();
}

std::string_view text_of(const boost::json::value& string) {
  return {string.get_string().data(), string.get_string().size()};
}

std::optional<std::string> optional_string(const boost::json::value* value) {
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string().data(), value->get_string().size());
}

}  // namespace

Result<TokenClaims> validate_claims(const boost::json::object& payload, const ClaimsPolicy& policy,
                                    TimePoint now) {
  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t leeway = policy.leeway.count();
  TokenClaims claims;

  // PyJWT: required claims first (we require exp), then iat, nbf, exp, iss, aud.
  const auto* exp = member(payload, "exp");
  if (missing(exp)) return invalid("Token is missing the \"exp\" claim");

  if (const auto* iat = member(payload, "iat"); iat != nullptr) {
    const auto value = numeric_date(*iat);
    if (!value) return invalid("Issued At claim (iat) must be an integer.");
    if (*value > now_s + leeway) {
      return token_error(TokenErrc::not_yet_valid, "The token is not yet valid (iat)");
    }
    claims.iat = *value;
  }
  if (const auto* nbf = member(payload, "nbf"); nbf != nullptr) {
    const auto value = numeric_date(*nbf);
    if (!value) return invalid("Not Before claim (nbf) must be an integer.");
    if (*value > now_s + leeway) {
      return token_error(TokenErrc::not_yet_valid, "The token is not yet valid (nbf)");
    }
    claims.nbf = *value;
  }
  const auto exp_value = numeric_date(*exp);
  if (!exp_value) return invalid("Expiration Time claim (exp) must be an integer.");
  if (*exp_value <= now_s - leeway) return token_error(TokenErrc::expired, "Token has expired");
  claims.exp = *exp_value;

  const auto* iss = member(payload, "iss");
  if (iss != nullptr) {
    if (!iss->is_string()) return invalid("Invalid issuer");
    claims.iss = optional_string(iss);
  }
  if (!policy.issuer.empty()) {
    if (iss == nullptr) {
      if (policy.require_issuer) return invalid("Token is missing the \"iss\" claim");
    } else if (*claims.iss != policy.issuer) {
      return invalid("Invalid issuer");
    }
  }
  if (const auto* aud = member(payload, "aud"); aud != nullptr) {
    const bool empty = aud->is_null() || (aud->is_string() && aud->get_string().empty()) ||
                       (aud->is_array() && aud->get_array().empty()) ||
                       (aud->is_object() && aud->get_object().empty()) ||
                       (aud->is_bool() && !aud->get_bool()) ||
                       (aud->is_number() && aud->to_number<double>() == 0.0);
    if (!empty) return invalid("Invalid audience");
  }

  // flask-jwt-extended: the claims it needs.
  const auto* jti = member(payload, "jti");
  if (jti == nullptr) return invalid("Missing claim: jti");
  if (!jti->is_string() || !is_canonical_uuid(text_of(*jti))) return invalid("Invalid claim: jti");
  claims.jti = *optional_string(jti);

  const auto* sub = member(payload, "sub");
  if (sub == nullptr) return invalid("Missing claim: sub");
  if (!sub->is_string() || !is_canonical_uuid(text_of(*sub))) return invalid("Invalid claim: sub");
  claims.sub = *optional_string(sub);

  const auto* type = member(payload, "type");
  if (type == nullptr || !type->is_string() ||
      (type->get_string() != "access" && type->get_string() != "refresh")) {
    return invalid("Missing or invalid claim: type");
  }
  claims.type = type->get_string() == "refresh" ? TokenType::refresh : TokenType::access;

  if (const auto* fresh = member(payload, "fresh"); fresh != nullptr) {
    if (fresh->is_bool()) {
      claims.fresh = fresh->get_bool();
    } else if (const auto until = numeric_date(*fresh); until) {
      claims.fresh = *until > now_s;  // flask-jwt-extended's fresh=timedelta form
    } else {
      return invalid("Invalid claim: fresh");
    }
  }
  if (const auto* sid = member(payload, "sid"); sid != nullptr) {
    if (!sid->is_string() || !is_canonical_uuid(text_of(*sid)))
      return invalid("Invalid claim: sid");
    claims.sid = optional_string(sid);
  }
  if (const auto* roles = member(payload, "roles"); roles != nullptr) {
    if (!roles->is_array()) return invalid("Invalid claim: roles");
    for (const auto& role : roles->get_array()) {
      if (!role.is_string()) return invalid("Invalid claim: roles");
      claims.roles.emplace_back(role.get_string().data(), role.get_string().size());
    }
  }
  if (const auto* superuser = member(payload, "is_superuser"); superuser != nullptr) {
    if (!superuser->is_bool()) return invalid("Invalid claim: is_superuser");
    claims.is_superuser = superuser->get_bool();
  }
  if (const auto* at = member(payload, "at"); at != nullptr) {
    if (!at->is_string() || !is_canonical_uuid(text_of(*at))) return invalid("Invalid claim: at");
    claims.at = optional_string(at);
  }
  if (const auto* at_exp = member(payload, "at_exp"); at_exp != nullptr) {
    const auto value = numeric_date(*at_exp);
    if (!value) return invalid("Invalid claim: at_exp");
    claims.at_exp = *value;
  }
  return claims;
}

}  // namespace authsvc::tokens
