"""Search rides out a hung or dead node, and a hung cluster, on a real three-node Elasticsearch cluster.

The cluster comes from the project script (`scripts/elasticsearch/es.sh start --nodes 3 --port P`: P from
ES_CLUSTER_PORT, else a free range picked per run, so two runs on one machine never share nodes); the `es_cluster`
fixture starts it when it is not running, and `make test-cluster` runs just these tests.
Each phase searches and writes through the real code while a node is stopped (SIGSTOP: it hangs, the way a
node in a long GC pause or a frozen VM does) or killed (SIGKILL), then the whole cluster hangs: every search
answers - from the other nodes, else from the database saying so -, every write commits, and once the
cluster is back the outbox drains and the drift check finds nothing. The numbers are printed (run with -s);
the test asserts only outcomes and counts.
"""

import logging
import os
import signal
import time
from collections import Counter

import pytest

from search import client as es
from search import health, indexing
from search.models import IndexOutbox
from search.queries import SearchRequest, search

pytestmark = pytest.mark.cluster

PUBLIC = frozenset({"public"})


def pause(pid, sig):
    os.kill(pid, sig)


def hammer(label, seconds, committed, article, writes=3):
    """Search for `seconds`, writing an article every few searches; returns what happened, and prints it."""
    stats, slow, worst, written = Counter(), 0, 0.0, []
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        results = search(SearchRequest("星河卡故障演练", PUBLIC, locale="zh-hans"))
        elapsed = time.perf_counter() - started
        worst, slow = max(worst, elapsed), slow + (elapsed > 1.0)
        # Elasticsearch answered (for what the index has taken), or the database did - and then the page says
        # results may be incomplete.
        assert results.backend == "elasticsearch" or results.degraded
        stats[results.backend] += 1
        stats["degraded"] += results.degraded
        if count in (2, 12, 22) and len(written) < writes:
            started = time.perf_counter()
            written.append(committed(article, f"星河卡故障演练{label}{len(written)}", short_answer="演练。"))
            stats["write seconds"] = round(stats["write seconds"] + time.perf_counter() - started, 2)
        count += 1
    print(
        f"\n[{label}] {count} searches: {stats['elasticsearch']} from Elasticsearch, {stats['database']} from the "
        f"database; {stats['degraded']} said results may be incomplete; {slow} took > 1 s, slowest {worst:.2f} s; "
        f"{len(written)} writes "
        f"({stats['write seconds']} s in all); outbox {IndexOutbox.objects.count()} rows"
    )
    return stats, written


def count_of(stats):
    return stats["elasticsearch"] + stats["database"]


def recover(cluster_client, nodes):
    cluster_client.cluster.health(wait_for_nodes=str(nodes), wait_for_status="yellow", timeout="90s")
    started = time.perf_counter()
    status = health.engine_status()  # the health check sees the cluster again: the outbox drains now
    print(f"  recovered: health check {status.engine}, drained in {time.perf_counter() - started:.2f} s")
    assert status.engine == "elasticsearch"


def assert_no_drift():
    for kind in ("kb", "forum", "videos"):
        result = indexing.check(kind)
        assert result.in_sync, (kind, result.missing, result.stale, result.extra)
    assert IndexOutbox.objects.count() == 0


def test_search_and_writes_ride_out_a_hung_node_a_dead_node_and_a_hung_cluster(
    es_cluster, settings, article, committed, caplog
):
    settings.PORTAL_SEARCH_REFRESH = True
    client = es.get_client()
    for kind in ("kb", "forum", "videos"):
        indexing.rebuild(kind)
    client.cluster.health(wait_for_status="green", timeout="60s")
    committed(article, "星河卡故障演练说明", short_answer="演练开始前的文章。")
    assert search(SearchRequest("星河卡故障演练", PUBLIC, locale="zh-hans")).backend == "elasticsearch"
    caplog.set_level(logging.INFO)
    caplog.clear()
    victim = es_cluster.pids[-1]

    # 1. One node hangs.
    pause(victim, signal.SIGSTOP)
    try:
        stats, written = hammer("hung-node", 20, committed, article)
    finally:
        pause(victim, signal.SIGCONT)
    assert stats["elasticsearch"] > stats["database"]  # the other nodes answered most searches
    recover(client, 3)
    assert_no_drift()

    # 2. The whole cluster hangs.
    for pid in es_cluster.pids:
        pause(pid, signal.SIGSTOP)
    try:
        stats, written = hammer("hung-cluster", 15, committed, article)
    finally:
        for pid in es_cluster.pids:
            pause(pid, signal.SIGCONT)
    assert stats["database"] >= 1 and written and stats["degraded"] == count_of(stats)
    recover(client, 3)
    assert_no_drift()
    after = search(SearchRequest("星河卡故障演练hung-cluster", PUBLIC, locale="zh-hans"))
    assert after.backend == "elasticsearch" and not after.degraded
    assert {hit.title for hit in after.hits} >= {page.title for page in written}

    # 3. One node dies.
    pause(victim, signal.SIGKILL)
    es_cluster.killed = True
    stats, written = hammer("dead-node", 15, committed, article)
    assert stats["elasticsearch"] > stats["database"]
    recover(client, 2)
    assert_no_drift()

    # One line per change of state, never a traceback per request.
    lines = [r for r in caplog.records if r.name.startswith(("search", "elastic_transport")) and r.levelno >= 30]
    print(f"  log: {len(lines)} warning lines in all phases:")
    for record in lines:
        print(f"    {record.name}: {record.getMessage()[:160]}")
    assert not [r for r in lines if r.exc_info]
    assert len(lines) <= 20
