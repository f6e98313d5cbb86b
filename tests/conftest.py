"""Fixtures shared by the whole suite: page trees built in code, users, and the real Elasticsearch node."""

import json
import os
import random
import shutil
import socket
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

    from portal.core import pagecache, routes

    for each in (cache, caches["forum_posts"], pagecache, routes):
        each.clear()
    yield
    for each in (cache, caches["forum_posts"], pagecache, routes):
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


CLUSTER_NODES = 3
# es.sh gives node i the HTTP port P+i and the transport port P+100+i.
CLUSTER_TRANSPORT_OFFSET = 100
# Where a free range is looked for when ES_CLUSTER_PORT is not given: above the usual Elasticsearch ports
# (9200-9399, the node of `make test` and a developer's own), below the kernel's ephemeral range.
CLUSTER_PORT_RANGE = (20000, 30000)


def _port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cluster_port():
    """The first HTTP port of the fault tests' cluster: ES_CLUSTER_PORT when set (a cluster kept running between
    runs), else a range whose HTTP and transport ports are all free now, from a random start, so two test runs on
    one machine (two worktrees, CI beside a developer) never start or kill each other's nodes."""
    if os.environ.get("ES_CLUSTER_PORT"):
        return int(os.environ["ES_CLUSTER_PORT"])
    low, high = CLUSTER_PORT_RANGE
    rng = random.SystemRandom()
    for _attempt in range(200):
        port = rng.randrange(low, high - CLUSTER_TRANSPORT_OFFSET - CLUSTER_NODES)
        ports = [port + i for i in range(CLUSTER_NODES)]
        ports += [p + CLUSTER_TRANSPORT_OFFSET for p in ports]
        if all(_port_free(p) for p in ports):
            return port
    raise RuntimeError(f"no free range of ports for the test cluster in {low}-{high}; set ES_CLUSTER_PORT")


class Cluster:
    """The three-node cluster of the fault tests: its URL (every node) and its nodes' server pids."""

    def __init__(self, port):
        self.port = port
        self.root = Path(__file__).resolve().parents[1]
        self.url = ",".join(f"http://127.0.0.1:{port + i}" for i in range(CLUSTER_NODES))
        # Its own es.sh state directory per port: starting and stopping it never touches the node `make test`
        # started, nor another run's cluster.
        self.state = self.root / f"var/elasticsearch-cluster-{port}"
        self.killed = False
        self.started = False

    def script(self, *args):
        env = {**os.environ, "ES_STATE_DIR": str(self.state)}
        subprocess.run([str(self.root / "scripts/elasticsearch/es.sh"), *args], check=True, env=env)  # noqa: S603

    def start(self):
        self.script("start", "--nodes", str(CLUSTER_NODES), "--port", str(self.port))

    @property
    def pids(self):
        """Server pids of the nodes on the cluster's ports, in port order (from es.sh's pid file)."""
        pids = {}
        for line in (self.state / "es.pid").read_text().splitlines():
            _launcher, port, _name, pid_file = line.split()
            if self.port <= int(port) < self.port + CLUSTER_NODES:
                pids[int(port)] = int(Path(pid_file).read_text().strip())
        return [pids[port] for port in sorted(pids)]

    def healthy(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_cluster/health", timeout=5) as answer:  # noqa: S310
                return json.load(answer)["number_of_nodes"] == CLUSTER_NODES
        except (OSError, ValueError, KeyError):
            return False


@pytest.fixture(scope="session")
def _cluster():
    chosen = not os.environ.get("ES_CLUSTER_PORT")
    cluster = Cluster(cluster_port())
    if not cluster.healthy():
        cluster.start()
        cluster.started = True
    yield cluster
    if cluster.started or cluster.killed:
        cluster.script("stop")
        if chosen:  # a range picked for this run only: its nodes' data goes with it
            shutil.rmtree(cluster.state, ignore_errors=True)


@pytest.fixture
def es_cluster(_cluster, es_prefix, settings):
    """A real three-node Elasticsearch cluster from the project script (never the shared node), for fault tests.

    Started when it is not running (and stopped at the end of the run if started here or a test killed a node).
    """
    if _cluster.killed or not _cluster.healthy():
        _cluster.script("stop")
        _cluster.start()
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
