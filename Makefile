# The front door. `make run` serves the demo; `make test` runs every test on real Elasticsearch.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
MANAGE := $(BIN)/python manage.py
export PYTHONUNBUFFERED := 1

.PHONY: help install run demo test test-fast test-cluster lint messages elasticsearch elasticsearch-stop elasticsearch-cluster \
        postgres bench bench-search relevance loadtest lock totp clean

help:
	@echo "make run                 set up and serve the demo on http://127.0.0.1:8000"
	@echo "make test                run every test (starts Elasticsearch unless ELASTICSEARCH_URL is set)"
	@echo "make test-cluster        search fault tests on a real three-node Elasticsearch cluster"
	@echo "make lint                ruff, import contracts, Django checks, migrations check, template lint"
	@echo "make elasticsearch       start a local Elasticsearch node (make elasticsearch-stop to stop)"
	@echo "make bench               print benchmark figures"
	@echo "make bench-search        search at 100,000 documents (p50/p95, took ratio, rebuild docs/s)"
	@echo "make loadtest            locust mix against gunicorn on PostgreSQL + Elasticsearch (req/s, p50/p95/p99, errors)"
	@echo "make relevance           recall@1/5/10, MRR@10, zero results: both backends beside plain BM25"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.txt -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Pinned versions come from requirements*.in.
lock: install
	$(BIN)/uv pip compile -q requirements.in -o requirements.txt --python-version 3.11
	$(BIN)/uv pip compile -q requirements-dev.in -o requirements-dev.txt --python-version 3.11

demo: install
	@mkdir -p var
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) demo_content

run: demo
	@echo ""
	@echo "Serving http://127.0.0.1:8000  (English: http://127.0.0.1:8000/en/, admin: http://127.0.0.1:8000/admin/)"
	@echo "with the scheduler of recurring jobs beside it (manage.py run_scheduler --list names them)"
	PY=$(BIN)/python scripts/run.sh

totp: install
	@$(MANAGE) demo_totp $(EMAIL)

test: install
	scripts/test.sh $(ARGS)

# Quick run without the browser and without the tests that need the Elasticsearch node (tests/conftest.py marks them):
# only for local iteration; `make test` is what CI runs.
test-fast: install
	$(BIN)/pytest -q -m "not e2e and not elasticsearch" $(ARGS)

# The fault tests on a three-node cluster (es.sh --nodes 3 on ES_CLUSTER_PORT, else on a free port range picked per
# run; started and stopped by the fixture): a node hung (SIGSTOP), the whole cluster hung, a node killed; prints
# what search and writes did.
test-cluster: install
	scripts/test.sh -m cluster -s $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/djlint --lint themes/templates

messages: install
	$(BIN)/python scripts/i18n.py $(TRANSLATIONS)

elasticsearch:
	scripts/elasticsearch/es.sh start

elasticsearch-cluster:
	scripts/elasticsearch/es.sh start --nodes 3

elasticsearch-stop:
	scripts/elasticsearch/es.sh stop

postgres:
	scripts/postgres.sh

bench: install
	scripts/bench.sh

# Search at 100,000 documents on a real node (ELASTICSEARCH_URL, a running local node, or one on :9260).
bench-search: demo
	$(BIN)/python -m bench.bench_search

# A realistic mix (locust) against gunicorn (2 workers) on PostgreSQL + Elasticsearch: req/s, p50/p95/p99 and
# errors per endpoint; fails on any error. LOADTEST_SECONDS (20), LOADTEST_USERS (20), LOADTEST_MAX_REQUESTS.
loadtest: install
	@url="$${ELASTICSEARCH_URL:-http://127.0.0.1:9250}"; started=0; \
	if [ -z "$$ELASTICSEARCH_URL" ] && ! curl -fsS -m 3 "$$url/_cluster/health" >/dev/null 2>&1; then \
	  scripts/elasticsearch/es.sh start --port 9250 || exit 1; started=1; fi; \
	ELASTICSEARCH_URL="$$url" $(BIN)/python -m bench.loadtest; status=$$?; \
	if [ "$$started" = 1 ]; then scripts/elasticsearch/es.sh stop; fi; exit $$status

# recall@1/5/10, MRR@10 and zero-result share of the judged queries (search/relevance/): database, Elasticsearch, plain BM25.
relevance: demo
	@url="$${ELASTICSEARCH_URL:-http://127.0.0.1:9250}"; started=0; \
	if [ -z "$$ELASTICSEARCH_URL" ] && ! curl -fsS -m 3 "$$url/_cluster/health" >/dev/null 2>&1; then \
	  scripts/elasticsearch/es.sh start --port 9250 || exit 1; started=1; fi; \
	ELASTICSEARCH_URL="$$url" $(BIN)/python -m search.relevance $(ARGS); status=$$?; \
	if [ "$$started" = 1 ]; then scripts/elasticsearch/es.sh stop; fi; exit $$status

clean:
	rm -rf var static_collected screenshots .pytest_cache
