"""Shared HTTP helpers of the black-box suite.

Every request goes through nginx (AUTH_BASE_URL) unless a test says otherwise and uses `direct`
(AUTH_DIRECT_URL, the service itself). tests/e2e/run starts the stack and sets both. Each test makes
its own users (uuid-based emails), so tests are independent and can run in any order.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

import jwt
import pytest
import requests

BASE_URL = os.environ.get("AUTH_BASE_URL", "").rstrip("/")
DIRECT_URL = os.environ.get("AUTH_DIRECT_URL", "").rstrip("/")
TIMEOUT = float(os.environ.get("E2E_HTTP_TIMEOUT", "30"))
GRACE_SECONDS = float(os.environ.get("E2E_REFRESH_GRACE_SECONDS", "10"))
# Made by tests/e2e/run with `auth create superuser` before the service starts (unique per run).
SUPERUSER_EMAIL = os.environ.get("E2E_SUPERUSER_EMAIL", "")
SUPERUSER_PASSWORD = os.environ.get("E2E_SUPERUSER_PASSWORD", "")
# tests/e2e/run greps the service's and nginx's logs for every line of this file after the suite.
SECRETS_FILE = os.environ.get("E2E_SECRETS_FILE", "")

PASSWORD = "Correct-Horse-Battery-42"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NGINX_REQUEST_ID_RE = re.compile(r"^[0-9a-f]{32}$")

AUTH = "/api/v1/auth"
SIGNUP = f"{AUTH}/signup"
LOGIN = f"{AUTH}/login"
REFRESH = f"{AUTH}/refresh-token"
LOGOUT = f"{AUTH}/logout"
VERIFY = f"{AUTH}/verify-jwt"
HELLO = f"{AUTH}/hello"
ME = f"{AUTH}/me"
SESSIONS = f"{AUTH}/sessions"
REVOKE = f"{AUTH}/revoke"
INTROSPECT = f"{AUTH}/introspect"
JWKS = "/.well-known/jwks.json"
ROLES = "/api/v1/roles"
USERS = "/api/v1/users"
DISCOVERY = "/.well-known/openid-configuration"

# R2 texts, byte-exact.
MSG_MISSING_HEADER = "Missing Authorization Header"
MSG_NOT_BEARER = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
MSG_BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
MSG_BAD_SIGNATURE = "Signature verification failed"
MSG_NOT_ENOUGH_SEGMENTS = "Not enough segments"
MSG_REVOKED = "Token has been revoked"
MSG_ONLY_REFRESH = "Only refresh tokens are allowed"
MSG_ONLY_ACCESS = "Only non-refresh tokens are allowed"
TOKENS_GENERATED = "JWT tokens were generated"
MSG_ACCESS_ERROR = "Access error."
MSG_TOO_MANY_REQUESTS = "too many requests"


class Client:
    """A thin requests wrapper bound to one base URL; `token` becomes `Authorization: Bearer <token>`."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method, path, *, token=None, headers=None, **kwargs):
        all_headers = {}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        if headers:
            all_headers.update(headers)
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        resp = self.session.request(method, self.base_url + path, headers=all_headers, **kwargs)
        record_secrets(all_headers, kwargs.get("json"), resp)
        return resp

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


# Request fields whose values are passwords, response fields whose values are tokens.
SECRET_REQUEST_FIELDS = ("password", "old_password", "new_password", "client_secret")
SECRET_RESPONSE_FIELDS = ("access_token", "refresh_token")
# Shorter values (test inputs such as "x" or "") would match unrelated log text.
MIN_SECRET_LENGTH = 8


