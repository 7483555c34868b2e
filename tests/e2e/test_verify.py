"""GET /api/v1/auth/verify-jwt and /hello with a valid access token."""

from conftest import HELLO, VERIFY, describe, expect_json, login, signup


def test_verify_jwt_for_a_fresh_account(api, user, session_tokens):
    body = expect_json(api.get(VERIFY, token=session_tokens.access), 200)
    assert body == {"id": user.id, "is_superuser": False, "role": "user", "roles": []}


def test_verify_jwt_answers_for_the_caller_not_a_cached_one(api):
    """Each caller gets their own id (the original cached one answer for everyone)."""
    first, second = signup(api), signup(api)
    first_tokens, second_tokens = login(api, first), login(api, second)
    assert expect_json(api.get(VERIFY, token=first_tokens.access), 200)["id"] == first.id
    assert expect_json(api.get(VERIFY, token=second_tokens.access), 200)["id"] == second.id
    assert expect_json(api.get(VERIFY, token=first_tokens.access), 200)["id"] == first.id


def test_hello(api, session_tokens):
    resp = api.get(HELLO, token=session_tokens.access)
    assert resp.status_code == 200, describe(resp)
    assert resp.text == "Hello", describe(resp)
