#!/usr/bin/python3
"""Fails when any secret the e2e suite used appears in a log file.

    find_secrets_in_logs.py <secrets file> <log file>...

The secrets file holds one value per line: every password the suite sent, every token it sent or was
issued (tests/e2e/conftest.py records them), plus what tests/e2e/run itself handed out (the
superuser's password, the introspection secret). A value is reported by where it was found and its
first characters only, so the report does not leak it either.
"""

import sys
from pathlib import Path


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    secrets = {line for line in Path(argv[1]).read_text(encoding="utf-8").splitlines() if line}
    if not secrets:
        print("find_secrets_in_logs: no secrets were recorded; is conftest's recording broken?", file=sys.stderr)
        return 1
    leaks = 0
    scanned = 0
    for name in argv[2:]:
        path = Path(name)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        scanned += len(text)
        for secret in secrets:
            at = text.find(secret)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                print(f"find_secrets_in_logs: {path}:{line} holds a secret ({secret[:6]}..., {len(secret)} chars)",
                      file=sys.stderr)
                leaks += 1
    if scanned == 0:
        print("find_secrets_in_logs: the logs are empty or missing", file=sys.stderr)
        return 1
    print(f"find_secrets_in_logs: {len(secrets)} secrets, {scanned} bytes of logs, {leaks} leaks", file=sys.stderr)
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
