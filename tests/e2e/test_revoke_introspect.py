"""POST /api/v1/auth/revoke (RFC 7009) and /api/v1/auth/introspect (RFC 7662)."""

import os

import pytest

from conftest import (
    INTROSPECT, MSG_REVOKED, REVOKE, describe, expect_error_json, expect_json, expect_msg, expect_tokens, login,
    refresh, verify,
)


def test_revoke_refresh_token_form_body(api, user):
    tokens = login(api, user)
    resp = api.post(REVOKE, data={"token": tokens.refresh})
    assert resp.status_code == 200, describe(resp)
    expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)


def test_revoke_refresh_token_with_hint(api, user):
    tokens = login(api, user)
    resp = api.post(REVOKE, data={"token": tokens.refresh, "token_type_hint": "refresh_token"})
    assert resp.status_code == 200, describe(resp)
    expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)


def test_revoke_access_token_json_body(api, user):
    tokens = login(api, user)
    resp = api.post(REVOKE, json={"token": tokens.access})
    assert resp.status_code == 200, describe(resp)
    expect_msg(verify(api, tokens.access), 401, MSG_REVOKED)


def test_revoke_one_session_only(api, user):
    revoked, kept = login(api, user), login(api, user)
    assert api.post(REVOKE, data={"token": revoked.refresh}).status_code == 200
    expect_tokens(refresh(api, kept.refresh), 200)


def test_revoke_without_token(api):
    expect_error_json(api.post(REVOKE, data={}), 400)
    expect_error_json(api.post(REVOKE, data={"token_type_hint": "refresh_token"}), 400)
    expect_error_json(api.post(REVOKE, json={}), 400)


@pytest.mark.parametrize("garbage", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_revoke_garbage_is_200(api, garbage):
    resp = api.post(REVOKE, data={"token": garbage})
    assert resp.status_code == 200, describe(resp)


def test_revoke_twice_is_200(api, user):
    tokens = login(api, user)
    assert api.post(REVOKE, data={"token": tokens.refresh}).status_code == 200
    assert api.post(REVOKE, data={"token": tokens.refresh}).status_code == 200


def test_introspect_without_credentials(api, session_tokens):
    expect_error_json(api.post(INTROSPECT, data={"token": session_tokens.access}), 401)


def test_introspect_with_wrong_credentials(api, session_tokens):
    expect_error_json(api.post(INTROSPECT, data={"token": session_tokens.access}, auth=("e2e-introspector", "wrong")), 401)
    expect_error_json(api.post(INTROSPECT, data={"token": session_tokens.access}, auth=("nobody", "nothing")), 401)


@pytest.fixture
def introspector():
    client, secret = os.environ.get("E2E_INTROSPECTION_CLIENT"), os.environ.get("E2E_INTROSPECTION_SECRET")
    if not client or not secret:
        pytest.skip("the runner configures INTROSPECTION_CLIENTS; not set here")
    return client, secret


def test_introspect_live_access_token(api, user, session_tokens, introspector):
    body = expect_json(api.post(INTROSPECT, data={"token": session_tokens.access}, auth=introspector), 200)
    assert body.get("active") is True, body
    assert body.get("sub") == user.id, body


def test_introspect_revoked_and_garbage_tokens(api, user, introspector):
    tokens = login(api, user)
    api.delete("/api/v1/auth/logout", token=tokens.refresh)
    assert expect_json(api.post(INTROSPECT, data={"token": tokens.access}, auth=introspector), 200) == {"active": False}
    assert expect_json(api.post(INTROSPECT, data={"token": "garbage"}, auth=introspector), 200) == {"active": False}
