#include "http/handlers/api_support.hpp"

#include <algorithm>
#include <boost/json/object.hpp>

#include "http/bearer.hpp"
#include "http/error_reply.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_trusted(const std::string& peer, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), peer) != trusted.end();
}

}  // namespace

boost::asio::awaitable<Result<tokens::TokenClaims>> authenticate(ApiServices& api,
                                                                 const HttpRequest& request,
                                                                 tokens::TokenType expected) {
  auto token = bearer_token(request);
  Result<tokens::TokenClaims> claims;
  if (token) {
    claims = co_await api.authenticator.authenticate(std::move(token).value(), expected);
  } else {
    claims = token.take_error();
  }
  if (!claims && claims.error().code.category() == tokens::token_category()) {
    api.metrics.add("auth_tokens_rejected_total", {{"reason", claims.error().code.message()}});
  }
  co_return claims;
}

std::string client_ip(const HttpRequest& request, const std::vector<std::string>& trusted_proxies) {
  if (is_trusted(request.peer_ip, trusted_proxies)) {
    if (const auto real = request.header("x-real-ip"); real && !trim(*real).empty()) {
      return std::string(trim(*real));
    }
    if (const auto forwarded = request.header("x-forwarded-for")) {
      const auto first = trim(forwarded->substr(0, forwarded->find(',')));
      if (!first.empty()) return std::string(first);
    }
  }
  return request.peer_ip;
}

auth::ClientInfo client_info(const HttpRequest& request, const ApiSettings& settings) {
  auth::ClientInfo info;
  if (const auto agent = request.header("user-agent")) info.user_agent = std::string(*agent);
  info.ip = client_ip(request, settings.trusted_proxies);
  return info;
}

HttpResponse token_pair_response(const auth::IssuedPair& pair) {
  return no_store(HttpResponse::json(
      200,
      boost::json::object{{"message", "JWT tokens were generated"},
                          {"tokens", boost::json::object{{"access_token", pair.access_token},
                                                         {"refresh_token", pair.refresh_token}}}}));
}

std::string public_base_url(const HttpRequest& request, const ApiSettings& settings) {
  if (!settings.public_url.empty()) return settings.public_url;
  std::string scheme = "http";
  if (is_trusted(request.peer_ip, settings.trusted_proxies)) {
    if (const auto proto = request.header("x-forwarded-proto");
        proto && (*proto == "https" || *proto == "http")) {
      scheme = std::string(*proto);
    }
  }
  const auto host = request.header("host");
  return scheme + "://" + std::string(host ? trim(*host) : std::string_view("localhost"));
}

}  // namespace authsvc::http
