"""R4: the rate limit (per client IP, or per token subject) and the brute-force lockout, through nginx.

The suite's stack runs with a limit high enough for every other test, so each test here starts a pair
of its own (e2e_stack.py): REQUEST_LIMIT_PER_MINUTE=5, LOGIN_MAX_FAILURES=3, embedded mode (its own
SQLite file and in-memory limiter, also when the suite runs in production mode), nginx in front.
Every request of a test comes from 127.0.0.1, so the IP's 5 are its whole anonymous budget, setup
included: accounts that are only setup are made with `auth create superuser`, which is no request.
"""

import uuid

import pytest

from conftest import (
    LOGIN, MSG_TOO_MANY_REQUESTS, PASSWORD, ROLES, SIGNUP, USERS, VERIFY, describe, expect_json, expect_message,
    expect_tokens, login, login_response, signup, unique_email,
)
from e2e_stack import Stack, StackError

LIMIT = 5
MAX_FAILURES = 3
SETTINGS = {
    "REQUEST_LIMIT_PER_MINUTE": str(LIMIT),
    "LOGIN_MAX_FAILURES": str(MAX_FAILURES),
}

# Forwarding headers a client might send to pick an IP of its choice.
SPOOFED = [
    {"X-Real-IP": "203.0.113.10"},
    {"X-Forwarded-For": "198.51.100.20"},
    {"X-Real-IP": "203.0.113.30", "X-Forwarded-For": "203.0.113.30"},
    {"X-Forwarded-For": "198.51.100.40, 127.0.0.1"},
]


@pytest.fixture(scope="module")
def limited_stacks():
    """Starts pairs with the low limits; whatever a test left running is stopped at the end."""
    started = []

    def start() -> Stack:
        stack = Stack(SETTINGS)
        started.append(stack)
        return stack.start()

    yield start
    errors = []
    for stack in started:
        try:
            stack.stop()
        except StackError as error:
            errors.append(str(error))
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


@pytest.fixture
def limited(limited_stacks):
    """A fresh pair for each test (each needs the whole budget of 127.0.0.1); stopped after it."""
    stack = limited_stacks()
    yield stack
    stack.stop()


def signup_request(stack: Stack, headers=None):
    return stack.api.post(SIGNUP, json={"email": unique_email("rl"), "password": PASSWORD}, headers=headers)


def int_header(resp, name: str) -> int:
    value = resp.headers.get(name)
    assert value is not None and value.strip().isdigit(), f"{name}: {value!r}: {describe(resp)}"
    return int(value)


def expect_limited(resp):
    """429 `{"message": "too many requests"}` with Retry-After and the RateLimit-* headers."""
    expect_message(resp, 429, MSG_TOO_MANY_REQUESTS)
    assert 1 <= int_header(resp, "Retry-After") <= 60, describe(resp)
    assert int_header(resp, "RateLimit-Limit") == LIMIT, describe(resp)
    assert int_header(resp, "RateLimit-Remaining") == 0, describe(resp)
    assert 0 <= int_header(resp, "RateLimit-Reset") <= 60, describe(resp)


def test_anonymous_callers_get_exactly_five_per_minute(limited):
    for _ in range(LIMIT):
        expect_json(signup_request(limited), 201)
    expect_limited(signup_request(limited))
    # The IP's bucket is shared by the auth routes, not one per route.
    expect_limited(limited.api.post(LOGIN, json={"email": unique_email("rl"), "password": PASSWORD}))
    # Not limited: health checks and OAuth (R4).
    assert limited.api.get("/healthz").status_code == 200
    resp = limited.api.get("/api/v1/oauth/yandex/login")
    assert resp.status_code != 429, describe(resp)


