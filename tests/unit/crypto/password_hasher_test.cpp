#include "crypto/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <future>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "support/async.hpp"

namespace authsvc::crypto {
namespace {

namespace asio = boost::asio;

constexpr const char* kPassword = "correct horse battery staple";
// "pässwörd-ключ-🔑" in UTF-8, as the JSON body delivers it.
constexpr const char* kUnicodePassword =
    "p\xc3\xa4ssw\xc3\xb6rd-\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-\xf0\x9f\x94\x91";

// Cheap parameters keep the suite fast; one test below uses the defaults.
constexpr Argon2Params kSmall{.memory_kib = 64, .iterations = 1};

// co_spawn needs a default-constructible value: carry it in an optional, whatever T is.
template <class T>
asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
  co_return co_await std::move(task);
}
template <class T>
T run_here(asio::io_context& io, asio::awaitable<T> task) {
  return std::move(*test::run_sync(io, optional_of(std::move(task))));
}

PasswordHasher small_hasher() {
  return PasswordHasher(PasswordHasherOptions{.argon2 = kSmall});
}

// ---- Argon2id
// ------------------------------------------------------------------------------------------------

TEST(PasswordHasher, Argon2idRoundTrip) {
  const auto hasher = small_hasher();
  const auto stored = hasher.hash(kPassword);
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << "unexpected format";

  const auto right = hasher.verify(kPassword, stored);
  EXPECT_TRUE(right.match);
  EXPECT_FALSE(right.needs_rehash);

  const auto wrong = hasher.verify("correct horse battery stapler", stored);
  EXPECT_FALSE(wrong.match);
  EXPECT_FALSE(wrong.needs_rehash);
  EXPECT_FALSE(hasher.verify("", stored).match);

  // Salted: the same password never gives the same string twice.
  EXPECT_NE(hasher.hash(kPassword), stored);
}

TEST(PasswordHasher, Argon2idRoundTripWithUnicodeEmptyAndLongPasswords) {
  const auto hasher = small_hasher();
  EXPECT_TRUE(hasher.verify(kUnicodePassword, hasher.hash(kUnicodePassword)).match);
  EXPECT_TRUE(hasher.verify("", hasher.hash("")).match);
  // Two passwords sharing their first 72 bytes are different passwords (the bcrypt trap).
  const std::string p1 = std::string(72, 'x') + "A";
  const std::string p2 = std::string(72, 'x') + "B";
  const auto stored = hasher.hash(p1);
  EXPECT_TRUE(hasher.verify(p1, stored).match);
  EXPECT_FALSE(hasher.verify(p2, stored).match);
  const std::string kib(1024, 'k');
  EXPECT_TRUE(hasher.verify(kib, hasher.hash(kib)).match);
}

TEST(PasswordHasher, DefaultParametersAreOwaspMinimum) {
  const PasswordHasher hasher;
  EXPECT_EQ(hasher.options().argon2.memory_kib, 19456U);
  EXPECT_EQ(hasher.options().argon2.iterations, 2U);
  EXPECT_FALSE(hasher.options().write_werkzeug_pbkdf2);
  const auto stored = hasher.hash(kPassword);
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << "unexpected format";
  const auto outcome = hasher.verify(kPassword, stored);
  EXPECT_TRUE(outcome.match);
  EXPECT_FALSE(outcome.needs_rehash);
  EXPECT_FALSE(hasher.verify("wrong", stored).match);
}

// Made by the reference implementation (libargon2 0~20171227, argon2_hash with Argon2_id, version
// 0x13), so these check interoperability rather than libsodium against itself.
TEST(PasswordHasher, VerifiesReferenceArgon2idStrings) {
  const std::string p1 =
      "$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w";
  const std::string p2 =
      "$argon2id$v=19$m=256,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$pSf+11KNq9kAW/9QmaMaNfvC/RrTAMeIWtgH/"
      "6Zrcps";
  const std::string owasp =
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$QKHrg5tayLGcN+"
      "Y0HVPNaBqykOVLUxlMkZycXE1uWRM";

  const PasswordHasher weak(PasswordHasherOptions{.argon2 = {.memory_kib = 64, .iterations = 1}});
  EXPECT_TRUE(weak.verify(kPassword, p1).match);
  EXPECT_FALSE(weak.verify(kPassword, p1).needs_rehash);
  EXPECT_TRUE(weak.verify(kPassword, p2).match);  // p=2: libsodium verifies what it cannot create
  EXPECT_FALSE(weak.verify("Correct horse battery staple", p2).match);

  const PasswordHasher defaults;
  const auto outcome = defaults.verify(kPassword, owasp);
  EXPECT_TRUE(outcome.match);
  EXPECT_FALSE(outcome.needs_rehash);
  const auto weaker = defaults.verify(kPassword, p1);
  EXPECT_TRUE(weaker.match);
  EXPECT_TRUE(weaker.needs_rehash);
}

TEST(PasswordHasher, NeedsRehashOnlyForWeakerArgon2Parameters) {
  const PasswordHasher weak(PasswordHasherOptions{.argon2 = {.memory_kib = 64, .iterations = 1}});
  const PasswordHasher more_memory(
      PasswordHasherOptions{.argon2 = {.memory_kib = 128, .iterations = 1}});
  const PasswordHasher more_time(
      PasswordHasherOptions{.argon2 = {.memory_kib = 64, .iterations = 2}});

  const auto weak_hash = weak.hash(kPassword);
  for (const auto* hasher : {&more_memory, &more_time}) {
    const auto outcome = hasher->verify(kPassword, weak_hash);
    EXPECT_TRUE(outcome.match);
    EXPECT_TRUE(outcome.needs_rehash);
    EXPECT_FALSE(hasher->verify("wrong", weak_hash).needs_rehash);  // only meaningful with a match
  }
  // Stronger stored hashes are kept: lowering the configuration never downgrades them.
  const auto strong = weak.verify(kPassword, more_memory.hash(kPassword));
  EXPECT_TRUE(strong.match);
  EXPECT_FALSE(strong.needs_rehash);
  const auto longer = weak.verify(kPassword, more_time.hash(kPassword));
  EXPECT_TRUE(longer.match);
  EXPECT_FALSE(longer.needs_rehash);
}

TEST(PasswordHasher, Argon2iVerifiesAndIsRehashed) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  ASSERT_EQ(crypto_pwhash_str_alg(out.data(), kPassword, std::char_traits<char>::length(kPassword),
                                  3, 64 * 1024, crypto_pwhash_ALG_ARGON2I13),
            0);
  const std::string stored(out.data());
  ASSERT_TRUE(stored.starts_with("$argon2i$"));
  const auto outcome = small_hasher().verify(kPassword, stored);
  EXPECT_TRUE(outcome.match);
  EXPECT_TRUE(outcome.needs_rehash);
}

