"""Back up the database and the media folder into one directory (scripts/backup.sh).

PostgreSQL goes through pg_dump (custom format, consistent while the site serves); SQLite through SQLite's own
online backup (consistent in WAL mode too). Media is one tar.gz. manifest.json names the database vendor, the
time and the row counts restore checks. The search indices are not backed up: restore rebuilds them.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from portal.models import HomePage

COUNTED = ("wagtailcore.Page", "forum.Post", "accounts.User")


def counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED}


# libpq connection options a DATABASE_URL may carry (?sslmode=verify-full&sslrootcert=...), as pg_dump and
# pg_restore read them from the environment: without them they would connect otherwise than the site does.
LIBPQ_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


def pg_environment(database):
    options = database.get("OPTIONS") or {}
    return {
        **os.environ,
        "PGHOST": str(database.get("HOST") or "127.0.0.1"),
        "PGPORT": str(database.get("PORT") or 5432),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        **{variable: str(options[option]) for option, variable in LIBPQ_OPTIONS.items() if option in options},
    }


class Command(BaseCommand):
    help = "Back up the database and media into DIRECTORY (created; must not exist yet)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        if target.exists():
            raise CommandError(f"{target} exists already: give a new directory for each backup.")
        if not HomePage.objects.exists():
            raise CommandError("The database has no site to back up (no home page).")
        target.mkdir(parents=True)
        database = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(target / "database.sqlite3")
            connection.connection.backup(copy)
            copy.close()
        elif connection.vendor == "postgresql":
            program = shutil.which("pg_dump")
            if program is None:
                raise CommandError("pg_dump is missing: install the PostgreSQL client.")
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [program, "--format=custom", "--no-owner", "--file", str(target / "database.dump"), database["NAME"]],
                env=pg_environment(database),
                check=True,
            )
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        media = Path(settings.MEDIA_ROOT)
        private = Path(settings.PORTAL_PRIVATE_MEDIA_ROOT)  # customers' pictures (portal/core/private_media.py)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname="media")
            if private.exists():
                archive.add(private, arcname="private_media")
        manifest = {"vendor": connection.vendor, "created_at": timezone.now().isoformat(), "counts": counts()}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        self.stdout.write(f"Backed up the {connection.vendor} database and media into {target}: {manifest['counts']}")
