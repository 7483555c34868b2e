#include "crypto/password_hasher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <vector>

#include "tracing/request_scope.hpp"
#include "tracing/within_span.hpp"

namespace authsvc::crypto {
namespace {

// Werkzeug 2.0-2.2 (the Flask 2.2 era of the original service) used 260,000 when a `pbkdf2` method
// named no iteration count. Werkzeug always writes the count, so only a hand-made row can omit it.
constexpr std::uint32_t kWerkzeugDefaultPbkdf2Iterations = 260000;
// Werkzeug's scrypt defaults (generate_password_hash's "scrypt" with no arguments) and hashlib's
// dklen.
constexpr std::uint64_t kWerkzeugScryptN = 32768;
constexpr std::uint64_t kWerkzeugScryptR = 8;
constexpr std::uint64_t kWerkzeugScryptP = 1;
constexpr std::size_t kScryptKeyBytes = 64;
// Werkzeug's gen_salt alphabet and generate_password_hash's default salt length.
constexpr std::string_view kWerkzeugSaltChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::size_t kWerkzeugSaltLength = 16;
// OpenSSL's PKCS5_PBKDF2_HMAC takes int lengths and counts.
constexpr std::size_t kIntMax = static_cast<std::size_t>(INT_MAX);

// libsodium and OpenSSL want a pointer even for empty input.
const char* data_or_empty(std::string_view s) noexcept {
  return s.data() != nullptr ? s.data() : "";
}
const unsigned char* bytes_of(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(data_or_empty(s));
}

// Strict decimal: 1-10 ASCII digits that fit 32 bits (Werkzeug never writes anything else).
std::optional<std::uint32_t> parse_u32(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

// Consumes `prefix` from the front of `text`.
bool consume(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// Consumes a number terminated by `end` (which is consumed too).
std::optional<std::uint32_t> consume_u32(std::string_view& text, char end) {
  const auto pos = text.find(end);
  if (pos == std::string_view::npos) return std::nullopt;
  auto value = parse_u32(text.substr(0, pos));
  text.remove_prefix(pos + 1);
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto pos = text.find(separator);
    parts.push_back(text.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    text.remove_prefix(pos + 1);
  }
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  return out;
}

// Constant time for equal lengths; the length of a stored digest is no secret.
bool equal_digests(std::string_view computed_hex, std::string_view stored_hex) {
  return computed_hex.size() == stored_hex.size() &&
         CRYPTO_memcmp(computed_hex.data(), stored_hex.data(), computed_hex.size()) == 0;
}

// ---- Argon2 (libsodium)
// ------------------------------------------------------------------------------------

struct Argon2Header {
  bool argon2id = true;  // false: argon2i
  std::uint32_t memory_kib = 0;
  std::uint32_t iterations = 0;
  std::uint32_t parallelism = 0;
};

// `$argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash>`; libsodium checks salt and hash itself.
std::optional<Argon2Header> parse_argon2(std::string_view text) {
  Argon2Header header;
  if (consume(text, "$argon2id$")) {
    header.argon2id = true;
  } else if (consume(text, "$argon2i$")) {
    header.argon2id = false;
  } else {
    return std::nullopt;
  }
  if (!consume(text, "v=19$m=")) return std::nullopt;
  const auto m = consume_u32(text, ',');
  if (!m || !consume(text, "t=")) return std::nullopt;
  const auto t = consume_u32(text, ',');
  if (!t || !consume(text, "p=")) return std::nullopt;
  const auto p = consume_u32(text, '$');
  if (!p || text.find('$') == std::string_view::npos) return std::nullopt;
  header.memory_kib = *m;
  header.iterations = *t;
  header.parallelism = *p;
  return header;
}

std::string argon2id_hash(std::string_view password, const Argon2Params& params) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), data_or_empty(password), password.size(), params.iterations,
                            static_cast<std::size_t>(params.memory_kib) * 1024U,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id hashing failed (out of memory)");
  }
  return std::string(out.data());
}

// ---- Werkzeug
// -----------------------------------------------------------------------------------------------

// `<method>$<salt>$<hex digest>`, split like Werkzeug's pwhash.split("$", 2).
struct WerkzeugHash {
  std::string_view method;
  std::string_view salt;
  std::string_view digest_hex;
};

std::optional<WerkzeugHash> split_werkzeug(std::string_view stored) {
  const auto first = stored.find('$');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  const auto second = stored.find('$', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return WerkzeugHash{stored.substr(0, first), stored.substr(first + 1, second - first - 1),
                      stored.substr(second + 1)};
}

struct Pbkdf2Spec {
  const EVP_MD* digest = nullptr;
  bool strong_digest = false;  // sha256 or wider
  std::uint32_t iterations = 0;
};

const EVP_MD* pbkdf2_digest(std::string_view name) {
  if (name == "sha256") return EVP_sha256();
  if (name == "sha512") return EVP_sha512();
  if (name == "sha384") return EVP_sha384();
  if (name == "sha224") return EVP_sha224();
  if (name == "sha1") return EVP_sha1();
  return nullptr;
}

// `pbkdf2`, `pbkdf2:<hash>` or `pbkdf2:<hash>:<iterations>`.
std::optional<Pbkdf2Spec> parse_pbkdf2(std::string_view method) {
  const auto parts = split(method, ':');
  if (parts.front() != "pbkdf2" || parts.size() > 3) return std::nullopt;
  const std::string_view name = parts.size() >= 2 ? parts[1] : std::string_view("sha256");
  Pbkdf2Spec spec;
  spec.digest = pbkdf2_digest(name);
  if (spec.digest == nullptr) return std::nullopt;
  spec.strong_digest = name == "sha256" || name == "sha384" || name == "sha512";
  if (parts.size() == 3) {
    const auto iterations = parse_u32(parts[2]);
    if (!iterations) return std::nullopt;
    spec.iterations = *iterations;
  } else {
    spec.iterations = kWerkzeugDefaultPbkdf2Iterations;
  }
  return spec;
}

std::optional<std::string> pbkdf2_hex(std::string_view password, std::string_view salt,
                                      const EVP_MD* digest, std::uint32_t iterations) {
  const int size = EVP_MD_get_size(digest);
  if (size <= 0 || password.size() > kIntMax || salt.size() > kIntMax || iterations > kIntMax)
    return std::nullopt;
  std::vector<unsigned char> key(static_cast<std::size_t>(size));
  if (PKCS5_PBKDF2_HMAC(data_or_empty(password), static_cast<int>(password.size()), bytes_of(salt),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), digest, size,
                        key.data()) != 1) {
    return std::nullopt;
  }
  return to_hex(key.data(), key.size());
}

struct ScryptSpec {
  std::uint64_t n = kWerkzeugScryptN;
  std::uint64_t r = kWerkzeugScryptR;
  std::uint64_t p = kWerkzeugScryptP;
};

// `scrypt` or `scrypt:<n>:<r>:<p>`, within the cost cap (n*r*p, which bounds both memory and time).
std::optional<ScryptSpec> parse_scrypt(std::string_view method) {
  const auto parts = split(method, ':');
  if (parts.front() != "scrypt") return std::nullopt;
  ScryptSpec spec;
  if (parts.size() == 4) {
    const auto n = parse_u32(parts[1]);
    const auto r = parse_u32(parts[2]);
    const auto p = parse_u32(parts[3]);
    if (!n || !r || !p) return std::nullopt;
    spec = {*n, *r, *p};
  } else if (parts.size() != 1) {
    return std::nullopt;
  }
  const std::uint64_t cap = PasswordHasher::kMaxScryptCost;
  if (spec.n < 2 || (spec.n & (spec.n - 1)) != 0 || spec.r == 0 || spec.p == 0) return std::nullopt;
  if (spec.n > cap || spec.r > cap || spec.p > cap)
    return std::nullopt;  // keeps the products below from overflow
  if (spec.n * spec.r > cap || spec.n * spec.r * spec.p > cap) return std::nullopt;
  return spec;
}

std::optional<std::string> scrypt_hex(std::string_view password, std::string_view salt,
                                      const ScryptSpec& spec) {
  // Werkzeug's maxmem: a hash that Werkzeug could not have computed does not verify here either.
  const std::uint64_t max_memory = 132 * spec.n * spec.r * spec.p;
  std::array<unsigned char, kScryptKeyBytes> key{};
  if (EVP_PBE_scrypt(data_or_empty(password), password.size(), bytes_of(salt), salt.size(), spec.n,
                     spec.r, spec.p, max_memory, key.data(), key.size()) != 1) {
    return std::nullopt;
  }
  return to_hex(key.data(), key.size());
}

std::string werkzeug_salt() {
  std::string salt(kWerkzeugSaltLength, '\0');
  for (auto& c : salt) {
    c = kWerkzeugSaltChars[randombytes_uniform(
        static_cast<std::uint32_t>(kWerkzeugSaltChars.size()))];
  }
  return salt;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordHasherOptions options) : options_(options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  const auto& argon2 = options_.argon2;
  if (static_cast<std::size_t>(argon2.memory_kib) * 1024U < crypto_pwhash_argon2id_MEMLIMIT_MIN) {
    throw std::invalid_argument("Argon2id memory must be at least " +
                                std::to_string(crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024) +
                                " KiB");
  }
  if (argon2.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN) {
    throw std::invalid_argument("Argon2id iterations must be at least " +
                                std::to_string(crypto_pwhash_argon2id_OPSLIMIT_MIN));
  }
  if (options_.werkzeug_pbkdf2_iterations < 1 || options_.werkzeug_pbkdf2_iterations > kIntMax) {
    throw std::invalid_argument("Werkzeug PBKDF2 iterations out of range");
  }
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  dummy_target_ = std::make_shared<const std::string>(hash(to_hex(secret.data(), secret.size())));
}

std::string PasswordHasher::dummy_verify_target() const {
  const std::lock_guard lock(dummy_mutex_);
  return *dummy_target_;
}

namespace {

// `stored` with its salt and digest replaced by random text of the same lengths and alphabets:
// verifying it costs what verifying `stored` costs, and it matches no password.
std::optional<std::string> same_shape_at_random(std::string_view stored) {
  const auto werkzeug = split_werkzeug(stored);
  if (!werkzeug) return std::nullopt;
  static constexpr std::string_view kSaltAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static constexpr std::string_view kHex = "0123456789abcdef";
  auto random_text = [](std::size_t size, std::string_view alphabet) {
    std::string out(size, '0');
    for (auto& c : out)
      c = alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
    return out;
  };
  return std::string(werkzeug->method) + "$" + random_text(werkzeug->salt.size(), kSaltAlphabet) +
         "$" + random_text(werkzeug->digest_hex.size(), kHex);
}

}  // namespace

bool PasswordHasher::match_dummy_cost(std::string_view stored) const {
  const auto candidate = same_shape_at_random(stored);
  if (!candidate) return false;
  const auto current = std::make_shared<const std::string>(dummy_verify_target());
  auto cost_of = [this](const std::string& target) {
    // The faster of two runs: a scheduling hiccup must not make a cheap hash look expensive.
    auto best = std::chrono::steady_clock::duration::max();
    for (int run = 0; run < 2; ++run) {
      const auto started = std::chrono::steady_clock::now();
      (void)verify("calibration", target);
      best = std::min(best, std::chrono::steady_clock::now() - started);
    }
    return best;
  };
  if (cost_of(*candidate) <= cost_of(*current)) return false;
  const std::lock_guard lock(dummy_mutex_);
  dummy_target_ = std::make_shared<const std::string>(*candidate);
  return true;
}

std::string PasswordHasher::hash(std::string_view password) const {
  if (!options_.write_werkzeug_pbkdf2) return argon2id_hash(password, options_.argon2);
  const auto salt = werkzeug_salt();
  const auto digest = pbkdf2_hex(password, salt, EVP_sha256(), options_.werkzeug_pbkdf2_iterations);
  if (!digest) throw std::runtime_error("PBKDF2 hashing failed");
  return "pbkdf2:sha256:" + std::to_string(options_.werkzeug_pbkdf2_iterations) + "$" + salt + "$" +
         *digest;
}

VerifyOutcome PasswordHasher::verify(std::string_view password, std::string_view stored) const {
  VerifyOutcome outcome;
  if (stored.empty() || stored.size() > kMaxStoredLength ||
      stored.find('\0') != std::string_view::npos) {
    return outcome;
  }

  if (stored.front() == '$') {
    const auto header = parse_argon2(stored);
    if (!header) return outcome;
    const auto& configured = options_.argon2;
    if (header->memory_kib > std::max(kMaxArgon2MemoryKib, configured.memory_kib) ||
        header->iterations > std::max(kMaxArgon2Iterations, configured.iterations) ||
        header->parallelism > kMaxArgon2Parallelism) {
      return outcome;
    }
    const std::string terminated(stored);  // libsodium reads a C string
    outcome.match =
        crypto_pwhash_str_verify(terminated.c_str(), data_or_empty(password), password.size()) == 0;
    // Stronger stored hashes are kept; in Werkzeug mode Argon2id is never downgraded to PBKDF2.
    outcome.needs_rehash = outcome.match && !options_.write_werkzeug_pbkdf2 &&
                           (!header->argon2id || header->memory_kib < configured.memory_kib ||
                            header->iterations < configured.iterations);
    return outcome;
  }

  const auto werkzeug = split_werkzeug(stored);
  if (!werkzeug) return outcome;
  if (werkzeug->method.starts_with("pbkdf2")) {
    const auto spec = parse_pbkdf2(werkzeug->method);
    if (!spec || spec->iterations < 1 ||
        spec->iterations > std::max(kMaxPbkdf2Iterations, options_.werkzeug_pbkdf2_iterations)) {
      return outcome;
    }
    const auto computed = pbkdf2_hex(password, werkzeug->salt, spec->digest, spec->iterations);
    outcome.match = computed && equal_digests(*computed, werkzeug->digest_hex);
    const bool weaker =
        !spec->strong_digest || spec->iterations < options_.werkzeug_pbkdf2_iterations;
    outcome.needs_rehash = outcome.match && (!options_.write_werkzeug_pbkdf2 || weaker);
    return outcome;
  }
  if (werkzeug->method.starts_with("scrypt")) {
    const auto spec = parse_scrypt(werkzeug->method);
    if (!spec) return outcome;
    const auto computed = scrypt_hex(password, werkzeug->salt, *spec);
    outcome.match = computed && equal_digests(*computed, werkzeug->digest_hex);
    outcome.needs_rehash =
        outcome.match && !options_.write_werkzeug_pbkdf2;  // never downgraded to PBKDF2
    return outcome;
  }
  return outcome;
}

namespace {

// The hashing of a sampled request is a span of its own: it is most of a login's time.
template <class T>
boost::asio::awaitable<T> measured(std::string_view name, boost::asio::awaitable<T> job) {
  if (!tracing::recording_request()) return job;
  auto span = tracing::start_child_span(name, tracing::SpanKind::internal);
  return tracing::within_span(std::move(job), std::move(span));
}

}  // namespace

boost::asio::awaitable<Result<std::string>> PasswordHasher::hash_async(BoundedWorkPool& pool,
                                                                       std::string password) const {
  return measured("password hash",
                  pool.run([this, secret = std::move(password)] { return hash(secret); }));
}

boost::asio::awaitable<Result<VerifyOutcome>> PasswordHasher::verify_async(
    BoundedWorkPool& pool, std::string password, std::string stored) const {
  return measured("password verify",
                  pool.run([this, secret = std::move(password), target = std::move(stored)] {
                    return verify(secret, target);
                  }));
}

boost::asio::awaitable<Result<void>> PasswordHasher::dummy_verify_async(
    BoundedWorkPool& pool, std::string password) const {
  std::shared_ptr<const std::string> target;
  {
    const std::lock_guard lock(dummy_mutex_);
    target = dummy_target_;
  }
  return measured("password verify",
                  pool.run([this, secret = std::move(password), target = std::move(target)] {
                    (void)verify(secret, *target);
                  }));
}

}  // namespace authsvc::crypto
