"""Restore a backup made by portal_backup into a fresh database and media folder, then rebuild search.

The database in the settings must be new and empty (a SQLite file that does not exist yet, or a freshly
created PostgreSQL database): restore never writes over a live site. Media goes into MEDIA_ROOT, which must be
empty or missing. Afterwards the row counts are checked against the manifest, and the search indices (and the
database fallback's entries) are rebuilt from the restored rows with search_rebuild.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.management.commands.portal_backup import counts, pg_environment


class Command(BaseCommand):
    help = "Restore DIRECTORY (made by portal_backup) into the empty database and media folder of the settings."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--no-search", action="store_true", help="do not rebuild the search indices")

    def handle(self, *args, directory, no_search, **options):
        source = Path(directory)
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except FileNotFoundError as exc:
            raise CommandError(f"{source} is not a backup (no manifest.json).") from exc
        if manifest["vendor"] != connection.vendor:
            raise CommandError(
                f"The backup holds a {manifest['vendor']} database; the settings use {connection.vendor}."
            )
        if connection.introspection.table_names():
            raise CommandError("The database is not empty: restore only into a fresh database.")
        media = Path(settings.MEDIA_ROOT)
        private = Path(settings.PORTAL_PRIVATE_MEDIA_ROOT)
        for folder in (media, private):
            if folder.exists() and any(folder.iterdir()):
                raise CommandError(f"{folder} is not empty: restore only into a fresh media folder.")
        database = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            saved = sqlite3.connect(source / "database.sqlite3")
            saved.backup(connection.connection)
            saved.close()
        else:
            program = shutil.which("pg_restore")
            if program is None:
                raise CommandError("pg_restore is missing: install the PostgreSQL client.")
            connection.close()
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    program,
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    database["NAME"],
                    str(source / "database.dump"),
                ],
                env=pg_environment(database),
                check=True,
            )
        media.mkdir(parents=True, exist_ok=True)
        private.mkdir(parents=True, exist_ok=True)
        folders = {"media/": media, "private_media/": private}
        with tarfile.open(source / "media.tar.gz") as archive:
            for member in archive.getmembers():
                prefix = next((p for p in folders if member.name.startswith(p)), None)
                if prefix is None or member.issym() or member.islnk() or ".." in member.name:
                    continue
                member.name = member.name.removeprefix(prefix)
                archive.extract(member, folders[prefix], filter="data")
        restored = counts()
        if restored != manifest["counts"]:
            raise CommandError(f"Restored rows differ from the backup: {restored} != {manifest['counts']}")
        if not no_search:
            call_command("search_rebuild", "--no-progress", stdout=self.stdout)
        self.stdout.write(f"Restored {source} into the {connection.vendor} database: {restored}")
