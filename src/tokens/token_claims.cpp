#include "tokens/token_claims.hpp"

#include <boost/json/array.hpp>
#include <chrono>

namespace authsvc::tokens {

std::string_view token_type_name(TokenType type) noexcept {
  return type == TokenType::refresh ? "refresh" : "access";
}

TimePoint TokenClaims::expires_at() const {
  // The verifier keeps NumericDates within +-2^33 s, which system_clock represents.
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::seconds(exp)));
}

boost::json::object TokenClaims::to_json() const {
  boost::json::object out;
  out["fresh"] = fresh;
  if (iat) out["iat"] = *iat;
  if (nbf) out["nbf"] = *nbf;
  out["exp"] = exp;
  out["jti"] = jti;
  out["type"] = token_type_name(type);
  out["sub"] = sub;
  if (iss) out["iss"] = *iss;
  if (sid) out["sid"] = *sid;
  if (type == TokenType::access) {
    boost::json::array role_names;
    for (const auto& role : roles) role_names.emplace_back(role);
    out["roles"] = std::move(role_names);
    out["is_superuser"] = is_superuser;
  } else {
    if (at) out["at"] = *at;
    if (at_exp) out["at_exp"] = *at_exp;
  }
  return out;
}

}  // namespace authsvc::tokens
