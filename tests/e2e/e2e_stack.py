"""A private auth service + nginx pair, for tests that need settings of their own (a low rate limit).

The suite's stack (tests/e2e/run) is shared by every test and runs with a rate limit high enough for
all of them, so a test that wants to hit a limit starts its own pair the way the runner does: the
binary the runner exports (E2E_AUTH_BINARY), always in embedded mode (a fresh SQLite file in a temp
dir, in-memory limiter; never the shared PostgreSQL/Redis of a production-mode run, so no counters
are shared with other runs), REQUIRE_REQUEST_ID=true, and nginx in front through
tests/e2e/nginx/start (deploy/nginx/auth.conf + tests/e2e/nginx/nginx.conf). Both processes are ours
and are stopped by PID. Logs stay in the temp dir when something failed, or always with E2E_KEEP=1.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

import requests

from conftest import Client

E2E_DIR = Path(__file__).resolve().parent
START_NGINX = E2E_DIR / "nginx" / "start"
START_TIMEOUT = float(os.environ.get("E2E_START_TIMEOUT", "60"))

# What would take the service out of embedded mode or away from its own port and settings.
_UNSET = ("AUTH_ENV_FILE", "APP_HOST", "APP_PORT", "DATABASE_URL", "REDIS_URL", "DB_HOST", "REDIS_HOST")


class StackError(RuntimeError):
    pass


def free_ports(count: int):
    """Distinct free loopback ports, chosen by the kernel."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no file)"


def _stop(proc: Optional[subprocess.Popen], sig: int, limit: float) -> Optional[int]:
    """The signal, up to `limit` seconds, then SIGKILL; the exit status (None if never started)."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


class Stack:
    """`with Stack({"REQUEST_LIMIT_PER_MINUTE": "5"}) as stack:` ... stack.api (through nginx),
    stack.direct (the service itself; send an X-Request-Id), stack.create_superuser(...)."""

    def __init__(self, settings: dict, binary: Optional[str] = None):
        self.binary = binary or os.environ.get("E2E_AUTH_BINARY", "")
        if not self.binary or not os.access(self.binary, os.X_OK):
            raise StackError(f"E2E_AUTH_BINARY={self.binary!r} is not an executable: run the suite with tests/e2e/run")
        self.settings = dict(settings)
        self.work: Optional[Path] = None
        self.auth_proc: Optional[subprocess.Popen] = None
        self.nginx_proc: Optional[subprocess.Popen] = None
        self.failed = False

    # --- lifecycle -----------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.work = Path(tempfile.mkdtemp(prefix="auth-e2e-pair.", dir="/tmp"))
        auth_port, nginx_port = free_ports(2)
        self.direct_url = f"http://127.0.0.1:{auth_port}"
        self.base_url = f"http://127.0.0.1:{nginx_port}"
        env = {k: v for k, v in os.environ.items() if k not in _UNSET}
        env.update({
            "REQUIRE_REQUEST_ID": "true",
            "TRUSTED_PROXIES": "127.0.0.1",  # nginx, on loopback
            "PUBLIC_URL": self.base_url,
            "SQLITE_PATH": str(self.work / "auth.db"),
        })
        env.update(self.settings)
        self.env = env
        try:
            self._cli("db", "upgrade")
            with open(self.work / "auth.log", "ab") as log:
                self.auth_proc = subprocess.Popen(
                    [self.binary, "serve", "--host", "127.0.0.1", "--port", str(auth_port)],
                    cwd=self.work, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            self._wait_for("the service", self.auth_proc, self.direct_url + "/healthz",
                           {"X-Request-Id": "e2e-pair"}, self.work / "auth.log")
            with open(self.work / "nginx.out", "wb") as out, open(self.work / "nginx.err", "wb") as err:
                # The script execs nginx, so this PID is the nginx master's.
                self.nginx_proc = subprocess.Popen(
                    [str(START_NGINX), str(self.work), f"127.0.0.1:{auth_port}", f"127.0.0.1:{nginx_port}"],
                    cwd=self.work, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            self._wait_for("nginx", self.nginx_proc, self.base_url + "/healthz", {}, self.work / "nginx.err",
                           self.work / "nginx.error.log")
        except BaseException:
            self.failed = True
            try:
                self.stop()
            except StackError:
                pass  # the start-up failure is the one to report
            raise
        self.api = Client(self.base_url)
        self.direct = Client(self.direct_url)
        return self

    def stop(self):
        """Stops nginx, then the service (SIGTERM: a graceful shutdown must exit 0)."""
        _stop(self.nginx_proc, signal.SIGQUIT, 10)
        status = _stop(self.auth_proc, signal.SIGTERM, 20)
        self.nginx_proc = self.auth_proc = None
        if status not in (None, 0):
            self.failed = True
        if self.work is not None:
            if self.failed or os.environ.get("E2E_KEEP"):
                print(f"e2e pair: logs kept in {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)
        if status not in (None, 0):
            raise StackError(f"the pair's service exited with status {status} after SIGTERM (see {self.work}/auth.log)")

    # --- helpers -------------------------------------------------------------------------------

    def _cli(self, *args):
        with open(self.work / "auth.log", "ab") as log:
            result = subprocess.run([self.binary, *args], cwd=self.work, env=self.env,
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    timeout=START_TIMEOUT)
        if result.returncode != 0:
            self.failed = True
            raise StackError(f"'auth {' '.join(args[:2])}' failed with status {result.returncode}:\n"
                             f"{_tail(self.work / 'auth.log')}")

    def _wait_for(self, name, proc, url, headers, *logs):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if requests.get(url, headers=headers, timeout=2).status_code // 100 == 2:
                    return
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() >= deadline:
                why = "exited" if proc.poll() is not None else f"did not answer within {START_TIMEOUT:.0f}s"
                tails = "\n".join(f"--- {log}:\n{_tail(log)}" for log in logs)
                raise StackError(f"{name} {why} ({url})\n{tails}")
            time.sleep(0.05)

    def create_superuser(self, email: Optional[str] = None, password: Optional[str] = None):
        """`auth create superuser` on this pair's database (no HTTP request, so no rate-limit budget)."""
        email = email or f"e2e-pair-su-{uuid.uuid4().hex[:16]}@example.com"
        password = password or uuid.uuid4().hex
        self._cli("create", "superuser", email, password)
        return email, password
