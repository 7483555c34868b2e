"""R5: bad input never crashes; every error body is JSON."""

import json
import uuid

import pytest

from conftest import (
    LOGIN, PASSWORD, SIGNUP, VERIFY, describe, expect_error_json, expect_json, signup, unique_email,
)


def test_unknown_path(api):
    expect_error_json(api.get(f"/api/v1/auth/no-such-endpoint-{uuid.uuid4().hex[:8]}"), 404)
    expect_error_json(api.get(f"/definitely/not/here/{uuid.uuid4().hex[:8]}"), 404)


@pytest.mark.parametrize("method, path", [("GET", SIGNUP), ("PUT", LOGIN), ("DELETE", SIGNUP),
                                          ("POST", VERIFY), ("GET", "/api/v1/auth/logout")])
def test_wrong_method(api, method, path):
    expect_error_json(api.request(method, path), 405)


def test_body_over_64_kib(api):
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "first_name": "x" * (70 * 1024)})
    resp = api.post(SIGNUP, data=body, headers={"Content-Type": "application/json"})
    expect_error_json(resp, 413)


def test_body_just_under_the_limit_is_not_413(api):
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "first_name": "x" * (60 * 1024)})
    resp = api.post(SIGNUP, data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code in (201, 400), describe(resp)  # 400 if the name is too long for the profile
    assert resp.headers.get("Content-Type", "").startswith("application/json"), describe(resp)


def test_service_still_healthy_after_a_big_body(api):
    api.post(SIGNUP, data=b"{" + b" " * (200 * 1024), headers={"Content-Type": "application/json"})
    signup(api)


def big_headers(total_bytes: int, chunk: int = 2000):
    return {f"X-Pad-{i}": "a" * chunk for i in range(total_bytes // chunk + 1)}


def test_header_section_over_8_kib_direct(direct):
    headers = {"X-Request-Id": "e2e-big-headers", **big_headers(9 * 1024)}
    resp = direct.get("/healthz", headers=headers)
    expect_error_json(resp, 431)


def test_header_section_under_8_kib_direct_is_fine(direct):
    headers = {"X-Request-Id": "e2e-headers-ok", **big_headers(5 * 1024)}
    resp = direct.get("/healthz", headers=headers)
    assert resp.status_code == 200, describe(resp)


@pytest.mark.parametrize("headers", [
    big_headers(9 * 1024),                       # many header lines, 9 KiB in total
    {"X-Big": "b" * (10 * 1024)},                # one 10 KiB header line
    {"Authorization": "Bearer " + "c" * (20 * 1024)},  # a 20 KiB bearer value
], ids=["9-KiB-in-lines", "one-10-KiB-line", "20-KiB-bearer"])
def test_large_headers_through_nginx_never_5xx(api, headers):
    resp = api.get(VERIFY, headers=headers)
    assert resp.status_code < 500, describe(resp)
    assert resp.status_code in (400, 401, 413, 422, 431), describe(resp)
    # The service is still up afterwards.
    assert api.get("/healthz").status_code == 200


def test_non_json_content_type(api):
    resp = api.post(SIGNUP, data=f"email={unique_email()}&password={PASSWORD}",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code in (400, 415), describe(resp)
    expect_error_json(resp, resp.status_code)


def test_deeply_nested_json(api):
    raw = "[" * 30_000 + "]" * 30_000  # under the body limit, so the parser has to cope
    resp = api.post(SIGNUP, data=raw, headers={"Content-Type": "application/json"})
    expect_error_json(resp, 400)
    assert api.get("/healthz").status_code == 200


def test_duplicate_json_keys_do_not_crash(api):
    email = unique_email()
    raw = f'{{"email": "{email}", "password": "{PASSWORD}", "password": "{PASSWORD}x"}}'
    resp = api.post(SIGNUP, data=raw, headers={"Content-Type": "application/json"})
    assert resp.status_code in (201, 400), describe(resp)
    expect_json(resp, resp.status_code)
