"""The read side of search: one interface (`search`, `suggest`) over the Elasticsearch and database backends.

The query is planned once (search.plan: cleaned, analysed, widened with synonyms and a spelling
correction, with the user's filters and audiences), then answered by a backend (search.backends): the
Elasticsearch one when it is configured and answers, else the database one with the same plan, results
and facets, and `degraded` saying that results may be incomplete. While the indexing outbox holds changes
Elasticsearch refused (it was down or hung), the database - which the drain keeps current even then -
answers for those objects, so a post hidden or an article unpublished during an outage never comes back
from a stale index, and one published meanwhile is found.
"""

import logging

from django.utils.translation import gettext_lazy as _

from search import analysis, indexing
from search import client as es
from search.backends.base import BackendUnavailable, Facet, SearchHit, SearchResults, kind_facets  # noqa: F401
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.plan import (  # noqa: F401 - the request and plan types are part of this interface
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    SUGGEST_SIZE,
    QueryPlan,
    SearchRequest,
    plan_for,
    plan_query,
)

logger = logging.getLogger(__name__)

ELASTICSEARCH = ElasticsearchBackend()
DATABASE = DatabaseBackend()


def _elasticsearch_first():
    """(use Elasticsearch?, degraded if not, pending): configured, not known to be down, not far behind.

    `pending` are the (kind, pk) whose changes Elasticsearch refused so far: it must not answer for them.
    """
    if not es.is_configured():
        return False, False, frozenset()
    if not es.is_available():
        return False, True, frozenset()
    pending = indexing.backlog()
    if len(pending) > indexing.outbox.BACKLOG_LIMIT:
        return False, True, frozenset()
    return True, False, pending


def search(request):
    """Search with Elasticsearch when it answers, else with the database. Never raises for bad input.

    While some changes wait in the outbox (Elasticsearch refused them), Elasticsearch answers for everything
    else and the database for those objects (their current state: hidden or unpublished ones are not found,
    new ones are, first on page 1), and the results say they may be incomplete.
    """
    return search_many([request])[0]


def search_many(requests):
    """`search` for several requests at once (the API's related results): one Elasticsearch round trip."""
    plans = [plan_for(request) for request in requests]
    answered = [
        DATABASE.empty_results(request) if plan is None else None for request, plan in zip(requests, plans, strict=True)
    ]
    asked = [plan for plan in plans if plan is not None]
    if not asked:
        return answered
    use_es, degraded, pending = _elasticsearch_first()
    found = None
    if use_es:
        for plan in asked:
            plan.exclude = pending
        try:
            found = ELASTICSEARCH.search_many(asked)
        except BackendUnavailable as exc:
            _note_failure(exc)
            degraded = True
        else:
            es.report_success()
            if pending:
                for results, plan in zip(found, asked, strict=True):
                    _add_pending(results, plan, pending)
    if found is None:
        found = []
        for plan in asked:
            plan.exclude = frozenset()
            results = DATABASE.search(plan)
            results.degraded = degraded
            found.append(results)
    answers = iter(found)
    return [results if results is not None else next(answers) for results in answered]


def _add_pending(results, plan, pending):
    results.degraded = True
    found = DATABASE.search_among(plan, pending)
    results.total += len(found)
    if plan.request.page == 1 and found:
        results.hits = (found + results.hits)[: plan.request.size]
        for position, hit in enumerate(results.hits, start=1):
            hit.position = position


def suggest(query, audiences, locale=None, size=SUGGEST_SIZE):
    """Titles that complete what was typed: [{"title", "url", "kind"}]. Same audience rules as search."""
    query, _truncated = analysis.clean_query(query)
    prefix = analysis.normalise(query).strip()[:40]
    if not prefix:
        return []
    use_es, _degraded, pending = _elasticsearch_first()
    if use_es:
        try:
            suggestions = ELASTICSEARCH.suggest(prefix, audiences, locale, size, exclude=pending)
        except BackendUnavailable as exc:
            _note_failure(exc)
        else:
            if pending:
                suggestions = (DATABASE.suggest(prefix, audiences, locale, size, only=pending) + suggestions)[:size]
            return suggestions
    return DATABASE.suggest(prefix, audiences, locale, size)


def _note_failure(exc):
    if exc.missing_index:
        logger.warning("search: an index is missing (run `manage.py search_rebuild`); answering from the database")
    else:
        es.report_failure(exc.reason)


NO_RESULTS_HELP = _("Try fewer or different words, ask in the forum, or leave us a message.")
