"""SPEC 4 "Verification pins the configured algorithms": forged tokens are 422 with `msg`, never 200.

Each forgery copies the claims of a real, live access token, so only the header or the signature is
wrong; the real token must still verify afterwards.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

from conftest import (
    JWKS, MSG_BAD_SIGNATURE, VERIFY, b64url_decode, b64url_json, claims, compact, describe,
    expect_json, hs256_signer, jose_header, login, rs256_signer, signup,
)


@pytest.fixture(scope="module")
def victim(api):
    user = signup(api)
    return user, login(api, user)


@pytest.fixture(scope="module")
def jwks(api):
    return expect_json(api.get(JWKS), 200)


@pytest.fixture(scope="module")
def real_key(victim, jwks):
    _, tokens = victim
    kid = jose_header(tokens.access).get("kid")
    matches = [k for k in jwks["keys"] if k.get("kid") == kid]
    assert matches, f"the access token's kid {kid!r} is not in the JWKS"
    return matches[0]


@pytest.fixture(scope="module")
def public_key(real_key):
    return RSAAlgorithm.from_jwk(json.dumps(real_key))


def assert_rejected(api, token, victim, exact_msg=None):
    resp = api.get(VERIFY, token=token)
    assert resp.status_code != 200, f"FORGED TOKEN ACCEPTED: {describe(resp)}"
    body = expect_json(resp, 422)
    assert set(body) == {"msg"} and isinstance(body["msg"], str) and body["msg"], describe(resp)
    if exact_msg is not None:
        assert body["msg"] == exact_msg, describe(resp)
    # The attack changed nothing: the real token still verifies.
    assert api.get(VERIFY, token=victim[1].access).status_code == 200


def header_of(victim, **changes):
    header = dict(jose_header(victim[1].access))
    header.update(changes)
    return {k: v for k, v in header.items() if v is not None}


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none(api, victim, alg):
    payload = claims(victim[1].access)
    token = f"{b64url_json(header_of(victim, alg=alg))}.{b64url_json(payload)}."
    assert_rejected(api, token, victim)


def test_alg_none_keeping_the_real_signature(api, victim):
    _, payload_segment, signature = victim[1].access.split(".")
    token = f"{b64url_json(header_of(victim, alg='none'))}.{payload_segment}.{signature}"
    assert_rejected(api, token, victim)


def test_stripped_signature(api, victim):
    head, payload_segment, _ = victim[1].access.split(".")
    assert_rejected(api, f"{head}.{payload_segment}.", victim)


def public_key_encodings(public_key, jwk):
    spki_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pkcs1_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    spki_der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "spki-pem": spki_pem,
        "spki-pem-no-newline": spki_pem.rstrip(b"\n"),
        "pkcs1-pem": pkcs1_pem,
        "spki-der": spki_der,
        "jwk-json": json.dumps(jwk).encode(),
        "modulus": b64url_decode(jwk["n"]),
    }


@pytest.mark.parametrize("encoding", ["spki-pem", "spki-pem-no-newline", "pkcs1-pem", "spki-der", "jwk-json", "modulus"])
def test_hs256_signed_with_the_public_key(api, victim, public_key, real_key, encoding):
    secret = public_key_encodings(public_key, real_key)[encoding]
    token = compact(header_of(victim, alg="HS256"), claims(victim[1].access), hs256_signer(secret))
    assert_rejected(api, token, victim)


def test_hs256_with_a_well_known_secret(api, victim):
    for secret in (b"top_secret", b"secret", b""):
        token = compact(header_of(victim, alg="HS256"), claims(victim[1].access), hs256_signer(secret))
        assert_rejected(api, token, victim)


def test_unknown_kid(api, victim, attacker_rsa_key):
    header = header_of(victim, alg="RS256", kid=f"e2e-unknown-{uuid.uuid4()}")
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)


def test_no_kid(api, victim, attacker_rsa_key):
    header = header_of(victim, alg="RS256", kid=None)
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)


def test_another_rsa_key_with_the_real_kid(api, victim, attacker_rsa_key):
    token = compact(header_of(victim, alg="RS256"), claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim, exact_msg=MSG_BAD_SIGNATURE)


def test_tampered_payload_with_the_real_signature(api, victim, other_user_id):
    head, _, signature = victim[1].access.split(".")
    payload = claims(victim[1].access)
    payload.update(sub=other_user_id, is_superuser=True, roles=["admin"])
    assert_rejected(api, f"{head}.{b64url_json(payload)}.{signature}", victim, exact_msg=MSG_BAD_SIGNATURE)


@pytest.fixture(scope="module")
def other_user_id(api):
    return signup(api).id


@pytest.mark.parametrize("alg", ["PS256", "RS512", "ES256", "EdDSA"])
def test_other_algorithm_with_the_real_signature(api, victim, alg):
    _, payload_segment, signature = victim[1].access.split(".")
    token = f"{b64url_json(header_of(victim, alg=alg))}.{payload_segment}.{signature}"
    assert_rejected(api, token, victim)


@pytest.mark.parametrize("kid", ["", "../../../../../../dev/null", "/dev/null", "x' UNION SELECT '1';--",
                                 "|sleep 5", "k" * 4000, 123, None, ["a"]],
                         ids=["empty", "traversal", "dev-null", "sql", "shell", "4000-chars", "number", "null", "array"])
def test_kid_injection(api, victim, attacker_rsa_key, kid):
    header = header_of(victim, alg="RS256")
    header["kid"] = kid
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    started = time.monotonic()
    assert_rejected(api, token, victim)
    assert time.monotonic() - started < 4, "kid must never reach a shell or a slow lookup"


# --- key URLs in the header: rejected, and never fetched (no SSRF) ---------------------------------


class KeyServer:
    """A local listener that would serve the attacker's JWKS and records every hit."""

    def __init__(self, jwks_body: bytes):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(jwks_body)))
                self.end_headers()
                self.wfile.write(jwks_body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def attacker_jwk(attacker_rsa_key):
    jwk = json.loads(RSAAlgorithm.to_jwk(attacker_rsa_key.public_key()))
    jwk.update(kid="e2e-attacker", alg="RS256", use="sig")
    return jwk


@pytest.fixture
def key_server(attacker_jwk):
    server = KeyServer(json.dumps({"keys": [attacker_jwk]}).encode())
    yield server
    server.close()


def assert_not_fetched(key_server):
    time.sleep(0.5)
    assert key_server.hits == [], f"the service fetched attacker-controlled key URLs: {key_server.hits}"


@pytest.mark.parametrize("kid_source", ["attacker", "real"])
def test_jku_header(api, victim, attacker_rsa_key, key_server, kid_source):
    header = header_of(victim, alg="RS256", jku=f"{key_server.url}/jwks.json")
    if kid_source == "attacker":
        header["kid"] = "e2e-attacker"
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)
    assert_not_fetched(key_server)


def test_jku_pointing_at_the_services_own_jwks(api, victim, attacker_rsa_key):
    header = header_of(victim, alg="RS256", jku=f"{api.base_url}{JWKS}", kid="e2e-attacker")
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)


def test_x5u_header(api, victim, attacker_rsa_key, key_server):
    header = header_of(victim, alg="RS256", x5u=f"{key_server.url}/cert.pem")
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)
    assert_not_fetched(key_server)


@pytest.mark.parametrize("kid_source", ["attacker", "real"])
def test_embedded_jwk_header(api, victim, attacker_rsa_key, attacker_jwk, kid_source):
    header = header_of(victim, alg="RS256", jwk=attacker_jwk)
    if kid_source == "attacker":
        header["kid"] = attacker_jwk["kid"]
    token = compact(header, claims(victim[1].access), rs256_signer(attacker_rsa_key))
    assert_rejected(api, token, victim)
