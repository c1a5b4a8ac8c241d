#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `scripts/postgres.sh start DIR PORT` / `stop DIR`.
set -euo pipefail
action=$1 dir=$2
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
case "$action" in
  start)
    port=$3
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    # initdb refuses to run as root, hence the postgres user. ICU sv-SE sorts Å, Ä, Ö as Swedish does.
    as_postgres "$PGBIN/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --locale-provider=icu --icu-locale=sv-SE" >/dev/null
    as_postgres "$PGBIN/pg_ctl -D '$dir/data' -l '$dir/log' -w -o \"-k '$dir' -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE app LOGIN CREATEDB" -c "CREATE DATABASE app OWNER app" >/dev/null
    ;;
  stop)
    as_postgres "$PGBIN/pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
    ;;
esac
