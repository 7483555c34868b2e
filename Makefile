# The two commands of the README: `make run` (embedded mode) and `make test` (everything).
SHELL := /bin/bash
JOBS ?= 2
export SVC_DIR := $(CURDIR)/build/services

.PHONY: run test bench deps build-release build-asan services-start services-stop format tidy clean

deps:
	@./scripts/install-deps

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# Embedded default (SPEC 10): SQLite under ./var, in-process denylist and limiter, 127.0.0.1:8000.
run: build-release
	@mkdir -p var
	@./build/release/auth db upgrade
	@exec ./build/release/auth serve

# Builds with ASan+UBSan, starts throwaway PostgreSQL and Redis, runs every suite, always stops them.
test: build-asan
	@./scripts/run-tests

# Builds Release, then measures verify-jwt, refresh-token and login on PostgreSQL + Redis against an
# nginx baseline of the same run; writes bench/results/<date>.md (see bench/BENCHMARKS.md).
bench: deps
	@./bench/run

services-start: deps
	@./scripts/services start

services-stop:
	@./scripts/services stop

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy:
	@cmake --preset dev >/dev/null
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p build/dev --quiet

clean:
	rm -rf build
