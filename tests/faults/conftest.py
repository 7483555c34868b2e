"""Fixtures of the fault-injection suite: servers this suite starts itself, so it may pause, kill
and restart them (never a server it did not start), and the service under test."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import requests

from auth_process import AuthProcess, free_port, stop_process
from postgres import admin_execute, with_database

AUTH_BINARY = os.environ.get("AUTH_BINARY", "")
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "faults-password-1"


class RedisServer:
    """redis-server on a free loopback port, with its snapshot file in `workdir`."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.proc = None
        self.start()

    def start(self, attempts=3):
        for attempt in range(attempts):
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                 str(self.workdir), "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
                 "--maxmemory-policy", "noeviction"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if self.client().ping():
                        return
                except redis.RedisError:
                    time.sleep(0.05)
            stop_process(self.proc, grace_seconds=2)
            if attempt + 1 < attempts:
                self.port = free_port()  # taken between the check and the bind: another one
        raise RuntimeError("redis-server did not start")

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def kill(self):
        """SIGKILL: nothing is saved on the way out."""
        self.proc.send_signal(signal.SIGCONT)
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            stop_process(self.proc, grace_seconds=5)


class TcpProxy:
    """A loopback TCP proxy that forwards, cuts every connection and refuses new ones, or stalls
    (accepts and holds connections without forwarding a byte)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.mode = "pass"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):  # when it stands in front of Redis
        return f"redis://127.0.0.1:{self.port}/0"

    def set_mode(self, mode: str):
        self.mode = mode
        if mode == "cut":
            with self.lock:
                for sock in self.connections:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
                self.connections.clear()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "cut":
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source, sink):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.mode == "stall" and not self.closed:
                time.sleep(0.02)
            if self.mode == "cut":
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self):
        self.closed = True
        self.listener.close()
        self.set_mode("cut")


class Service:
    """`auth serve` on a database of this test's own (PostgreSQL, or a SQLite file)."""

    def __init__(self, mode: str, workdir: Path, redis_url=None, database_port=None, **settings):
        self.mode = mode
        self.workdir = workdir
        self.db_name = None
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DB_", "REDIS_", "JWT_", "AUTH_", "APP_")) and k != "DATABASE_URL"}
        env.update(LOG_LEVEL="warn", REQUEST_LIMIT_PER_MINUTE="1000000000", REDIS_TIMEOUT_MS="300",
                   AUTH_KEY_ENCRYPTION_KEY=secrets.token_hex(32), LOGIN_DELAY_BASE_MS="0")
        if mode == "production":
            self.db_name = "auth_faults_" + uuid.uuid4().hex[:12]
            admin_execute(ADMIN_URL, f"CREATE DATABASE {self.db_name}")
            database_url = with_database(ADMIN_URL, self.db_name)
            if database_port:  # reached through a proxy on this port
                parts = urlsplit(database_url)
                netloc = parts.netloc.rsplit(":", 1)[0] + f":{database_port}"
                database_url = urlunsplit(parts._replace(netloc=netloc))
            env.update(DATABASE_URL=database_url, REDIS_URL=redis_url,
                       REDIS_KEY_PREFIX=f"faults-{uuid.uuid4().hex[:8]}:")
        else:
            env["SQLITE_PATH"] = str(workdir / "auth.db")
        env.update({k: str(v) for k, v in settings.items()})
        self.env = env
        self.process = None
        self.start()

    def start(self, attempts=3):
        for attempt in range(attempts):
            self.port = free_port()
            try:
                self.process = AuthProcess(AUTH_BINARY, self.port, self.env, str(self.workdir))
                break
            except RuntimeError:
                if attempt + 1 == attempts:  # else the port was taken before the bind: another
                    raise
        self.base = self.process.base

    @property
    def pid(self):
        return self.process.proc.pid

    def kill9(self):
        self.process.proc.kill()
        self.process.proc.wait()
        self.process.log.close()

    def output(self):
        return self.process.output()

    def stop(self):
        if self.process.proc.poll() is None:
            self.process.stop()

    def drop(self):
        if self.db_name:
            admin_execute(ADMIN_URL, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")


class Api:
    """The HTTP contract, one short-timeout call per method."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def call(self, method, path, token=None, timeout=10, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.base + path, headers=headers, timeout=timeout, **kwargs)

    def signup(self, email):
        return self.call("POST", "/api/v1/auth/signup", json={"email": email, "password": PASSWORD})

    def login(self, email):
        return self.call("POST", "/api/v1/auth/login", json={"email": email, "password": PASSWORD})

    def verify(self, access):
        return self.call("GET", "/api/v1/auth/verify-jwt", token=access)

    def refresh(self, refresh_token):
        return self.call("POST", "/api/v1/auth/refresh-token", token=refresh_token)

    def logout(self, refresh_token):
        return self.call("DELETE", "/api/v1/auth/logout", token=refresh_token)

    def session(self, email):
        """A new account and its first pair."""
        assert self.signup(email).status_code == 201
        answer = self.login(email)
        assert answer.status_code == 200, answer.text
        pair = pair_of(answer)
        return pair["access_token"], pair["refresh_token"]


def pair_of(answer) -> dict:
    """The token pair of a login or refresh answer ({"tokens": {...}})."""
    return answer.json()["tokens"]


def email() -> str:
    return f"faults-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture
def workdir():
    directory = Path(tempfile.mkdtemp(prefix="auth-faults-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def redis_server(workdir):
    server = RedisServer(workdir)
    yield server
    server.stop()


@pytest.fixture
def services():
    """Starts services and always stops them (and drops their databases)."""
    started = []

    def start(*args, **kwargs):
        service = Service(*args, **kwargs)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
        service.drop()


def assert_outage_answer(answer, allowed=(200,)):
    """During an outage: the normal answer, or 503 with Retry-After; never a 4xx or 500 made up."""
    assert answer.status_code in allowed or answer.status_code == 503, \
        f"{answer.status_code} {answer.text}"
    if answer.status_code == 503:
        assert answer.headers.get("Retry-After"), "a 503 says when to retry"
