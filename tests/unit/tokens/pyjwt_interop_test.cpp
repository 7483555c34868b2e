// Cross-checks with an independent implementation: PyJWT 2.6.0 (Debian bookworm's python3-jwt, which
// scripts/install-deps installs, and the library the original service ran on). Tokens we issue
// verify in PyJWT against our JWKS; tokens PyJWT signs verify in ours; and for malformed input our
// messages equal PyJWT's (and Python json's) exactly.
//
// Deterministic: the interpreter runs isolated (-I: no PYTHON* variables, no user site) and without
// site (-S: no /usr/local packages), with Debian's dist-packages as its only package folder, and the
// test fails, naming what it found, unless that gives exactly PyJWT 2.6.0.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/jose_json.hpp"
#include "token_test_support.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"

namespace authsvc::tokens {
namespace {

using crypto::JwsAlgorithm;
using test::b64;

constexpr const char* kPython = "/usr/bin/python3 -I -S";
constexpr const char* kDebianPackages = "/usr/lib/python3/dist-packages";
constexpr const char* kPyJwtVersion = "2.6.0";

// Prints "<version> <module file>" of the PyJWT the scripts below import.
constexpr const char* kVersionScript = R"PY(
import sys
sys.path.insert(0, sys.argv[1])
import jwt
print(jwt.__version__, jwt.__file__)
)PY";

constexpr const char* kScript = R"PY(
import base64, json, sys
sys.path.insert(0, sys.argv[2])
import jwt

req = json.load(open(sys.argv[1]))
out = {"verify": [], "sign": [], "json_errors": [], "decode_errors": []}

for v in req["verify"]:
    try:
        if v["alg"] == "HS256":
            key = v["secret"]
        else:
            keyset = jwt.PyJWKSet.from_dict(v["jwks"])
            kid = jwt.get_unverified_header(v["token"]).get("kid")
            key = [k for k in keyset.keys if k.key_id == kid][0].key
        claims = jwt.decode(v["token"], key, algorithms=[v["alg"]], issuer=v["issuer"],
                            options={"require": ["exp", "iat", "nbf", "jti", "sub"]})
        out["verify"].append({"ok": True, "claims": claims})
    except Exception as e:
        out["verify"].append({"ok": False, "error": type(e).__name__ + ": " + str(e)})

for s in req["sign"]:
    out["sign"].append(jwt.encode(s["claims"], s["key"], algorithm=s["alg"], headers=s["headers"]))

for b in req["json_errors"]:
    try:
        json.loads(base64.b64decode(b))
        out["json_errors"].append(None)
    except ValueError as e:
        out["json_errors"].append(str(e))

for t in req["decode_errors"]:
    try:
        jwt.decode(t, req["secret"], algorithms=["HS256"], issuer=req["issuer"],
                   options={"require": ["exp"]}, leeway=5)
        out["decode_errors"].append(None)
    except Exception as e:
        out["decode_errors"].append(str(e))

print(json.dumps(out))
)PY";

std::string base64_std(std::string_view bytes) {
  std::string url = crypto::base64url_encode(bytes);
  for (auto& c : url) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (url.size() % 4 != 0) url += '=';
  return url;
}

class PyJwtInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto script = dir_.file("version.py");
    std::ofstream(script) << kVersionScript;
    const std::string found = run(script + " " + kDebianPackages);
    const std::string expected = std::string(kPyJwtVersion) + " " + kDebianPackages + "/jwt/";
    ASSERT_EQ(found.rfind(expected, 0), 0u)
        << "this test compares against PyJWT " << kPyJwtVersion << " from Debian's python3-jwt in "
        << kDebianPackages << " (scripts/install-deps installs it), but " << kPython
        << " found: " << found;
  }

  // The output (stdout and stderr) of `kPython <arguments>`.
  static std::string run(const std::string& arguments) {
    const std::string command = std::string(kPython) + " " + arguments + " 2>&1";
    std::string output;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[4096];
      std::size_t n = 0;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
      pclose(pipe);
    }
    return output;
  }

  // Runs the script on `request`; the parsed answer.
  boost::json::object run_python(const boost::json::object& request) {
    const auto script = dir_.file("interop.py");
    const auto input = dir_.file("request.json");
    std::ofstream(script) << kScript;
    std::ofstream(input) << boost::json::serialize(request);
    const std::string output = run(script + " " + input + " " + kDebianPackages);
    boost::system::error_code ec;
    auto parsed = boost::json::parse(output, ec);
    EXPECT_FALSE(ec) << "python said: " << output;
    return ec || !parsed.is_object() ? boost::json::object{} : parsed.as_object();
  }

  test::SqliteTempDir dir_;
};

