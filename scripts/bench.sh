#!/usr/bin/env bash
# `make bench`: prepare the demo database, then run every bench/bench_*.py and print its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py demo_content --quiet-users >/dev/null
for bench in bench/bench_*.py; do
  name=$(basename "$bench" .py)
  echo "== ${name#bench_} =="
  .venv/bin/python -m "bench.${name}"
done
