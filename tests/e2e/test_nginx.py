"""What the production nginx config (deploy/nginx/auth.conf) promises on top of the service."""

from conftest import describe, expect_error_json, expect_json


def test_metrics_are_not_published_through_nginx(api):
    expect_error_json(api.get("/metrics"), 404)


def test_well_known_passes_through(api):
    expect_json(api.get("/.well-known/jwks.json"), 200)
    expect_json(api.get("/.well-known/openid-configuration"), 200)


def test_readyz_passes_through(api):
    resp = api.get("/readyz")
    assert resp.status_code == 200, describe(resp)
