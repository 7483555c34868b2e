"""Fixtures of the switch-over suite: the original's database, `auth db upgrade`, `auth serve`.

Everything here is real: PostgreSQL and Redis started by scripts/services (TEST_DATABASE_URL,
TEST_REDIS_URL), the database loaded from the original's own dump with psql, and the auth binary
(AUTH_BINARY) run as an operator would. Processes are ours and are stopped by PID.
"""

import os
import secrets
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import redis
import requests

from auth_process import AuthProcess, free_port
from postgres import admin_execute, with_database
from original_orm import Original

REPO = Path(__file__).resolve().parents[2]
DUMP = REPO / "tests" / "data" / "original_6883623fa6f0.sql"
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
AUTH_BINARY = os.environ.get("AUTH_BINARY", "")
# Seals the signing keys in this run's databases (each made from the dump for this run).
KEY_ENCRYPTION_KEY = secrets.token_hex(32)

# The users of tests/data/original_6883623fa6f0.README.md: email as stored, password, id.
IVAN = ("ivan.petrov@example.org", "Ivan-original-1", "8c3a35e4-6e67-490f-8ba4-a35c030bc8b1")
MARIA = ("Maria.Smirnova@Example.ORG", "Maria-original-2", "32af6e14-6a1d-4509-832d-142b3dd5939f")
ADMIN = ("admin@example.org", "Admin-original-3", "13271281-b786-48b1-bec0-704400d1ab0b")
SUBSCRIBER_ROLE_ID = "a34d11a3-c2b5-498a-9ecc-f6a14bff26aa"

AUTH = "/api/v1/auth"


@pytest.fixture(scope="session", autouse=True)
def _environment():
    if not (ADMIN_URL and REDIS_URL and AUTH_BINARY):
        pytest.fail("TEST_DATABASE_URL, TEST_REDIS_URL and AUTH_BINARY are required (tests/switchover/run)")


@pytest.fixture
def original_db():
    """A database the original service created and filled (its dump, loaded with psql)."""
    name = "auth_switchover_" + uuid.uuid4().hex[:16]
    admin_execute(ADMIN_URL, f"CREATE DATABASE {name}")
    url = with_database(ADMIN_URL, name)
    try:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(DUMP)],
                       check=True, stdout=subprocess.DEVNULL)
        yield url
    finally:
        admin_execute(ADMIN_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def base_env(database_url: str, **settings) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DB_", "REDIS_", "JWT_", "AUTH_", "APP_")) and k != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL,
               REDIS_KEY_PREFIX=f"switchover-{uuid.uuid4().hex[:8]}:",
               REQUEST_LIMIT_PER_MINUTE="100000", LOG_LEVEL="warn",
               AUTH_KEY_ENCRYPTION_KEY=KEY_ENCRYPTION_KEY)
    env.update({k: str(v) for k, v in settings.items()})
    return env


def auth_cli(database_url: str, *args, **settings) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as work:
        return subprocess.run([AUTH_BINARY, *args], env=base_env(database_url, **settings), cwd=work,
                              capture_output=True, text=True, timeout=120)


@pytest.fixture
def adopted(original_db):
    """The original's database after `auth db upgrade`."""
    upgraded = auth_cli(original_db, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "adopted the original service's database" in upgraded.stdout, upgraded.stdout
    return original_db


class Service:
    """`auth serve` on a free loopback port, over the given database and the shared Redis."""

    def __init__(self, database_url: str, **settings):
        self.database_url = database_url
        self.work = tempfile.TemporaryDirectory()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = AuthProcess(AUTH_BINARY, self.port, base_env(database_url, **settings), self.work.name)

    def output(self) -> str:
        return self.process.output()

    def stop(self):
        self.process.stop()
        self.work.cleanup()

    def request(self, method, path, token=None, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def login(self, email, password, user_agent="switchover-test"):
        return self.request("POST", f"{AUTH}/login", json={"email": email, "password": password},
                            headers={"User-Agent": user_agent})

    def tokens(self, email, password):
        resp = self.login(email, password)
        assert resp.status_code == 200, resp.text
        return resp.json()["tokens"]


@pytest.fixture
def serve():
    """serve(database_url, **settings) -> a running Service; all are stopped at the end."""
    started = []

    def start(database_url, **settings):
        service = Service(database_url, **settings)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


@pytest.fixture
def service(adopted, serve):
    return serve(adopted)


@pytest.fixture
def original(adopted):
    """The original service's statements, sent by its ORM to the upgraded database."""
    orm = Original(adopted)
    yield orm
    orm.close()


@pytest.fixture
def original_redis():
    """The original's Redis database (0), where it lists the jtis it revoked."""
    client = redis.Redis.from_url(with_database(REDIS_URL, "0"))
    yield client
    client.close()


def hs256_secret() -> str:
    return secrets.token_hex(32)
