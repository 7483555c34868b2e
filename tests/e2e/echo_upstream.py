#!/usr/bin/python3
"""Test-only upstream for nginx: answers every request with the request it received, as JSON.

    /usr/bin/python3 tests/e2e/echo_upstream.py [--port 0] [--name NAME]

Listens on 127.0.0.1 (port 0: the kernel chooses), prints ONE line `{"port": N}` on stdout when it
listens, then answers any method on any path with 200 and
`{"server": NAME, "method": ..., "path": ..., "headers": {lower-case name: [values...]}}`, so a
test in front of which nginx (deploy/nginx/auth.conf) runs can see exactly which headers nginx sent
upstream, and which of two upstreams answered. Stop it with SIGTERM (or SIGINT).
"""

import argparse
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--name", default="echo")
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as nginx's upstream keepalive expects

        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            headers = {}
            for name, value in self.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            body = json.dumps({"server": args.name, "method": self.command, "path": self.path,
                               "headers": headers}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
