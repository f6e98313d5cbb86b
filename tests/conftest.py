"""Fixtures shared by the whole suite: page trees built in code, users, and the real Elasticsearch node."""

import json
import os
import subprocess
import urllib.request
import uuid
from pathlib import Path

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


@pytest.fixture
def relay(settings):
    """A real SMTP relay on loopback, down until `.start()` (tests/mailrelay.py); mail goes through the
    database task backend, so `tests.mailrelay.work()` is the worker."""
    from tests.mailrelay import open_relay

    inbox, controller = open_relay(settings)
    yield inbox
    if getattr(controller, "server", None) is not None:
        controller.stop()


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


@pytest.fixture(params=["elasticsearch", "database"])
def engine(request, settings, db):
    """Run the test on both backends: the real Elasticsearch node and the database fallback.

    Both start empty (the demo's entries are removed inside the test's transaction), so each sees
    exactly what the test writes through the outbox.
    """
    from search import indexing
    from search.models import SearchEntry

    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
        settings.PORTAL_SEARCH_REFRESH = True  # tests read right after writing
        indexing.ensure_all()
    else:
        settings.ELASTICSEARCH_URL = ""
    SearchEntry.objects.all().delete()
    return request.param


CLUSTER_PORT = int(os.environ.get("ES_CLUSTER_PORT", "9300"))
CLUSTER_NODES = 3


class Cluster:
    """The three-node cluster of the fault tests: its URL (every node) and its nodes' server pids."""

    def __init__(self):
        self.root = Path(__file__).resolve().parents[1]
        self.url = ",".join(f"http://127.0.0.1:{CLUSTER_PORT + i}" for i in range(CLUSTER_NODES))
        # Its own es.sh state directory: starting and stopping it never touches the node `make test` started.
        self.state = self.root / "var/elasticsearch-cluster"
        self.killed = False
        self.started = False

    def script(self, *args):
        env = {**os.environ, "ES_STATE_DIR": str(self.state)}
        subprocess.run([str(self.root / "scripts/elasticsearch/es.sh"), *args], check=True, env=env)  # noqa: S603

    @property
    def pids(self):
        """Server pids of the nodes on the cluster's ports, in port order (from es.sh's pid file)."""
        pids = {}
        for line in (self.state / "es.pid").read_text().splitlines():
            _launcher, port, _name, pid_file = line.split()
            if CLUSTER_PORT <= int(port) < CLUSTER_PORT + CLUSTER_NODES:
                pids[int(port)] = int(Path(pid_file).read_text().strip())
        return [pids[port] for port in sorted(pids)]

    def healthy(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{CLUSTER_PORT}/_cluster/health", timeout=5) as answer:  # noqa: S310
                return json.load(answer)["number_of_nodes"] == CLUSTER_NODES
        except (OSError, ValueError, KeyError):
            return False


@pytest.fixture(scope="session")
def _cluster():
    cluster = Cluster()
    if not cluster.healthy():
        cluster.script("start", "--nodes", str(CLUSTER_NODES), "--port", str(CLUSTER_PORT))
        cluster.started = True
    yield cluster
    if cluster.started or cluster.killed:
        cluster.script("stop")


@pytest.fixture
def es_cluster(_cluster, es_prefix, settings):
    """A real three-node Elasticsearch cluster from the project script (never the shared node), for fault tests.

    Started when it is not running (and stopped at the end of the run if started here or a test killed a node).
    """
    if _cluster.killed or not _cluster.healthy():
        _cluster.script("stop")
        _cluster.script("start", "--nodes", str(CLUSTER_NODES), "--port", str(CLUSTER_PORT))
        _cluster.killed, _cluster.started = False, True
    from search import client as es

    settings.ELASTICSEARCH_URL = _cluster.url
    settings.PORTAL_SEARCH_INDEX_PREFIX = f"{es_prefix}-cluster"
    es.reset()
    yield _cluster
    es.reset()
    es.get_client().options(ignore_status=404).indices.delete(index=f"{es_prefix}-cluster-*", expand_wildcards="all")


@pytest.fixture
def no_elasticsearch(settings):
    """Search configured without Elasticsearch: the database fallback answers (the `make run` default)."""
    settings.ELASTICSEARCH_URL = ""
