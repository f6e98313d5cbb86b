"""The one place that builds the Elasticsearch client from settings (URL, API key or basic auth, CA file)."""

import time
from functools import lru_cache

from django.conf import settings
from elasticsearch import Elasticsearch


def is_configured():
    return bool(settings.ELASTICSEARCH_URL)


@lru_cache(maxsize=4)
def _client(url, api_key, username, password, ca_certs, timeout):
    options = {"request_timeout": timeout, "retry_on_timeout": False, "max_retries": 1}
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password)
    if ca_certs:
        options["ca_certs"] = ca_certs
    hosts = [h.strip() for h in url.split(",") if h.strip()]
    return Elasticsearch(hosts, **options)


def get_client():
    """A shared client (connection pool per process). Short timeouts: a slow node must not hang a page."""
    return _client(
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_API_KEY,
        settings.ELASTICSEARCH_USERNAME,
        settings.ELASTICSEARCH_PASSWORD,
        settings.ELASTICSEARCH_CA_CERTS,
        settings.PORTAL_SEARCH_TIMEOUT,
    )


# --- A small circuit breaker: after a failure, this process leaves Elasticsearch alone for a few seconds
# instead of making every page wait for a timeout. Keyed by URL, so pointing elsewhere resets it.
_down_until = {}


def is_available():
    """Configured, and not known to be down right now."""
    if not is_configured():
        return False
    return time.monotonic() >= _down_until.get(settings.ELASTICSEARCH_URL, 0.0)


def report_failure(seconds=None):
    wait = settings.PORTAL_SEARCH_RETRY_SECONDS if seconds is None else seconds
    _down_until[settings.ELASTICSEARCH_URL] = time.monotonic() + wait


def report_success():
    _down_until.pop(settings.ELASTICSEARCH_URL, None)


def reset():
    _down_until.clear()
