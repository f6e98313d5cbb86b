"""Settings for pytest: SQLite in memory by default, PostgreSQL when DATABASE_URL is set (CI's second run)."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import database_from_url, sqlite_database

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_database(":memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "service@example-bank.test"
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-media-")
PORTAL_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-private-media-")
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each test reads its own transaction: search builds what it needs in the test's thread, not in the background.
PORTAL_SEARCH_WARM_IN_BACKGROUND = False
# Each search's log row is written when its request finishes (tests/search/test_search_log.py buffers more).
PORTAL_SEARCH_LOG_BATCH = 1
PORTAL_SMS_BACKEND = "portal.intake.sms.LocmemBackend"
PORTAL_SMS_WEBHOOK_SECRET = "test-sms-secret"  # noqa: S105
PORTAL_BASE_URL = "http://localhost"  # the test client's pages and the demo site built for tests