def test_spoofed_forwarding_headers_do_not_get_a_fresh_bucket(limited):
    """nginx overwrites X-Real-IP and X-Forwarded-For with the TCP peer, so a client cannot pick its IP."""
    for i in range(LIMIT):
        headers = SPOOFED[i - 2] if i >= 2 else None  # 2 plain requests, then 3 spoofed ones
        expect_json(signup_request(limited, headers), 201)
    # Had each spoofed request been counted for its own IP, this would be 127.0.0.1's third request.
    expect_limited(signup_request(limited))
    for headers in SPOOFED + [{"X-Real-IP": "192.0.2.99", "X-Forwarded-For": "192.0.2.99"}]:
        expect_limited(signup_request(limited, headers))
    # The control: the service does key by X-Real-IP when the peer is a trusted proxy (127.0.0.1 by
    # default), so what protects the limit above is nginx overwriting the header.
    resp = limited.direct.post(SIGNUP, json={"email": unique_email("rl"), "password": PASSWORD},
                               headers={"X-Request-Id": f"e2e-{uuid.uuid4().hex}", "X-Real-IP": "192.0.2.7"})
    expect_json(resp, 201)


def test_each_token_subject_has_its_own_five(limited):
    first, second = signup(limited.api), signup(limited.api)         # 127.0.0.1: 2 of 5
    first_tokens, second_tokens = login(limited.api, first), login(limited.api, second)  # 4 of 5
    for tokens in (first_tokens, second_tokens):
        for _ in range(LIMIT):
            expect_json(limited.api.get(VERIFY, token=tokens.access), 200)
        expect_limited(limited.api.get(VERIFY, token=tokens.access))
    # Authenticated requests were not counted for the IP: it still has its fifth request.
    login(limited.api, first)
    expect_limited(signup_request(limited))


def test_roles_and_users_routes_are_limited(limited):
    email, password = limited.create_superuser()
    tokens = expect_tokens(login_response(limited.api, email, password))  # 127.0.0.1: 1 of 5
    admin_id = expect_json(limited.api.get(VERIFY, token=tokens.access), 200)["id"]  # subject: 1 of 5
    name = f"e2e-rl-{uuid.uuid4().hex[:12]}"
    expect_json(limited.api.post(f"{ROLES}/", json={"name": name}, token=tokens.access), 200)      # 2
    role_id = expect_json(limited.api.get(f"{ROLES}/{name}", token=tokens.access), 200)["id"]    # 3
    expect_json(limited.api.get(f"{ROLES}/", token=tokens.access), 200)                           # 4
    user_role = f"{USERS}/{admin_id}/roles/{role_id}"
    expect_json(limited.api.post(user_role, token=tokens.access), 200)                            # 5
    expect_limited(limited.api.get(f"{ROLES}/", token=tokens.access))
    expect_limited(limited.api.get(user_role, token=tokens.access))


def test_brute_force_locks_the_email(limited):
    email, password = limited.create_superuser()  # no request
    for _ in range(MAX_FAILURES):                  # 127.0.0.1: 3 of 5
        expect_message(login_response(limited.api, email, "Wrong-Password-123"), 401,
                       f"Email {email} or password is wrong")
    # Locked for the window: even the right password (127.0.0.1: 4 of 5, so not the IP's limit).
    resp = login_response(limited.api, email, password)
    expect_message(resp, 429, MSG_TOO_MANY_REQUESTS)
    assert int_header(resp, "Retry-After") >= 1, describe(resp)
    # Per e-mail: another address is not locked (127.0.0.1: 5 of 5).
    other = unique_email("rl")
    expect_message(login_response(limited.api, other, password), 401, f"Email {other} or password is wrong")


def test_brute_force_on_an_unknown_email_behaves_the_same(limited):
    email = unique_email("rl-nobody")
    for _ in range(MAX_FAILURES):                  # 127.0.0.1: 3 of 5
        expect_message(login_response(limited.api, email, PASSWORD), 401, f"Email {email} or password is wrong")
    resp = login_response(limited.api, email, PASSWORD)  # 4 of 5
    expect_message(resp, 429, MSG_TOO_MANY_REQUESTS)
    assert int_header(resp, "Retry-After") >= 1, describe(resp)
    other = unique_email("rl-nobody")              # 5 of 5
    expect_message(login_response(limited.api, other, PASSWORD), 401, f"Email {other} or password is wrong")
