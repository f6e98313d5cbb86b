"""Every change of state in search: recording searches, clicks and "used on call", and staff edits.

Query text is masked before it is stored (portal.core.masking: card, ID and mobile numbers; here also any
other long run of digits, such as an account number) and the log keeps the user's role, never the
user. "Used on call" also goes to the knowledge base's own counter (kb.actions.record_usage) and to the
agent's recently used list.
"""

import re
import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portal.core.masking import mask_personal_data
from search import analysis, searchlog
from search.models import RecentUse, SearchEvent, SearchQuery
from search.policies import SearchPolicy

RECENT_KEEP = 20
_LONG_DIGITS_RE = re.compile(r"\d[\d -]{9,}\d")


def mask_query(text):
    """The query as it may be stored: personal numbers masked, at most MAX_QUERY_LENGTH characters."""
    masked = mask_personal_data(text or "").text

    def hide(match):
        digits = [i for i, ch in enumerate(match.group(0)) if ch.isdigit()]
        keep = set(digits[-4:])
        return "".join(ch if (not ch.isdigit() or i in keep) else "*" for i, ch in enumerate(match.group(0)))

    return _LONG_DIGITS_RE.sub(hide, masked)[: analysis.MAX_QUERY_LENGTH]


def search_log_row(*, user, results, source, locale, kind=""):
    """One search as the log stores it (masked, role only, a fresh key), JSON-ready; None when not logged."""
    from django.conf import settings

    if not settings.PORTAL_SEARCH_LOG_QUERIES or not results.query:
        return None
    masked = mask_query(results.query)
    return {
        "key": str(uuid.uuid4()),
        "created_at": timezone.now().isoformat(),
        "query": masked,
        "normalised": " ".join(analysis.normalise(masked).split())[:200],
        "locale": (locale or "")[:12],
        "kind": (kind or "")[:20],
        "source": source,
        "role": SearchPolicy.role(user),
        "backend": results.backend,
        "result_count": results.total,
        "took_ms": results.took_ms,
    }


def _search_query(row):
    return SearchQuery(**{**row, "created_at": datetime.fromisoformat(row["created_at"])})


def log_search(*, user, results, source, locale, kind=""):
    """Record one search now (masked). Returns the SearchQuery, or None when logging is off or nothing was asked.

    For POSTs (the console's "search" event); a GET queues its search with queue_search_log instead."""
    row = search_log_row(user=user, results=results, source=source, locale=locale, kind=kind)
    if row is None:
        return None
    query = _search_query(row)
    query.save()
    return query


def queue_search_log(*, user, results, source, locale, kind=""):
    """Buffer one search for the batched background write (search.searchlog); nothing is written now.

    Returns its row (with the key the click token carries), or None when nothing is logged."""
    row = search_log_row(user=user, results=results, source=source, locale=locale, kind=kind)
    if row is not None:
        searchlog.add(row)
    return row


def write_search_log(rows):
    """Store buffered searches in one insert; a key already stored (a click wrote its search first) is skipped."""
    SearchQuery.objects.bulk_create([_search_query(row) for row in rows], ignore_conflicts=True)
    return len(rows)


def logged_search(row):
    """The stored search for a buffered row (from a click token), writing it now if its batch has not yet."""
    query = SearchQuery.objects.filter(key=row["key"]).first()
    if query is None:
        write_search_log([row])
        query = SearchQuery.objects.get(key=row["key"])
    return query


@transaction.atomic
def record_event(*, action, kind, object_pk, query=None, position=None):
    """A click, a copied short answer or a use on a call, tied to the search it came from when known."""
    event = SearchEvent.objects.create(
        query=query,
        action=action,
        kind=kind[:20],
        object_pk=str(object_pk)[:64],
        position=position if position and 0 < position < 1000 else None,
    )
    if query is not None and not query.clicked:
        SearchQuery.objects.filter(pk=query.pk).update(clicked=True)
    return event


@transaction.atomic
def mark_used_on_call(*, user, kind, object_pk, query=None, position=None):
    """An agent used this result on a call: count it in search analytics, in the KB and in their recent list."""
    event = record_event(action=SearchEvent.Action.USED, kind=kind, object_pk=object_pk, query=query, position=position)
    RecentUse.objects.update_or_create(
        user=user, kind=kind, object_pk=str(object_pk), defaults={"used_at": timezone.now()}
    )
    stale = RecentUse.objects.filter(user=user).order_by("-used_at").values_list("pk", flat=True)[RECENT_KEEP:]
    RecentUse.objects.filter(pk__in=list(stale)).delete()
    if kind == "kb":
        _record_kb_usage(user, object_pk)
    return event


def _record_kb_usage(user, object_pk):
    from kb.actions import record_usage
    from kb.models import ArticlePage

    article = ArticlePage.objects.filter(pk=object_pk).first()
    if article is not None:
        record_usage(article=article, agent=user)
