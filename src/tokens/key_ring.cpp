#include "tokens/key_ring.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/log.hpp"
#include "crypto/crypto_errc.hpp"
#include "crypto/jwk.hpp"

namespace authsvc::tokens {
namespace {

namespace asio = boost::asio;

std::int64_t epoch_ms(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// How long a request waits for another request's reload before giving up on it.
constexpr auto kReloadWaitStep = std::chrono::milliseconds(10);
constexpr int kReloadWaitSteps = 300;

}  // namespace

KeyRing::KeyRing(const Clock& clock, KeyStore& store, KeyRingOptions options)
    : KeyRing(clock, &store, options) {}

KeyRing::KeyRing(const Clock& clock, KeyStore* store, KeyRingOptions options)
    : clock_(clock), store_(store), options_(options), snapshot_(std::make_shared<Snapshot>()) {}

KeyRing::~KeyRing() = default;

Result<std::unique_ptr<KeyRing>> KeyRing::hmac(const Clock& clock, std::string_view secret,
                                               bool allow_insecure) {
  auto key = crypto::JwsKey::hmac(secret, allow_insecure);
  if (!key) return key.take_error();
  KeyRingOptions options;
  options.algorithm = crypto::JwsAlgorithm::hs256;
  std::unique_ptr<KeyRing> ring(new KeyRing(clock, nullptr, options));
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->entries.push_back(Entry{RingKey{"", std::move(*key), clock.now(), {}, {}}, {}});
  snapshot->active = 0;
  ring->publish(std::move(snapshot), ring->next_sequence_++);
  return ring;
}

std::shared_ptr<const KeyRing::Snapshot> KeyRing::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void KeyRing::publish(std::shared_ptr<const Snapshot> snapshot, std::uint64_t sequence) {
  std::lock_guard lock(mutex_);
  if (sequence < published_sequence_) return;
  published_sequence_ = sequence;
  // Reloads happen every 30 s and on unknown kids; only a real change of the keys (one added,
  // retired or gone) invalidates what was verified with them.
  const bool changed = !snapshot_ || fingerprint(*snapshot_) != fingerprint(*snapshot);
  snapshot_ = std::move(snapshot);
  if (changed) generation_.store(sequence, std::memory_order_release);
}

std::string KeyRing::fingerprint(const Snapshot& snapshot) {
  std::string out = snapshot.active ? std::to_string(*snapshot.active) : "-";
  for (const auto& entry : snapshot.entries) {
    out += '|' + entry.key.kid + ':' +
           (entry.key.not_after ? std::to_string(entry.key.not_after->time_since_epoch().count())
                                : std::string("active"));
  }
  return out;
}

bool KeyRing::still_verifies(const RingKey& key, TimePoint now) const {
  if (!key.retired_at) return true;
  const TimePoint until = key.not_after.value_or(*key.retired_at + options_.retired_key_lifetime);
  return now < until;
}

Result<std::shared_ptr<const KeyRing::Snapshot>> KeyRing::build_snapshot(
    const std::vector<StoredKey>& rows) const {
  const std::string_view alg_name = crypto::jws_algorithm_name(options_.algorithm);
  auto snapshot = std::make_shared<Snapshot>();
  for (const auto& row : rows) {
    if (row.alg != alg_name) continue;
    auto key = crypto::JwsKey::from_private_pem(options_.algorithm, row.private_pem);
    if (!key) {
      // A damaged row must not stop the service from using the others; it is reported.
      log_event(spdlog::level::warn, "signing key skipped",
                {{"kid", boost::json::value(row.kid)},
                 {"reason", boost::json::value(key.error().describe())}});
      continue;
    }
    auto jwk = crypto::public_jwk(*key, row.kid);
    if (!jwk) return jwk.take_error();
    snapshot->entries.push_back(
        Entry{RingKey{row.kid, std::move(*key), row.created_at, row.retired_at, row.not_after},
              std::move(*jwk)});
    const std::size_t index = snapshot->entries.size() - 1;
    if (!row.retired_at) {
      // One active key per alg is a database constraint; should two ever exist, the newest signs.
      const auto& current = snapshot->active;
      if (!current || snapshot->entries[*current].key.created_at < row.created_at) {
        snapshot->active = index;
      }
    }
  }
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Result<StoredKey> KeyRing::generate_key() const {
  auto key = crypto::JwsKey::generate(options_.algorithm, options_.rsa_bits);
  if (!key) return key.take_error();
  auto kid = crypto::jwk_thumbprint(*key);
  if (!kid) return kid.take_error();
  auto pem = key->private_pem();
  if (!pem) return pem.take_error();
  StoredKey row;
  row.kid = std::move(*kid);
  row.alg = std::string(crypto::jws_algorithm_name(options_.algorithm));
  row.private_pem = std::move(*pem);
  row.created_at = clock_.now();
  return row;
}

asio::awaitable<Result<void>> KeyRing::reload() {
  if (store_ == nullptr) co_return ok_result();
  const std::uint64_t sequence = next_sequence_++;
  auto rows = co_await store_->load_all();
  if (!rows) co_return rows.take_error();
  auto snapshot = build_snapshot(*rows);
  if (!snapshot) co_return snapshot.take_error();
  publish(std::move(*snapshot), sequence);
  co_return ok_result();
}

asio::awaitable<Result<void>> KeyRing::ensure_key() {
  if (store_ == nullptr) co_return ok_result();
  if (auto loaded = co_await reload(); !loaded) co_return loaded.take_error();
  if (signer()) co_return ok_result();

  auto row = generate_key();
  if (!row) co_return row.take_error();
  const std::string kid = row->kid;
  auto inserted = co_await store_->insert(std::move(*row));
  // Whether we or a racing instance won, the store now says which key is active.
  if (auto loaded = co_await reload(); !loaded) co_return loaded.take_error();
  if (signer()) {
    const std::string active = signer()->kid;
    log_event(spdlog::level::info, "signing key ready",
              {{"kid", boost::json::value(active)},
               {"alg", boost::json::value(crypto::jws_algorithm_name(options_.algorithm))},
               {"generated", boost::json::value(active == kid)}});
    co_return ok_result();
  }
  if (!inserted) co_return inserted.take_error();
  co_return Error(InfraErrc::internal, "no active signing key after inserting one");
}

asio::awaitable<Result<std::string>> KeyRing::rotate() {
  if (store_ == nullptr) {
    co_return Error(crypto::CryptoErrc::wrong_algorithm,
                    "HS256 uses JWT_SECRET_KEY: nothing to rotate");
  }
  const auto previous = signer();
  auto row = generate_key();
  if (!row) co_return row.take_error();
  const std::string kid = row->kid;
  const TimePoint now = clock_.now();
  auto rotated =
      co_await store_->rotate(row->alg, now, now + options_.retired_key_lifetime, std::move(*row));
  auto loaded = co_await reload();
  if (rotated) {
    if (!loaded) co_return loaded.take_error();
    co_return kid;
  }
  // A concurrent rotation elsewhere makes ours fail on the one-active-key constraint; that is a
  // rotation all the same.
  const auto current = signer();
  if (loaded && current && (!previous || current->kid != previous->kid)) co_return current->kid;
  co_return rotated.take_error();
}

asio::awaitable<Result<bool>> KeyRing::reload_for_unknown_kid() {
  if (store_ == nullptr) co_return false;
  const std::int64_t now_ms = epoch_ms(clock_.now());
  const std::int64_t interval = options_.min_reload_interval.count();
  bool expected = false;
  if (!reload_in_flight_.load() && now_ms - last_reload_start_ms_.load() < interval) {
    co_return false;
  }
  if (reload_in_flight_.compare_exchange_strong(expected, true)) {
    if (now_ms - last_reload_start_ms_.load() < interval) {
      reload_in_flight_.store(false);
      co_return false;
    }
    last_reload_start_ms_.store(now_ms);
    auto loaded = co_await reload();
    reload_in_flight_.store(false);
    if (!loaded) co_return loaded.take_error();
    co_return true;
  }
  // Another request is reloading: wait for its result rather than start a second one.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int step = 0; step < kReloadWaitSteps && reload_in_flight_.load(); ++step) {
    timer.expires_after(kReloadWaitStep);
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return true;
}

std::optional<KeyRing::Signer> KeyRing::signer() const {
  const auto current = snapshot();
  if (!current->active) return std::nullopt;
  const auto& entry = current->entries[*current->active];
  return Signer{entry.key.kid, entry.key.key};
}

std::optional<crypto::JwsKey> KeyRing::verifier(std::optional<std::string_view> kid) const {
  const auto current = snapshot();
  if (store_ == nullptr) {
    if (!current->active) return std::nullopt;
    return current->entries[*current->active].key.key;
  }
  if (!kid) return std::nullopt;
  const TimePoint now = clock_.now();
  for (const auto& entry : current->entries) {
    if (entry.key.kid == *kid) {
      if (!still_verifies(entry.key, now)) return std::nullopt;
      return entry.key.key;
    }
  }
  return std::nullopt;
}

boost::json::object KeyRing::jwks() const {
  boost::json::array keys;
  if (store_ != nullptr) {
    const auto current = snapshot();
    const TimePoint now = clock_.now();
    for (const auto& entry : current->entries) {
      if (still_verifies(entry.key, now)) keys.emplace_back(entry.jwk);
    }
  }
  boost::json::object out;
  out["keys"] = std::move(keys);
  return out;
}

std::string KeyRing::jwks_json() const {
  return boost::json::serialize(jwks());
}

std::vector<RingKey> KeyRing::keys() const {
  const auto current = snapshot();
  std::vector<RingKey> out;
  out.reserve(current->entries.size());
  for (const auto& entry : current->entries) out.push_back(entry.key);
  return out;
}

}  // namespace authsvc::tokens
