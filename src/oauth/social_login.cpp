#include "oauth/social_login.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/account_errors.hpp"
#include "common/email.hpp"
#include "common/ids.hpp"
#include "crypto/base64url.hpp"
#include "crypto/constant_time.hpp"
#include "crypto/sha256.hpp"
#include "oauth/oauth2_provider.hpp"
#include "oauth/oauth_errors.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::oauth {

// What the server keeps about a flow between the redirect and the callback.
struct SocialLogin::FlowState {
  std::string provider;
  std::string purpose;  // "login" or "link"
  std::string user_id;  // link: the account that started it
  std::string code_verifier;
  std::string nonce;
  std::string browser;  // SHA-256 of the binding cookie's value

  std::string encode() const {
    return boost::json::serialize(boost::json::object{{"p", provider},
                                                      {"k", purpose},
                                                      {"u", user_id},
                                                      {"v", code_verifier},
                                                      {"n", nonce},
                                                      {"b", browser}});
  }
  static std::optional<FlowState> decode(std::string_view text) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    const auto& o = value.get_object();
    FlowState state;
    for (const auto& [name, field] :
         {std::pair{"p", &state.provider}, std::pair{"k", &state.purpose},
          std::pair{"u", &state.user_id}, std::pair{"v", &state.code_verifier},
          std::pair{"n", &state.nonce}, std::pair{"b", &state.browser}}) {
      const auto* member = o.if_contains(name);
      if (member == nullptr || !member->is_string()) return std::nullopt;
      *field = std::string(member->get_string());
    }
    return state;
  }
};

