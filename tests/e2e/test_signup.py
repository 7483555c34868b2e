"""POST /api/v1/auth/signup: the original contract, byte-exact, and R1 validation."""

import uuid

import pytest

from conftest import (
    LOGIN, PASSWORD, SIGNUP, claims, describe, expect_error_json, expect_json, expect_message, is_uuid, login,
    signup, unique_email,
)


def test_signup_returns_the_original_shape(api):
    email = unique_email("signup")
    resp = api.post(SIGNUP, json={"email": email, "password": PASSWORD, "first_name": "Ada",
                                  "last_name": "Lovelace", "phone": "+44 20 7946 0018"})
    body = expect_json(resp, 201)
    assert set(body) == {"message", "result"}, body
    assert body["message"] == "New account was registered successfully"
    assert isinstance(body["result"], list) and len(body["result"]) == 2, body
    user_part, profile_part = body["result"]
    assert set(user_part) == {"id", "email"}, f"user part must hold only id and email (no hash): {user_part}"
    assert is_uuid(user_part["id"]), user_part
    assert user_part["email"] == email
    # The profile part is {"first_name","last_name","phone"}; an extra "id" is tolerated.
    assert set(profile_part) - {"id"} == {"first_name", "last_name", "phone"}, profile_part
    assert (profile_part["first_name"], profile_part["last_name"], profile_part["phone"]) == (
        "Ada", "Lovelace", "+44 20 7946 0018")


def test_signup_with_only_required_fields(api):
    email = unique_email("minimal")
    body = expect_json(api.post(SIGNUP, json={"email": email, "password": PASSWORD}), 201)
    assert body["result"][0]["email"] == email
    assert is_uuid(body["result"][0]["id"])


def test_signed_up_user_can_log_in(api):
    user = signup(api)
    tokens = login(api, user)
    assert tokens.access_claims["sub"] == user.id


def test_duplicate_email_is_rejected(api):
    user = signup(api)
    resp = api.post(SIGNUP, json={"email": user.email, "password": "Another-Password-1"})
    expect_message(resp, 400, f"Email {user.email} is already exists")


def test_duplicate_differing_only_in_case_is_rejected(api):
    local = f"e2e-case-{uuid.uuid4().hex[:16]}"
    lower = f"{local}@example.com"
    mixed = f"{local.capitalize()}@Example.COM"
    signup(api, email=lower)
    resp = api.post(SIGNUP, json={"email": mixed, "password": PASSWORD})
    body = expect_json(resp, 400)
    assert body in ({"message": f"Email {mixed} is already exists"},
                    {"message": f"Email {lower} is already exists"}), describe(resp)


def test_case_variant_of_an_email_logs_into_the_same_account(api):
    local = f"e2e-case-{uuid.uuid4().hex[:16]}"
    user = signup(api, email=f"{local.capitalize()}@Example.com")
    resp = api.post(LOGIN, json={"email": f"{local}@example.com", "password": user.password})
    body = expect_json(resp, 200)
    assert claims(body["tokens"]["access_token"])["sub"] == user.id


def test_missing_email(api):
    resp = api.post(SIGNUP, json={"password": PASSWORD})
    expect_message(resp, 400, {"email": ["Missing data for required field."]})


def test_missing_password(api):
    resp = api.post(SIGNUP, json={"email": unique_email()})
    expect_message(resp, 400, {"password": ["Missing data for required field."]})


def test_missing_both_required_fields(api):
    resp = api.post(SIGNUP, json={})
    expect_message(resp, 400, {"email": ["Missing data for required field."],
                               "password": ["Missing data for required field."]})


@pytest.mark.parametrize("value", [123, True, None, ["a@example.com"], {"x": 1}])
def test_email_not_a_string(api, value):
    resp = api.post(SIGNUP, json={"email": value, "password": PASSWORD})
    body = expect_json(resp, 400)
    if value is None:  # marshmallow says "Field may not be null." for null; either text is a validation error
        assert set(body["message"]) == {"email"}, describe(resp)
    else:
        assert body == {"message": {"email": ["Not a valid string."]}}, describe(resp)


def test_password_not_a_string(api):
    resp = api.post(SIGNUP, json={"email": unique_email(), "password": 12345678})
    expect_message(resp, 400, {"password": ["Not a valid string."]})


def test_profile_field_not_a_string(api):
    resp = api.post(SIGNUP, json={"email": unique_email(), "password": PASSWORD, "first_name": 7})
    expect_message(resp, 400, {"first_name": ["Not a valid string."]})


def test_unknown_field_is_rejected_and_nothing_is_created(api):
    email = unique_email("unknown")
    resp = api.post(SIGNUP, json={"email": email, "password": PASSWORD, "is_superuser": True})
    expect_message(resp, 400, {"is_superuser": ["Unknown field."]})
    # Nothing was created: the same email can now register, as a plain user.
    body = expect_json(api.post(SIGNUP, json={"email": email, "password": PASSWORD}), 201)
    assert body["result"][0]["email"] == email


@pytest.mark.parametrize("raw", [b"{", b'{"email": "a@example.com", "password": }', b"not json", b"\xff\xfe",
                                 b'["email", "password"]', b'"just a string"'])
def test_malformed_or_non_object_json(api, raw):
    resp = api.post(SIGNUP, data=raw, headers={"Content-Type": "application/json"})
    expect_error_json(resp, 400)


def test_empty_body(api):
    resp = api.post(SIGNUP, data=b"", headers={"Content-Type": "application/json"})
    expect_error_json(resp, 400)


def test_short_password(api):
    resp = api.post(SIGNUP, json={"email": unique_email(), "password": "short"})
    body = expect_json(resp, 400)
    assert set(body) == {"message"} and set(body["message"]) == {"password"}, describe(resp)
    assert isinstance(body["message"]["password"], list) and body["message"]["password"], describe(resp)
    assert all(isinstance(text, str) for text in body["message"]["password"])


def test_password_over_one_kib(api):
    resp = api.post(SIGNUP, json={"email": unique_email(), "password": "p" * 1025})
    body = expect_json(resp, 400)
    assert set(body["message"]) == {"password"}, describe(resp)


def test_password_of_64_characters_is_accepted(api):
    user = signup(api, password="x" * 60 + "Ab1!")
    login(api, user)