// ---- Werkzeug hashes of the original service
// ---------------------------------------------------------------------

struct WerkzeugVector {
  const char* name;
  const char* password;
  const char* stored;
  bool heavy;  // real-world cost: verified once only (PBKDF2 runs ~13x slower under ASan's
               // interceptors)
};

// Generated with werkzeug.security.generate_password_hash (Werkzeug 3.1.8) and cross-checked with
// Debian's /usr/bin/python3 hashlib; the three "omitted" rows were built with hashlib as Werkzeug
// reads them. (Werkzeug 2.3-3.0's 600,000 iterations take the same path as 260,000 at twice the
// cost, so no such row is here.)
const WerkzeugVector kWerkzeugVectors[] = {
    {"pbkdf2 sha256 260000 (Werkzeug 2.0-2.2 default, the original service's)", kPassword,
     "pbkdf2:sha256:260000$0YBstqqtHSk4kv9a$"
     "18a9f6e1535fcfcfc5cb2cdb7b5b62ab448b9cf78b1503432229b6e76d7bb129",
     true},
    {"pbkdf2 sha512 1000 unicode", kUnicodePassword,
     "pbkdf2:sha512:1000$0gqO84NM6sXwLyeh$"
     "3a1eabaee8ca44774fd8922ffeb7228ea9d8fd82a91e7b5575611391da873464d851b763501"
     "f766adfe22a533e947adf37a05726fcb37c1c0e3e9eb4c68a1cce",
     false},
    {"pbkdf2 sha1 50000 short salt", kPassword,
     "pbkdf2:sha1:50000$YuKG2b2B$1d9bef94404f6742bea97c71b00fb945c4d3bdb1", false},
    {"pbkdf2 sha256 1000 empty password", "",
     "pbkdf2:sha256:1000$5ReNbTt0gVL5ePxR$"
     "1566a1840e8acefd47eb6fa2f94031102857e917cd8904c2c114c65b378d1506",
     false},
    {"scrypt default 32768:8:1 (Werkzeug >= 2.3 default)", kPassword,
     "scrypt:32768:8:1$fcHaa3cq0BZnuOFu$"
     "5c8c03b7941c8c28ffd0074f9c3c01dafea5eb9e6cc66c9a42ac6413c6be6a3326752a6e9a397"
     "e8d53dc3f270fa419175c8e1e7ac3da8f4c2de1c58cc2d0c733",
     true},
    {"scrypt 16384:8:1 unicode", kUnicodePassword,
     "scrypt:16384:8:1$zJ2julRLiNmWIvEs$"
     "9dc7d298d6b4e96f703e2809cd5775b6e86742ba28a575b1c6a756c52bc66ca70ff32a0ea59648"
     "5901b55ee02b50bfaee70bbb9ee6f8a8c48c3539156c536042",
     false},
    {"scrypt 1024:8:2", kPassword,
     "scrypt:1024:8:2$h5IJwrgcUHJAdXVC$"
     "9ce334b6a3c47eed2f4b2f3f16180567229d13b24360a673bf71cfd5d341f6d5a76590fc97e224a"
     "932b114fc3dc38d8ec4838e4df8cc6baf799e73f54d674bbc",
     false},
    {"pbkdf2:sha256 omitted iterations = 260000", kPassword,
     "pbkdf2:sha256$AbCdEfGhIjKlMnOp$"
     "de2357ad542cd33db74c6c2988ced6e884dd3532dee3b6206fabb96f11e13479",
     true},
    {"pbkdf2 omitted hash and iterations = sha256, 260000", kPassword,
     "pbkdf2$AbCdEfGhIjKlMnOp$de2357ad542cd33db74c6c2988ced6e884dd3532dee3b6206fabb96f11e13479",
     true},
    {"scrypt omitted parameters = 32768:8:1", kPassword,
     "scrypt$AbCdEfGhIjKlMnOp$"
     "5fedea9bb0fa27ab6d6e27b05a986eeb76ddace506f89535f52d35fdb90197aeaab95c53c274c968ef612de"
     "af864f0ab859f4f24333296f40b28c55e7eb1005e",
     true},
};

