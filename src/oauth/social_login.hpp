#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/accounts.hpp"
#include "auth/caller.hpp"
#include "auth/client_info.hpp"
#include "auth/login_history.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "common/clock.hpp"
#include "oauth/provider.hpp"
#include "oauth/provider_registry.hpp"
#include "storage/ephemeral_store.hpp"
#include "storage/social_account_repository.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::oauth {

struct SocialLoginOptions {
  std::string redirect_base_url;  // callbacks: <base>/api/v1/oauth/<provider>/auth
  bool link_verified_email = false;
  std::chrono::seconds state_ttl{600};
  std::size_t max_concurrent_callbacks = 64;
};

// The start of a flow: where to send the browser, and the value of the cookie that binds the flow
// to this browser (the caller sets it; it is the one the browser had when it had one).
struct FlowStart {
  std::string authorization_url;
  std::string browser_binding;
};

struct ProviderCallback {
  std::string provider;
  CallbackParameters query;
  std::optional<std::string> browser_binding;  // the cookie, if the browser sent it
  auth::ClientInfo client;
};

// A completed callback: a login (a new session), or a link added to the account that started it.
struct CallbackOutcome {
  std::optional<auth::OpenedSession> login;
  std::optional<std::string> linked_user_id;
};

// Social login and linking (SPEC 6), as RFC 9700 and OIDC Core want it:
// - the state is random, single-use (taken atomically from the EphemeralStore), short-lived, bound
//   to the browser (a hash of an HttpOnly cookie's value) and, for linking, to the user;
// - PKCE S256 where the provider takes it, and an OIDC nonce;
// - a known (provider, provider user id) logs in its user; an unknown one signs up a new user with
//   no usable password; an existing account's e-mail is joined only when the provider asserts it
//   verified and `link_verified_email` is on (else OAuthErrc::email_in_use);
// - every login opens a session marked with the provider and writes login history;
// - unlinking refuses to remove the last way to sign in, and ends the sessions the provider opened.
// At most `max_concurrent_callbacks` callbacks talk to providers at once (beyond: overloaded, 503).
class SocialLogin {
 public:
  SocialLogin(ProviderRegistry& providers, storage::EphemeralStore& store,
              storage::SocialAccountRepository& links, storage::UserRepository& users,
              auth::Accounts& accounts, auth::UserDirectory& directory, auth::Sessions& sessions,
              auth::LoginHistory& history, const Clock& clock, SocialLoginOptions options)
      : providers_(providers),
        store_(store),
        links_(links),
        users_(users),
        accounts_(accounts),
        directory_(directory),
        sessions_(sessions),
        history_(history),
        clock_(clock),
        options_(std::move(options)) {}

  boost::asio::awaitable<Result<FlowStart>> begin_login(std::string provider,
                                                        std::optional<std::string> binding);
  boost::asio::awaitable<Result<FlowStart>> begin_link(const auth::Caller& caller,
                                                       std::string provider,
                                                       std::optional<std::string> binding);
  boost::asio::awaitable<Result<CallbackOutcome>> complete(ProviderCallback callback);

  boost::asio::awaitable<Result<std::vector<storage::SocialAccountRecord>>> accounts(
      std::string user_id);
  boost::asio::awaitable<Result<void>> unlink(const auth::Caller& caller, std::string provider);

 private:
  struct FlowState;
  boost::asio::awaitable<Result<FlowStart>> begin(std::string provider, std::string purpose,
                                                  std::string user_id,
                                                  std::optional<std::string> binding);
  boost::asio::awaitable<Result<CallbackOutcome>> finish(Provider& provider, const FlowState& state,
                                                         ProviderCallback callback);
  boost::asio::awaitable<Result<CallbackOutcome>> sign_in(const std::string& provider,
                                                          const ProviderProfile& profile,
                                                          auth::ClientInfo client);
  boost::asio::awaitable<Result<CallbackOutcome>> link(const std::string& provider,
                                                       const ProviderProfile& profile,
                                                       const std::string& user_id);
  boost::asio::awaitable<Result<CallbackOutcome>> open_session(const std::string& user_id,
                                                               const std::string& provider,
                                                               auth::ClientInfo client);
  std::string redirect_uri(const std::string& provider) const;

  ProviderRegistry& providers_;
  storage::EphemeralStore& store_;
  storage::SocialAccountRepository& links_;
  storage::UserRepository& users_;
  auth::Accounts& accounts_;
  auth::UserDirectory& directory_;
  auth::Sessions& sessions_;
  auth::LoginHistory& history_;
  const Clock& clock_;
  SocialLoginOptions options_;
  std::atomic<std::size_t> callbacks_in_flight_{0};
};

}  // namespace authsvc::oauth
