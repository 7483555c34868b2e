"""Roles and user roles (SPEC section 2): /api/v1/roles and /api/v1/users/<user_id>/roles/<role_id>.

"Admin" = a superuser (the runner's, made by `auth create superuser`) or a holder of the role named
`admin`; anyone else gets 403, no token 401. Role names are unique per test (the database is shared
between runs in production mode); the `admin` role is looked up by name, made if missing, and never
deleted. Roles a test makes are deleted after it.
"""

import uuid
from dataclasses import dataclass
from typing import Optional

import pytest

from conftest import (
    MSG_ACCESS_ERROR, MSG_MISSING_HEADER, MSG_ONLY_ACCESS, ROLES, USERS, describe, expect_error_json, expect_json,
    expect_message, expect_msg, is_uuid, login, signup, verify,
)

ROLES_ROOT = f"{ROLES}/"


def role_name(prefix: str = "role") -> str:
    return f"e2e-{prefix}-{uuid.uuid4().hex[:12]}"


def role_path(role_id: str) -> str:
    return f"{ROLES}/{role_id}"


def user_role_path(user_id: str, role_id: str) -> str:
    return f"{USERS}/{user_id}/roles/{role_id}"


def msg_no_data(role_id: str) -> str:
    return f"There is no data with id = {role_id}."


def msg_no_role(name: str) -> str:
    return f"There is no role with name = {name}"


@dataclass
class Role:
    id: str
    name: str
    description: Optional[str]


def get_role(api, token: str, name: str) -> Role:
    body = expect_json(api.get(role_path(name), token=token), 200)
    assert set(body) == {"id", "name", "description"}, body
    assert is_uuid(body["id"]) and body["name"] == name, body
    return Role(body["id"], body["name"], body["description"])


def verify_body(api, tokens) -> dict:
    return expect_json(verify(api, tokens.access), 200)


@pytest.fixture
def admin_token(superuser) -> str:
    return superuser.tokens.access


@pytest.fixture
def make_role(api, admin_token):
    """make_role(prefix=..., description=...) -> Role, made by the superuser; deleted after the test."""
    made = []

    def make(prefix: str = "role", description: Optional[str] = "made by the e2e suite", name: Optional[str] = None) -> Role:
        name = name or role_name(prefix)
        body = {"name": name} if description is None else {"name": name, "description": description}
        created = expect_json(api.post(ROLES_ROOT, json=body, token=admin_token), 200)
        assert created["name"] == name, created
        role = get_role(api, admin_token, name)
        made.append(role.id)
        return role

    yield make
    for role_id in made:
        resp = api.delete(role_path(role_id), token=admin_token)
        assert resp.status_code in (204, 404), describe(resp)


@pytest.fixture(scope="session")
def admin_role(api, superuser) -> Role:
    """The role named `admin`: made if this database has none yet (a shared one may), never deleted."""
    token = superuser.tokens.access
    resp = api.get(role_path("admin"), token=token)
    if resp.status_code == 404:
        expect_json(api.post(ROLES_ROOT, json={"name": "admin", "description": "Administrators"}, token=token), 200)
    else:
        expect_json(resp, 200)
    return get_role(api, token, "admin")


def assign(api, token, user_id, role_id) -> str:
    body = expect_json(api.post(user_role_path(user_id, role_id), token=token), 200)
    assert set(body) == {"id"} and is_uuid(body["id"]), body
    return body["id"]


# --- roles ---------------------------------------------------------------------------------------


def test_create_role(api, admin_token):
    name = role_name("create")
    resp = api.post(ROLES_ROOT, json={"name": name, "description": "Can create things"}, token=admin_token)
    assert expect_json(resp, 200) == {"name": name, "description": "Can create things"}, describe(resp)
    role = get_role(api, admin_token, name)
    assert role.description == "Can create things"
    assert api.delete(role_path(role.id), token=admin_token).status_code == 204


def test_create_role_without_description(api, admin_token, make_role):
    role = make_role("nodesc", description=None)
    body = expect_json(api.get(role_path(role.name), token=admin_token), 200)
    assert set(body) == {"id", "name", "description"} and body["name"] == role.name, body


def test_create_duplicate_role(api, admin_token, make_role):
    role = make_role("dup")
    resp = api.post(ROLES_ROOT, json={"name": role.name, "description": "again"}, token=admin_token)
    expect_message(resp, 409, f"<Role {role.name}> already exists.")
    assert get_role(api, admin_token, role.name) == role  # unchanged