constexpr const char* kPbkdf2Sha256At1000 =
    "pbkdf2:sha256:1000$5ReNbTt0gVL5ePxR$"
    "1566a1840e8acefd47eb6fa2f94031102857e917cd8904c2c114c65b378d1506";  // ""

TEST(PasswordHasher, VerifiesWerkzeugHashesAndAsksForArgon2id) {
  const auto hasher = small_hasher();
  for (const auto& v : kWerkzeugVectors) {
    SCOPED_TRACE(v.name);
    const auto right = hasher.verify(v.password, v.stored);
    EXPECT_TRUE(right.match);
    EXPECT_TRUE(right.needs_rehash);
    if (v.heavy) continue;

    EXPECT_FALSE(hasher.verify(std::string(v.password) + "x", v.stored).match);
    // One changed digest character must fail.
    std::string tampered(v.stored);
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    EXPECT_FALSE(hasher.verify(v.password, tampered).match);
    // So must a changed salt.
    std::string other_salt(v.stored);
    const auto salt_at = other_salt.find('$') + 1;
    other_salt[salt_at] = other_salt[salt_at] == 'Q' ? 'R' : 'Q';
    EXPECT_FALSE(hasher.verify(v.password, other_salt).match);
  }
}

TEST(PasswordHasher, WerkzeugDigestComparisonIsExact) {
  const auto hasher = small_hasher();
  const std::string stored = kPbkdf2Sha256At1000;
  ASSERT_TRUE(hasher.verify("", stored).match);
  EXPECT_FALSE(hasher.verify("", stored.substr(0, stored.size() - 1)).match);  // truncated digest
  EXPECT_FALSE(hasher.verify("", stored + "0").match);                         // extended digest
  std::string upper = stored;
  for (auto i = upper.rfind('$') + 1; i < upper.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  }
  EXPECT_FALSE(hasher.verify("", upper).match);  // Werkzeug compares the lower-case hex string
}

