"""GET /api/v1/auth/me."""

from datetime import datetime, timedelta

from conftest import ME, expect_json, expect_msg, login, signup


def test_me_shape_and_values(api):
    before = datetime.utcnow() - timedelta(seconds=5)
    user = signup(api, first_name="Alan", last_name="Turing", phone="+44 1234")
    tokens = login(api, user)
    body = expect_json(api.get(ME, token=tokens.access), 200)
    assert set(body) == {"id", "email", "date_joined", "profile", "roles", "is_superuser", "providers",
                         "has_password"}, body
    # The original's date_joined: the sign-up time, UTC.
    assert before <= datetime.fromisoformat(body["date_joined"]) <= datetime.utcnow() + timedelta(seconds=5)
    assert body["id"] == user.id and body["email"] == user.email
    assert set(body["profile"]) == {"id", "first_name", "last_name", "phone"}, body
    assert (body["profile"]["first_name"], body["profile"]["last_name"], body["profile"]["phone"]) == (
        "Alan", "Turing", "+44 1234")
    assert body["roles"] == [] and body["is_superuser"] is False
    assert body["providers"] == [] and body["has_password"] is True


def test_me_needs_an_access_token(api, session_tokens):
    expect_msg(api.get(ME), 401, "Missing Authorization Header")
    expect_msg(api.get(ME, token=session_tokens.refresh), 422, "Only non-refresh tokens are allowed")
