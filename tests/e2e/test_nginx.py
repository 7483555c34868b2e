"""What the production nginx config (deploy/nginx/auth.conf) promises on top of the service."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import pytest
import requests

from conftest import NGINX_REQUEST_ID_RE, describe, expect_error_json, expect_json
from e2e_stack import START_NGINX, START_TIMEOUT, StackError, free_ports


def test_metrics_are_not_published_through_nginx(api):
    expect_error_json(api.get("/metrics"), 404)


def test_well_known_passes_through(api):
    expect_json(api.get("/.well-known/jwks.json"), 200)
    expect_json(api.get("/.well-known/openid-configuration"), 200)


def test_readyz_passes_through(api):
    resp = api.get("/readyz")
    assert resp.status_code == 200, describe(resp)


# --- What nginx sends upstream ---------------------------------------------------------------------
# nginx runs in front of echo_upstream.py (answers with the headers it received) instead of the
# service, so the tests see exactly the traceparent, X-Request-Id and X-Real-IP the service gets.

ECHO_UPSTREAM = Path(__file__).resolve().parent / "echo_upstream.py"
TRACEPARENT_RE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
VALID_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
INVALID_TRACEPARENTS = [
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  # upper case
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # all-zero parent id
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff (invalid)
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # a version we do not parse
    "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # short trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
    "S/t5LXeztNpqPOkp0ODkc2AA8Gea",  # base64, not hex
    "",
]


def test_service_accepts_a_client_traceparent(api):
    """A trace started by the client goes through nginx to the service, which still answers."""
    resp = api.get("/readyz", headers={"traceparent": VALID_TRACEPARENT, "tracestate": "vendor=abc"})
    assert resp.status_code == 200, describe(resp)


def murmur_hash2(data: bytes) -> int:
    """MurmurHash2 (32-bit, seed 0) as nginx's split_clients computes it over its key."""
    m = 0x5BD1E995
    h = len(data) & 0xFFFFFFFF
    whole = len(data) // 4 * 4
    for i in range(0, whole, 4):
        k = (int.from_bytes(data[i:i + 4], "little") * m) & 0xFFFFFFFF
        k = ((k ^ (k >> 24)) * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    if len(data) > whole:
        for shift, byte in enumerate(data[whole:]):
            h ^= byte << (8 * shift)
        h = (h * m) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * m) & 0xFFFFFFFF
    return h ^ (h >> 15)


def expected_flags(request_id: str, percent: str) -> str:
    """split_clients "$request_id": the first `percent` of the 32-bit hash range is sampled (01)."""
    hundredths = round(float(percent.rstrip("%")) * 100)
    return "01" if murmur_hash2(request_id.encode()) < hundredths * 0xFFFFFFFF // 10000 else "00"