// Deployments whose clocks read real time (PyJWT checks exp/nbf/iat against the real clock).
std::unique_ptr<test::Deployment> live(JwsAlgorithm alg) {
  auto d = std::make_unique<test::Deployment>(alg);
  d->clock.set(std::chrono::time_point_cast<std::chrono::seconds>(SystemClock().now()));
  return d;
}

TEST_F(PyJwtInteropTest, OurTokensVerifyInPyJwtAndPyJwtTokensVerifyInOurs) {
  const JwsAlgorithm algs[] = {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa,
                               JwsAlgorithm::hs256};
  std::vector<std::unique_ptr<test::Deployment>> deployments;
  std::vector<tokens::TokenPair> pairs;
  boost::json::array verify;
  boost::json::array sign;
  for (const auto alg : algs) {
    deployments.push_back(live(alg));
    auto& d = *deployments.back();
    pairs.push_back(d.issue({"admin", "user"}, true));
    for (const auto* token : {&pairs.back().access.token, &pairs.back().refresh.token}) {
      boost::json::object v{{"alg", crypto::jws_algorithm_name(alg)},
                            {"token", *token},
                            {"issuer", test::kIssuer},
                            {"jwks", d.ring->jwks()},
                            {"secret", test::fixture_hmac_secret()}};
      verify.push_back(std::move(v));
    }
    boost::json::object headers;
    if (!d.kid().empty()) headers["kid"] = d.kid();
    const std::string key = alg == JwsAlgorithm::hs256
                                ? test::fixture_hmac_secret()
                                : test::fixture_key(alg).private_pem().value();
    sign.push_back(boost::json::object{{"alg", crypto::jws_algorithm_name(alg)},
                                       {"key", key},
                                       {"claims", d.claims()},
                                       {"headers", headers}});
  }
  const auto answer = run_python(boost::json::object{{"verify", verify},
                                                     {"sign", sign},
                                                     {"json_errors", boost::json::array{}},
                                                     {"decode_errors", boost::json::array{}}});
  ASSERT_TRUE(answer.contains("verify"));
  const auto& verified = answer.at("verify").as_array();
  ASSERT_EQ(verified.size(), 2 * std::size(algs));
  for (std::size_t i = 0; i < verified.size(); ++i) {
    const auto& result = verified[i].as_object();
    ASSERT_TRUE(result.at("ok").as_bool())
        << crypto::jws_algorithm_name(algs[i / 2]) << ": " << boost::json::serialize(result);
    const auto& claims = result.at("claims").as_object();
    EXPECT_EQ(claims.at("sub").as_string(), test::kUserId);
    EXPECT_EQ(claims.at("type").as_string(), i % 2 == 0 ? "access" : "refresh");
  }

  const auto& signed_tokens = answer.at("sign").as_array();
  ASSERT_EQ(signed_tokens.size(), std::size(algs));
  for (std::size_t i = 0; i < signed_tokens.size(); ++i) {
    const std::string token(signed_tokens[i].as_string());
    auto claims = deployments[i]->verify(token);
    ASSERT_TRUE(claims.ok()) << crypto::jws_algorithm_name(algs[i]) << ": "
                             << claims.error().detail;
    EXPECT_EQ(claims->sub, test::kUserId);
    EXPECT_EQ(claims->roles, (std::vector<std::string>{"user"}));
  }
}

TEST_F(PyJwtInteropTest, JsonErrorTextsMatchPython) {
  const std::vector<std::string> inputs = {"",
                                           "not json",
                                           "  ",
                                           "{",
                                           R"({"a")",
                                           R"({"a":)",
                                           R"({"a":1)",
                                           R"({"a":1,})",
                                           R"({"a":[1,]})",
                                           R"({"a":1} x)",
                                           "{\"a\":\"\x01\"}",
                                           R"({"a":"\q"})",
                                           R"({"a":"\u12"})",
                                           R"({"a":"\u12x4"})",
                                           R"({"a":"abc)",
                                           "{\"a\":\n}",
                                           "{\n\"a\":\n\n  x}",
                                           R"({"a":01})",
                                           "{'a':1}",
                                           "\xff",
                                           "{\"a\":\"\xc3\"}",
                                           "{\"a\":\"\xe2\x82",
                                           "\xe2\x82\x28",
                                           "\xf0\x9f\x98",
                                           "\xf0\x28\x8c\xbc",
                                           "\xf4\x90\x80\x80",
                                           "\xe0\x80\x80",
                                           "\xc0\xaf",
                                           "{\"\xc3\xa9\":1,}",
                                           "[1,2",
                                           "[",
                                           "]",
                                           "{]",
                                           R"({"a":tru})",
                                           R"({"a":nul})",
                                           R"({"a":-})",
                                           R"({"a":1.})",
                                           R"({"a":1e})",
                                           R"({"a":.5})",
                                           R"({"a":+1})",
                                           R"({"a":"\ud83d\ude00" x})",
                                           "{\"a\":1}\x00",
                                           "\x00",
                                           R"({"a"  :  1  ,  "b" :})",
                                           "1 2",
                                           R"({"a":[{"b":[}]})",
                                           "{\"\xf0\x9f\x98\x80\":x}",
                                           R"({"a":"x\/y\bz\f\n\r\t\"\\"})"};
  boost::json::array encoded;
  for (const auto& input : inputs) encoded.emplace_back(base64_std(input));
  const auto answer = run_python(boost::json::object{{"verify", boost::json::array{}},
                                                     {"sign", boost::json::array{}},
                                                     {"json_errors", encoded},
                                                     {"decode_errors", boost::json::array{}}});
  ASSERT_TRUE(answer.contains("json_errors"));
  const auto& python = answer.at("json_errors").as_array();
  ASSERT_EQ(python.size(), inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string ours;
    const bool parsed = crypto::parse_jose_object(inputs[i], ours).has_value();
    if (python[i].is_null()) {
      // Python accepts; we accept too unless it is not an object (then "must be a json object").
      if (!parsed) {
        EXPECT_EQ(ours, "must be a json object") << "input #" << i;
      }
    } else {
      EXPECT_FALSE(parsed) << "input #" << i;
      EXPECT_EQ(ours, std::string(python[i].as_string())) << "input #" << i;
    }
  }
}

