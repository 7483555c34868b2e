"""Soak: mixed traffic of every endpoint from several clients with bad input mixed in, for
SOAK_SECONDS (40 by default; set e.g. 1800 for a long run). No 5xx, no sanitizer report, and resident
memory and open file descriptors flat once warmed up."""

import base64
import json
import os
import random
import threading
import time

import pytest
import requests

from conftest import Api, email, pair_of

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "40"))


def resident_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def one_round(api: Api, rng: random.Random, server_errors: list):
    def expect(answer, what):
        if answer.status_code >= 500:
            server_errors.append(f"{what}: {answer.status_code} {answer.text[:200]}")
        return answer

    address = email()
    expect(api.signup(address), "signup")
    answer = expect(api.login(address), "login")
    if answer.status_code != 200:
        return
    tokens = pair_of(answer)
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    expect(api.verify(access), "verify")
    expect(api.call("GET", "/api/v1/auth/me", token=access), "me")
    expect(api.call("GET", "/api/v1/auth/sessions", token=access), "sessions")
    subject = json.loads(base64.urlsafe_b64decode(access.split(".")[1] + "=="))["sub"]
    expect(api.call("GET", f"/api/v1/auth/login-history/{subject}", token=access), "history")
    expect(api.call("GET", "/.well-known/jwks.json"), "jwks")
    answer = expect(api.refresh(refresh), "refresh")
    if answer.status_code == 200:
        refresh = pair_of(answer)["refresh_token"]
        access = pair_of(answer)["access_token"]
    # Bad input of every kind: none of it may reach a 5xx.
    bad = [
        lambda: api.call("POST", "/api/v1/auth/login", data="{not json", headers={"Content-Type": "application/json"}),
        lambda: api.call("POST", "/api/v1/auth/login", data="email=a&password=b",
                         headers={"Content-Type": "application/x-www-form-urlencoded"}),
        lambda: api.call("POST", "/api/v1/auth/signup", json={"email": "x\u0000@example.com", "password": "p" * 20}),
        lambda: api.call("POST", "/api/v1/auth/signup", data='{"email":"a@b.c","email":"d@e.f","password":"p"}',
                         headers={"Content-Type": "application/json"}),
        lambda: api.verify("garbage." + "A" * rng.randint(0, 300) + ".x"),
        lambda: api.verify(access[:-4] + "AAAA"),
        lambda: api.call("POST", "/api/v1/auth/login", data="x" * 70_000, headers={"Content-Type": "application/json"}),
        lambda: api.call("GET", "/api/v1/auth/nowhere"),
        lambda: api.refresh(access),
        lambda: api.call("POST", "/api/v1/auth/revoke", data={"token": "nonsense"}),
    ]
    for attempt in rng.sample(bad, 4):
        expect(attempt(), "bad input")
    expect(api.logout(refresh), "logout")
    expect(api.verify(access), "verify after logout")


@pytest.mark.parametrize("mode", ["embedded", "production"])
def test_soak(mode, services, workdir, redis_server):
    # Under AddressSanitizer freed memory waits in a quarantine (256 MB by default) before reuse;
    # a small one lets resident memory settle, so growth that remains is ours.
    asan = "quarantine_size_mb=8:thread_local_quarantine_size_kb=64"
    if os.environ.get("ASAN_OPTIONS"):
        asan = os.environ["ASAN_OPTIONS"] + ":" + asan
    service = services(mode, workdir, redis_url=redis_server.url, ASAN_OPTIONS=asan)
    pid = service.pid
    server_errors = []
    samples = []
    stop = threading.Event()

    def client(seed):
        rng = random.Random(seed)
        api = Api(service.base)
        while not stop.is_set():
            try:
                one_round(api, rng, server_errors)
            except requests.RequestException as error:
                server_errors.append(f"transport: {error}")
                return

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while time.monotonic() - started < SOAK_SECONDS:
        time.sleep(1)
        samples.append((time.monotonic() - started, resident_kib(pid), open_fds(pid)))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert not server_errors, "\n".join(server_errors[:20])
    output = service.output()
    assert "AddressSanitizer" not in output and "runtime error:" not in output, output[-4000:]
    # Flat after warm-up (the first third): a leak of one allocation per request would grow far
    # beyond these bounds in thousands of requests.
    warm = [s for s in samples if s[0] >= SOAK_SECONDS / 3]
    assert len(warm) >= 3, samples
    first_rss, last_rss = warm[0][1], max(s[1] for s in warm[-3:])
    assert last_rss <= first_rss * 1.25 + 16 * 1024, f"RSS grew: {samples}"
    first_fds, last_fds = warm[0][2], warm[-1][2]
    print(f"soak {mode}: {SOAK_SECONDS:.0f} s, RSS {first_rss} -> {last_rss} KiB after warm-up, "
          f"descriptors {first_fds} -> {last_fds}")
    assert last_fds <= first_fds + 8, f"file descriptors grew: {samples}"
