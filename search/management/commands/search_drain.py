"""`manage.py search_drain`: apply the indexing outbox now (after Elasticsearch was down, for example)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from search import client as es
from search import indexing
from search.models import IndexOutbox


class Command(BaseCommand):
    help = "Apply every pending row of the search indexing outbox (ignoring backoff)."

    def handle(self, *args, **options):
        IndexOutbox.objects.update(next_attempt_at=timezone.now())
        es.reset()
        total = indexing.DrainResult()
        while True:
            result = indexing.drain()
            for name in ("processed", "indexed", "deleted", "failed"):
                setattr(total, name, getattr(total, name) + getattr(result, name))
            if not result.processed or result.failed or not result.remaining:
                break
        self.stdout.write(
            f"{total.indexed} indexed, {total.deleted} deleted, {total.failed} failed; {result.remaining} rows left"
        )
        if result.failed:
            self.stdout.write(self.style.WARNING(f"Could not apply everything: {result.errors[:1]}"))
