#include "http/handlers/token_pair_response.hpp"

#include <boost/json/object.hpp>

#include "http/error_map.hpp"

namespace authsvc::http {

HttpResponse token_pair_response(const auth::IssuedPair& pair) {
  return no_store(HttpResponse::json(
      200,
      boost::json::object{{"message", "JWT tokens were generated"},
                          {"tokens", boost::json::object{{"access_token", pair.access_token},
                                                         {"refresh_token", pair.refresh_token}}}}));
}

}  // namespace authsvc::http
