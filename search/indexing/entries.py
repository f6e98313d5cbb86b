"""The database backend's copy of each indexed document (SearchEntry), written by the drain and the rebuild."""

from django.db import transaction

from search import analysis
from search.models import SearchEntry

ENTRY_FIELDS = [
    "locale",
    "audience",
    "slug",
    "title",
    "url",
    "summary",
    "body",
    "notes",
    "facet",
    "facet_label",
    "tags",
    "channels",
    "accepted",
    "rank_boost",
    "updated_at",
    "title_tokens",
    "body_tokens",
    "notes_tokens",
    "suggest_text",
]


def entry_for(rec, analysed):
    def tokens(part):
        return " ".join(analysed[part].all_tokens)

    return SearchEntry(
        kind=rec.kind,
        object_pk=rec.pk,
        locale=rec.locale,
        audience=rec.audience,
        slug=rec.slug[:255],
        title=rec.title[:500],
        url=rec.url[:500],
        summary=rec.summary,
        body=rec.body[:20_000],
        notes=rec.notes,
        facet=rec.facet[:255],
        facet_label=rec.facet_label[:255],
        tags=list(rec.tags),
        channels=list(rec.channels),
        accepted=rec.accepted,
        rank_boost=rec.rank_boost,
        updated_at=rec.updated_at,
        title_tokens=tokens("title"),
        body_tokens=tokens("body"),
        notes_tokens=tokens("notes"),
        suggest_text=" | ".join([analysis.normalise(rec.title), *(analysis.normalise(t) for t in rec.tags)]),
    )


def save_entries(entries, deleted=()):
    """Upsert entries and delete (kind, pk) pairs, in one transaction."""
    with transaction.atomic():
        if entries:
            SearchEntry.objects.bulk_create(
                entries,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "object_pk"],
                update_fields=ENTRY_FIELDS,
            )
        by_kind = {}
        for kind, pk in deleted:
            by_kind.setdefault(kind, []).append(pk)
        for kind, pks in by_kind.items():
            SearchEntry.objects.filter(kind=kind, object_pk__in=pks).delete()
