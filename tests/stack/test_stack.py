"""The production-like stack (deploy/local-stack): nginx, two instances, PostgreSQL, Redis, OTLP.

What SPEC 7 promises an operator: the id nginx gives a request is in the response, in the log line of
the instance that served it and on every span of its trace; nginx's traceparent is the parent of the
server span, whose children are the database and Redis calls; the instances share state, so a logout
through one is refused by the other at once. The receiver checks every export against the OTLP
schema (tests/otlp/otlp.mjs) and keeps what it rejected.
"""

import json
import re
import time
import uuid
from pathlib import Path

import requests

TIMEOUT = 30
SPAN_WAIT_SECONDS = 20
SPAN_KIND_SERVER = 2
STATUS_CODE_ERROR = 2
REQUEST_ID_RE = re.compile(r"^[0-9a-f]{32}$")
PASSWORD = "Stack-Test-Password-7"


def attribute(span: dict, key: str):
    """The value of an OTLP/JSON attribute (AnyValue unwrapped), or None."""
    for attr in span.get("attributes", []):
        if attr["key"] == key:
            (value,) = attr["value"].values()
            return value
    return None


def received_spans(stack) -> list:
    resp = requests.get(stack["OTLP_ENDPOINT"] + "/spans", timeout=TIMEOUT)
    resp.raise_for_status()
    return resp.json()


def trace_spans(stack, trace_id: str, until) -> list:
    """The spans of one trace once `until(spans)` holds (the instances export in batches)."""
    deadline = time.monotonic() + SPAN_WAIT_SECONDS
    while True:
        spans = [span for span in received_spans(stack) if span["traceId"] == trace_id]
        if until(spans) or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def server_span(spans: list):
    servers = [span for span in spans if span.get("kind") == SPAN_KIND_SERVER]
    return servers[0] if len(servers) == 1 else None


def descends_from(span: dict, ancestor_id: str, by_id: dict) -> bool:
    while span is not None:
        if span.get("parentSpanId") == ancestor_id:
            return True
        span = by_id.get(span.get("parentSpanId"))
    return False


def signup(base: str, email: str):
    resp = requests.post(base + "/api/v1/auth/signup", json={"email": email, "password": PASSWORD}, timeout=TIMEOUT)
    assert resp.status_code == 201, resp.text


def login(base: str, email: str, headers=None) -> requests.Response:
    resp = requests.post(base + "/api/v1/auth/login", json={"email": email, "password": PASSWORD},
                         headers=headers or {}, timeout=TIMEOUT)
    assert resp.status_code == 200, resp.text
    return resp


def direct_headers(token=None) -> dict:
    """What nginx would add: the instances require an X-Request-Id."""
    headers = {"X-Request-Id": uuid.uuid4().hex}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def unique_email() -> str:
    return f"stack-{uuid.uuid4().hex[:12]}@example.com"


def log_lines(path: str) -> list:
    lines = []
    for line in Path(path).read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            lines.append(record)
    return lines


def test_login_is_one_trace_from_nginx_to_the_database_and_redis(stack):
    base = stack["NGINX_URL"]
    email = unique_email()
    signup(base, email)
    resp = login(base, email)
    request_id = resp.headers["X-Request-Id"]
    assert REQUEST_ID_RE.match(request_id), request_id

    # nginx started the trace: trace id = its request id, parent = the last 16 hex of it.
    def complete(spans):
        server = server_span(spans)
        return server is not None and any(attribute(s, "db.system") == "redis" for s in spans) and any(
            attribute(s, "db.system") == "postgresql" for s in spans)

    spans = trace_spans(stack, request_id, complete)
    server = server_span(spans)
    assert server is not None, spans
    assert server["name"] == "POST /api/v1/auth/login", server
    assert server["parentSpanId"] == request_id[16:], server
    assert attribute(server, "http.request.method") == "POST"
    assert attribute(server, "http.route") == "/api/v1/auth/login"
    assert str(attribute(server, "http.response.status_code")) == "200"

    by_id = {span["spanId"]: span for span in spans}
    database = [s for s in spans if attribute(s, "db.system") == "postgresql"]
    cache = [s for s in spans if attribute(s, "db.system") == "redis"]
    hashing = [s for s in spans if s["name"].startswith("password")]
    assert database and cache and hashing, [s["name"] for s in spans]
    for child in database + cache + hashing:
        assert descends_from(child, server["spanId"], by_id), (child, server)
    for span in spans:
        assert attribute(span, "http.request_id") == request_id, span
        assert span["service"] == "auth", span
        assert span["endTimeUnixNano"] >= span["startTimeUnixNano"], span