def _stop_proc(proc: Optional[subprocess.Popen], sig: int):
    if proc is not None and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class EchoBehindNginx:
    """nginx (tests/e2e/nginx/start, so deploy/nginx/auth.conf) in front of one or two echo upstreams."""

    def __init__(self, upstreams: int = 2, sample_percent: Optional[str] = None):
        self.upstreams = upstreams
        self.sample_percent = sample_percent
        self.echoes = []
        self.nginx = None
        self.work = None

    def __enter__(self):
        self.work = Path(tempfile.mkdtemp(prefix="auth-e2e-echo.", dir="/tmp"))
        try:
            ports = []
            for n in range(self.upstreams):
                proc = subprocess.Popen(["/usr/bin/python3", str(ECHO_UPSTREAM), "--port", "0", "--name", f"echo-{n + 1}"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
                self.echoes.append(proc)
                ports.append(json.loads(proc.stdout.readline())["port"])
            (nginx_port,) = free_ports(1)
            self.url = f"http://127.0.0.1:{nginx_port}"
            env = {k: v for k, v in os.environ.items() if k != "TRACE_SAMPLE_PERCENT"}
            if self.sample_percent is not None:
                env["TRACE_SAMPLE_PERCENT"] = self.sample_percent
            args = [str(START_NGINX), str(self.work), f"127.0.0.1:{ports[0]}", f"127.0.0.1:{nginx_port}"]
            args += [f"127.0.0.1:{port}" for port in ports[1:]]
            with open(self.work / "nginx.out", "wb") as out, open(self.work / "nginx.err", "wb") as err:
                self.nginx = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    requests.get(self.url + "/", timeout=2)
                    break
                except requests.RequestException:
                    pass
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise StackError(f"nginx did not start: {(self.work / 'nginx.err').read_text(errors='replace')}")
                time.sleep(0.05)
            self.session = requests.Session()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        _stop_proc(self.nginx, signal.SIGQUIT)
        for proc in self.echoes:
            _stop_proc(proc, signal.SIGTERM)
            if proc.stdout:
                proc.stdout.close()
        self.nginx, self.echoes = None, []
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)

    def upstream_view(self, headers=None, path="/api/v1/auth/hello"):
        """What the upstream received: {"server", "method", "path", "headers": {name: [values]}}."""
        resp = self.session.get(self.url + path, headers=headers or {}, timeout=10)
        assert resp.status_code == 200, describe(resp)
        return resp.json()


def one(view, name):
    values = view["headers"].get(name, [])
    assert len(values) == 1, f"{name}: {values!r} in {view!r}"
    return values[0]


@pytest.fixture(scope="module")
def edge():
    """Two upstreams, the default sample rate (100%)."""
    with EchoBehindNginx(upstreams=2) as stack:
        yield stack


def test_new_trace_id_is_nginx_request_id(edge):
    for _ in range(4):
        view = edge.upstream_view()
        request_id = one(view, "x-request-id")
        assert NGINX_REQUEST_ID_RE.match(request_id), view
        match = TRACEPARENT_RE.match(one(view, "traceparent"))
        assert match, view
        trace_id, parent_id, flags = match.groups()
        assert trace_id == request_id, view
        assert parent_id == request_id[16:] and parent_id != "0" * 16, view
        assert flags == "01", f"TRACE_SAMPLE_PERCENT defaults to 100%: {view}"
        assert "tracestate" not in view["headers"], view


def test_client_traceparent_passes_through_unchanged(edge):
    view = edge.upstream_view({"traceparent": VALID_TRACEPARENT, "tracestate": "vendor=abc,other=1"})
    assert one(view, "traceparent") == VALID_TRACEPARENT, view
    assert one(view, "tracestate") == "vendor=abc,other=1", view
    assert NGINX_REQUEST_ID_RE.match(one(view, "x-request-id")), view  # the request id stays nginx's
    unsampled = VALID_TRACEPARENT[:-2] + "00"
    assert one(edge.upstream_view({"traceparent": unsampled}), "traceparent") == unsampled


@pytest.mark.parametrize("bad", INVALID_TRACEPARENTS)
def test_invalid_client_traceparent_is_replaced(edge, bad):
    view = edge.upstream_view({"traceparent": bad, "tracestate": "vendor=abc"})
    traceparent = one(view, "traceparent")
    assert traceparent != bad, view
    match = TRACEPARENT_RE.match(traceparent)
    assert match and match.group(1) == one(view, "x-request-id"), view
    assert "tracestate" not in view["headers"], f"a tracestate without a valid traceparent is dropped: {view}"


def test_client_cannot_choose_request_id_or_real_ip(edge):
    view = edge.upstream_view({"X-Request-Id": "chosen-by-client", "X-Real-IP": "203.0.113.9",
                               "X-Forwarded-For": "203.0.113.9"})
    assert NGINX_REQUEST_ID_RE.match(one(view, "x-request-id")), view
    assert one(view, "x-real-ip") == "127.0.0.1", view
    assert one(view, "x-forwarded-for") == "127.0.0.1", view


def test_two_upstreams_share_requests_round_robin(edge):
    servers = [edge.upstream_view()["server"] for _ in range(6)]
    assert set(servers) == {"echo-1", "echo-2"}, servers
    assert all(a != b for a, b in zip(servers, servers[1:])), f"not round robin: {servers}"


def test_one_upstream_fills_both_placeholders():
    with EchoBehindNginx(upstreams=1) as stack:
        servers = {stack.upstream_view()["server"] for _ in range(4)}
    assert servers == {"echo-1"}


@pytest.mark.parametrize("percent", ["10%", "0.01%"])
def test_sampled_flag_follows_trace_sample_percent(percent):
    """split_clients over $request_id: each request's flags are exactly what its id hashes to."""
    with EchoBehindNginx(upstreams=1, sample_percent=percent) as stack:
        flags = []
        for _ in range(200):
            view = stack.upstream_view()
            request_id = one(view, "x-request-id")
            flag = TRACEPARENT_RE.match(one(view, "traceparent")).group(3)
            assert flag == expected_flags(request_id, percent), f"{percent}: {view}"
            flags.append(flag)
        # A client's own decision is kept whatever the rate.
        assert one(stack.upstream_view({"traceparent": VALID_TRACEPARENT}), "traceparent") == VALID_TRACEPARENT
    if percent == "10%":
        assert 0 < flags.count("01") < 60, flags.count("01")  # about 20 expected; P(0) ~ 7e-10


@pytest.mark.parametrize("percent", ["0%", "0.001%", "101%", "ten"])
def test_sample_percent_that_nginx_rejects_is_refused(tmp_path, percent):
    (port,) = free_ports(1)
    result = subprocess.run([str(START_NGINX), str(tmp_path), "127.0.0.1:9", f"127.0.0.1:{port}"],
                            env={**os.environ, "TRACE_SAMPLE_PERCENT": percent},
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1, result
    assert "TRACE_SAMPLE_PERCENT" in result.stderr, result.stderr