namespace {

std::string state_key(std::string_view state) {
  return "auth:oauth:state:" + std::string(state);
}

// Releases one callback slot when the callback is done.
class InFlight {
 public:
  InFlight(std::atomic<std::size_t>& counter, std::size_t limit) : counter_(counter) {
    admitted_ = counter_.fetch_add(1) < limit;
  }
  ~InFlight() { counter_.fetch_sub(1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  bool admitted() const { return admitted_; }

 private:
  std::atomic<std::size_t>& counter_;
  bool admitted_ = false;
};

std::optional<std::string> parameter(const CallbackParameters& query, std::string_view name) {
  const auto found = query.find(name);
  if (found == query.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

}  // namespace

std::string SocialLogin::redirect_uri(const std::string& provider) const {
  return options_.redirect_base_url + "/api/v1/oauth/" + provider + "/auth";
}

boost::asio::awaitable<Result<FlowStart>> SocialLogin::begin(std::string provider,
                                                             std::string purpose,
                                                             std::string user_id,
                                                             std::optional<std::string> binding) {
  Provider* found = providers_.find(provider);
  if (found == nullptr) co_return Error(OAuthErrc::unknown_provider, provider);
  // A binding cookie of ours is 64 hex digits; anything else is replaced.
  if (!binding || binding->size() != 64 ||
      binding->find_first_not_of("0123456789abcdef") != std::string::npos) {
    binding = random_hex(32);
  }
  FlowState state{provider,       std::move(purpose), std::move(user_id),
                  random_hex(32), random_hex(16),     crypto::sha256_hex(*binding)};
  const std::string state_value = random_hex(32);
  AuthorizationRequest request{redirect_uri(provider), state_value,
                               crypto::base64url_encode(crypto::sha256_bytes(state.code_verifier)),
                               state.nonce};
  auto url = co_await found->authorization_url(std::move(request));
  if (!url) co_return url.take_error();
  auto stored = co_await store_.put(
      state_key(state_value), state.encode(),
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.state_ttl));
  if (!stored) co_return stored.take_error();
  co_return FlowStart{std::move(url).value(), std::move(*binding)};
}

boost::asio::awaitable<Result<FlowStart>> SocialLogin::begin_login(
    std::string provider, std::optional<std::string> binding) {
  co_return co_await begin(std::move(provider), "login", "", std::move(binding));
}

boost::asio::awaitable<Result<FlowStart>> SocialLogin::begin_link(
    const auth::Caller& caller, std::string provider, std::optional<std::string> binding) {
  co_return co_await begin(std::move(provider), "link", caller.user_id(), std::move(binding));
}

boost::asio::awaitable<Result<CallbackOutcome>> SocialLogin::complete(ProviderCallback callback) {
  Provider* provider = providers_.find(callback.provider);
  if (provider == nullptr) co_return Error(OAuthErrc::unknown_provider, callback.provider);
  // The state is spent by any callback that names it, so it can never be replayed.
  const auto state_value = parameter(callback.query, "state");
  if (!state_value) co_return Error(OAuthErrc::invalid_state, "no state");
  auto taken = co_await store_.take(state_key(*state_value));
  if (!taken) co_return taken.take_error();
  const auto state = *taken ? FlowState::decode(**taken) : std::nullopt;
  if (!state) co_return Error(OAuthErrc::invalid_state, "unknown, expired or used state");
  if (state->provider != callback.provider) {
    co_return Error(OAuthErrc::invalid_state, "state of a " + state->provider + " flow");
  }
  if (!callback.browser_binding ||
      !crypto::constant_time_equal(crypto::sha256_hex(*callback.browser_binding), state->browser)) {
    co_return Error(OAuthErrc::foreign_browser, "the binding cookie does not match the state");
  }
  if (const auto error = parameter(callback.query, "error")) {
    co_return Error(OAuthErrc::provider_error, *error);
  }
  InFlight slot(callbacks_in_flight_, options_.max_concurrent_callbacks);
  if (!slot.admitted()) {
    co_return Error(InfraErrc::overloaded, "too many OAuth callbacks in flight");
  }
  co_return co_await finish(*provider, *state, std::move(callback));
}

boost::asio::awaitable<Result<CallbackOutcome>> SocialLogin::finish(Provider& provider,
                                                                    const FlowState& state,
                                                                    ProviderCallback callback) {
  const auto code = parameter(callback.query, "code");
  if (!code) co_return Error(OAuthErrc::missing_code, "no code");
  CodeExchange exchange{*code, state.code_verifier, redirect_uri(state.provider), &callback.query,
                        parameter(callback.query, "state").value_or("")};
  auto tokens = co_await provider.exchange(std::move(exchange));
  if (!tokens) co_return tokens.take_error();
  auto profile = co_await provider.profile(std::move(tokens).value(), state.nonce);
  if (!profile) co_return profile.take_error();
  if (profile->id.empty()) co_return Error(OAuthErrc::bad_provider_answer, "no user id");
  if (state.purpose == "link") co_return co_await link(state.provider, *profile, state.user_id);
  co_return co_await sign_in(state.provider, *profile, std::move(callback.client));
}

boost::asio::awaitable<Result<CallbackOutcome>> SocialLogin::open_session(
    const std::string& user_id, const std::string& provider, auth::ClientInfo client) {
  auto user = co_await directory_.get(user_id);
  if (!user) co_return user.take_error();
  if (!*user) co_return Error(OAuthErrc::bad_provider_answer, "the linked user is gone");
  if (!(*user)->is_active) co_return Error(OAuthErrc::account_disabled, user_id);
  auto opened = co_await sessions_.open(std::move(**user), client, provider);
  if (!opened) co_return opened.take_error();
  auto recorded = co_await history_.record(user_id, opened->id, std::move(client));
  if (!recorded) co_return recorded.take_error();
  CallbackOutcome outcome;
  outcome.login = std::move(opened).value();
  co_return outcome;
}

boost::asio::awaitable<Result<CallbackOutcome>> SocialLogin::sign_in(const std::string& provider,
                                                                     const ProviderProfile& profile,
                                                                     auth::ClientInfo client) {
  auto linked = co_await links_.find(provider, profile.id);
  if (!linked) co_return linked.take_error();
  if (*linked) co_return co_await open_session((*linked)->user_id, provider, std::move(client));

  storage::SocialLink link{provider, profile.id, profile.email};
  const auto canonical =
      profile.email ? canonical_email(*profile.email) : std::optional<std::string>();
  if (canonical) {
    auto existing = co_await users_.find_by_email(*canonical);
    if (!existing) co_return existing.take_error();
    if (*existing) {
      // An account has this address: joined only on the provider's word that the address is its
      // user's, and only when the operator allows it (SPEC 6).
      if (!profile.email_verified || !options_.link_verified_email) {
        co_return Error(OAuthErrc::email_in_use, provider);
      }
      const std::string user_id = (*existing)->id;
      auto added = co_await links_.link(user_id, std::move(link), clock_.now());
      if (!added && added.error().is(storage::DbErrc::unique_violation)) {
        // A concurrent callback linked this provider account: whoever owns it now logs in.
        auto owner = co_await links_.find(provider, profile.id);
        if (!owner) co_return owner.take_error();
        if (!*owner) co_return added.take_error();
        co_return co_await open_session((*owner)->user_id, provider, std::move(client));
      }
      if (!added) co_return added.take_error();
      // Nobody proved the address when the password was set; the provider just did. So the
      // password (and every session it opened) goes, or whoever registered the address first
      // would keep a way into the account (docs/oauth-providers.md, OAUTH_LINK_VERIFIED_EMAIL).
      if ((*existing)->has_password) {
        auto cleared = co_await users_.clear_password(user_id);
        if (!cleared) co_return cleared.take_error();
        auto ended = co_await sessions_.end_all(user_id, std::nullopt, "email_joined_by_provider");
        if (!ended) co_return ended.take_error();
      }
      co_return co_await open_session(user_id, provider, std::move(client));
    }
  }
  // Locals first: g++ 12 frees a conditional's temporary inside co_await twice.
  std::optional<std::string> vouched_email;
  if (profile.email_verified) vouched_email = profile.email;
  auto created = co_await accounts_.create_linked(std::move(vouched_email), profile.first_name,
                                                  profile.last_name, std::move(link));
  if (!created) {
    if (created.error().is(auth::AccountErrc::email_taken)) {
      co_return Error(OAuthErrc::email_in_use, provider);
    }
    if (!created.error().is(storage::DbErrc::unique_violation)) co_return created.take_error();
    // A concurrent callback linked this provider account first: log in its user.
    auto winner = co_await links_.find(provider, profile.id);
    if (!winner) co_return winner.take_error();
    if (!*winner) co_return created.take_error();
    co_return co_await open_session((*winner)->user_id, provider, std::move(client));
  }
  co_return co_await open_session(created->user.id, provider, std::move(client));
}

boost::asio::awaitable<Result<CallbackOutcome>> SocialLogin::link(const std::string& provider,
                                                                  const ProviderProfile& profile,
                                                                  const std::string& user_id) {
  auto linked = co_await links_.find(provider, profile.id);
  if (!linked) co_return linked.take_error();
  CallbackOutcome outcome;
  outcome.linked_user_id = user_id;
  if (*linked) {
    if ((*linked)->user_id != user_id) co_return Error(OAuthErrc::linked_elsewhere, provider);
    co_return outcome;  // linked already: nothing to do
  }
  auto existing = co_await links_.of_user(user_id);
  if (!existing) co_return existing.take_error();
  for (const auto& record : *existing) {
    if (record.link.provider == provider) co_return Error(OAuthErrc::already_linked, provider);
  }
  // A local first: g++ 12 frees a braced temporary inside co_await twice.
  storage::SocialLink new_link{provider, profile.id, profile.email};
  auto added = co_await links_.link(user_id, std::move(new_link), clock_.now());
  if (!added) {
    if (added.error().is(storage::DbErrc::unique_violation)) {
      co_return Error(OAuthErrc::linked_elsewhere, provider);
    }
    // The account that started the link was deleted meanwhile.
    if (added.error().is(storage::DbErrc::foreign_key_violation)) {
      co_return auth::AccountErrc::user_not_found;
    }
    co_return added.take_error();
  }
  co_return outcome;
}

boost::asio::awaitable<Result<std::vector<storage::SocialAccountRecord>>> SocialLogin::accounts(
    std::string user_id) {
  co_return co_await links_.of_user(std::move(user_id));
}

boost::asio::awaitable<Result<void>> SocialLogin::unlink(const auth::Caller& caller,
                                                         std::string provider) {
  auto links = co_await links_.of_user(caller.user_id());
  if (!links) co_return links.take_error();
  std::size_t others = 0;
  bool has_it = false;
  for (const auto& record : *links) {
    if (record.link.provider == provider) {
      has_it = true;
    } else {
      ++others;
    }
  }
  // A link of a provider no longer configured may still be removed.
  if (!has_it && providers_.find(provider) == nullptr) {
    co_return Error(OAuthErrc::unknown_provider, provider);
  }
  if (!has_it) co_return Error(OAuthErrc::not_linked, provider);
  auto user = co_await users_.find_by_id(caller.user_id());
  if (!user) co_return user.take_error();
  if (!*user) co_return auth::AccountErrc::user_not_found;
  if (!(*user)->has_password && others == 0) {
    co_return Error(OAuthErrc::last_sign_in_method, provider);
  }
  auto removed = co_await links_.unlink(caller.user_id(), provider);
  if (!removed) co_return removed.take_error();
  co_return co_await sessions_.end_opened_by(caller.user_id(), provider);
}

}  // namespace authsvc::oauth
