#!/usr/bin/env bash
# `make test`: start what the tests need (Elasticsearch unless ELASTICSEARCH_URL is set, the browser),
# run every test, and stop what this script started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

started_es=0
cleanup() { if [ "$started_es" = 1 ]; then scripts/elasticsearch/es.sh stop || true; fi; }
trap cleanup EXIT

if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  export ES_PORT="${ES_TEST_PORT:-9250}"
  if ! curl -fsS "http://127.0.0.1:${ES_PORT}/_cluster/health" >/dev/null 2>&1; then
    scripts/elasticsearch/es.sh start --port "$ES_PORT"
    started_es=1
  fi
  export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT}"
fi
echo "Tests use Elasticsearch at ${ELASTICSEARCH_URL}"
scripts/ensure-browser.sh

set +e
.venv/bin/pytest "$@"
status=$?
set -e
exit "$status"
