"""R3: nginx stamps every request with an X-Request-Id; the service requires and echoes it."""

from conftest import NGINX_REQUEST_ID_RE, SIGNUP, describe, expect_json, expect_message, unique_email, PASSWORD


def test_response_carries_nginx_request_id(api):
    first = api.get("/healthz")
    second = api.get("/healthz")
    assert first.status_code == 200, describe(first)
    ids = [r.headers.get("X-Request-Id", "") for r in (first, second)]
    for request_id in ids:
        assert NGINX_REQUEST_ID_RE.match(request_id), f"X-Request-Id {request_id!r} is not nginx's 32-hex $request_id"
    assert ids[0] != ids[1], "each request needs its own id"


def test_api_answers_carry_the_request_id(api):
    resp = api.post(SIGNUP, json={"email": unique_email(), "password": PASSWORD})
    expect_json(resp, 201)
    assert NGINX_REQUEST_ID_RE.match(resp.headers.get("X-Request-Id", "")), describe(resp)


def test_error_answers_carry_the_request_id(api):
    resp = api.get("/api/v1/auth/verify-jwt")
    assert resp.status_code == 401, describe(resp)
    assert NGINX_REQUEST_ID_RE.match(resp.headers.get("X-Request-Id", "")), describe(resp)


def test_direct_request_without_id_is_rejected(direct):
    expect_message(direct.post(SIGNUP, json={"email": unique_email(), "password": PASSWORD}), 400, "request id is required")
    expect_message(direct.get("/.well-known/jwks.json"), 400, "request id is required")


def test_direct_request_with_empty_id_is_rejected(direct):
    expect_message(direct.get("/api/v1/auth/hello", headers={"X-Request-Id": ""}), 400, "request id is required")


def test_probes_answer_without_an_id(direct):
    # Container and load-balancer probes, and Prometheus, call the instance directly without one.
    for path in ("/healthz", "/readyz"):
        resp = direct.get(path)
        assert resp.status_code == 200, describe(resp)
        assert len(resp.headers.get("X-Request-Id", "")) == 32, describe(resp)


def test_direct_request_with_id_is_served_and_echoed(direct):
    resp = direct.get("/healthz", headers={"X-Request-Id": "e2e-direct-4f1c"})
    assert resp.status_code == 200, describe(resp)
    assert resp.headers.get("X-Request-Id") == "e2e-direct-4f1c", describe(resp)
