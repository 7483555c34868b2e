"""`auth serve` as a child process of a Python test suite (tests/oauth, tests/switchover).

The process is ours: it is started here, polled on /healthz until it answers, and stopped by PID
(SIGTERM, then SIGKILL after a grace period). Its stdout and stderr go to a file in `cwd`.
"""

import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

START_TIMEOUT_SECONDS = 60
STOP_GRACE_SECONDS = 20


def stop_process(proc, grace_seconds=STOP_GRACE_SECONDS):
    """SIGTERM, then SIGKILL when it has not ended within the grace period."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AuthProcess:
    def __init__(self, binary, port, env, cwd):
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(Path(cwd) / "auth.log", "w+")
        self.proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                     env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                stop_process(self.proc)
                raise RuntimeError("auth serve did not start:\n" + self.output())
            time.sleep(0.1)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        stop_process(self.proc)
        self.log.close()
