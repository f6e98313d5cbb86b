"""`manage.py search_check [kind ...] [--repair]`: drift between the database and the search indices.

For every kind: counts (database, index, fallback entries) and the ids missing from the index, stale in
it (older `updated_at` than the database) or extra (gone from the database). `--repair` queues those
objects through the outbox and drains it. Exit status 1 when drift remains.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from search import client as es
from search import indexing, registry


def _ids(values, limit=10):
    shown = ", ".join(values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")


class Command(BaseCommand):
    help = "Report drift between the database and the search indices; --repair fixes it."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*")
        parser.add_argument("--repair", action="store_true", help="re-index every drifted object now")

    def handle(self, *args, kinds, repair, **options):
        available = registry.kinds()
        unknown = sorted(set(kinds) - set(available))
        if unknown:
            raise CommandError(f"unknown kind(s): {', '.join(unknown)}")
        use_es = es.is_configured()
        drift = False
        for kind in kinds or list(available):
            result = indexing.check(kind, elasticsearch=use_es)
            self._report(result, use_es)
            if not result.in_sync and repair:
                drained = indexing.repair(result)
                self.stdout.write(
                    f"  repaired: {drained.indexed} indexed, {drained.deleted} deleted, {drained.failed} failed"
                )
                result = indexing.check(kind, elasticsearch=use_es)
                self._report(result, use_es)
            drift = drift or not result.in_sync
        if drift:
            self.stdout.write(self.style.WARNING("Drift found." + ("" if repair else " Run with --repair to fix it.")))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("In sync."))

    def _report(self, result, use_es):
        counts = f"database {result.database_count}, fallback entries {result.entry_count}"
        if use_es:
            counts += f", index {result.index_count}"
        self.stdout.write(f"{result.kind}: {counts}")
        for label, values in (
            ("missing from index", result.missing),
            ("stale in index", result.stale),
            ("extra in index", result.extra),
            ("missing entries", result.entries_missing),
            ("stale entries", result.entries_stale),
            ("extra entries", result.entries_extra),
        ):
            if values:
                self.stdout.write(f"  {label}: {len(values)} ({_ids(values)})")
