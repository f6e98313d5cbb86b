"""The one place that builds the Elasticsearch client from settings (URLs, API key or basic auth, CA file),
and knows whether Elasticsearch answers right now.

A hung or dead node must not degrade search for the whole site. So:

- Every node of ELASTICSEARCH_URL (comma-separated) is in the client's node pool. A request that fails or
  times out on one node is retried on the next (reads and the idempotent, versioned bulk writes alike);
  the pool puts the failed node aside for a backoff that grows from 1 s to 30 s and tries it again later.
  Each attempt has a short timeout (PORTAL_SEARCH_TIMEOUT), so a search waits at most about that times the
  number of nodes before the database answers.
- The process-wide breaker (`is_available`) opens only when a request failed on every node it tried: then
  the database answers for PORTAL_SEARCH_RETRY_SECONDS instead of every page waiting for timeouts.
- Logs say one line per change of state - a node goes down, a node is back, the cluster stops or starts
  answering - never a traceback per request (the transport's own per-request retry warnings are dropped).
"""

import logging
import threading
import time
from functools import lru_cache

from django.conf import settings
from elastic_transport import NodePool
from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)

WRITE_TIMEOUT = 10  # seconds for writes and index operations (searches use PORTAL_SEARCH_TIMEOUT)


def is_configured():
    return bool(settings.ELASTICSEARCH_URL)


def hosts_of(url):
    return [h.strip() for h in (url or "").split(",") if h.strip()]


class PortalNodePool(NodePool):
    """The transport's node pool, logging once when a node goes down and once when it is back."""

    def mark_dead(self, node, _now=None):
        first = node.config not in self._dead_consecutive_failures
        super().mark_dead(node, _now=_now)
        if first:
            logger.warning("search: Elasticsearch node %s stopped answering; trying the other nodes", node.base_url)

    def mark_live(self, node):
        was_dead = node.config in self._dead_consecutive_failures
        super().mark_live(node)
        if was_dead:
            logger.warning("search: Elasticsearch node %s answers again", node.base_url)


class _TransportNoise(logging.Filter):
    """Drop the transport's per-request warnings (with tracebacks); PortalNodePool logs the state changes."""

    NOISE = ("Retrying request after", "has failed for", "has been marked alive")

    def filter(self, record):
        message = str(record.msg)
        return not any(part in message for part in self.NOISE)


_noise = _TransportNoise()


def _quiet_transport():
    for name in ("elastic_transport.transport", "elastic_transport.node_pool"):
        log = logging.getLogger(name)
        if _noise not in log.filters:
            log.addFilter(_noise)


@lru_cache(maxsize=8)
def _client(url, api_key, username, password, ca_certs, timeout, purpose="read"):
    _quiet_transport()
    hosts = hosts_of(url)
    options = {
        "request_timeout": timeout,
        # A timeout on a hung node is retried on another one; with one node there is nothing to retry on.
        "retry_on_timeout": len(hosts) > 1,
        "max_retries": max(1, len(hosts) - 1),
        "node_pool_class": PortalNodePool,
        "dead_node_backoff_factor": 1.0,
        "max_dead_node_backoff": 30.0,
    }
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password)
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(hosts, **options)


def get_client():
    """A shared client (node pool per process). Short timeouts: a slow node must not hang a page."""
    return _client(
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_API_KEY,
        settings.ELASTICSEARCH_USERNAME,
        settings.ELASTICSEARCH_PASSWORD,
        settings.ELASTICSEARCH_CA_CERTS,
        settings.PORTAL_SEARCH_TIMEOUT,
    )


def get_write_client():
    """The client of the outbox drain, index lifecycle and rebuilds: a node pool of its own, so a bulk write
    that waits for a copy on a hung node (every node waits for it alike) never marks healthy nodes dead for
    searches, and a longer timeout (WRITE_TIMEOUT): creating an index on a busy node may take seconds."""
    return _client(
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_API_KEY,
        settings.ELASTICSEARCH_USERNAME,
        settings.ELASTICSEARCH_PASSWORD,
        settings.ELASTICSEARCH_CA_CERTS,
        max(WRITE_TIMEOUT, settings.PORTAL_SEARCH_TIMEOUT),
        "write",
    )


# --- The process-wide breaker: open only when no node answered. Keyed by URL, so pointing elsewhere resets it.
_lock = threading.Lock()
_down_until = {}


def is_available():
    """Configured, and not known to be down right now."""
    if not is_configured():
        return False
    return time.monotonic() >= _down_until.get(settings.ELASTICSEARCH_URL, 0.0)


def is_down():
    """The breaker is open or was opened and not yet closed by a success (for the drain and health check)."""
    return settings.ELASTICSEARCH_URL in _down_until


def report_failure(reason="", seconds=None):
    wait = settings.PORTAL_SEARCH_RETRY_SECONDS if seconds is None else seconds
    url = settings.ELASTICSEARCH_URL
    with _lock:
        first = url not in _down_until
        _down_until[url] = time.monotonic() + wait
    if first:
        logger.warning(
            "search: Elasticsearch did not answer on any node (%s); the database answers, retrying in %ss",
            reason or "error",
            wait,
        )


def report_success():
    url = settings.ELASTICSEARCH_URL
    with _lock:
        was_down = _down_until.pop(url, None) is not None
    if was_down:
        logger.warning("search: Elasticsearch answers again")
    return was_down


def reset():
    _down_until.clear()


def ping():
    """True when the cluster answers its health API at once: one attempt, at most a second."""
    try:
        get_client().options(request_timeout=min(1.0, settings.PORTAL_SEARCH_TIMEOUT), max_retries=0).cluster.health()
    except Exception:  # any failure means "not yet"; the caller keeps waiting
        return False
    return True