// ---- Werkzeug output mode
// ----------------------------------------------------------------------------------------

TEST(PasswordHasher, WerkzeugModeWrites600000IterationsByDefault) {
  // Checked on the options: a 600,000-iteration hash takes seconds under ASan. The format itself is
  // checked below.
  EXPECT_FALSE(PasswordHasherOptions{}.write_werkzeug_pbkdf2);
  EXPECT_EQ(PasswordHasherOptions{}.werkzeug_pbkdf2_iterations, 600000U);
}

TEST(PasswordHasher, WerkzeugModeRoundTripAndRehashRules) {
  const PasswordHasher hasher(PasswordHasherOptions{
      .argon2 = kSmall, .write_werkzeug_pbkdf2 = true, .werkzeug_pbkdf2_iterations = 1000});
  const auto stored = hasher.hash(kUnicodePassword);
  EXPECT_TRUE(
      std::regex_match(stored, std::regex(R"(pbkdf2:sha256:1000\$[A-Za-z0-9]{16}\$[0-9a-f]{64})")))
      << "unexpected format";
  const auto outcome = hasher.verify(kUnicodePassword, stored);
  EXPECT_TRUE(outcome.match);
  EXPECT_FALSE(outcome.needs_rehash);
  EXPECT_FALSE(hasher.verify(kPassword, stored).match);
  EXPECT_NE(hasher.hash(kUnicodePassword), stored);  // salted
  EXPECT_TRUE(hasher.dummy_verify_target().starts_with("pbkdf2:sha256:1000$"));

  EXPECT_FALSE(hasher.verify("", kPbkdf2Sha256At1000).needs_rehash);  // sha256 at the target
  EXPECT_FALSE(hasher.verify(kUnicodePassword, kWerkzeugVectors[1].stored)
                   .needs_rehash);  // sha512 at the target
  EXPECT_TRUE(
      hasher.verify(kPassword, kWerkzeugVectors[2].stored).needs_rehash);  // sha1 is upgraded
  const PasswordHasher stricter(PasswordHasherOptions{
      .argon2 = kSmall, .write_werkzeug_pbkdf2 = true, .werkzeug_pbkdf2_iterations = 2000});
  const auto fewer = stricter.verify("", kPbkdf2Sha256At1000);
  EXPECT_TRUE(fewer.match);
  EXPECT_TRUE(fewer.needs_rehash);  // fewer iterations than configured

  // scrypt and Argon2id are not downgraded to PBKDF2.
  const auto scrypt = hasher.verify(kUnicodePassword, kWerkzeugVectors[5].stored);
  EXPECT_TRUE(scrypt.match);
  EXPECT_FALSE(scrypt.needs_rehash);
  const auto argon = hasher.verify(kPassword, small_hasher().hash(kPassword));
  EXPECT_TRUE(argon.match);
  EXPECT_FALSE(argon.needs_rehash);
}

// ---- Hostile or corrupt rows
// ---------------------------------------------------------------------------------

