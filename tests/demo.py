"""The demo database every test starts from: built once per run, restored after tests that commit.

A copy of the built database is kept, so tests that must commit (browser tests, concurrency tests) get the demo
back in about a second after their flush instead of a rebuild (minutes): on in-memory SQLite an in-memory copy
of the whole file, on PostgreSQL every table's rows in COPY's binary format, kept in this process (the database
itself holds nothing extra, so a backup of it is the demo alone). Both hold the very rows the build committed
(ids, revisions, search entries), so a test sees the same demo whether it runs first or after a flush.
"""

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from portal.demo import build_demo
from portal.models import HomePage

_SNAPSHOT = {}


def build_demo_and_snapshot():
    homes = build_demo()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _SNAPSHOT["sqlite"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_SNAPSHOT["sqlite"])
    elif connection.vendor == "postgresql":
        _SNAPSHOT["postgresql"] = _copy_tables_postgresql()
    return homes


def _copy_tables_postgresql():
    """{table: its rows in COPY's binary format} for every table of the test database."""
    copies = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)") as copy:
                copies[table] = b"".join(bytes(block) for block in copy)
    return copies


def _restore_postgresql(copies):
    # One transaction: foreign keys are checked at its end (Django makes them DEFERRABLE INITIALLY DEFERRED), so
    # the tables load in any order. Sequences are then set past every id the copy holds: a flush may have reset
    # them to 1 (seen: the next page insert collided with the root page, id 1).
    names = {table: connection.ops.quote_name(table) for table in copies}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(names.values())}")
        for table, rows in copies.items():
            with cursor.cursor.copy(f"COPY {names[table]} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def ensure_demo():
    """The demo home pages {language: page}, restoring or rebuilding the demo if a test flushed it."""
    homes = {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
    if len(homes) >= 2:
        return homes
    if "sqlite" in _SNAPSHOT and connection.vendor == "sqlite":
        connection.ensure_connection()
        _SNAPSHOT["sqlite"].backup(connection.connection)
    elif "postgresql" in _SNAPSHOT and connection.vendor == "postgresql":
        _restore_postgresql(_SNAPSHOT["postgresql"])
    else:
        return build_demo()
    ContentType.objects.clear_cache()  # the flush's post_migrate made content types the copy replaced
    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
