# The two commands of the README: `make run` (embedded mode) and `make test` (everything).
SHELL := /bin/bash
JOBS ?= 2
export SVC_DIR := $(CURDIR)/build/services

.PHONY: run test bench deps build-release build-asan services-start services-stop format tidy clean \
        start_auth start_auth_dev stop_auth

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

# The Docker stacks of deploy/ (deploy/README.md), for machines with a Docker engine. `docker compose`
# (v2) when present, else docker-compose; nginx joins the external network auth_network, created
# here when missing. Each stack has its own project name, so both can be stopped independently.
# Variables for both files may live in deploy/.env (not committed; see deploy/README.md).
AUTH_COMPOSE = $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose) \
               $(if $(wildcard deploy/.env),--env-file deploy/.env)

# nginx, two auth instances, PostgreSQL, Redis, Jaeger; needs POSTGRES_PASSWORD and PUBLIC_URL
# (environment or deploy/.env).
start_auth:
	@docker network inspect auth_network >/dev/null 2>&1 || docker network create auth_network >/dev/null
	@$(AUTH_COMPOSE) -p auth -f deploy/docker-compose.yml up -d --build

# One instance, debug text logs, ports 80 (nginx), 8000 (auth) and 16686 (Jaeger) on loopback.
start_auth_dev:
	@docker network inspect auth_network >/dev/null 2>&1 || docker network create auth_network >/dev/null
	@$(AUTH_COMPOSE) -p auth-dev -f deploy/docker-compose.dev.yml up -d --build

# Stops and removes both stacks' containers (their data volumes stay). `down` reads the whole file,
# so the production file's required variables get placeholders when they are not set.
stop_auth:
	@POSTGRES_PASSWORD="$${POSTGRES_PASSWORD:-unused-by-down}" PUBLIC_URL="$${PUBLIC_URL:-http://unused-by-down}" \
	  $(AUTH_COMPOSE) -p auth -f deploy/docker-compose.yml down
	@$(AUTH_COMPOSE) -p auth-dev -f deploy/docker-compose.dev.yml down
