#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite's second run (CI) and print its DATABASE_URL.
# Installs Debian's postgresql when missing (needs root, as in CI).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
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
