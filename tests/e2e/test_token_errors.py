"""R2: token errors use `msg` and the exact texts of the original, in the original's order."""

import pytest

from conftest import (
    HELLO, LOGOUT, MSG_BAD_HEADER, MSG_BAD_SIGNATURE, MSG_MISSING_HEADER, MSG_NOT_BEARER,
    MSG_NOT_ENOUGH_SEGMENTS, MSG_ONLY_ACCESS, MSG_ONLY_REFRESH, MSG_REVOKED, REFRESH, VERIFY,
    b64url, b64url_decode, describe, expect_json, expect_msg, login, logout,
)

ACCESS_ENDPOINTS = [VERIFY, HELLO]


def flip_signature_byte(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{b64url(bytes(raw))}"


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
def test_no_authorization_header(api, path):
    expect_msg(api.get(path), 401, MSG_MISSING_HEADER)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
@pytest.mark.parametrize("value", ["Token x", "Basic dXNlcjpwYXNz", "JWT abc.def.ghi"])
def test_not_bearer(api, path, value):
    expect_msg(api.get(path, headers={"Authorization": value}), 401, MSG_NOT_BEARER)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
@pytest.mark.parametrize("value", ["Bearer a b", "Bearer a b c"])
def test_more_than_two_parts(api, path, value):
    expect_msg(api.get(path, headers={"Authorization": value}), 422, MSG_BAD_HEADER)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
def test_not_enough_segments(api, path):
    expect_msg(api.get(path, headers={"Authorization": "Bearer abc"}), 422, MSG_NOT_ENOUGH_SEGMENTS)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
@pytest.mark.parametrize("value", ["a.b.c", "a.b", "....", "eyJhbGciOiJSUzI1NiJ9.e30.", "%%%.%%%.%%%"])
def test_malformed_token_is_422_with_msg(api, path, value):
    resp = api.get(path, headers={"Authorization": f"Bearer {value}"})
    body = expect_json(resp, 422)
    assert set(body) == {"msg"} and isinstance(body["msg"], str) and body["msg"], describe(resp)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
def test_flipped_signature_byte(api, path, session_tokens):
    tampered = flip_signature_byte(session_tokens.access)
    expect_msg(api.get(path, token=tampered), 422, MSG_BAD_SIGNATURE)
    assert api.get(path, token=session_tokens.access).status_code == 200


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
def test_refresh_token_where_an_access_token_is_needed(api, path, session_tokens):
    expect_msg(api.get(path, token=session_tokens.refresh), 422, MSG_ONLY_ACCESS)


def test_access_token_on_refresh(api, session_tokens):
    expect_msg(api.post(REFRESH, token=session_tokens.access), 422, MSG_ONLY_REFRESH)


def test_access_token_on_logout(api, session_tokens):
    expect_msg(api.delete(LOGOUT, token=session_tokens.access), 422, MSG_ONLY_REFRESH)
    # ...and it did not log anything out.
    assert api.get(VERIFY, token=session_tokens.access).status_code == 200


def test_refresh_endpoint_without_header(api):
    expect_msg(api.post(REFRESH), 401, MSG_MISSING_HEADER)


def test_logout_endpoint_without_header(api):
    expect_msg(api.delete(LOGOUT), 401, MSG_MISSING_HEADER)


@pytest.mark.parametrize("path", ACCESS_ENDPOINTS)
def test_access_token_after_logout(api, user, path):
    tokens = login(api, user)
    expect_json(logout(api, tokens.refresh), 200)
    expect_msg(api.get(path, token=tokens.access), 401, MSG_REVOKED)


def test_type_check_comes_before_revocation(api, user):
    """Order: decode and verify -> type check -> revocation check."""
    tokens = login(api, user)
    expect_json(logout(api, tokens.refresh), 200)
    expect_msg(api.get(VERIFY, token=tokens.refresh), 422, MSG_ONLY_ACCESS)
    expect_msg(api.post(REFRESH, token=tokens.access), 422, MSG_ONLY_REFRESH)


def test_signature_check_comes_before_type_check(api, session_tokens):
    expect_msg(api.get(VERIFY, token=flip_signature_byte(session_tokens.refresh)), 422, MSG_BAD_SIGNATURE)


@pytest.mark.skip(reason="an expired token needs the signing key or an hour's wait; covered by unit tests")
def test_expired_token():
    pass
