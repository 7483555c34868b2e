"""Redis broken under a running service (production mode): paused, restarted from an old snapshot,
cut off and stalled by a TCP proxy. Throughout: no revoked token accepted, no session ended by the
outage, no 4xx or 500 caused by it (503 with Retry-After only), normal service after recovery."""

import time

from conftest import Api, TcpProxy, assert_outage_answer, email, pair_of


def live_and_revoked(api):
    """Two sessions of one account: one live, one logged out."""
    address = email()
    access, refresh = api.session(address)
    answer = api.login(address)
    gone_access, gone_refresh = pair_of(answer)["access_token"], pair_of(answer)["refresh_token"]
    assert api.logout(gone_refresh).status_code == 200
    return (access, refresh), (gone_access, gone_refresh)


def check_during_outage(api, live, revoked):
    assert_outage_answer(api.verify(live[0]))
    answer = api.verify(revoked[0])
    assert answer.status_code in (401, 503), f"a revoked token: {answer.status_code} {answer.text}"
    assert_outage_answer(api.refresh(revoked[1]), allowed=(401,))


def check_recovered(api, live, revoked):
    deadline = time.monotonic() + 15
    while api.verify(live[0]).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert api.verify(live[0]).status_code == 200
    assert api.verify(revoked[0]).status_code == 401
    answer = api.refresh(live[1])
    assert answer.status_code == 200, f"the session lives on: {answer.text}"
    assert api.verify(pair_of(answer)["access_token"]).status_code == 200


def cut_then_stall(proxy, api, live, revoked, during):
    """Each proxy fault in turn: `during(live, revoked)` while it lasts, then recovery."""
    for mode in ("cut", "stall"):
        proxy.set_mode(mode)
        during(live, revoked)
        proxy.set_mode("pass")
        check_recovered(api, live, revoked)
        live = live_and_revoked(api)[0]  # check_recovered rotated the last pair


def test_redis_paused(services, workdir, redis_server):
    service = services("production", workdir, redis_url=redis_server.url)
    api = Api(service.base)
    live, revoked = live_and_revoked(api)
    redis_server.pause()
    try:
        check_during_outage(api, live, revoked)
        # A rotation during the pause: delivered (it committed) or 503, never a lost session.
        rotated = api.refresh(live[1])
        assert_outage_answer(rotated)
        if rotated.status_code == 200:
            live = (pair_of(rotated)["access_token"], pair_of(rotated)["refresh_token"])
        assert_outage_answer(api.logout(revoked[1]), allowed=(200, 401))
    finally:
        redis_server.resume()
    check_recovered(api, live, revoked)
    assert "AddressSanitizer" not in service.output()


def test_redis_restarted_from_an_old_snapshot(services, workdir, redis_server):
    service = services("production", workdir, redis_url=redis_server.url)
    api = Api(service.base)
    live, _ = live_and_revoked(api)
    redis_server.client().save()  # the snapshot: before the next revocation
    later = email()
    later_access, later_refresh = api.session(later)
    assert api.logout(later_refresh).status_code == 200
    redis_server.kill()  # nothing saved on the way out: the restart loads the old snapshot
    redis_server.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # before, during and after the service reconnects
        answer = api.verify(later_access)
        assert answer.status_code in (401, 503), f"revoked after the snapshot, accepted: {answer.text}"
        time.sleep(0.05)
    assert api.verify(later_access).status_code == 401
    assert api.refresh(later_refresh).status_code == 401
    assert api.verify(live[0]).status_code == 200


def test_redis_cut_off_and_stalled_by_a_proxy(services, workdir, redis_server):
    proxy = TcpProxy(redis_server.port)
    try:
        service = services("production", workdir, redis_url=proxy.url)
        api = Api(service.base)
        live, revoked = live_and_revoked(api)
        cut_then_stall(proxy, api, live, revoked,
                       lambda live, revoked: check_during_outage(api, live, revoked))
        assert "AddressSanitizer" not in service.output()
    finally:
        proxy.close()