TEST(PasswordHasher, MalformedStoredHashesNeverMatch) {
  const auto hasher = small_hasher();
  const std::string valid_argon = hasher.hash(kPassword);
  const std::string malformed[] = {
      "",
      "$",
      "$$",
      "pbkdf2:sha256:abc$x$y",
      "pbkdf2:sha256:$x$y",
      "pbkdf2:sha256:0$x$y",
      "pbkdf2:sha256:-1$x$y",
      "pbkdf2:sha256:+1000$5ReNbTt0gVL5ePxR$"
      "1566a1840e8acefd47eb6fa2f94031102857e917cd8904c2c114c65b378d1506",
      "pbkdf2:sha256:1000:7$5ReNbTt0gVL5ePxR$"
      "1566a1840e8acefd47eb6fa2f94031102857e917cd8904c2c114c65b378d1506",
      "pbkdf2:sha256:99999999999$x$y",
      "pbkdf2:sha256:1000$5ReNbTt0gVL5ePxR",
      "pbkdf2:md5:1000$x$y",
      "pbkdf2:$x$y",
      "pbkdf2x$x$y",
      "scrypt:3:8:1$x$y",
      "scrypt:0:8:1$x$y",
      "scrypt:16384:0:1$x$y",
      "scrypt:16384:8$x$y",
      "scrypt:16384:8:1:1$x$y",
      "scrypt:16:1:1$x$y",
      "sha256$salt$0123",
      "plain$$correct horse battery staple",
      "correct horse battery staple",
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
      "$argon2id$garbage",
      "$argon2id$v=19$m=64,t=1,p=1$",
      "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA",
      "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2id$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2d$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2id$v=19$m=x,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2id$v=19$m=64,t=2,p=0$c2FsdHNhbHRzYWx0c2FsdA$"
      "08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      "$argon2id$v=19$m=64,t=2,p=1$!!!!$08SGGcDJOWTOHrI9opI1oxYYPVyI3Xbz6vQjWzSpV7w",
      valid_argon.substr(0, valid_argon.size() - 4),
      // A valid hash followed by a NUL: libsodium would only read the valid prefix.
      valid_argon + std::string("\0junk", 5),
  };
  for (const auto& stored : malformed) {
    SCOPED_TRACE(testing::PrintToString(stored));
    const auto outcome = hasher.verify(kPassword, stored);
    EXPECT_FALSE(outcome.match);
    EXPECT_FALSE(outcome.needs_rehash);
    EXPECT_FALSE(hasher.verify("", stored).match);
  }
  // The valid rows these were derived from do match, so the rejections above are the parser's
  // doing.
  EXPECT_TRUE(hasher.verify(kPassword, valid_argon).match);
  EXPECT_TRUE(
      hasher
          .verify(
              "",
              "pbkdf2:sha256:1000$5ReNbTt0gVL5ePxR$1566a1840e8acefd47eb6fa2f94031102857e917cd8904c2"
              "c114c65b378d1506")
          .match);
  EXPECT_TRUE(
      hasher
          .verify(kPassword,
                  "$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$08SGGcDJOWTOHrI9opI1oxYYP"
                  "VyI3Xbz6vQjWzSpV7w")
          .match);
}

// Each row over a cap is a correct hash of kPassword (computed offline), so it would match if the
// cap were gone.
TEST(PasswordHasher, RefusesStoredCostsAboveTheCaps) {
  const auto hasher = small_hasher();
  const char* over_cap[] = {
      // PBKDF2: kMaxPbkdf2Iterations + 1 (hashlib.pbkdf2_hmac)
      "pbkdf2:sha256:2000001$CapCapCapCapCapC$"
      "709b1245b1dd2a8bc7c468bb344fb31fc8c93091a279070f648c8251a29d2eb0",
      // scrypt: n*r*p = 2^21 > kMaxScryptCost (hashlib.scrypt)
      "scrypt:1024:8:256$CapCapCapCapCapC$"
      "dd846330d26448d1e2e6fa1877b05d90bebebd4900d80ef93e3abd0848ecad0dd4dceffc881"
      "d4f54005963bf657face95f97034f19a6c70234e1edbbe5dc0eb1",
      // Argon2id (libargon2): t = 17, p = 17, m = 256 MiB + 1 KiB
      "$argon2id$v=19$m=8,t=17,p=1$c2FsdHNhbHRzYWx0c2FsdA$9zIr/lWlaUHzGRtn1NGMR/"
      "qrZwAToX9i4kiFpNbvGA4",
      "$argon2id$v=19$m=136,t=1,p=17$c2FsdHNhbHRzYWx0c2FsdA$MAhV4BDSl1sXmuy8zXzx9MgS5RxRZ+"
      "jlQL2ZrEbDlX8",
      "$argon2id$v=19$m=262145,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$13xJC7BPOK+"
      "EhHrJKrOu88f8VS7LLjx9opPeaChcxKc",
      // Absurd values are refused before any work (these would run for hours).
      "pbkdf2:sha256:4294967295$x$00",
      "scrypt:4294967296:8:1$x$00",
      "scrypt:1073741824:4294967295:4294967295$x$00",
      "$argon2id$v=19$m=4294967295,t=4294967295,p=1$c2FsdHNhbHRzYWx0c2FsdA$9zIr/lWlaUHzGRtn1NGMR/"
      "qrZwAToX9i4kiFpNbvGA4",
  };
  for (const auto* stored : over_cap) {
    SCOPED_TRACE(stored);
    EXPECT_FALSE(hasher.verify(kPassword, stored).match);
  }
  // At the caps they verify (the PBKDF2 and scrypt rows at their caps take seconds under ASan, so
  // are left out).
  const char* at_cap[] = {
      "$argon2id$v=19$m=8,t=16,p=1$c2FsdHNhbHRzYWx0c2FsdA$L78Kd+RLznPwU+"
      "EEjPA166Qvs5LEcvj1Awjng7nGAgY",
      "$argon2id$v=19$m=128,t=1,p=16$c2FsdHNhbHRzYWx0c2FsdA$Mr0PcvcZvUqu1eTJYrmKVwJXT2TFCykh183H+"
      "igA924",
  };
  for (const auto* stored : at_cap) {
    SCOPED_TRACE(stored);
    EXPECT_TRUE(hasher.verify(kPassword, stored).match);
  }
}

