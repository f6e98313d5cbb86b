"""`manage.py search_rebuild [kind ...]`: build fresh versioned indices and swap the aliases, no downtime.

Also refreshes the database fallback's entries. Prints a progress bar per kind and the rate (docs/s).
Without Elasticsearch configured (the `make run` default) only the database entries are rebuilt.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import client as es
from search import indexing, registry


class Command(BaseCommand):
    help = "Rebuild search indices (new versioned index, atomic alias swap) and the database fallback entries."

    def add_arguments(self, parser):
        parser.add_argument(
            "kinds", nargs="*", help=f"kinds to rebuild (default: all of {', '.join(registry.kinds())})"
        )
        parser.add_argument("--database-only", action="store_true", help="rebuild only the database fallback entries")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, kinds, database_only, no_progress, **options):
        available = registry.kinds()
        unknown = sorted(set(kinds) - set(available))
        if unknown:
            raise CommandError(f"unknown kind(s): {', '.join(unknown)}; known: {', '.join(available)}")
        use_es = es.is_configured() and not database_only
        if not use_es:
            self.stdout.write("Elasticsearch is not configured: rebuilding the database fallback only.")
        for kind in kinds or list(available):
            doc_class = available[kind]
            total = doc_class.indexable().count()
            bar = tqdm(total=total, desc=f"{kind:>7}", unit="doc", disable=no_progress, file=self.stderr._out)
            result = indexing.rebuild(
                kind, progress=bar.update, elasticsearch=use_es, workers=indexing.rebuild_workers(total)
            )
            bar.close()
            where = f" -> {result.index} (alias {indexing.alias_name(kind)})" if use_es else ""
            rate = f"{result.per_second:,.0f} docs/s"
            self.stdout.write(f"{kind}: {result.documents} documents in {result.seconds:.1f} s ({rate}){where}")
            if result.deleted_indices:
                self.stdout.write(f"  deleted old index {', '.join(result.deleted_indices)}")
