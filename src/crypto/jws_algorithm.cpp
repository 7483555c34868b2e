#include "crypto/jws_algorithm.hpp"

namespace authsvc::crypto {

std::string_view jws_algorithm_name(JwsAlgorithm alg) noexcept {
  switch (alg) {
    case JwsAlgorithm::hs256:
      return "HS256";
    case JwsAlgorithm::rs256:
      return "RS256";
    case JwsAlgorithm::es256:
      return "ES256";
    case JwsAlgorithm::eddsa:
      return "EdDSA";
  }
  return "";
}

std::optional<JwsAlgorithm> parse_jws_algorithm(std::string_view name) noexcept {
  for (const auto alg :
       {JwsAlgorithm::hs256, JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa}) {
    if (name == jws_algorithm_name(alg)) return alg;
  }
  return std::nullopt;
}

}  // namespace authsvc::crypto
