"""PATCH /api/v1/auth/profile-change/<profile_id>."""

import uuid

from conftest import AUTH, ME, VERIFY, describe, expect_error_json, expect_json, expect_message, login


def change(api, profile_id, tokens, body):
    return api.patch(f"{AUTH}/profile-change/{profile_id}", token=tokens.access, json=body)


def test_change_own_profile(api, user, session_tokens):
    profile_id = user.profile_id(api, session_tokens)
    resp = change(api, profile_id, session_tokens, {"first_name": "Grace", "last_name": "Hopper", "phone": "+1 555 0100"})
    expect_message(resp, 201, "profile changed successfully")
    me = expect_json(api.get(ME, token=session_tokens.access), 200)
    assert me["profile"] == {"id": profile_id, "first_name": "Grace", "last_name": "Hopper", "phone": "+1 555 0100"}


def test_partial_change_keeps_the_other_fields(api, user, session_tokens):
    profile_id = user.profile_id(api, session_tokens)
    expect_message(change(api, profile_id, session_tokens, {"phone": "+7 000"}), 201, "profile changed successfully")
    me = expect_json(api.get(ME, token=session_tokens.access), 200)
    assert (me["profile"]["first_name"], me["profile"]["last_name"], me["profile"]["phone"]) == (
        user.first_name, user.last_name, "+7 000")


def test_someone_elses_profile(api, user, other_user, session_tokens):
    other_profile = other_user.profile_id(api)
    resp = change(api, other_profile, session_tokens, {"first_name": "Mallory"})
    expect_message(resp, 400, "This profile does not belong to you!")
    other_me = expect_json(api.get(ME, token=login(api, other_user).access), 200)
    assert other_me["profile"]["first_name"] == other_user.first_name


def test_unknown_profile(api, session_tokens):
    resp = change(api, str(uuid.uuid4()), session_tokens, {"first_name": "Nobody"})
    expect_message(resp, 400, "Profile not exists.")


def test_non_uuid_profile_id(api, session_tokens):
    expect_error_json(change(api, "not-a-uuid", session_tokens, {"first_name": "X"}), 404)
    expect_error_json(change(api, "1", session_tokens, {"first_name": "X"}), 404)


def test_user_id_is_not_a_profile_id(api, user, session_tokens):
    if user.id == user.profile_id(api, session_tokens):
        return
    resp = change(api, user.id, session_tokens, {"first_name": "X"})
    expect_message(resp, 400, "Profile not exists.")


def test_non_string_field(api, user, session_tokens):
    resp = change(api, user.profile_id(api, session_tokens), session_tokens, {"first_name": 42})
    expect_message(resp, 400, {"first_name": ["Not a valid string."]})


def test_cannot_escalate_through_the_profile(api, user, session_tokens):
    """Extra keys are rejected or ignored, never applied (mass assignment)."""
    resp = change(api, user.profile_id(api, session_tokens), session_tokens,
                  {"first_name": "Eve", "is_superuser": True, "email": "admin@example.com", "roles": ["admin"]})
    assert resp.status_code in (201, 400), describe(resp)
    body = expect_json(api.get(VERIFY, token=login(api, user).access), 200)
    assert body["is_superuser"] is False and body["role"] == "user" and body["roles"] == []
    login(api, user)  # the email did not change either
