"""SPEC 5: `auth db upgrade` takes over a database the original service created itself, and its
users go on as before: they log in with their passwords, keep their roles, links and history."""

import base64
import json

import pytest

from conftest import ADMIN, AUTH, IVAN, MARIA, auth_cli
from postgres import query

ORIGINAL_TABLES = {
    '"user"': "id, email, password_hash, is_active, is_superuser, date_joined",
    "profile": "id, user_id, first_name, last_name, phone",
    "login_histories": "id, user_id, user_agent, authentication_date",
    "role": "id, name, description",
    "usersroles": "id, user_id, role_id",
    "social_account": "id, user_id, social_id, social_name",
    "alembic_version": "version_num",
}


def snapshot(database_url):
    return {table: query(database_url, f"SELECT {columns} FROM {table} ORDER BY 1")
            for table, columns in ORIGINAL_TABLES.items()}


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_upgrade_keeps_every_row_and_a_second_run_changes_nothing(original_db):
    before = snapshot(original_db)
    assert len(before['"user"']) == 3 and len(before["login_histories"]) == 4

    first = auth_cli(original_db, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert "adopted the original service's database (alembic revision 6883623fa6f0)" in first.stdout
    assert "applied 0001" not in first.stdout
    assert snapshot(original_db) == before

    second = auth_cli(original_db, "db", "upgrade")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "database is up to date"
    assert snapshot(original_db) == before


@pytest.mark.parametrize("email, password, _id", [IVAN, MARIA, ADMIN])
def test_each_user_logs_in_and_the_werkzeug_hash_becomes_argon2id(service, email, password, _id):
    assert service.login(email, password + "x").status_code == 401
    assert service.login(email, password).status_code == 200
    (stored,) = query(service.database_url, 'SELECT password_hash FROM "user" WHERE id = %s', (_id,))
    assert stored[0].startswith("$argon2id$"), stored
    assert service.login(email, password).status_code == 200


def test_with_werkzeug_hashes_kept_the_original_can_still_check_them(adopted, serve, original):
    service = serve(adopted, WRITE_WERKZEUG_HASHES="true")
    email, password, _ = IVAN
    assert service.login(email, password).status_code == 200
    (stored,) = query(adopted, 'SELECT password_hash FROM "user" WHERE email = %s', (email,))
    assert stored[0].startswith("pbkdf2:sha256:"), stored
    assert original.login(email, password), "the original checks the hash we left"


@pytest.mark.parametrize("typed", ["Maria.Smirnova@Example.ORG", "maria.smirnova@example.org",
                                   "MARIA.SMIRNOVA@EXAMPLE.ORG", "  Maria.Smirnova@example.org "])
def test_maria_logs_in_with_her_email_in_any_case(service, typed):
    resp = service.login(typed, MARIA[1])
    assert resp.status_code == 200, resp.text


def test_ivan_keeps_his_subscriber_role_in_verify_jwt_and_in_his_next_token(service):
    email, password, ivan_id = IVAN
    tokens = service.tokens(email, password)
    verified = service.request("GET", f"{AUTH}/verify-jwt", token=tokens["access_token"])
    assert verified.status_code == 200, verified.text
    assert verified.json() == {"id": ivan_id, "is_superuser": False, "role": "subscriber",
                               "roles": ["subscriber"]}
    assert claims_of(tokens["access_token"])["roles"] == ["subscriber"]
    refreshed = service.request("POST", f"{AUTH}/refresh-token", token=tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert claims_of(refreshed.json()["tokens"]["access_token"])["roles"] == ["subscriber"]


def test_maria_me_lists_her_yandex_link_and_her_profile(service):
    tokens = service.tokens(MARIA[0], MARIA[1])
    me = service.request("GET", f"{AUTH}/me", token=tokens["access_token"])
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["id"] == MARIA[2]
    assert body["email"] == "Maria.Smirnova@Example.ORG"
    assert body["providers"] == ["yandex"]
    assert body["profile"]["first_name"] == "Maria" and body["profile"]["last_name"] is None
    assert body["date_joined"].startswith("2026-12-05T03:04:01.298362")
    assert body["has_password"] is True


def test_the_admin_is_still_a_superuser(service):
    tokens = service.tokens(ADMIN[0], ADMIN[1])
    roles = service.request("GET", "/api/v1/roles/", token=tokens["access_token"])
    assert roles.status_code == 200, roles.text
    assert [r["name"] for r in roles.json()["roles"]] == ["admin", "subscriber"]
    assert roles.json()["roles"][1]["description"] == "Paid subscription"


def test_login_history_shows_the_originals_rows(service):
    email, password, ivan_id = IVAN
    tokens = service.tokens(email, password)
    history = service.request("GET", f"{AUTH}/login-history/{ivan_id}?page=1&per_page=10",
                              token=tokens["access_token"])
    assert history.status_code == 200, history.text
    body = history.json()
    assert body["total_items"] == 4
    assert [item["user_agent"] for item in body["result"]] == [
        "switchover-test", "curl/7.88.1", "okhttp/4.9.3", "Mozilla/5.0 (Windows NT 10.0) Chrome/119.0"]
    assert body["result"][1]["authentication_date"].startswith("2026-12-05T03:04:01.812634")


def test_signup_of_a_taken_email_in_another_case_is_refused(service):
    resp = service.request("POST", f"{AUTH}/signup",
                           json={"email": "IVAN.PETROV@example.org", "password": "Another-password-1"})
    assert resp.status_code == 400
    assert resp.json() == {"message": "Email IVAN.PETROV@example.org is already exists"}


def test_an_inactive_account_cannot_log_in_or_use_its_tokens(adopted, serve):
    service = serve(adopted)
    email, password, ivan_id = IVAN
    tokens = service.tokens(email, password)
    query(adopted, 'UPDATE "user" SET is_active = false WHERE id = %s', (ivan_id,))
    # A fresh instance (no cached user) sees the flag at once.
    other = serve(adopted)
    assert other.login(email, password).status_code == 401
    verified = other.request("GET", f"{AUTH}/verify-jwt", token=tokens["access_token"])
    assert verified.status_code == 401 and verified.json() == {"msg": "Token has been revoked"}
    refreshed = other.request("POST", f"{AUTH}/refresh-token", token=tokens["refresh_token"])
    assert refreshed.status_code == 401
