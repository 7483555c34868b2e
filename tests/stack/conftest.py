"""The stack the suite runs against: deploy/local-stack's stack.env, which tests/stack/run passes as STACK_ENV."""

import os
from pathlib import Path

import pytest


def read_env(path: str) -> dict:
    pairs = (line.split("=", 1) for line in Path(path).read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs}


@pytest.fixture(scope="session")
def stack() -> dict:
    """NGINX_URL, AUTH_1_URL, AUTH_2_URL, OTLP_ENDPOINT, AUTH_1_LOG, AUTH_2_LOG, ... (deploy/local-stack)."""
    path = os.environ.get("STACK_ENV")
    if not path:
        pytest.fail("STACK_ENV is not set: run the suite with tests/stack/run <auth binary>", pytrace=False)
    return read_env(path)
