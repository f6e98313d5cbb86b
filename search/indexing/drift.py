"""Drift check: compare the database with the index and with the database backend's entries; repair drift."""

from dataclasses import dataclass, field

from django.db import transaction
from elasticsearch import helpers

from search import client as es
from search import registry
from search.indexing.lifecycle import alias_name, aliased_indices
from search.indexing.outbox import drain
from search.indexing.rebuild import iter_records
from search.models import IndexOutbox, SearchEntry


@dataclass
class CheckResult:
    kind: str
    database_count: int = 0
    index_count: int = 0
    entry_count: int = 0
    missing: list = field(default_factory=list)  # in the database, not in the index
    stale: list = field(default_factory=list)  # in both, but the index has an older version
    extra: list = field(default_factory=list)  # in the index, no longer in the database
    entries_missing: list = field(default_factory=list)
    entries_stale: list = field(default_factory=list)
    entries_extra: list = field(default_factory=list)
    elasticsearch: bool = True

    @property
    def in_sync(self):
        return not (
            self.missing or self.stale or self.extra or self.entries_missing or self.entries_stale or self.entries_extra
        )

    def to_repair(self):
        return sorted(
            {*self.missing, *self.stale, *self.extra, *self.entries_missing, *self.entries_stale, *self.entries_extra}
        )


def _stamp(value):
    if value is None:
        return None
    if isinstance(value, str):
        from datetime import datetime

        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.replace(microsecond=value.microsecond // 1000 * 1000)  # Elasticsearch keeps milliseconds


def check(kind, elasticsearch=True):
    """Compare the database with the index (and with the fallback's entries): counts, missing, stale, extra."""
    doc_class = registry.all_kinds()[kind]
    expected = {}
    for rec in iter_records(doc_class):
        expected[rec.pk] = _stamp(rec.updated_at)
    result = CheckResult(kind=kind, database_count=len(expected), elasticsearch=elasticsearch)
    entries = {
        pk: _stamp(stamp) for pk, stamp in SearchEntry.objects.filter(kind=kind).values_list("object_pk", "updated_at")
    }
    result.entry_count = len(entries)
    result.entries_missing = sorted(set(expected) - set(entries))
    result.entries_extra = sorted(set(entries) - set(expected))
    result.entries_stale = sorted(pk for pk in set(expected) & set(entries) if entries[pk] != expected[pk])
    if elasticsearch:
        client = es.get_client()
        indexed = {}
        if aliased_indices(kind, client):
            for hit in helpers.scan(
                client, index=alias_name(kind), query={"query": {"match_all": {}}}, _source=["updated_at"], size=1000
            ):
                indexed[hit["_id"]] = _stamp(hit["_source"].get("updated_at"))
        result.index_count = len(indexed)
        result.missing = sorted(set(expected) - set(indexed))
        result.extra = sorted(set(indexed) - set(expected))
        result.stale = sorted(pk for pk in set(expected) & set(indexed) if indexed[pk] != expected[pk])
    return result


def repair(result):
    """Queue every drifted object through the outbox and drain it now."""
    pks = result.to_repair()
    with transaction.atomic():
        IndexOutbox.objects.bulk_create([IndexOutbox(kind=result.kind, object_pk=pk) for pk in pks])
    return drain(kinds=[result.kind], limit=max(2000, len(pks) * 2))
