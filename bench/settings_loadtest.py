"""Settings for `make loadtest`: PostgreSQL (DATABASE_URL) with connections kept as in production
(bench/settings_pg.py), the real Elasticsearch node (ELASTICSEARCH_URL) under its own index prefix, and the
client address taken from X-Forwarded-For as behind the production proxy (one trusted proxy): each simulated
customer sends its own address, as real customers behind the proxy would, so per-address limits apply per
customer and not to the load generator as a whole."""

import os

from bench.settings_pg import *  # noqa: F403

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
PORTAL_SEARCH_INDEX_PREFIX = os.environ.get("PORTAL_SEARCH_INDEX_PREFIX", "loadtest")
PORTAL_TRUSTED_PROXY_COUNT = 1
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
