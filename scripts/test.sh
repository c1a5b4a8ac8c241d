#!/usr/bin/env bash
# `make test`: lint, then the whole suite on SQLite (with the browser and whole-system tests), then the
# suite again on a throwaway PostgreSQL cluster. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/ensure-system-packages.sh

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== pip-audit (known vulnerabilities in the locked dependencies)"
bash scripts/audit-dependencies.sh

workdir=$(mktemp -d)
pg_dir=$(mktemp -d)  # its own folder: the postgres user must be able to reach it
cleanup() { bash scripts/postgres.sh stop "$pg_dir"; rm -rf "$workdir" "$pg_dir"; }
trap cleanup EXIT

export DJANGO_ALLOW_ASYNC_UNSAFE=true
jobs=${TEST_JOBS:-2}

echo "== tests on SQLite (with browser tests)"
BISTAND_DATA_DIR="$workdir/sqlite" $BIN/pytest -n "$jobs" -p no:cacheprovider "$@"

echo "== tests on PostgreSQL"
port=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bash scripts/postgres.sh start "$pg_dir" "$port"
BISTAND_DATA_DIR="$workdir/postgres" DATABASE_URL="postgres://app@127.0.0.1:$port/app" \
  $BIN/pytest -n "$jobs" -p no:cacheprovider -m "not e2e" "$@"
