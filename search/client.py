"""The one place that builds the Elasticsearch client from settings (URL, API key or basic auth, CA file)."""

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
