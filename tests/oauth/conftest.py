"""Fixtures of the social login suite: real providers on loopback and the service configured to them.

Providers (all started by this suite, stopped by PID at the end):
- stand-ins for yandex, vk, mail, github, facebook and twitter (standins/provider_standin.py,
  written from each provider's documentation);
- oidc-provider (npm) as "google" and as the generic OIDC provider "corp", with its own login page;
- oauth2-mock-server (npm) as the generic OIDC providers mock-ok, mock-nonce, mock-aud,
  mock-expired and mock-badsig, each with one deliberate id_token fault;
- "down": a generic OIDC provider whose discovery URL has nobody listening.
The service runs in embedded mode and, when TEST_DATABASE_URL and TEST_REDIS_URL are set, on
PostgreSQL + Redis (a database of its own).
"""

import json
import os
import secrets
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from auth_process import AuthProcess, free_port, stop_process
from postgres import admin_execute, query, with_database

HERE = Path(__file__).resolve().parent
STANDIN = HERE / "standins" / "provider_standin.py"
OIDC = HERE / "oidc"
AUTH_BINARY = os.environ.get("AUTH_BINARY", "")
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
STANDIN_PROVIDERS = ["yandex", "vk", "mail", "github", "facebook", "twitter"]
MOCK_MODES = {"mock-ok": "ok", "mock-nonce": "wrong-nonce", "mock-aud": "wrong-audience",
              "mock-expired": "expired", "mock-badsig": "bad-signature"}
OIDC_ACCOUNTS = {
    "alice": {"email": "alice@corp.example", "email_verified": True, "given_name": "Alice",
              "family_name": "Liddell", "password": "alice-pass"},
    "bob": {"email": "bob@corp.example", "email_verified": False, "given_name": "Bob",
            "family_name": "Builder", "password": "bob-pass"},
}
MODES = ["embedded"] + (["production"] if ADMIN_URL and REDIS_URL else [])


class Process:
    """A child process that announces itself with one JSON line on stdout."""

    def __init__(self, command, cwd=None):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            raise RuntimeError(f"{command[0:3]} did not start: {self.log.read()[-2000:]}")
        self.info = json.loads(line)

    def stop(self):
        stop_process(self.proc, grace_seconds=10)


class Providers:
    def __init__(self, service_ports):
        self.processes = []
        self.standins = {}
        for name in STANDIN_PROVIDERS:
            p = self._start(["/usr/bin/python3", str(STANDIN), "--provider", name, "--port", "0"])
            self.standins[name] = p.info
        self.oidc_secret = {"google": secrets.token_urlsafe(24) + "+/%", "corp": secrets.token_urlsafe(24)}
        clients = []
        for name in ("google", "corp"):
            clients.append({
                "client_id": f"{name}-client",
                "client_secret": self.oidc_secret[name],
                "redirect_uris": [f"http://127.0.0.1:{port}/api/v1/oauth/{name}/auth" for port in service_ports],
                "token_endpoint_auth_method": "client_secret_basic",
            })
        config = {"clients": clients, "accounts": OIDC_ACCOUNTS, "require_pkce": True}
        self.oidc = self._start(["node", "provider.mjs", "--config-json", json.dumps(config)], cwd=OIDC).info
        self.mocks = {}
        for name, mode in MOCK_MODES.items():
            self.mocks[name] = self._start(["node", "mock_provider.mjs", "--mode", mode,
                                            "--sub", f"{name}-subject", "--email", f"{name}@mock.example"],
                                           cwd=OIDC).info

    def _start(self, command, cwd=None):
        process = Process(command, cwd)
        self.processes.append(process)
        return process

    def stop(self):
        for process in self.processes:
            process.stop()

    def env(self) -> dict:
        env = {}
        for info in self.standins.values():
            env.update(info["env"])
        env.update(GOOGLE_CLIENT_ID="google-client", GOOGLE_CLIENT_SECRET=self.oidc_secret["google"],
                   GOOGLE_AUTH_URL=self.oidc["discovery"])
        generic = ["corp", *self.mocks, "down"]
        env["OAUTH_OIDC_PROVIDERS"] = ",".join(generic)
        env.update(OAUTH_CORP_DISCOVERY_URL=self.oidc["discovery"], OAUTH_CORP_CLIENT_ID="corp-client",
                   OAUTH_CORP_CLIENT_SECRET=self.oidc_secret["corp"])
        for name, info in self.mocks.items():
            key = "OAUTH_" + name.upper().replace("-", "_")
            env.update({f"{key}_DISCOVERY_URL": info["discovery"], f"{key}_CLIENT_ID": f"{name}-client",
                        f"{key}_CLIENT_SECRET": "mock-secret"})
        env.update(OAUTH_DOWN_DISCOVERY_URL=f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration",
                   OAUTH_DOWN_CLIENT_ID="down-client", OAUTH_DOWN_CLIENT_SECRET="down-secret")
        return env

    def control(self, provider, path, body=None, method="POST"):
        url = self.standins[provider]["control_url"] + path
        resp = requests.request(method, url, json=body, timeout=10)
        resp.raise_for_status()
        return resp.json() if resp.content else None


