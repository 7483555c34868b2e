"""SPEC 5, switch-over and rollback: after `auth db upgrade` the original service keeps running on
the same database. Every statement it sends (replayed through its ORM models, original_orm.py) still
succeeds and means the same, rows it writes are served correctly here, and rows written here are
readable by it."""

import uuid

import pytest
from sqlalchemy.exc import IntegrityError
from urllib3.util import SKIP_HEADER
from werkzeug.security import check_password_hash

from conftest import AUTH, IVAN, SUBSCRIBER_ROLE_ID
from postgres import query


def unique_email(prefix="orm"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}@Example.org"


def test_a_user_the_original_creates_logs_in_here(service, original):
    email = unique_email()
    user = original.signup(email, "Created-by-original-1", first_name="Olga", phone="+7000")
    assert original.login(email, "Created-by-original-1", user_agent="original-agent")

    tokens = service.tokens(email.lower(), "Created-by-original-1")
    me = service.request("GET", f"{AUTH}/me", token=tokens["access_token"]).json()
    assert me["id"] == str(user.id)
    assert me["email"] == email
    assert me["profile"]["first_name"] == "Olga" and me["profile"]["phone"] == "+7000"
    history = service.request("GET", f"{AUTH}/login-history/{user.id}?per_page=10",
                              token=tokens["access_token"]).json()
    assert [item["user_agent"] for item in history["result"]] == ["switchover-test", "original-agent"]


def test_its_canonical_email_is_unique_here(service, original):
    email = unique_email()
    original.signup(email, "Created-by-original-1")
    with pytest.raises(IntegrityError):
        original.signup(email.upper(), "Created-by-original-2")
    resp = service.request("POST", f"{AUTH}/signup", json={"email": email.swapcase(), "password": "Another-pass-1"})
    assert resp.status_code == 400
    assert resp.json() == {"message": f"Email {email.swapcase()} is already exists"}


def test_its_password_and_profile_changes_are_seen_here(service, original):
    email = unique_email()
    user = original.signup(email, "First-password-1")
    original.change_password(user.id, "Second-password-2")
    original.change_profile(user.id, last_name="Changed", phone=None)
    assert service.login(email, "First-password-1").status_code == 401
    tokens = service.tokens(email, "Second-password-2")
    me = service.request("GET", f"{AUTH}/me", token=tokens["access_token"]).json()
    assert me["profile"]["last_name"] == "Changed" and me["profile"]["phone"] is None


def test_its_roles_and_assignments_are_seen_here(service, original):
    email = unique_email()
    user = original.signup(email, "Role-holder-pass-1")
    role = original.create_role(f"editor-{uuid.uuid4().hex[:6]}", "Edits")
    original.assign_role(user.id, role.id)
    original.update_role(role.id, description="Edits things")
    assert original.role_of(user.id) == role.name

    tokens = service.tokens(email, "Role-holder-pass-1")
    verified = service.request("GET", f"{AUTH}/verify-jwt", token=tokens["access_token"]).json()
    assert verified["roles"] == [role.name] and verified["role"] == role.name
    admin = service.tokens("admin@example.org", "Admin-original-3")["access_token"]
    shown = service.request("GET", f"/api/v1/roles/{role.name}", token=admin)
    assert shown.status_code == 200, shown.text
    assert shown.json() == {"id": str(role.id), "name": role.name, "description": "Edits things"}


def test_its_social_links_land_in_their_partitions_and_show_here(service, original):
    email = unique_email()
    user = original.signup(email, "Social-user-pass-1")
    original.link_social(user.id, "google", "g-" + uuid.uuid4().hex)
    original.link_social(user.id, "yandex", "y-" + uuid.uuid4().hex)
    rows = query(service.database_url,
                 "SELECT social_name, tableoid::regclass::text FROM social_account WHERE user_id = %s ORDER BY 1",
                 (str(user.id),))
    assert rows == [("google", "social_account_google"), ("yandex", "social_account_yandex")]
    tokens = service.tokens(email, "Social-user-pass-1")
    me = service.request("GET", f"{AUTH}/me", token=tokens["access_token"]).json()
    assert me["providers"] == ["google", "yandex"]


def test_a_user_created_here_is_a_complete_row_for_the_original(service, original):
    email = unique_email("ours")
    resp = service.request("POST", f"{AUTH}/signup", json={"email": email, "password": "Created-by-us-1"})
    assert resp.status_code == 201, resp.text
    user = original.user_by_email(email)
    assert user is not None
    assert user.is_active is True and user.is_superuser is False and user.date_joined is not None
    assert service.login(email, "Created-by-us-1").status_code == 200
    assert original.history_of(user.id)[0][0] == "switchover-test"


def test_a_login_here_without_user_agent_writes_a_row_the_original_reads(service, original):
    email = unique_email("ours")
    assert service.request("POST", f"{AUTH}/signup", json={"email": email, "password": "Created-by-us-1"}).status_code == 201
    resp = service.request("POST", f"{AUTH}/login", json={"email": email, "password": "Created-by-us-1"},
                           headers={"User-Agent": SKIP_HEADER})
    assert resp.status_code == 200, resp.text
    user = original.user_by_email(email)
    assert [agent for agent, _ in original.history_of(user.id)] == [""]


def test_with_werkzeug_hashes_a_user_created_here_logs_in_to_the_original(adopted, serve, original):
    service = serve(adopted, WRITE_WERKZEUG_HASHES="true")
    email = unique_email("ours")
    resp = service.request("POST", f"{AUTH}/signup", json={"email": email, "password": "Rollback-safe-1"})
    assert resp.status_code == 201, resp.text
    user = original.user_by_email(email)
    assert user.password_hash.startswith("pbkdf2:sha256:")
    assert check_password_hash(user.password_hash, "Rollback-safe-1")
    assert original.login(email, "Rollback-safe-1")


def test_several_roles_per_user_here_while_the_original_reads_one(service, original):
    admin = service.tokens("admin@example.org", "Admin-original-3")["access_token"]
    email, password, ivan_id = IVAN
    role = original.create_role(f"extra-{uuid.uuid4().hex[:6]}")
    assigned = service.request("POST", f"/api/v1/users/{ivan_id}/roles/{role.id}", token=admin)
    assert assigned.status_code == 200, assigned.text
    verified = service.request("GET", f"{AUTH}/verify-jwt", token=service.tokens(email, password)["access_token"])
    assert sorted(verified.json()["roles"]) == sorted([role.name, "subscriber"])
    assert original.role_of(ivan_id) in {role.name, "subscriber"}
    assert query(service.database_url, "SELECT count(*) FROM usersroles WHERE user_id = %s AND role_id = %s",
                 (ivan_id, SUBSCRIBER_ROLE_ID)) == [(1,)]
