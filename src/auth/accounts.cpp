#include "auth/accounts.hpp"

#include <unistr.h>

#include <set>

#include "common/email.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::auth {

Result<void> Accounts::check_password(std::string_view password) const {
  if (password.size() > policy_.max_bytes) return AccountErrc::password_too_long;
  // Length counts characters, not bytes, so a non-ASCII password is not penalised.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(password.data());
  const std::size_t characters = u8_check(bytes, password.size()) == nullptr
                                     ? u8_mbsnlen(bytes, password.size())
                                     : password.size();
  if (characters < policy_.min_length) return AccountErrc::password_too_short;
  return {};
}

boost::asio::awaitable<Result<storage::CreatedUser>> Accounts::create(storage::NewUser user,
                                                                      std::string password) {
  if (auto checked = check_password(password); !checked) co_return checked.take_error();
  // Cheap early answer for the common case; the unique index decides races.
  auto existing = co_await users_.find_by_email(user.email_canonical);
  if (!existing) co_return existing.take_error();
  if (existing->has_value()) co_return AccountErrc::email_taken;

  auto hash = co_await hasher_.hash_async(cpu_, std::move(password));
  if (!hash) co_return hash.take_error();
  user.password_hash = std::move(hash).value();
  user.date_joined = clock_.now();
  auto created = co_await users_.create(std::move(user));
  if (!created && created.error().is(storage::DbErrc::unique_violation))
    co_return AccountErrc::email_taken;
  co_return created;
}

boost::asio::awaitable<Result<storage::CreatedUser>> Accounts::create_superuser(
    std::string email, std::string password) {
  const auto canonical = canonical_email(email);
  if (!canonical || !looks_like_email(*canonical)) co_return AccountErrc::invalid_email;
  storage::NewUser user;
  user.email = email;
  user.email_canonical = *canonical;
  user.is_superuser = true;
  co_return co_await create(std::move(user), std::move(password));
}

boost::asio::awaitable<Result<storage::CreatedUser>> Accounts::signup(SignupRequest request) {
  const auto canonical = canonical_email(request.email);
  // The reserved .invalid domain (RFC 2606) holds the placeholders of social sign-ups.
  if (!canonical || !looks_like_email(*canonical) || canonical->ends_with(".invalid")) {
    co_return AccountErrc::invalid_email;
  }
  storage::NewUser user;
  user.email = request.email;
  user.email_canonical = *canonical;
  user.first_name = std::move(request.first_name);
  user.last_name = std::move(request.last_name);
  user.phone = std::move(request.phone);
  co_return co_await create(std::move(user), std::move(request.password));
}

boost::asio::awaitable<Result<storage::CreatedUser>> Accounts::create_linked(
    std::optional<std::string> email, std::optional<std::string> first_name,
    std::optional<std::string> last_name, storage::SocialLink link) {
  storage::NewUser user;
  // Random, so nobody can claim a user's placeholder before they sign up.
  user.email = email.value_or(link.provider + "." + random_hex(12) + "@users.invalid");
  const auto canonical = canonical_email(user.email);
  if (!canonical || !looks_like_email(*canonical)) co_return AccountErrc::invalid_email;
  user.email_canonical = *canonical;
  // Never verifies (neither here nor in the original's Werkzeug check).
  user.password_hash = "!";
  user.has_password = false;
  user.first_name = std::move(first_name);
  user.last_name = std::move(last_name);
  user.date_joined = clock_.now();
  user.link = std::move(link);
  auto created = co_await users_.create(std::move(user));
  if (!created && created.error().is(storage::DbErrc::unique_violation)) {
    // Which constraint: the address, or the provider account linked by a concurrent callback.
    auto existing = co_await users_.find_by_email(*canonical);
    if (existing && existing->has_value()) co_return AccountErrc::email_taken;
  }
  co_return created;
}