class Service:
    """`auth serve` on its own port, in one mode, configured to every provider."""

    def __init__(self, mode, port, provider_env, **settings):
        self.mode = mode
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.work = tempfile.TemporaryDirectory()
        self.database_url = None
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DB_", "REDIS_", "JWT_", "AUTH_", "APP_", "OAUTH_")) and k != "DATABASE_URL"}
        env.update(provider_env)
        env.update(OAUTH_REDIRECT_BASE_URL=self.base, REQUEST_LIMIT_PER_MINUTE="100000", LOG_LEVEL="warn",
                   OUTBOUND_TIMEOUT_MS="2000")
        if mode == "production":
            self.db_name = "auth_oauth_" + uuid.uuid4().hex[:12]
            admin_execute(ADMIN_URL, f"CREATE DATABASE {self.db_name}")
            self.database_url = with_database(ADMIN_URL, self.db_name)
            # A database of its own, so a key-encryption key of its own (made here, at test time).
            env.update(DATABASE_URL=self.database_url, REDIS_URL=REDIS_URL,
                       REDIS_KEY_PREFIX=f"oauth-{uuid.uuid4().hex[:8]}:",
                       AUTH_KEY_ENCRYPTION_KEY=secrets.token_hex(32))
        else:
            env["SQLITE_PATH"] = str(Path(self.work.name) / "auth.db")
        env.update({k: str(v) for k, v in settings.items()})
        try:
            self.process = AuthProcess(AUTH_BINARY, port, env, self.work.name)
        except RuntimeError:
            self.drop_database()
            raise

    def output(self):
        return self.process.output()

    def stop(self):
        self.process.stop()
        self.drop_database()

    def drop_database(self):
        if self.mode == "production":
            admin_execute(ADMIN_URL, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")

    def query(self, sql, params=()):
        return query(self.database_url, sql, params)


class Browser:
    """One browser (one cookie jar) driving flows without a page to click: the stand-ins and the
    mock provider redirect straight back."""

    def __init__(self, service):
        self.service = service
        self.http = requests.Session()

    def get(self, path, **kwargs):
        return self.http.get(self.service.base + path, allow_redirects=False, timeout=30, **kwargs)

    def start(self, provider):
        """GET /login; the provider's authorization URL."""
        resp = self.get(f"/api/v1/oauth/{provider}/login")
        assert resp.status_code == 302, resp.text
        return resp.headers["Location"]

    def authorize(self, url, **extra):
        """The provider's answer to the authorization URL: the callback URL it redirects to."""
        if extra:
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            query.update(extra)
            url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
        resp = self.http.get(url, allow_redirects=False, timeout=30)
        assert resp.status_code in (302, 303), resp.text
        return resp.headers["Location"].split("#")[0]

    def callback(self, url):
        return self.http.get(url, allow_redirects=False, timeout=30)

    def login(self, provider, **extra):
        return self.callback(self.authorize(self.start(provider), **extra))


def tokens_of(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()["tokens"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def service_ports():
    return [free_port() for _ in range(8)]


@pytest.fixture(scope="session")
def providers(service_ports):
    if not AUTH_BINARY:
        pytest.fail("AUTH_BINARY is required (tests/oauth/run)")
    started = Providers(service_ports)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def start_service(providers, service_ports):
    """start_service(mode, **settings): a Service on one of the registered ports."""
    free = list(service_ports)
    running = []

    def start(mode, **settings):
        service = Service(mode, free.pop(0), providers.env(), **settings)
        running.append(service)
        return service

    yield start
    for service in running:
        if service.process.proc.poll() is not None:
            print(f"\n--- auth serve ({service.mode}) exited with {service.process.proc.returncode}:\n{service.output()[:12000]}")
        service.stop()


@pytest.fixture(scope="session", params=MODES)
def service(request, start_service):
    return start_service(request.param)


@pytest.fixture
def browser(service):
    return Browser(service)
