"""POST /api/v1/auth/login: tokens, Cache-Control, failures that do not enumerate, login history."""

import pytest

from conftest import (
    AUTH, LOGIN, describe, expect_json, expect_message, expect_tokens, is_uuid, login,
    login_response, unique_email, verify,
)


def history(api, user, tokens, **params):
    resp = api.get(f"{AUTH}/login-history/{user.id}", token=tokens.access, params=params)
    return expect_json(resp, 200)


def test_login_returns_tokens_with_no_store(api, user):
    resp = login_response(api, user.email, user.password)
    tokens = expect_tokens(resp, 200)
    assert resp.headers["Content-Type"].startswith("application/json")
    access, refresh_claims = tokens.access_claims, tokens.refresh_claims
    assert access["sub"] == user.id and refresh_claims["sub"] == user.id
    assert access["type"] == "access" and refresh_claims["type"] == "refresh"
    assert expect_json(verify(api, tokens.access), 200)["id"] == user.id


def test_every_login_issues_new_tokens_and_a_new_session(api, user):
    first, second = login(api, user), login(api, user)
    assert first.access != second.access and first.refresh != second.refresh
    assert first.access_claims["jti"] != second.access_claims["jti"]
    assert first.sid != second.sid
    expect_json(verify(api, first.access), 200)
    expect_json(verify(api, second.access), 200)


def test_wrong_password(api, user):
    resp = login_response(api, user.email, user.password + "x")
    expect_message(resp, 401, f"Email {user.email} or password is wrong")


def test_unknown_email(api):
    email = unique_email("nobody")
    resp = login_response(api, email, "Whatever-Password-1")
    expect_message(resp, 401, f"Email {email} or password is wrong")


def test_failed_logins_write_no_history(api, user):
    login_response(api, user.email, "wrong-password-123")
    tokens = login(api, user)
    body = history(api, user, tokens)
    assert body["total_items"] == 1, body


def test_login_history_shows_the_user_agent(api, user):
    agent = "e2e-agent/1.0 (history check)"
    tokens = login(api, user, user_agent=agent)
    body = history(api, user, tokens)
    assert body["total_items"] == 1, body
    assert [item["user_agent"] for item in body["result"]] == [agent], body


@pytest.mark.parametrize("agent", ["'); DROP TABLE login_histories;--", "<script>alert(1)</script>",
                                   "Mozilla/5.0 \"quoted\" \\ back\tslash"])
def test_odd_user_agents_round_trip_verbatim(api, user, agent):
    tokens = login(api, user, user_agent=agent)
    body = history(api, user, tokens)
    assert body["result"][0]["user_agent"] == agent, body


def test_missing_password(api, user):
    resp = api.post(LOGIN, json={"email": user.email})
    expect_message(resp, 400, {"password": ["Missing data for required field."]})


def test_missing_email(api):
    resp = api.post(LOGIN, json={"password": "Whatever-Password-1"})
    expect_message(resp, 400, {"email": ["Missing data for required field."]})


def test_non_string_password(api, user):
    resp = api.post(LOGIN, json={"email": user.email, "password": 12345678})
    expect_message(resp, 400, {"password": ["Not a valid string."]})


def test_unknown_field_is_rejected(api, user):
    resp = api.post(LOGIN, json={"email": user.email, "password": user.password, "remember_me": True})
    expect_message(resp, 400, {"remember_me": ["Unknown field."]})


def test_profile_keys_are_tolerated(api, user):
    resp = api.post(LOGIN, json={"email": user.email, "password": user.password,
                                 "first_name": "A", "last_name": "B", "phone": "1"})
    tokens = expect_tokens(resp, 200)
    assert tokens.access_claims["sub"] == user.id


def test_malformed_json(api):
    resp = api.post(LOGIN, data=b'{"email": ', headers={"Content-Type": "application/json"})
    body = expect_json(resp, 400)
    assert isinstance(body, dict) and body, describe(resp)


def test_claims_of_the_pair(api, user):
    tokens = login(api, user)
    access, refresh = tokens.access_claims, tokens.refresh_claims
    for c in (access, refresh):
        for key in ("iat", "nbf", "exp", "jti", "type", "sub", "iss", "sid"):
            assert key in c, f"claim {key} missing: {c}"
        assert c["fresh"] is False
        assert is_uuid(c["jti"])
        assert c["exp"] > c["iat"]
    assert refresh["at"] == access["jti"], "the refresh token names its paired access token"
    assert access["sid"] == refresh["sid"]
    assert access["jti"] != refresh["jti"]
    assert access["roles"] == [] and access["is_superuser"] is False
    assert 3600 - 120 <= access["exp"] - access["iat"] <= 3600 + 120, "access lifetime defaults to 1 hour"
    assert refresh["exp"] - refresh["iat"] >= 29 * 24 * 3600, "refresh lifetime defaults to 30 days"