boost::asio::awaitable<Result<void>> Accounts::calibrate_unknown_email_cost() {
  auto sampled = co_await users_.sample_werkzeug_hashes(200);
  if (!sampled) co_return sampled.take_error();
  // One hash per method (the part before the salt: algorithm and cost).
  std::set<std::string> methods;
  std::vector<std::string> shapes;
  for (auto& stored : *sampled) {
    if (methods.insert(stored.substr(0, stored.find('$'))).second) shapes.push_back(stored);
  }
  for (auto& shape : shapes) {
    const crypto::PasswordHasher* hasher = &hasher_;
    auto measure = [hasher, shape = std::move(shape)] { return hasher->match_dummy_cost(shape); };
    auto measured = co_await cpu_.run(std::move(measure));
    if (!measured) co_return measured.take_error();
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<storage::UserRecord>> Accounts::login(std::string email,
                                                                    std::string password) {
  std::optional<storage::UserRecord> user;
  if (const auto canonical = canonical_email(email);
      canonical && password.size() <= policy_.max_bytes) {
    auto found = co_await users_.find_by_email(*canonical);
    if (!found) co_return found.take_error();
    user = std::move(found).value();
  }
  // An inactive account answers like a wrong password, after the same work.
  if (!user || !user->has_password || !user->is_active || password.size() > policy_.max_bytes) {
    auto spent = co_await hasher_.dummy_verify_async(cpu_, std::move(password));
    if (!spent) co_return spent.take_error();
    co_return AccountErrc::wrong_credentials;
  }
  auto outcome = co_await hasher_.verify_async(cpu_, password, user->password_hash);
  if (!outcome) co_return outcome.take_error();
  if (!outcome->match) co_return AccountErrc::wrong_credentials;
  if (outcome->needs_rehash) {
    // Best effort: the login succeeds either way, the next one retries.
    auto hash = co_await hasher_.hash_async(cpu_, std::move(password));
    if (hash) {
      auto stored = co_await users_.update_password(user->id, *hash);
      if (stored && *stored) user->password_hash = std::move(hash).value();
    }
    if (!hash) {
      log_event(spdlog::level::warn, "password re-hash skipped",
                {{"error", boost::json::value(hash.error().describe())}});
    }
  }
  co_return std::move(*user);
}

boost::asio::awaitable<Result<void>> Accounts::change_password(std::string user_id,
                                                               std::string old_password,
                                                               std::string new_password) {
  if (auto checked = check_password(new_password); !checked) co_return checked.take_error();
  auto user = co_await users_.find_by_id(user_id);
  if (!user) co_return user.take_error();
  if (!*user || !(*user)->has_password || old_password.size() > policy_.max_bytes) {
    auto spent = co_await hasher_.dummy_verify_async(cpu_, std::move(old_password));
    if (!spent) co_return spent.take_error();
    co_return AccountErrc::wrong_credentials;
  }
  auto outcome =
      co_await hasher_.verify_async(cpu_, std::move(old_password), (*user)->password_hash);
  if (!outcome) co_return outcome.take_error();
  if (!outcome->match) co_return AccountErrc::wrong_credentials;
  auto hash = co_await hasher_.hash_async(cpu_, std::move(new_password));
  if (!hash) co_return hash.take_error();
  auto stored = co_await users_.update_password(std::move(user_id), std::move(hash).value());
  if (!stored) co_return stored.take_error();
  if (!*stored) co_return AccountErrc::wrong_credentials;
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> Accounts::change_profile(std::string caller_id,
                                                              std::string profile_id,
                                                              storage::ProfileChanges changes) {
  auto profile = co_await users_.find_profile(profile_id);
  if (!profile) co_return profile.take_error();
  if (!*profile) co_return AccountErrc::profile_not_found;
  if ((*profile)->user_id != caller_id) co_return AccountErrc::not_owner;
  co_return co_await users_.update_profile(std::move(profile_id), std::move(changes));
}

boost::asio::awaitable<Result<AccountView>> Accounts::view(std::string user_id) {
  auto user = co_await users_.find_by_id(user_id);
  if (!user) co_return user.take_error();
  if (!*user) co_return AccountErrc::user_not_found;
  AccountView view;
  view.user = std::move(**user);
  auto profile = co_await users_.find_profile_of_user(user_id);
  if (!profile) co_return profile.take_error();
  view.profile = profile->value_or(storage::ProfileRecord{"", user_id, {}, {}, {}});
  auto roles = co_await users_.role_names(user_id);
  if (!roles) co_return roles.take_error();
  view.roles = std::move(roles).value();
  auto providers = co_await users_.linked_providers(user_id);
  if (!providers) co_return providers.take_error();
  view.providers = std::move(providers).value();
  co_return view;
}

}  // namespace authsvc::auth