@pytest.mark.parametrize("body, errors", [
    ({"description": "no name"}, {"name": ["Missing data for required field."]}),
    ({}, {"name": ["Missing data for required field."]}),
    ({"name": 42}, {"name": ["Not a valid string."]}),
], ids=["missing-name", "empty-body", "name-not-a-string"])
def test_create_role_validation(api, admin_token, body, errors):
    expect_message(api.post(ROLES_ROOT, json=body, token=admin_token), 400, errors)


def test_create_role_unknown_field(api, admin_token):
    name = role_name("unknown-field")
    resp = api.post(ROLES_ROOT, json={"name": name, "colour": "red"}, token=admin_token)
    expect_message(resp, 400, {"colour": ["Unknown field."]})
    expect_message(api.get(role_path(name), token=admin_token), 404, msg_no_role(name))  # not created


def test_create_role_malformed_json(api, admin_token):
    resp = api.post(ROLES_ROOT, data=b'{"name": ', headers={"Content-Type": "application/json"}, token=admin_token)
    expect_error_json(resp, 400)


def test_list_roles_in_creation_order(api, admin_token, make_role):
    # Names chosen so that creation order is neither alphabetical nor reverse alphabetical.
    made = [make_role("mike", "second letter M"), make_role("alpha", "first A"), make_role("zulu", None)]
    body = expect_json(api.get(ROLES_ROOT, token=admin_token), 200)
    assert set(body) == {"roles"} and isinstance(body["roles"], list), body
    for entry in body["roles"]:
        assert set(entry) == {"name", "description"}, entry
    ours = {role.name for role in made}
    listed = [entry for entry in body["roles"] if entry["name"] in ours]
    assert listed == [{"name": role.name, "description": role.description} for role in made], body


def test_list_roles_without_slash_redirects(api, admin_token):
    resp = api.get(ROLES, token=admin_token, allow_redirects=False)
    assert resp.status_code == 308, describe(resp)
    assert resp.headers.get("Location", "").endswith("/api/v1/roles/"), describe(resp)


def test_get_role_by_name(api, admin_token, make_role):
    role = make_role("get", "Readers")
    body = expect_json(api.get(role_path(role.name), token=admin_token), 200)
    assert body == {"id": role.id, "name": role.name, "description": "Readers"}


def test_get_unknown_role(api, admin_token):
    name = role_name("nobody")
    expect_message(api.get(role_path(name), token=admin_token), 404, msg_no_role(name))


def test_patch_role(api, admin_token, make_role):
    role = make_role("patch", "before")
    new_name = role_name("patched")
    resp = api.patch(role_path(role.id), json={"name": new_name, "description": "after"}, token=admin_token)
    assert expect_json(resp, 200) == {"name": new_name, "description": "after"}, describe(resp)
    assert get_role(api, admin_token, new_name) == Role(role.id, new_name, "after")
    expect_message(api.get(role_path(role.name), token=admin_token), 404, msg_no_role(role.name))
    # Only the description: the name stays.
    resp = api.patch(role_path(role.id), json={"description": "only this"}, token=admin_token)
    assert expect_json(resp, 200) == {"name": new_name, "description": "only this"}, describe(resp)


def test_patch_unknown_role(api, admin_token):
    role_id = str(uuid.uuid4())
    resp = api.patch(role_path(role_id), json={"description": "x"}, token=admin_token)
    expect_message(resp, 404, msg_no_data(role_id))


def test_patch_onto_an_existing_name(api, admin_token, make_role):
    first, second = make_role("first", "one"), make_role("second", "two")
    resp = api.patch(role_path(second.id), json={"name": first.name}, token=admin_token)
    expect_error_json(resp, 409)
    assert get_role(api, admin_token, first.name) == first
    assert get_role(api, admin_token, second.name) == second


def test_delete_role(api, admin_token, make_role):
    role = make_role("delete")
    resp = api.delete(role_path(role.id), token=admin_token)
    assert resp.status_code == 204, describe(resp)
    assert resp.content == b"", describe(resp)
    expect_message(api.delete(role_path(role.id), token=admin_token), 404, msg_no_data(role.id))
    expect_message(api.get(role_path(role.name), token=admin_token), 404, msg_no_role(role.name))
    names = [entry["name"] for entry in expect_json(api.get(ROLES_ROOT, token=admin_token), 200)["roles"]]
    assert role.name not in names


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_role_id_not_a_uuid(api, admin_token, make_role, method):
    """R5 says 404 for a non-UUID where a UUID is expected, but /api/v1/roles/<x> is also a known path
    (GET by name), where a wrong method is 405 (what Flask's router answers too): either, in JSON."""
    role = make_role("not-uuid")
    resp = api.request(method, role_path(role.name), json={"description": "x"}, token=admin_token)
    assert resp.status_code in (404, 405), describe(resp)
    expect_error_json(resp, resp.status_code)
    assert get_role(api, admin_token, role.name) == role  # the name did not reach the role


