"""PATCH /api/v1/auth/password-change/<user_id>."""

import uuid

from conftest import (
    AUTH, MSG_REVOKED, describe, expect_error_json, expect_json, expect_message, expect_msg,
    expect_tokens, login, login_response, refresh, verify,
)

NEW_PASSWORD = "Brand-New-Password-77"


def change(api, user_id, tokens, body):
    return api.patch(f"{AUTH}/password-change/{user_id}", token=tokens.access, json=body)


def test_someone_elses_account(api, user, other_user, session_tokens):
    resp = change(api, other_user.id, session_tokens, {"old_password": other_user.password, "new_password": NEW_PASSWORD})
    expect_message(resp, 400, "This account does not belong to you!")
    login(api, other_user)  # the other user's password is unchanged


def test_wrong_old_password(api, user, session_tokens):
    resp = change(api, user.id, session_tokens, {"old_password": "not-my-password", "new_password": NEW_PASSWORD})
    expect_message(resp, 400, "User not exists or password is wrong")
    login(api, user)


def test_success(api, user):
    current, other = login(api, user), login(api, user)
    resp = change(api, user.id, current, {"old_password": user.password, "new_password": NEW_PASSWORD})
    expect_message(resp, 201, "password changed successfully")
    # The new password logs in, the old one does not.
    expect_tokens(login_response(api, user.email, NEW_PASSWORD), 200)
    expect_message(login_response(api, user.email, user.password), 401, f"Email {user.email} or password is wrong")
    # Other sessions are revoked, the current one keeps working.
    expect_msg(verify(api, other.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, other.refresh), 401, MSG_REVOKED)
    assert verify(api, current.access).status_code == 200, "the session that changed the password stays"
    expect_tokens(refresh(api, current.refresh), 200)


def test_missing_fields(api, user, session_tokens):
    expect_message(change(api, user.id, session_tokens, {"old_password": user.password}), 400,
                   {"new_password": ["Missing data for required field."]})
    expect_message(change(api, user.id, session_tokens, {"new_password": NEW_PASSWORD}), 400,
                   {"old_password": ["Missing data for required field."]})


def test_unknown_field(api, user, session_tokens):
    resp = change(api, user.id, session_tokens,
                  {"old_password": user.password, "new_password": NEW_PASSWORD, "email": "x@example.com"})
    expect_message(resp, 400, {"email": ["Unknown field."]})
    login(api, user)  # unchanged


def test_non_string(api, user, session_tokens):
    resp = change(api, user.id, session_tokens, {"old_password": user.password, "new_password": 123456789})
    expect_message(resp, 400, {"new_password": ["Not a valid string."]})


def test_new_password_too_short(api, user, session_tokens):
    resp = change(api, user.id, session_tokens, {"old_password": user.password, "new_password": "short"})
    body = expect_json(resp, 400)
    assert isinstance(body["message"], dict) and body["message"], describe(resp)
    login(api, user)  # unchanged


def test_needs_an_access_token(api, user, session_tokens):
    resp = api.patch(f"{AUTH}/password-change/{user.id}", json={"old_password": user.password, "new_password": NEW_PASSWORD})
    expect_msg(resp, 401, "Missing Authorization Header")
    resp = api.patch(f"{AUTH}/password-change/{user.id}", token=session_tokens.refresh,
                     json={"old_password": user.password, "new_password": NEW_PASSWORD})
    expect_msg(resp, 422, "Only non-refresh tokens are allowed")


def test_non_uuid_user_id(api, session_tokens):
    resp = api.patch(f"{AUTH}/password-change/not-a-uuid", token=session_tokens.access,
                     json={"old_password": "x" * 10, "new_password": NEW_PASSWORD})
    expect_error_json(resp, 404)


def test_unknown_user_id(api, user, session_tokens):
    resp = change(api, str(uuid.uuid4()), session_tokens, {"old_password": user.password, "new_password": NEW_PASSWORD})
    expect_message(resp, 400, "This account does not belong to you!")
