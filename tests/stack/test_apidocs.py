"""/apidocs/ as an operator sees it through nginx: Swagger UI in headless Chromium, from the binary.

The page must load everything from the service (no CDN), list every operation of api/openapi.yaml,
and make a real call with "Try it out" on GET /healthz.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import requests
import yaml

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent.parent / "api" / "openapi.yaml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
BROWSER_SECONDS = 120


def documented_operations() -> set:
    spec = yaml.safe_load(SPEC.read_text())
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item if method in METHODS}


def test_the_specification_is_served_as_json_under_both_names(stack):
    expected = yaml.safe_load(SPEC.read_text())
    for name in ("/apispec_1.json", "/openapi.json"):
        resp = requests.get(stack["NGINX_URL"] + name, timeout=30)
        assert resp.status_code == 200, resp.text
        assert resp.headers["Content-Type"].startswith("application/json"), resp.headers
        assert resp.json() == json.loads(json.dumps(expected, default=str)), name


def test_swagger_ui_lists_the_operations_and_tries_one_out(stack):
    subprocess.run([str(HERE / "browser" / "install")], check=True, timeout=600)
    run = subprocess.run(["node", str(HERE / "browser" / "apidocs.mjs"), "--base-url", stack["NGINX_URL"]],
                         capture_output=True, text=True, timeout=BROWSER_SECONDS)
    assert run.stdout.strip(), run.stderr
    page = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0 and "error" not in page, (page, run.stderr)

    assert set(page["operations"]) == documented_operations(), page["operations"]
    assert page["try_it_out"]["status"] == 200, page["try_it_out"]
    assert json.loads(page["try_it_out"]["body"]) == {"status": "ok"}, page["try_it_out"]

    origin = urlsplit(stack["NGINX_URL"])
    foreign = [url for url in page["requests"] if urlsplit(url)[:2] != origin[:2]]
    assert foreign == [], f"the page loaded something from outside: {foreign}"
    assert any(urlsplit(url).path == "/healthz" for url in page["requests"]), page["requests"]
    assert page["problems"] == [], page["problems"]
