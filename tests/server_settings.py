"""Settings for a real gunicorn started by a test (tests/portal/test_concurrent_writers.py).

The test settings, with the database the test hands over in PORTAL_TEST_DATABASE_URL (a SQLite file gets the
same options as every SQLite connection, base.py SQLITE_OPTIONS), the shared database cache as production has
it (rate-limit counters are writes too), and the per-address forum limit off: every writer comes from
127.0.0.1, and keying limits on the client address behind a proxy is another part of issue 15.
"""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import CACHES, MEDIA_ROOT, PORTAL_PRIVATE_MEDIA_ROOT, database_from_url

DATABASES = {"default": database_from_url(os.environ["PORTAL_TEST_DATABASE_URL"])}
MEDIA_ROOT = os.environ.get("PORTAL_TEST_MEDIA_ROOT", MEDIA_ROOT)
PORTAL_PRIVATE_MEDIA_ROOT = os.environ.get("PORTAL_TEST_PRIVATE_MEDIA_ROOT", PORTAL_PRIVATE_MEDIA_ROOT)
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
PORTAL_FORUM_RATE_LIMITS = [("user", 3, 60)]
PORTAL_FORUM_NEW_ACCOUNT_DAYS = 0
PORTAL_FORUM_NEW_ACCOUNT_POSTS = 0
ELASTICSEARCH_URL = ""  # never the shared node's indices: search writes go to the database fallback
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