TEST_F(PyJwtInteropTest, DecodeErrorTextsMatchPyJwt) {
  auto d = live(JwsAlgorithm::hs256);
  const auto key = crypto::JwsKey::hmac(test::fixture_hmac_secret()).value();
  const std::string h = b64(R"({"alg":"HS256","typ":"JWT"})");
  const std::string p = b64(boost::json::serialize(d->claims()));
  const auto with_claims = [&](const char* name, boost::json::value value) {
    auto claims = d->claims();
    if (value.is_null()) {
      claims.erase(name);
    } else {
      claims[name] = value;
    }
    return test::craft(R"({"alg":"HS256"})", claims, key);
  };
  const auto now = d->clock.seconds();
  const std::vector<std::string> tokens = {
      "abc",
      h + "." + p,
      "",
      "a." + p + ".AAAA",
      b64("not json") + "." + p + ".AAAA",
      b64("[1]") + "." + p + ".AAAA",
      b64(R"({"alg":"HS256")") + "." + p + ".AAAA",
      b64(R"({"alg":HS256})") + "." + p + ".AAAA",
      h + ".a.AAAA",
      h + "." + p + ".a",
      b64(R"({"alg":"none"})") + "." + p + ".",
      b64(R"({"alg":"RS256"})") + "." + p + ".AAAA",
      b64(R"({"typ":"JWT"})") + "." + p + ".AAAA",
      b64(R"({"alg":"HS256","kid":1})") + "." + p + ".AAAA",
      b64(R"({"alg":"HS256","crit":["x"]})") + "." + p + ".AAAA",
      b64(R"({"alg":"HS256","crit":[]})") + "." + p + ".AAAA",
      b64(R"({"alg":"HS256","crit":[1]})") + "." + p + ".AAAA",
      h + "." + p + ".AAAA",
      test::craft(R"({"alg":"HS256"})", std::string("not json"), key),
      test::craft(R"({"alg":"HS256"})", std::string("[1]"), key),
      test::craft(R"({"alg":"HS256"})", std::string(R"({"exp":)"), key),
      with_claims("exp", "abc"),
      with_claims("exp", nullptr),
      with_claims("nbf", now + 120),
      with_claims("iat", now + 600),
      with_claims("nbf", "soon"),
      with_claims("iss", "https://elsewhere"),
      with_claims("iss", nullptr),
      with_claims("aud", "content"),
      with_claims("exp", now + 60),
  };
  boost::json::array list;
  for (const auto& token : tokens) list.emplace_back(token);
  const auto answer = run_python(boost::json::object{{"verify", boost::json::array{}},
                                                     {"sign", boost::json::array{}},
                                                     {"json_errors", boost::json::array{}},
                                                     {"decode_errors", list},
                                                     {"secret", test::fixture_hmac_secret()},
                                                     {"issuer", test::kIssuer}});
  ASSERT_TRUE(answer.contains("decode_errors"));
  const auto& python = answer.at("decode_errors").as_array();
  ASSERT_EQ(python.size(), tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    // The client's text: what flask-jwt-extended sent as {"msg": ...} over this PyJWT.
    const std::string ours = d->error_of(tokens[i]);
    const std::string theirs = python[i].is_null() ? "<ok>" : std::string(python[i].as_string());
    EXPECT_EQ(ours, theirs) << "token #" << i << ": " << tokens[i].substr(0, 80);
  }
}

}  // namespace
}  // namespace authsvc::tokens
