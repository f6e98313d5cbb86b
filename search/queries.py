"""The read side of search: one interface (`search`, `suggest`) over the Elasticsearch and database backends.

The query is planned once (search.plan: cleaned, analysed, widened with synonyms and a spelling
correction, with the user's filters and audiences), then answered by a backend (search.backends): the
Elasticsearch one when it is configured and answers, else the database one with the same plan, results
and facets, and `degraded` saying that results may be incomplete. While the indexing outbox holds changes
Elasticsearch refused (it was down or hung), the database - which the drain keeps current even then -
answers, so a post hidden or an article unpublished during an outage never comes back from a stale index.
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
    """(use Elasticsearch?, degraded if not): configured, not known to be down, and not behind the database."""
    if not es.is_configured():
        return False, False
    if not es.is_available():
        return False, True
    if indexing.backlog():
        return False, True
    return True, False


def search(request):
    """Search with Elasticsearch when it answers, else with the database. Never raises for bad input."""
    plan = plan_for(request)
    if plan is None:
        return DATABASE.empty_results(request)
    use_es, degraded = _elasticsearch_first()
    if use_es:
        try:
            results = ELASTICSEARCH.search(plan)
        except BackendUnavailable as exc:
            _note_failure(exc)
            degraded = True
        else:
            es.report_success()
            return results
    results = DATABASE.search(plan)
    results.degraded = degraded
    return results


def suggest(query, audiences, locale=None, size=SUGGEST_SIZE):
    """Titles that complete what was typed: [{"title", "url", "kind"}]. Same audience rules as search."""
    query, _truncated = analysis.clean_query(query)
    prefix = analysis.normalise(query).strip()[:40]
    if not prefix:
        return []
    use_es, _degraded = _elasticsearch_first()
    if use_es:
        try:
            return ELASTICSEARCH.suggest(prefix, audiences, locale, size)
        except BackendUnavailable as exc:
            _note_failure(exc)
    return DATABASE.suggest(prefix, audiences, locale, size)


def _note_failure(exc):
    if exc.missing_index:
        logger.warning("search: an index is missing (run `manage.py search_rebuild`); answering from the database")
    else:
        es.report_failure(exc.reason)


NO_RESULTS_HELP = _("Try fewer or different words, ask in the forum, or leave us a message.")