TEST(PasswordHasher, CapsRiseToTheConfiguredCost) {
  constexpr const char* kT17 =
      "$argon2id$v=19$m=8,t=17,p=1$c2FsdHNhbHRzYWx0c2FsdA$9zIr/lWlaUHzGRtn1NGMR/"
      "qrZwAToX9i4kiFpNbvGA4";
  ASSERT_FALSE(small_hasher().verify(kPassword, kT17).match);
  const PasswordHasher strong(PasswordHasherOptions{.argon2 = {.memory_kib = 8, .iterations = 17}});
  const auto outcome = strong.verify(kPassword, kT17);
  EXPECT_TRUE(outcome.match);
  EXPECT_FALSE(outcome.needs_rehash);
}

TEST(PasswordHasher, RefusesOverlongStoredStrings) {
  const auto hasher = small_hasher();
  // A correct Werkzeug hash (hashlib, 1000 iterations) whose 1,100-character salt puts it over
  // kMaxStoredLength.
  const std::string stored = "pbkdf2:sha256:1000$" + std::string(1100, 'a') +
                             "$1f0394370c85671836928a080f290bb0ed68b1cb6382c7ff21384e7da601ea83";
  ASSERT_GT(stored.size(), PasswordHasher::kMaxStoredLength);
  EXPECT_FALSE(hasher.verify(kPassword, stored).match);
  EXPECT_FALSE(hasher.verify(kPassword, std::string(1 << 20, '$')).match);
}

TEST(PasswordHasher, RefusesParametersLibsodiumCannotUse) {
  EXPECT_THROW(PasswordHasher(PasswordHasherOptions{.argon2 = {.memory_kib = 7, .iterations = 1}}),
               std::invalid_argument);
  EXPECT_THROW(PasswordHasher(PasswordHasherOptions{.argon2 = {.memory_kib = 64, .iterations = 0}}),
               std::invalid_argument);
  EXPECT_THROW(
      PasswordHasher(PasswordHasherOptions{.argon2 = kSmall, .werkzeug_pbkdf2_iterations = 0}),
      std::invalid_argument);
  EXPECT_NO_THROW(
      PasswordHasher(PasswordHasherOptions{.argon2 = {.memory_kib = 8, .iterations = 1}}));
}

// ---- Unknown accounts
// ----------------------------------------------------------------------------------------

TEST(PasswordHasher, DummyTargetCostsTheSameAsARealHash) {
  const PasswordHasher hasher(PasswordHasherOptions{.argon2 = {.memory_kib = 96, .iterations = 3}});
  const auto& target = hasher.dummy_verify_target();
  // Same algorithm and parameters as the hashes hash() writes, hence the same verify cost.
  EXPECT_TRUE(target.starts_with("$argon2id$v=19$m=96,t=3,p=1$")) << "unexpected format";
  EXPECT_EQ(target.size(), hasher.hash(kPassword).size());
  EXPECT_FALSE(hasher.verify(kPassword, target).match);
  EXPECT_FALSE(hasher.verify("", target).match);
  // Random per instance: no fixed password opens it.
  EXPECT_NE(target, PasswordHasher(hasher.options()).dummy_verify_target());
}

// ---- Async wrappers
// ------------------------------------------------------------------------------------------

