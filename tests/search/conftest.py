"""Fixtures of the search tests: articles built in code, the outbox drained on commit, and an `engine`
fixture that runs the same behaviour test on Elasticsearch (the real node) and on the database."""

import itertools
import uuid

import pytest
from django.db import transaction
from wagtail.models import Locale
from wagtail.rich_text import RichText

from search import client as es_client
from search import indexing, registry

_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def _reset_caches():
    from search import analysis, spelling
    from search.backends import database

    es_client.reset()
    spelling.forget()
    analysis.invalidate()
    indexing.forget_backlog()
    database.forget_stats()
    yield
    es_client.reset()
    spelling.forget()
    analysis.invalidate()
    indexing.forget_backlog()
    database.forget_stats()


@pytest.fixture
def category(demo_site):
    from kb.models import CategoryPage

    return CategoryPage.objects.filter(locale__language_code="zh-hans").order_by("path").first()


@pytest.fixture
def category_en(demo_site):
    from kb.models import CategoryPage

    return CategoryPage.objects.filter(locale__language_code="en").order_by("path").first()


def make_article(parent, title, short_answer="", answer="", audience="public", tags=(), channels=(), notes="", **kw):
    """A published article under `parent` (a category page), written through Wagtail's own publish."""
    from kb.models import ArticlePage

    page = ArticlePage(
        title=title,
        slug=kw.pop("slug", f"search-test-{next(_slugs)}-{uuid.uuid4().hex[:6]}"),
        short_answer=short_answer or title,
        answer=[("rich_text", RichText(f"<p>{answer or short_answer or title}</p>"))],
        audience=audience,
        channels=list(channels),
        agent_notes=f"<p>{notes}</p>" if notes else "",
        locale=parent.locale,
        **kw,
    )
    parent.add_child(instance=page)
    for tag in tags:
        page.tags.add(tag)
    page.save_revision().publish()
    return page


@pytest.fixture
def article(category):
    def make(title, **kwargs):
        return make_article(category, title, **kwargs)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `fn` in a transaction and then its on-commit callbacks (the outbox drain), as a request would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            result = fn(*args, **kwargs)
        return result

    return run


@pytest.fixture
def refresh(settings):
    """Make Elasticsearch writes visible at once (tests read right after writing)."""
    settings.PORTAL_SEARCH_REFRESH = True


@pytest.fixture
def es_index(elasticsearch, refresh):
    """Fresh indices (this test's prefix) holding everything in the database right now."""
    for kind in registry.kinds():
        indexing.rebuild(kind)
    return elasticsearch


@pytest.fixture
def zh():
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def index_records(settings):
    """Put SearchRecords straight into the current backend(s), as the outbox drain would."""
    from django.utils import timezone

    from search import client as es
    from search.documents import SearchRecord

    def put(*specs):
        records = []
        for spec in specs:
            spec = {"locale": "zh-hans", "url": "/x/", "updated_at": timezone.now(), "kind": "kb", **spec}
            records.append(SearchRecord(**spec))
        analysed = {rec.pk: (rec, rec.analysed()) for rec in records}
        indexing.save_entries([indexing.entry_for(rec, a) for rec, a in analysed.values()])
        if es.is_configured():
            by_kind = {}
            for pk, pair in analysed.items():
                by_kind.setdefault(pair[0].kind, {})[pk] = pair
            for kind, recs in by_kind.items():
                indexing.write_to_elasticsearch(kind, recs, [], indexing.read_version())
        return records

    return put
