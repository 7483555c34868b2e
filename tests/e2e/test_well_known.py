"""GET /.well-known/jwks.json and /.well-known/openid-configuration, checked with PyJWT as an oracle."""

import json
import re

import jwt
import pytest
import requests
from jwt.algorithms import RSAAlgorithm

from conftest import DISCOVERY, JWKS, TIMEOUT, b64url_decode, describe, expect_json, jose_header, login

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


@pytest.fixture(scope="module")
def jwks_response(api):
    return api.get(JWKS)


@pytest.fixture(scope="module")
def discovery(api):
    return expect_json(api.get(DISCOVERY), 200)


def test_jwks_keys(jwks_response):
    body = expect_json(jwks_response, 200)
    keys = body["keys"]
    assert isinstance(keys, list) and keys, body
    kids = [k.get("kid") for k in keys]
    assert all(isinstance(kid, str) and kid for kid in kids), body
    assert len(set(kids)) == len(kids), f"duplicate kids: {kids}"
    for key in keys:
        assert key.get("use") == "sig", key
        assert key.get("alg") == "RS256", key
        assert key.get("kty") == "RSA", key
        assert not PRIVATE_MEMBERS & set(key), f"private members published: {sorted(PRIVATE_MEMBERS & set(key))}"
        modulus = int.from_bytes(b64url_decode(key["n"]), "big")
        assert modulus.bit_length() >= 2048, f"RSA key of {modulus.bit_length()} bits"
        assert not key["n"].endswith("=") and "+" not in key["n"] and "/" not in key["n"], "n must be base64url"


def test_jwks_is_cacheable(jwks_response):
    cache_control = jwks_response.headers.get("Cache-Control", "")
    match = re.search(r"max-age=(\d+)", cache_control)
    assert match and int(match.group(1)) > 0, f"Cache-Control: {cache_control!r}"
    assert "no-store" not in cache_control


def test_issued_tokens_verify_against_the_jwks(api, user, jwks_response, discovery):
    """PyJWT, an independent implementation, accepts the service's tokens with its published key."""
    tokens = login(api, user)
    keys = {k["kid"]: k for k in expect_json(jwks_response, 200)["keys"]}
    for token, token_type in ((tokens.access, "access"), (tokens.refresh, "refresh")):
        header = jose_header(token)
        assert header["alg"] == "RS256" and header.get("kid") in keys, header
        key = RSAAlgorithm.from_jwk(json.dumps(keys[header["kid"]]))
        decoded = jwt.decode(token, key=key, algorithms=["RS256"], issuer=discovery["issuer"],
                             options={"verify_aud": False, "require": ["exp", "iat", "nbf", "jti", "sub", "iss"]})
        assert decoded["type"] == token_type and decoded["sub"] == user.id


def test_discovery_document(discovery):
    for key in ("issuer", "jwks_uri", "token_endpoint", "revocation_endpoint", "introspection_endpoint",
                "id_token_signing_alg_values_supported"):
        assert key in discovery, f"{key} missing from {discovery}"
    for key in ("issuer", "jwks_uri", "token_endpoint", "revocation_endpoint", "introspection_endpoint"):
        assert isinstance(discovery[key], str) and discovery[key].startswith(("http://", "https://")), discovery
    assert discovery["revocation_endpoint"].endswith("/api/v1/auth/revoke"), discovery
    assert discovery["introspection_endpoint"].endswith("/api/v1/auth/introspect"), discovery
    assert discovery["jwks_uri"].endswith(JWKS), discovery
    assert "RS256" in discovery["id_token_signing_alg_values_supported"], discovery
    assert "none" not in discovery["id_token_signing_alg_values_supported"], discovery


def test_discovery_urls_are_reachable(discovery, jwks_response):
    """jwks_uri is built from PUBLIC_URL (the runner sets it to the nginx address) and serves the same keys."""
    resp = requests.get(discovery["jwks_uri"], timeout=TIMEOUT)
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == jwks_response.json()


def test_issuer_is_the_tokens_iss(api, user, discovery):
    tokens = login(api, user)
    assert tokens.access_claims["iss"] == discovery["issuer"]
    assert tokens.refresh_claims["iss"] == discovery["issuer"]