def record_secrets(headers: dict, body, resp: requests.Response):
    """Appends every password sent and token used or issued to SECRETS_FILE (one per line)."""
    if not SECRETS_FILE:
        return
    found = []
    authorization = headers.get("Authorization", "")
    if " " in authorization:
        found.append(authorization.split(" ", 1)[1])
    if isinstance(body, dict):
        found += [body[field] for field in SECRET_REQUEST_FIELDS if isinstance(body.get(field), str)]
    try:
        answer = resp.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        found += [answer[field] for field in SECRET_RESPONSE_FIELDS if isinstance(answer.get(field), str)]
    found = [value for value in found if len(value) >= MIN_SECRET_LENGTH and "\n" not in value]
    if found:
        with open(SECRETS_FILE, "a", encoding="utf-8") as out:
            out.writelines(value + "\n" for value in found)


def _require(url: str, name: str) -> str:
    if not url:
        pytest.fail(f"{name} is not set: run the suite with tests/e2e/run <auth binary>", pytrace=False)
    return url


@pytest.fixture(scope="session")
def api() -> Client:
    """Through nginx: what every client of the production stack sees."""
    return Client(_require(BASE_URL, "AUTH_BASE_URL"))


@pytest.fixture(scope="session")
def direct() -> Client:
    """Straight to the service (no nginx, so no X-Request-Id unless the test sends one)."""
    return Client(_require(DIRECT_URL, "AUTH_DIRECT_URL"))


# --- response checks -------------------------------------------------------------------------------


def describe(resp: requests.Response) -> str:
    return f"{resp.request.method} {resp.request.path_url} -> {resp.status_code} {resp.headers.get('Content-Type')!r} {resp.text[:500]!r}"


def expect_json(resp: requests.Response, status: int):
    """The status and a JSON body (R1/R5: every answer, errors included, is JSON); returns the body."""
    assert resp.status_code == status, describe(resp)
    content_type = resp.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), describe(resp)
    try:
        return resp.json()
    except ValueError:
        pytest.fail(f"body is not JSON: {describe(resp)}")


def expect_message(resp: requests.Response, status: int, message):
    """`{"message": <message>}` exactly (business errors and validation errors)."""
    body = expect_json(resp, status)
    assert body == {"message": message}, describe(resp)
    return body


def expect_msg(resp: requests.Response, status: int, msg: str):
    """`{"msg": <msg>}` exactly (token errors, R2)."""
    body = expect_json(resp, status)
    assert body == {"msg": msg}, describe(resp)
    return body


def expect_error_json(resp: requests.Response, status: int):
    """An error answer with a JSON object body (texts not fixed by the SPEC)."""
    body = expect_json(resp, status)
    assert isinstance(body, dict) and body, describe(resp)
    return body


def expect_tokens(resp: requests.Response, status: int = 200):
    """Login/refresh shape, exactly, with `Cache-Control: no-store`; returns a Tokens."""
    body = expect_json(resp, status)
    assert set(body) == {"message", "tokens"}, describe(resp)
    assert body["message"] == TOKENS_GENERATED, describe(resp)
    assert set(body["tokens"]) == {"access_token", "refresh_token"}, describe(resp)
    access, refresh = body["tokens"]["access_token"], body["tokens"]["refresh_token"]
    assert isinstance(access, str) and access.count(".") == 2, describe(resp)
    assert isinstance(refresh, str) and refresh.count(".") == 2, describe(resp)
    assert "no-store" in resp.headers.get("Cache-Control", ""), f"Cache-Control: {describe(resp)}"
    return Tokens(access, refresh)


def is_uuid(value) -> bool:
    return isinstance(value, str) and bool(UUID_RE.match(value))


def parse_utc_timestamp(value) -> datetime:
    """R6: ISO-8601 UTC ('Z' or +00:00; a naive time is taken as UTC)."""
    assert isinstance(value, str), value
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        assert parsed.utcoffset().total_seconds() == 0, f"not UTC: {value}"
    else:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# --- accounts and tokens ---------------------------------------------------------------------------


def unique_email(prefix: str = "user") -> str:
    return f"e2e-{prefix}-{uuid.uuid4().hex[:20]}@example.com"


