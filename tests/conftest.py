"""Fixtures shared by the whole suite: page trees built in code, users, and the real Elasticsearch node."""

import os
import uuid

import pytest
from django.core.cache import cache

from tests.demo import build_demo_and_snapshot, ensure_demo
from tests.factories import StaffFactory, UserFactory
from tests.testdata import TESTDATA

# Fixtures that talk to the real Elasticsearch node; a test that uses one (directly, through another fixture,
# or as the Elasticsearch run of the two-backend `engine` fixture) is marked `elasticsearch`, so
# `make test-fast` (-m "not e2e and not elasticsearch") runs without a node.
ELASTICSEARCH_FIXTURES = {"elasticsearch", "es_index", "es_cluster"}


def uses_elasticsearch(item):
    if ELASTICSEARCH_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("engine") == "elasticsearch"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if uses_elasticsearch(item) and not item.get_closest_marker("elasticsearch"):
            item.add_marker(pytest.mark.elasticsearch)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and page-cache tags live in the cache, cached pages in each process: every test
    # starts with none.
    from django.core.cache import caches

    from portal.core import pagecache

    for each in (cache, caches["forum_posts"], pagecache):
        each.clear()
    yield
    for each in (cache, caches["forum_posts"], pagecache):
        each.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the demo service centre once per run; each test then runs inside a rolled-back transaction.

    On in-memory SQLite a copy of the built database is kept, so tests that must commit (browser tests,
    concurrency tests) get the demo back in milliseconds after their flush instead of a rebuild.
    """
    with django_db_blocker.unblock():
        build_demo_and_snapshot()


@pytest.fixture(scope="session")
def testdata():
    """The shared hostile test strings' folder (PORTAL_TESTDATA, default ../shared/testdata from the repository)."""
    return TESTDATA


@pytest.fixture
def homes(db):
    """The Chinese home page and its English translation, as the site root."""
    return ensure_demo()


@pytest.fixture
def demo_site(db):
    """The full demo service centre (every area, both languages, demo users)."""
    return ensure_demo()


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def make_staff(db):
    def make(role, **kwargs):
        return StaffFactory(role=role, **kwargs)

    return make


@pytest.fixture(scope="session")
def es_prefix():
    """A per-run index prefix, so runs never see each other's indices."""
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def elasticsearch(es_prefix, settings):
    """The real Elasticsearch node of this test run (started by `make test`). Never mocked, never skipped.

    Indices created under the run's prefix are deleted afterwards.
    """
    from search.client import get_client

    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        pytest.fail("ELASTICSEARCH_URL is not set: run the suite with `make test`, which starts a real node.")
    settings.ELASTICSEARCH_URL = url
    settings.PORTAL_SEARCH_INDEX_PREFIX = es_prefix
    client = get_client()
    try:
        client.cluster.health(wait_for_status="yellow", timeout="30s")
    except Exception as exc:  # a search test that cannot reach Elasticsearch fails, it does not skip
        pytest.fail(f"Elasticsearch at {url} is not reachable: {exc!r}")
    yield client
    client.options(ignore_status=404).indices.delete(index=f"{es_prefix}-*", expand_wildcards="all")


@pytest.fixture
def no_elasticsearch(settings):
    """Search configured without Elasticsearch: the database fallback answers (the `make run` default)."""
    settings.ELASTICSEARCH_URL = ""
