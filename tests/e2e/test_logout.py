"""DELETE /api/v1/auth/logout: revokes this session's refresh and access tokens, only those."""

from conftest import (
    HELLO, MSG_REVOKED, describe, expect_message, expect_msg, expect_tokens, login, logout, refresh, verify,
)


def test_logout_revokes_the_sessions_tokens(api, user):
    tokens = login(api, user)
    expect_message(logout(api, tokens.refresh), 200, "Access token revoked")
    expect_msg(verify(api, tokens.access), 401, MSG_REVOKED)
    expect_msg(api.get(HELLO, token=tokens.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)


def test_second_logout_with_the_same_token_is_revoked(api, user):
    tokens = login(api, user)
    expect_message(logout(api, tokens.refresh), 200, "Access token revoked")
    expect_msg(logout(api, tokens.refresh), 401, MSG_REVOKED)


def test_logout_leaves_other_sessions_alone(api, user):
    device_a, device_b = login(api, user), login(api, user)
    expect_message(logout(api, device_a.refresh), 200, "Access token revoked")
    resp = verify(api, device_b.access)
    assert resp.status_code == 200, describe(resp)
    expect_tokens(refresh(api, device_b.refresh), 200)


def test_logout_after_a_rotation_revokes_the_current_pair(api, user):
    first = login(api, user)
    second = expect_tokens(refresh(api, first.refresh), 200)
    expect_message(logout(api, second.refresh), 200, "Access token revoked")
    expect_msg(verify(api, second.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, second.refresh), 401, MSG_REVOKED)
    # The retry of the rotated-away token must not bring the session back.
    resp = refresh(api, first.refresh)
    assert resp.status_code == 401, describe(resp)