TEST(PasswordHasher, AsyncWrappersRunOnThePoolAndResumeOnTheCaller) {
  const auto hasher = small_hasher();
  asio::io_context io;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 4});
  const auto caller = std::this_thread::get_id();

  auto stored = run_here(io, hasher.hash_async(pool, kPassword));
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->starts_with("$argon2id$v=19$m=64,t=1,p=1$"));

  struct Seen {
    Result<VerifyOutcome> right = VerifyOutcome{};
    Result<VerifyOutcome> wrong = VerifyOutcome{};
    Result<void> dummy;
    bool on_caller = true;
  };
  auto seen = test::run_sync(io, [&]() -> asio::awaitable<Seen> {
    Seen s;
    s.right = co_await hasher.verify_async(pool, kPassword, *stored);
    s.on_caller = s.on_caller && std::this_thread::get_id() == caller;
    s.wrong = co_await hasher.verify_async(pool, "nope", *stored);
    s.on_caller = s.on_caller && std::this_thread::get_id() == caller;
    s.dummy = co_await hasher.dummy_verify_async(pool, kPassword);
    s.on_caller = s.on_caller && std::this_thread::get_id() == caller;
    co_return s;
  }());
  ASSERT_TRUE(seen.right.ok());
  EXPECT_TRUE(seen.right->match);
  EXPECT_FALSE(seen.right->needs_rehash);
  ASSERT_TRUE(seen.wrong.ok());
  EXPECT_FALSE(seen.wrong->match);
  EXPECT_TRUE(seen.dummy.ok());
  EXPECT_TRUE(seen.on_caller);
}

TEST(PasswordHasher, AsyncWrappersReportOverload) {
  const auto hasher = small_hasher();
  // The io_contexts outlive the pool (see BoundedWorkPool's lifetime rule).
  asio::io_context io;
  asio::io_context blocker_io;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 0});
  std::promise<void> gate;
  std::promise<void> started;
  std::thread blocker([&] {
    auto done = run_here(blocker_io, pool.run([&] {
      started.set_value();
      gate.get_future().wait();
    }));
    EXPECT_TRUE(done.ok());
  });
  started.get_future().wait();

  // No ASSERTs until the blocker is released and joined.
  auto hashed = run_here(io, hasher.hash_async(pool, kPassword));
  EXPECT_TRUE(!hashed.ok() && hashed.error().is(InfraErrc::overloaded));
  auto verified = run_here(io, hasher.verify_async(pool, kPassword, hasher.dummy_verify_target()));
  EXPECT_TRUE(!verified.ok() && verified.error().is(InfraErrc::overloaded));
  auto dummy = run_here(io, hasher.dummy_verify_async(pool, kPassword));
  EXPECT_TRUE(!dummy.ok() && dummy.error().is(InfraErrc::overloaded));

  gate.set_value();
  blocker.join();
}

// Switch-over timing: an unknown e-mail's decoy takes the shape of the slowest stored hash.
TEST(PasswordHasher, TheDecoyMatchesTheSlowestStoredShape) {
  const PasswordHasher hasher(PasswordHasherOptions{.argon2 = kSmall});
  ASSERT_TRUE(hasher.dummy_verify_target().starts_with("$argon2id$"));
  const PasswordHasher werkzeug(
      PasswordHasherOptions{.write_werkzeug_pbkdf2 = true, .werkzeug_pbkdf2_iterations = 50000});
  const auto slow = werkzeug.hash("someone's password");
  EXPECT_TRUE(hasher.match_dummy_cost(slow));
  const auto decoy = hasher.dummy_verify_target();
  EXPECT_TRUE(
      std::regex_match(decoy, std::regex(R"(pbkdf2:sha256:50000\$[A-Za-z0-9]{16}\$[0-9a-f]{64})")))
      << decoy;
  EXPECT_NE(decoy, slow) << "random contents, not the user's hash";
  EXPECT_FALSE(hasher.verify("someone's password", decoy).match);
  // A cheaper shape does not replace it; something that is not a Werkzeug hash is ignored.
  EXPECT_FALSE(hasher.match_dummy_cost("pbkdf2:sha256:1$abcdefghijklmnop$" + std::string(64, '0')));
  EXPECT_FALSE(hasher.match_dummy_cost("not a hash"));
  EXPECT_EQ(hasher.dummy_verify_target(), decoy);
}

}  // namespace
}  // namespace authsvc::crypto
