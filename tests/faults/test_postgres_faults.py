"""PostgreSQL cut off and stalled by a TCP proxy under a running service (production mode): no
revoked token accepted, no 4xx or 500 caused by the outage (503 with Retry-After), no session
ended, normal service after recovery."""

import os
from urllib.parse import urlsplit

from conftest import Api, TcpProxy, assert_outage_answer, email
from test_redis_faults import cut_then_stall, live_and_revoked

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")


def test_postgres_cut_off_and_stalled_by_a_proxy(services, workdir, redis_server):
    proxy = TcpProxy(urlsplit(ADMIN_URL).port)
    try:
        service = services("production", workdir, redis_url=redis_server.url,
                           database_port=proxy.port, DB_QUERY_TIMEOUT_MS=1000,
                           DB_CONNECT_TIMEOUT_MS=500)
        api = Api(service.base)
        live, revoked = live_and_revoked(api)
        known = email()
        api.session(known)

        def during(live, revoked):
            # Redis still answers revocation checks; the cached account too.
            assert_outage_answer(api.verify(live[0]))
            answer = api.verify(revoked[0])
            assert answer.status_code in (401, 503), f"a revoked token: {answer.text}"
            # Whatever needs the database is an outage, never "wrong password" or "revoked".
            assert_outage_answer(api.login(known), allowed=())
            assert_outage_answer(api.signup(email()), allowed=())
            assert_outage_answer(api.refresh(live[1]), allowed=(200,))

        cut_then_stall(proxy, api, live, revoked, during)
        assert "AddressSanitizer" not in service.output()
    finally:
        proxy.close()
