"""GET/DELETE /api/v1/auth/sessions: one session per login, ended one by one or all at once."""

import uuid

from conftest import (
    MSG_REVOKED, SESSIONS, describe, expect_error_json, expect_json, expect_msg, expect_tokens, is_uuid, login,
    parse_utc_timestamp, refresh, verify,
)


def list_sessions(api, tokens):
    body = expect_json(api.get(SESSIONS, token=tokens.access), 200)
    assert set(body) == {"sessions"} and isinstance(body["sessions"], list), body
    return body["sessions"]


def test_list_shape_and_current_flag(api, user):
    laptop = login(api, user, user_agent="e2e-laptop/1.0")
    phone = login(api, user, user_agent="e2e-phone/2.0")
    sessions = list_sessions(api, phone)
    assert len(sessions) == 2, sessions
    for s in sessions:
        assert set(s) == {"id", "user_agent", "ip", "created_at", "refreshed_at", "current"}, s
        assert is_uuid(s["id"]), s
        parse_utc_timestamp(s["created_at"])
        if s["refreshed_at"] is not None:
            parse_utc_timestamp(s["refreshed_at"])
    by_id = {s["id"]: s for s in sessions}
    assert set(by_id) == {laptop.sid, phone.sid}, "a session id is the sid claim of its tokens"
    assert [s["id"] for s in sessions if s["current"] is True] == [phone.sid], "exactly one current session"
    assert by_id[laptop.sid]["current"] is False
    assert by_id[laptop.sid]["user_agent"] == "e2e-laptop/1.0"
    assert by_id[phone.sid]["user_agent"] == "e2e-phone/2.0"


def test_client_cannot_choose_its_ip(api, user):
    """nginx overwrites X-Real-IP and X-Forwarded-For with the TCP peer."""
    tokens = login(api, user, headers={"X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.7"})
    (session,) = list_sessions(api, tokens)
    assert session["ip"] == "127.0.0.1", session


def test_sessions_of_other_users_are_not_listed(api, user, other_user):
    login(api, other_user)
    tokens = login(api, user)
    assert [s["id"] for s in list_sessions(api, tokens)] == [tokens.sid]


def test_refresh_keeps_the_session(api, user):
    tokens = login(api, user)
    rotated = expect_tokens(refresh(api, tokens.refresh), 200)
    sessions = list_sessions(api, rotated)
    assert [s["id"] for s in sessions] == [tokens.sid], sessions
    assert sessions[0]["current"] is True
    assert sessions[0]["refreshed_at"] is not None


def test_end_another_session(api, user):
    laptop, phone = login(api, user), login(api, user)
    resp = api.delete(f"{SESSIONS}/{laptop.sid}", token=phone.access)
    assert resp.status_code == 204, describe(resp)
    assert resp.content == b"", describe(resp)
    expect_msg(verify(api, laptop.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, laptop.refresh), 401, MSG_REVOKED)
    assert verify(api, phone.access).status_code == 200
    assert [s["id"] for s in list_sessions(api, phone)] == [phone.sid]


def test_end_the_current_session(api, user):
    tokens = login(api, user)
    assert api.delete(f"{SESSIONS}/{tokens.sid}", token=tokens.access).status_code == 204
    expect_msg(verify(api, tokens.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)


def test_end_unknown_session(api, session_tokens):
    expect_error_json(api.delete(f"{SESSIONS}/{uuid.uuid4()}", token=session_tokens.access), 404)


def test_end_another_users_session(api, user, other_user):
    victim = login(api, other_user)
    tokens = login(api, user)
    expect_error_json(api.delete(f"{SESSIONS}/{victim.sid}", token=tokens.access), 404)
    assert verify(api, victim.access).status_code == 200, "the other user's session must survive"


def test_end_session_with_non_uuid_id(api, session_tokens):
    expect_error_json(api.delete(f"{SESSIONS}/not-a-uuid", token=session_tokens.access), 404)


def test_end_all_sessions(api, user, other_user):
    first, second, third = login(api, user), login(api, user), login(api, user)
    bystander = login(api, other_user)
    resp = api.delete(SESSIONS, token=second.access)
    assert resp.status_code == 204, describe(resp)
    for tokens in (first, second, third):
        expect_msg(verify(api, tokens.access), 401, MSG_REVOKED)
        expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)
    assert verify(api, bystander.access).status_code == 200
    # A new login works and sees only itself.
    fresh = login(api, user)
    assert [s["id"] for s in list_sessions(api, fresh)] == [fresh.sid]


def test_sessions_need_an_access_token(api, session_tokens):
    expect_msg(api.get(SESSIONS), 401, "Missing Authorization Header")
    expect_msg(api.get(SESSIONS, token=session_tokens.refresh), 422, "Only non-refresh tokens are allowed")
    expect_msg(api.delete(SESSIONS), 401, "Missing Authorization Header")
