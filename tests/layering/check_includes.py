#!/usr/bin/env python3
"""The layering of docs/architecture.md, checked on every #include of src/.

Each folder of src/ is a layer (a CMake library). A file may include headers of its own layer and
of the layers below it, never above or beside it, and the layers that must stay independent of a
transport or a backend never include its headers (auth/ sees no Beast, libpq or hiredis). Exit
status 1 with one line per violation.

    tests/layering/check_includes.py [src-dir]
"""

import re
import sys
from pathlib import Path

# Layer -> the layers it may include (besides itself).
# tracing (trace context, spans) sits just above common: every layer that does work for a request
# may start spans; its OTLP exporter (tracing/otlp) needs the outbound HTTP client.
BELOW = {
    "common": set(),
    "tracing": {"common"},
    "crypto": {"common", "tracing"},
    "tokens": {"common", "tracing", "crypto"},
    "storage": {"common", "tracing"},
    "storage/postgres": {"common", "tracing", "storage"},
    "storage/sqlite": {"common", "tracing", "storage"},
    "storage/redis": {"common", "tracing", "storage"},
    "auth": {"common", "tracing", "crypto", "tokens", "storage"},
    "outbound": {"common", "tracing"},
    "tracing/otlp": {"common", "tracing", "outbound"},
    "oauth": {"common", "tracing", "crypto", "tokens", "storage", "auth", "outbound"},
    "http": {"common", "tracing", "crypto", "tokens", "storage", "auth", "outbound", "oauth"},
    "app": {"common", "tracing", "tracing/otlp", "crypto", "tokens", "storage", "storage/postgres",
            "storage/sqlite", "storage/redis", "auth", "outbound", "oauth", "http"},
    "cli": {"common", "tracing", "tracing/otlp", "crypto", "tokens", "storage", "storage/postgres",
            "storage/sqlite", "storage/redis", "auth", "outbound", "oauth", "http", "app"},
}
# Headers of a transport or a backend that a layer must not see.
FORBIDDEN = {
    "auth": ("boost/beast", "libpq-fe.h", "hiredis/", "sqlite3.h"),
    "oauth": ("boost/beast", "libpq-fe.h", "hiredis/", "sqlite3.h"),
    "outbound": ("libpq-fe.h", "hiredis/", "sqlite3.h"),
    "tracing": ("boost/beast", "libpq-fe.h", "hiredis/", "sqlite3.h"),
    "tokens": ("boost/beast", "libpq-fe.h", "hiredis/", "sqlite3.h"),
    "storage": ("boost/beast", "libpq-fe.h", "hiredis/", "sqlite3.h"),
    "http": ("libpq-fe.h", "hiredis/", "sqlite3.h"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(relative: str) -> str:
    parts = relative.split("/")
    if len(parts) >= 3 and parts[0] == "storage" and parts[1] in ("postgres", "sqlite", "redis"):
        return "storage/" + parts[1]
    if len(parts) >= 3 and parts[0] == "tracing" and parts[1] == "otlp":
        return "tracing/otlp"
    if len(parts) >= 2 and parts[0] == "http":
        return "http"  # http/middleware and http/handlers belong to http
    if len(parts) >= 2 and parts[0] == "oauth":
        return "oauth"
    return parts[0] if len(parts) > 1 else "main"


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "src")
    problems = []
    files = sorted(p for p in src.rglob("*") if p.suffix in (".hpp", ".cpp"))
    for path in files:
        relative = path.relative_to(src).as_posix()
        layer = layer_of(relative)
        if layer not in BELOW:
            continue  # main.cpp
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            bracket, target = match.groups()
            if bracket == "<":
                if any(target.startswith(f) for f in FORBIDDEN.get(layer, ())):
                    problems.append(f"{relative}:{number}: {layer}/ must not include <{target}>")
                continue
            target_layer = layer_of(target)
            if target_layer == layer or target_layer in BELOW[layer]:
                continue
            problems.append(f"{relative}:{number}: {layer}/ includes {target} ({target_layer}/ is not below it)")
    for problem in problems:
        print(problem)
    print(f"checked {len(files)} files: {len(problems)} layering violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
