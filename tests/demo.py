"""The demo database every test starts from: built once per run, restored after tests that commit.

On in-memory SQLite a copy of the built database is kept, so tests that must commit (browser tests,
concurrency tests) get the demo back in milliseconds after their flush instead of a rebuild.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from portal.demo import build_demo
from portal.models import HomePage

_SNAPSHOT = {}


def build_demo_and_snapshot():
    build_demo()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _SNAPSHOT["sqlite"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_SNAPSHOT["sqlite"])


def ensure_demo():
    """The demo home pages {language: page}, restoring or rebuilding the demo if a test flushed it."""
    homes = {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
    if len(homes) >= 2:
        return homes
    if "sqlite" in _SNAPSHOT and connection.vendor == "sqlite":
        connection.ensure_connection()
        _SNAPSHOT["sqlite"].backup(connection.connection)
        ContentType.objects.clear_cache()
        return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
    return build_demo()