# --- user roles ----------------------------------------------------------------------------------


def test_assign_check_revoke(api, admin_token, make_role, user):
    role = make_role("assign")
    path = user_role_path(user.id, role.id)
    assert expect_json(api.get(path, token=admin_token), 200) == {"exists": False}
    assignment = assign(api, admin_token, user.id, role.id)
    assert expect_json(api.get(path, token=admin_token), 200) == {"exists": True}
    expect_message(api.post(path, token=admin_token), 409, f"<Role {role.id} for user {user.id}> already exists.")
    expect_message(api.delete(path, token=admin_token), 200,
                   f"Role with id = {role.id} for user with id = {user.id} is deleted.")
    assert expect_json(api.get(path, token=admin_token), 200) == {"exists": False}
    expect_error_json(api.delete(path, token=admin_token), 404)
    # It can be given again.
    assert assign(api, admin_token, user.id, role.id) != assignment


@pytest.mark.parametrize("method", ["POST", "GET", "DELETE"])
def test_user_roles_unknown_user_or_role(api, admin_token, make_role, user, method):
    role = make_role("unknown")
    expect_error_json(api.request(method, user_role_path(str(uuid.uuid4()), role.id), token=admin_token), 404)
    expect_error_json(api.request(method, user_role_path(user.id, str(uuid.uuid4())), token=admin_token), 404)
    expect_error_json(api.request(method, user_role_path("not-a-uuid", role.id), token=admin_token), 404)
    assert expect_json(api.get(user_role_path(user.id, role.id), token=admin_token), 200) == {"exists": False}


def test_several_roles_in_verify_jwt(api, admin_token, make_role, user, session_tokens):
    zulu, alpha = make_role("zulu"), make_role("alpha")
    for role in (zulu, alpha):
        assign(api, admin_token, user.id, role.id)
    # Role changes show on the very next request, with a token issued before them.
    assert verify_body(api, session_tokens) == {
        "id": user.id, "is_superuser": False, "role": alpha.name, "roles": [alpha.name, zulu.name]}
    # Revoking one removes that one only.
    expect_json(api.delete(user_role_path(user.id, alpha.id), token=admin_token), 200)
    assert verify_body(api, session_tokens) == {
        "id": user.id, "is_superuser": False, "role": zulu.name, "roles": [zulu.name]}
    # Deleting a held role takes it away too.
    assert api.delete(role_path(zulu.id), token=admin_token).status_code == 204
    assert verify_body(api, session_tokens) == {"id": user.id, "is_superuser": False, "role": "user", "roles": []}


def test_admin_wins_over_the_first_name(api, admin_token, make_role, admin_role, user, session_tokens):
    before = make_role(name=f"aa-e2e-{uuid.uuid4().hex[:12]}")  # sorts before "admin"
    assign(api, admin_token, user.id, before.id)
    assign(api, admin_token, user.id, admin_role.id)
    assert verify_body(api, session_tokens) == {
        "id": user.id, "is_superuser": False, "role": "admin", "roles": [before.name, "admin"]}
    expect_json(api.delete(user_role_path(user.id, admin_role.id), token=admin_token), 200)
    assert verify_body(api, session_tokens) == {
        "id": user.id, "is_superuser": False, "role": before.name, "roles": [before.name]}


def test_role_rename_shows_on_the_next_request(api, admin_token, make_role, user, session_tokens):
    role = make_role("old")
    assign(api, admin_token, user.id, role.id)
    assert verify_body(api, session_tokens)["roles"] == [role.name]
    new_name = role_name("renamed")
    expect_json(api.patch(role_path(role.id), json={"name": new_name}, token=admin_token), 200)
    body = verify_body(api, session_tokens)
    assert (body["role"], body["roles"]) == (new_name, [new_name]), body


def test_login_after_assignment_carries_the_roles_claim(api, admin_token, make_role, user):
    assert login(api, user).access_claims["roles"] == []
    role = make_role("claim")
    assign(api, admin_token, user.id, role.id)
    access_claims = login(api, user).access_claims
    assert access_claims["roles"] == [role.name], access_claims
    assert access_claims["is_superuser"] is False, access_claims


