"""POST /api/v1/auth/refresh-token: rotation, the grace window, race-free concurrent refresh, theft."""

import threading
import time

import pytest
import requests

from conftest import (
    GRACE_SECONDS, MSG_REVOKED, REFRESH, TIMEOUT, describe, expect_json, expect_msg,
    expect_tokens, login, refresh, verify,
)


def test_refresh_returns_a_new_pair(api, user):
    old = login(api, user)
    new = expect_tokens(refresh(api, old.refresh), 200)
    assert new.access != old.access and new.refresh != old.refresh
    assert new.access_claims["jti"] != old.access_claims["jti"]
    assert new.refresh_claims["at"] == new.access_claims["jti"]
    assert new.access_claims["sub"] == user.id
    assert new.sid == old.sid, "rotation stays in the same session"
    assert expect_json(verify(api, new.access), 200)["id"] == user.id


def test_old_access_token_is_revoked_by_the_rotation(api, user):
    old = login(api, user)
    expect_tokens(refresh(api, old.refresh), 200)
    expect_msg(verify(api, old.access), 401, MSG_REVOKED)


def test_new_refresh_token_rotates_again(api, user):
    first = login(api, user)
    second = expect_tokens(refresh(api, first.refresh), 200)
    third = expect_tokens(refresh(api, second.refresh), 200)
    assert third.refresh not in (first.refresh, second.refresh)
    expect_msg(verify(api, second.access), 401, MSG_REVOKED)
    assert verify(api, third.access).status_code == 200


def test_retry_within_the_grace_window_gets_the_same_pair(api, user):
    old = login(api, user)
    first = expect_tokens(refresh(api, old.refresh), 200)
    retry = expect_tokens(refresh(api, old.refresh), 200)
    assert (retry.access, retry.refresh) == (first.access, first.refresh), "a retry must get the SAME successor pair"
    assert verify(api, first.access).status_code == 200


def test_parallel_refreshes_of_one_token_all_get_the_same_pair(api, user):
    old = login(api, user)
    n = 20
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        session = requests.Session()  # one connection per thread
        barrier.wait()
        try:
            results[i] = session.post(api.base_url + REFRESH, headers={"Authorization": f"Bearer {old.refresh}"},
                                      timeout=TIMEOUT)
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * n, f"statuses {statuses}: {[describe(r) for r in results if r.status_code != 200][:3]}"
    pairs = {(t.access, t.refresh) for t in (expect_tokens(r, 200) for r in results)}
    assert len(pairs) == 1, f"{len(pairs)} different pairs issued for one refresh token"
    (access, refresh_token), = pairs
    assert verify(api, access).status_code == 200
    expect_tokens(refresh(api, refresh_token), 200)


def test_refresh_after_logout_is_revoked(api, user):
    tokens = login(api, user)
    expect_json(api.delete("/api/v1/auth/logout", token=tokens.refresh), 200)
    expect_msg(refresh(api, tokens.refresh), 401, MSG_REVOKED)


def test_refresh_response_has_no_store(api, user):
    old = login(api, user)
    resp = refresh(api, old.refresh)
    expect_tokens(resp, 200)  # checks Cache-Control: no-store
    assert resp.headers["Content-Type"].startswith("application/json")


@pytest.mark.slow
def test_reuse_after_the_grace_window_ends_the_session(api, user):
    """A reuse after the window is theft: the whole token family is ended."""
    other_session = login(api, user)
    old = login(api, user)
    new = expect_tokens(refresh(api, old.refresh), 200)
    time.sleep(GRACE_SECONDS + 1.5)
    expect_msg(refresh(api, old.refresh), 401, MSG_REVOKED)
    expect_msg(verify(api, new.access), 401, MSG_REVOKED)
    expect_msg(refresh(api, new.refresh), 401, MSG_REVOKED)
    # Only that session: the user's other session lives on.
    assert verify(api, other_session.access).status_code == 200