def test_the_request_id_is_in_the_serving_instances_log_and_both_instances_serve(stack):
    base = stack["NGINX_URL"]
    ids = []
    for _ in range(6):
        resp = requests.get(base + "/.well-known/jwks.json", timeout=TIMEOUT)
        assert resp.status_code == 200, resp.text
        ids.append(resp.headers["X-Request-Id"])
    deadline = time.monotonic() + SPAN_WAIT_SECONDS
    while True:
        logs = {name: log_lines(stack[name]) for name in ("AUTH_1_LOG", "AUTH_2_LOG")}
        served_by = {}
        for name, records in logs.items():
            for record in records:
                if record.get("msg") == "request" and record.get("request_id") in ids:
                    served_by.setdefault(record["request_id"], []).append((name, record))
        if len(served_by) == len(ids) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert set(served_by) == set(ids), served_by
    for request_id, where in served_by.items():
        assert len(where) == 1, where  # one instance served it, and logged it once
        _, record = where[0]
        assert record["trace_id"] == request_id, record  # the trace nginx started
        assert re.match(r"^[0-9a-f]{16}$", record["span_id"]), record
    assert {where[0][0] for where in served_by.values()} == {"AUTH_1_LOG", "AUTH_2_LOG"}, served_by
    # ... and the exported server span of each carries it too.
    for request_id in ids:
        spans = trace_spans(stack, request_id, lambda found: server_span(found) is not None)
        server = server_span(spans)
        assert server is not None and attribute(server, "http.request_id") == request_id, spans


def test_a_client_traceparent_is_continued(stack):
    trace_id = uuid.uuid4().hex
    parent_id = uuid.uuid4().hex[:16]
    resp = requests.get(stack["NGINX_URL"] + "/.well-known/jwks.json", timeout=TIMEOUT,
                        headers={"traceparent": f"00-{trace_id}-{parent_id}-01"})
    assert resp.status_code == 200, resp.text
    spans = trace_spans(stack, trace_id, lambda found: server_span(found) is not None)
    server = server_span(spans)
    assert server is not None and server["parentSpanId"] == parent_id, spans
    assert attribute(server, "http.request_id") == resp.headers["X-Request-Id"], server


def test_an_error_answer_sets_the_span_status(stack):
    resp = requests.get(stack["NGINX_URL"] + "/api/v1/auth/verify-jwt", timeout=TIMEOUT,
                        headers={"Authorization": "Bearer not-a-token"})
    assert resp.status_code in (401, 422), resp.text
    request_id = resp.headers["X-Request-Id"]
    spans = trace_spans(stack, request_id, lambda found: server_span(found) is not None)
    server = server_span(spans)
    assert server is not None, spans
    assert str(attribute(server, "http.response.status_code")) == str(resp.status_code), server
    # 4xx on a server span is the client's error: OTel leaves the status unset (not ERROR).
    assert server.get("status", {}).get("code", 0) != STATUS_CODE_ERROR, server


def test_a_logout_through_one_instance_is_refused_by_the_other_at_once(stack):
    first, second = stack["AUTH_1_URL"], stack["AUTH_2_URL"]
    email = unique_email()
    signup(stack["NGINX_URL"], email)
    tokens = login(first, email, headers=direct_headers()).json()["tokens"]
    verify = "/api/v1/auth/verify-jwt"
    resp = requests.get(second + verify, headers=direct_headers(tokens["access_token"]), timeout=TIMEOUT)
    assert resp.status_code == 200, resp.text

    resp = requests.delete(first + "/api/v1/auth/logout", headers=direct_headers(tokens["refresh_token"]),
                           timeout=TIMEOUT)
    assert resp.status_code == 200, resp.text
    resp = requests.get(second + verify, headers=direct_headers(tokens["access_token"]), timeout=TIMEOUT)
    assert resp.status_code == 401 and resp.json()["msg"] == "Token has been revoked", resp.text
    resp = requests.post(second + "/api/v1/auth/refresh-token", headers=direct_headers(tokens["refresh_token"]),
                         timeout=TIMEOUT)
    assert resp.status_code == 401 and resp.json()["msg"] == "Token has been revoked", resp.text


def test_probes_answer_without_a_request_id(stack):
    for name in ("AUTH_1_URL", "AUTH_2_URL"):
        for probe in ("/healthz", "/readyz"):
            resp = requests.get(stack[name] + probe, timeout=TIMEOUT)
            assert resp.status_code == 200, (name, probe, resp.text)
        resp = requests.get(stack[name] + "/.well-known/jwks.json", timeout=TIMEOUT)
        assert resp.status_code == 400, resp.text  # everything else still needs nginx's id


def test_every_export_matched_the_otlp_schema(stack):
    assert received_spans(stack), "nothing was exported"
    resp = requests.get(stack["OTLP_ENDPOINT"] + "/rejected", timeout=TIMEOUT)
    resp.raise_for_status()
    assert resp.json() == [], resp.json()
