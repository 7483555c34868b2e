"""kill -9 of the service under write load, in both modes: every acknowledged sign-up, logout and
rotation is there after the restart."""

import threading
import time

import pytest
import requests

from conftest import Api, email, pair_of


@pytest.mark.parametrize("mode", ["embedded", "production"])
def test_every_acknowledged_write_survives_kill_9(mode, services, workdir, redis_server):
    service = services(mode, workdir, redis_url=redis_server.url)
    signed_up, rotated, logged_out = [], [], []
    lock = threading.Lock()
    stop = threading.Event()

    def writer():
        api = Api(service.base)
        while not stop.is_set():
            address = email()
            try:
                if api.signup(address).status_code != 201:
                    continue
                with lock:
                    signed_up.append(address)
                answer = api.login(address)
                if answer.status_code != 200:
                    continue
                first = pair_of(answer)
                answer = api.refresh(first["refresh_token"])
                if answer.status_code != 200:
                    continue
                second = pair_of(answer)
                with lock:
                    rotated.append((first, second))
                if api.logout(second["refresh_token"]).status_code == 200:
                    with lock:
                        logged_out.append(second)
            except requests.RequestException:
                return  # the service is gone

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    service.kill9()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert signed_up and rotated and logged_out, "the load ran before the kill"

    service.start()
    api = Api(service.base)
    for address in signed_up:
        assert api.login(address).status_code == 200, f"acknowledged sign-up {address} lost"
    for first, second in rotated:
        assert api.verify(first["access_token"]).status_code == 401, "a rotated pair revived"
    for pair in logged_out:
        assert api.verify(pair["access_token"]).status_code == 401, "a logout undone"
        assert api.refresh(pair["refresh_token"]).status_code == 401, "a logout undone"
    assert "AddressSanitizer" not in service.output()
