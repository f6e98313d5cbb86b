#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite's second run (CI) and print its DATABASE_URL.
# Installs Debian's postgresql when missing (needs root, as in CI).
#
# A private server instead of the system cluster (e.g. beside other people's on a shared machine):
#   PORTAL_PG_DIR=/tmp/my-pg PORTAL_PG_PORT=55432 scripts/postgres.sh        # create (once) and start it
#   PORTAL_PG_DIR=/tmp/my-pg scripts/postgres.sh stop                         # stop that one only
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
if [ -n "${PORTAL_PG_DIR:-}" ]; then
  bin="/usr/lib/postgresql/$version/bin"
  data="$PORTAL_PG_DIR/data"
  if [ "${1:-}" = stop ]; then
    su postgres -c "$bin/pg_ctl -D '$data' -m fast stop"
    exit 0
  fi
  port="${PORTAL_PG_PORT:-55432}"
  mkdir -p "$PORTAL_PG_DIR" && chown postgres "$PORTAL_PG_DIR"
  if [ ! -f "$data/PG_VERSION" ]; then
    su postgres -c "$bin/initdb -D '$data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  if ! su postgres -c "$bin/pg_ctl -D '$data' status" >/dev/null 2>&1; then
    su postgres -c "$bin/pg_ctl -D '$data' -l '$PORTAL_PG_DIR/server.log' -w \
      -o \"-p $port -k '$PORTAL_PG_DIR' -c listen_addresses=127.0.0.1\" start" >/dev/null
  fi
  psql_cmd="$bin/psql -h 127.0.0.1 -p $port -U postgres -d postgres"
  $psql_cmd -qtAc "SELECT 1 FROM pg_roles WHERE rolname='portal'" | grep -q 1 ||
    $psql_cmd -qc "CREATE ROLE portal LOGIN SUPERUSER PASSWORD 'portal'"
  echo "postgres://portal:portal@127.0.0.1:${port}/portal"
  exit 0
fi
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -p $port"; then break; fi
  sleep 1
done
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='portal'\"" | grep -q 1 ||
  su postgres -c "psql -p $port -qc \"CREATE ROLE portal LOGIN SUPERUSER PASSWORD 'portal'\""
echo "postgres://portal:portal@127.0.0.1:${port}/portal"