@dataclass
class Tokens:
    access: str
    refresh: str

    @property
    def access_claims(self) -> dict:
        return claims(self.access)

    @property
    def refresh_claims(self) -> dict:
        return claims(self.refresh)

    @property
    def sid(self):
        return self.access_claims.get("sid")


@dataclass
class User:
    id: str
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str
    signup_profile: dict

    def profile_id(self, api: Client, tokens: Optional[Tokens] = None) -> str:
        """The profile id: from the signup answer when it has one, else from /me."""
        if is_uuid(self.signup_profile.get("id")):
            return self.signup_profile["id"]
        tokens = tokens or login(api, self)
        body = expect_json(api.get(ME, token=tokens.access), 200)
        assert is_uuid(body["profile"]["id"]), body
        return body["profile"]["id"]


def signup(api: Client, email: Optional[str] = None, password: str = PASSWORD, **profile) -> User:
    email = email or unique_email()
    suffix = uuid.uuid4().hex[:6]
    profile.setdefault("first_name", f"First{suffix}")
    profile.setdefault("last_name", f"Last{suffix}")
    profile.setdefault("phone", f"+7999{suffix[:6]}")
    resp = api.post(SIGNUP, json={"email": email, "password": password, **profile})
    body = expect_json(resp, 201)
    user_part, profile_part = body["result"]
    return User(
        id=user_part["id"],
        email=email,
        password=password,
        first_name=profile["first_name"],
        last_name=profile["last_name"],
        phone=profile["phone"],
        signup_profile=profile_part,
    )


def login_response(api: Client, email: str, password: str, user_agent: Optional[str] = None, headers=None):
    all_headers = dict(headers or {})
    if user_agent is not None:
        all_headers["User-Agent"] = user_agent
    return api.post(LOGIN, json={"email": email, "password": password}, headers=all_headers)


def login(api: Client, user: User, password: Optional[str] = None, user_agent: Optional[str] = None, headers=None) -> Tokens:
    resp = login_response(api, user.email, password or user.password, user_agent, headers)
    return expect_tokens(resp, 200)


def refresh(api: Client, refresh_token: str):
    return api.post(REFRESH, token=refresh_token)


def logout(api: Client, refresh_token: str):
    return api.delete(LOGOUT, token=refresh_token)


def verify(api: Client, access_token: str):
    return api.get(VERIFY, token=access_token)


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def jose_header(token: str) -> dict:
    return jwt.get_unverified_header(token)


@dataclass
class Superuser:
    id: str
    email: str
    password: str
    tokens: Tokens


@pytest.fixture(scope="session")
def superuser(api) -> Superuser:
    """The runner's superuser (is_superuser, no roles), logged in once for the session."""
    email = _require(SUPERUSER_EMAIL, "E2E_SUPERUSER_EMAIL")
    password = _require(SUPERUSER_PASSWORD, "E2E_SUPERUSER_PASSWORD")
    tokens = expect_tokens(login_response(api, email, password), 200)
    body = expect_json(verify(api, tokens.access), 200)
    assert body["is_superuser"] is True, body
    return Superuser(id=body["id"], email=email, password=password, tokens=tokens)


@pytest.fixture
def user(api) -> User:
    return signup(api)


@pytest.fixture
def other_user(api) -> User:
    return signup(api)


@pytest.fixture
def session_tokens(api, user) -> Tokens:
    return login(api, user)


# --- JOSE helpers for forged tokens ----------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_json(obj) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def compact(header: dict, payload: dict, sign) -> str:
    """A JWS compact token whose signature is sign(signing_input_bytes) (bytes)."""
    signing_input = f"{b64url_json(header)}.{b64url_json(payload)}"
    return f"{signing_input}.{b64url(sign(signing_input.encode('ascii')))}"


def hs256_signer(secret: bytes):
    return lambda data: hmac.new(secret, data, hashlib.sha256).digest()


def rs256_signer(private_key):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return lambda data: private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())


@pytest.fixture(scope="session")
def attacker_rsa_key():
    """An RSA key the service has never seen (generated once: RSA generation is slow)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
