"""SPEC 4 during a switch-over (JWT_ALGORITHM=HS256 with the original's JWT_SECRET_KEY): the original's
tokens work here, and the tokens it revoked stay revoked, although its denylist (the raw jti as a key
in Redis database 0, one-hour TTL) forgets them long before its refresh tokens expire."""

import time
import uuid
from datetime import datetime, timedelta

import jwt
import pytest

from conftest import AUTH, IVAN, hs256_secret
from postgres import query

REVOKED = {"msg": "Token has been revoked"}


@pytest.fixture
def secret():
    return hs256_secret()


@pytest.fixture
def switchover(adopted, serve, secret):
    return serve(adopted, JWT_ALGORITHM="HS256", JWT_SECRET_KEY=secret, ORIGINAL_DENYLIST_IMPORT_SECONDS=1)


def original_token(secret, kind, user_id=IVAN[2], lifetime=timedelta(hours=1)):
    """A token as flask-jwt-extended 4.4 signs it for the original: no iss, no sid, no kid."""
    now = int(time.time())
    claims = {"fresh": False, "iat": now, "jti": str(uuid.uuid4()), "type": kind, "sub": user_id,
              "nbf": now, "exp": now + int(lifetime.total_seconds())}
    return jwt.encode(claims, secret, algorithm="HS256"), claims


def test_the_originals_tokens_verify_and_its_refresh_token_rotates(switchover, secret):
    access, _ = original_token(secret, "access")
    refresh, _ = original_token(secret, "refresh", lifetime=timedelta(days=30))
    verified = switchover.request("GET", f"{AUTH}/verify-jwt", token=access)
    assert verified.status_code == 200, verified.text
    assert verified.json()["roles"] == ["subscriber"]
    rotated = switchover.request("POST", f"{AUTH}/refresh-token", token=refresh)
    assert rotated.status_code == 200, rotated.text
    successor = rotated.json()["tokens"]["access_token"]
    assert switchover.request("GET", f"{AUTH}/verify-jwt", token=successor).status_code == 200


def test_a_token_the_original_revoked_is_refused_here_and_stays_refused(switchover, secret, original_redis):
    access, access_claims = original_token(secret, "access")
    refresh, refresh_claims = original_token(secret, "refresh", lifetime=timedelta(days=30))
    # What the original's logout and refresh write: the jti, raw, in its database 0, for an hour.
    original_redis.set(access_claims["jti"], "", ex=3600)
    original_redis.set(refresh_claims["jti"], "", ex=3600)
    try:
        refused = switchover.request("GET", f"{AUTH}/verify-jwt", token=access)
        assert refused.status_code == 401 and refused.json() == REVOKED
        refused = switchover.request("POST", f"{AUTH}/refresh-token", token=refresh)
        assert refused.status_code == 401 and refused.json() == REVOKED
    finally:
        original_redis.delete(access_claims["jti"], refresh_claims["jti"])
    # The original's keys are gone (as after their hour): still refused, from our durable record.
    assert switchover.request("GET", f"{AUTH}/verify-jwt", token=access).json() == REVOKED
    assert switchover.request("POST", f"{AUTH}/refresh-token", token=refresh).json() == REVOKED
    (expires,) = query(switchover.database_url, "SELECT expires_at FROM revoked_token WHERE jti = %s",
                       (refresh_claims["jti"],))
    assert abs(expires[0] - datetime.utcfromtimestamp(refresh_claims["exp"])) < timedelta(seconds=2)


def test_a_revoked_refresh_token_nobody_presented_within_the_hour_is_never_usable(switchover, secret,
                                                                                   original_redis):
    refresh, claims = original_token(secret, "refresh", lifetime=timedelta(days=30))
    # Logged out in the original 10 minutes ago: 50 minutes left on its key.
    original_redis.set(claims["jti"], "", ex=3000)
    try:
        deadline = time.monotonic() + 30
        rows = []
        while time.monotonic() < deadline and not rows:
            rows = query(switchover.database_url, "SELECT expires_at FROM revoked_token WHERE jti = %s",
                         (claims["jti"],))
            time.sleep(0.2)
        assert rows, "the periodic import copied the original's denylist"
        # Kept until the latest expiry of a token revoked then: 30 days after its revocation.
        expected = datetime.utcnow() - timedelta(minutes=10) + timedelta(days=30)
        assert abs(rows[0][0] - expected) < timedelta(seconds=30)
    finally:
        original_redis.delete(claims["jti"])
    refused = switchover.request("POST", f"{AUTH}/refresh-token", token=refresh)
    assert refused.status_code == 401 and refused.json() == REVOKED


def test_keys_that_are_not_jtis_are_left_alone(switchover, original_redis):
    name = f"not-a-jti-{uuid.uuid4().hex}"
    original_redis.set(name, "x", ex=60)
    try:
        time.sleep(2.5)
        assert query(switchover.database_url, "SELECT count(*) FROM revoked_token") == [(0,)]
        assert original_redis.get(name) == b"x"
    finally:
        original_redis.delete(name)


def test_without_the_switch_over_the_originals_denylist_is_not_read(adopted, serve, original_redis):
    service = serve(adopted)  # RS256: the original's tokens are not accepted at all
    jti = str(uuid.uuid4())
    original_redis.set(jti, "", ex=60)
    try:
        time.sleep(1.5)
        assert query(adopted, "SELECT count(*) FROM revoked_token WHERE jti = %s", (jti,)) == [(0,)]
    finally:
        original_redis.delete(jti)
    assert service.request("GET", "/healthz").status_code == 200