def test_superuser_in_verify_jwt_and_claims(api, superuser):
    body = verify_body(api, superuser.tokens)
    assert body["id"] == superuser.id and body["is_superuser"] is True, body
    assert superuser.tokens.access_claims["is_superuser"] is True


# --- who may: the admin rule ---------------------------------------------------------------------


def admin_operations(target: Role, user_id: str, new_name: str):
    """(label, method, path, json) of every admin operation, aimed at `target` and `user_id`."""
    return [
        ("list", "GET", ROLES_ROOT, None),
        ("create", "POST", ROLES_ROOT, {"name": new_name, "description": "sneaky"}),
        ("get", "GET", role_path(target.name), None),
        ("patch", "PATCH", role_path(target.id), {"description": "hijacked"}),
        ("delete", "DELETE", role_path(target.id), None),
        ("assign", "POST", user_role_path(user_id, target.id), None),
        ("check", "GET", user_role_path(user_id, target.id), None),
        ("revoke", "DELETE", user_role_path(user_id, target.id), None),
    ]


@pytest.mark.parametrize("caller", ["plain-user", "holder-of-another-role"])
def test_non_admins_get_403(api, admin_token, make_role, admin_role, caller):
    victim, caller_user = signup(api), signup(api)
    held = []
    if caller == "holder-of-another-role":
        other = make_role("editor")
        assign(api, admin_token, caller_user.id, other.id)
        held = [other.name]
    tokens = login(api, caller_user)
    target = make_role("target", "keep me")
    assign(api, admin_token, victim.id, target.id)
    new_name = role_name("sneaky")
    operations = admin_operations(target, victim.id, new_name)
    operations += [("assign-admin-to-self", "POST", user_role_path(caller_user.id, admin_role.id), None)]
    for label, method, path, body in operations:
        resp = api.request(method, path, json=body, token=tokens.access)
        assert resp.status_code == 403, f"{label}: {describe(resp)}"
        expect_message(resp, 403, MSG_ACCESS_ERROR)
    # Nothing changed.
    assert get_role(api, admin_token, target.name) == target
    expect_message(api.get(role_path(new_name), token=admin_token), 404, msg_no_role(new_name))
    assert expect_json(api.get(user_role_path(victim.id, target.id), token=admin_token), 200) == {"exists": True}
    assert verify_body(api, tokens)["roles"] == held


@pytest.mark.parametrize("caller", ["superuser", "admin-role-holder"])
def test_admins_are_allowed(api, admin_token, make_role, admin_role, superuser, caller):
    if caller == "superuser":
        token = admin_token
    else:
        holder = signup(api)
        assign(api, admin_token, holder.id, admin_role.id)
        token = login(api, holder).access
    victim = signup(api)
    target = make_role("target", "before")
    new_name = role_name("by-admin")
    expected = {
        "list": 200, "create": 200, "get": 200, "patch": 200, "assign": 200, "check": 200, "revoke": 200, "delete": 204,
    }
    operations = {label: (method, path, body) for label, method, path, body in
                  admin_operations(target, victim.id, new_name)}
    for label in ("list", "create", "get", "patch", "assign", "check", "revoke", "delete"):
        method, path, body = operations[label]
        resp = api.request(method, path, json=body, token=token)
        assert resp.status_code == expected[label], f"{label}: {describe(resp)}"
    created = get_role(api, admin_token, new_name)
    assert api.delete(role_path(created.id), token=admin_token).status_code == 204
    expect_message(api.get(role_path(target.name), token=admin_token), 404, msg_no_role(target.name))


def test_admin_role_revoked_means_403_on_the_next_request(api, admin_token, admin_role):
    holder = signup(api)
    assign(api, admin_token, holder.id, admin_role.id)
    tokens = login(api, holder)
    expect_json(api.get(ROLES_ROOT, token=tokens.access), 200)
    expect_json(api.delete(user_role_path(holder.id, admin_role.id), token=admin_token), 200)
    expect_message(api.get(ROLES_ROOT, token=tokens.access), 403, MSG_ACCESS_ERROR)


def test_no_token_is_401(api, admin_token, make_role, user):
    target = make_role("target")
    for label, method, path, body in admin_operations(target, user.id, role_name("anon")):
        resp = api.request(method, path, json=body)
        assert resp.status_code == 401, f"{label}: {describe(resp)}"
        expect_msg(resp, 401, MSG_MISSING_HEADER)
    assert get_role(api, admin_token, target.name) == target


def test_refresh_token_is_not_accepted(api, superuser):
    tokens = login(api, superuser)
    expect_msg(api.get(ROLES_ROOT, token=tokens.refresh), 422, MSG_ONLY_ACCESS)
