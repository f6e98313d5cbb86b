"""Versioned indices behind aliases: rebuild swaps with no downtime; check finds drift; repair fixes it."""

import io

import pytest
from django.core.management import call_command

from search import indexing
from search.models import SearchEntry
from search.queries import SearchRequest, search

pytestmark = pytest.mark.django_db

PUBLIC = frozenset({"public"})


def run(command, *args):
    out = io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_rebuild_builds_a_new_versioned_index_and_swaps_the_alias(elasticsearch, refresh):
    from kb.models import ArticlePage

    first = indexing.rebuild("kb")
    second = indexing.rebuild("kb")

    assert first.index.startswith(f"{indexing.alias_name('kb')}-v") and second.index > first.index
    assert indexing.aliased_indices("kb") == [second.index]
    assert indexing.kind_indices("kb") == [second.index]  # the old index is gone
    assert second.deleted_indices == [first.index]
    live = ArticlePage.objects.live().public().count()
    assert second.documents == live == elasticsearch.count(index=indexing.alias_name("kb"))["count"]


def test_search_keeps_answering_while_a_rebuild_fills_the_next_index(elasticsearch, refresh, article, committed):
    indexing.rebuild("kb")
    seen_during = []

    def progress(n):
        seen_during.append(search(SearchRequest("挂失", PUBLIC, locale="zh-hans")).total)

    indexing.rebuild("kb", progress=progress, chunk_size=50)

    assert seen_during and min(seen_during) > 0
    assert all(r == "elasticsearch" for r in [search(SearchRequest("挂失", PUBLIC)).backend])


def test_a_change_during_a_rebuild_reaches_the_new_index(elasticsearch, refresh, article, committed):
    indexing.rebuild("kb")
    changed = []

    def progress(n):
        if not changed:
            changed.append(committed(article, "星河卡重建期间的新文章", short_answer="重建时发布。"))

    indexing.rebuild("kb", progress=progress, chunk_size=50)

    assert [h.title for h in search(SearchRequest("星河卡重建期间", PUBLIC, locale="zh-hans")).hits][:1] == [
        "星河卡重建期间的新文章"
    ]


def test_search_rebuild_command_reports_documents_and_rate(elasticsearch, refresh):
    code, out = run("search_rebuild", "videos", "--no-progress")

    assert code == 0
    assert "videos: 6 documents in" in out and "docs/s" in out and "alias" in out


def test_search_check_reports_drift_and_repair_fixes_it(elasticsearch, refresh):
    from kb.models import ArticlePage

    indexing.rebuild("kb")
    missing = ArticlePage.objects.live().public().order_by("pk").first()
    stale = ArticlePage.objects.live().public().order_by("pk").last()
    elasticsearch.delete(index=indexing.alias_name("kb"), id=str(missing.pk), refresh=True)
    SearchEntry.objects.filter(kind="kb", object_pk=str(stale.pk)).update(updated_at="2000-01-01T00:00:00Z")

    code, report = run("search_check", "kb")
    repaired_code, repaired = run("search_check", "kb", "--repair")
    after_code, after = run("search_check", "kb")

    assert code == 1
    assert f"missing from index: 1 ({missing.pk})" in report
    assert f"stale entries: 1 ({stale.pk})" in report
    assert repaired_code == 0 and "repaired: 2 indexed" in repaired
    assert after_code == 0 and "In sync." in after


def test_without_elasticsearch_rebuild_refreshes_the_database_entries(no_elasticsearch):
    SearchEntry.objects.filter(kind="videos").delete()

    code, out = run("search_rebuild", "videos", "--no-progress")

    assert code == 0 and "database fallback only" in out
    assert SearchEntry.objects.filter(kind="videos").count() == 6
