"""Every change writes an outbox row in the same transaction; the drain applies it idempotently; with
Elasticsearch down nothing is lost and the outbox drains when it returns."""

import pytest
from django.core.management import call_command
from django.db import transaction

from search import client as es_client
from search import indexing, registry
from search.models import IndexOutbox, SearchEntry
from search.queries import SearchRequest, search

pytestmark = pytest.mark.django_db

PUBLIC = frozenset({"public"})


def titles(query, locale="zh-hans", audiences=PUBLIC):
    return [hit.title for hit in search(SearchRequest(query, audiences, locale=locale)).hits]


def test_publishing_writes_outbox_rows_in_the_same_transaction(article):
    before = IndexOutbox.objects.count()

    with transaction.atomic():
        page = article("星河卡开卡礼说明")
        rows = IndexOutbox.objects.filter(kind="kb", object_pk=str(page.pk)).count()
        transaction.set_rollback(True)

    assert rows >= 1
    assert IndexOutbox.objects.count() == before


def test_published_article_is_searchable_after_commit_and_the_outbox_is_empty(
    elasticsearch, refresh, article, committed
):
    page = committed(article, "星河卡开卡礼说明", short_answer="开卡送积分。")

    assert titles("星河卡开卡礼") == ["星河卡开卡礼说明"]
    assert not IndexOutbox.objects.filter(object_pk=str(page.pk)).exists()
    assert elasticsearch.get(index=indexing.alias_name("kb"), id=str(page.pk))["_source"]["audience"] == "public"


def test_with_elasticsearch_down_publishing_works_and_the_outbox_keeps_the_change(
    elasticsearch, refresh, settings, article, committed
):
    real_url = settings.ELASTICSEARCH_URL
    indexing.ensure_all()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.PORTAL_SEARCH_TIMEOUT = 0.5

    page = committed(article, "星河卡年费减免规则", short_answer="刷卡满六次免年费。")

    rows = IndexOutbox.objects.filter(object_pk=str(page.pk))
    assert rows.exists() and rows.first().attempts == 1 and rows.first().last_error
    # Meanwhile the database fallback answers, and says it may be incomplete.
    degraded = search(SearchRequest("星河卡年费", PUBLIC, locale="zh-hans"))
    assert degraded.backend == "database" and degraded.degraded is True
    assert degraded.hits[0].title == "星河卡年费减免规则"

    settings.ELASTICSEARCH_URL = real_url
    es_client.reset()
    call_command("search_drain", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not IndexOutbox.objects.filter(object_pk=str(page.pk)).exists()
    results = search(SearchRequest("星河卡年费", PUBLIC, locale="zh-hans"))
    assert results.backend == "elasticsearch" and [h.title for h in results.hits] == ["星河卡年费减免规则"]


def test_unpublishing_and_deleting_remove_the_article_from_both_backends(elasticsearch, refresh, article, committed):
    kept = committed(article, "星河卡挂失流程", short_answer="打电话挂失。")
    gone = committed(article, "星河卡补卡流程", short_answer="到网点补卡。")

    committed(lambda: gone.unpublish())
    assert titles("星河卡流程") == ["星河卡挂失流程"]
    assert not SearchEntry.objects.filter(object_pk=str(gone.pk)).exists()

    committed(lambda: kept.delete())
    assert titles("星河卡流程") == []
    assert not SearchEntry.objects.filter(object_pk__in=[str(kept.pk), str(gone.pk)]).exists()


def test_turning_an_article_agents_only_takes_it_away_from_customers_at_once(
    elasticsearch, refresh, article, committed
):
    page = committed(article, "星河卡内部升级流程", short_answer="升级到二线。")

    def make_internal():
        page.audience = "agents"
        page.save_revision().publish()

    committed(make_internal)

    assert titles("星河卡内部升级") == []
    assert titles("星河卡内部升级", audiences=frozenset({"public", "agents"})) == ["星河卡内部升级流程"]


def test_draining_twice_changes_nothing_and_an_older_read_never_overwrites_a_newer_one(
    elasticsearch, refresh, article, committed
):
    page = committed(article, "星河卡积分规则", short_answer="每消费一元积一分。")
    newer = indexing.read_version()
    old = indexing.read_version() - 10_000_000  # a read ten seconds older
    rec = registry.get("kb").load([str(page.pk)])[str(page.pk)]
    rec.title = "过期的标题"

    indexing.write_to_elasticsearch("kb", {rec.pk: (rec, rec.analysed())}, [], old)
    IndexOutbox.objects.create(kind="kb", object_pk=str(page.pk))
    IndexOutbox.objects.create(kind="kb", object_pk=str(page.pk))
    first = indexing.drain()
    second = indexing.drain()

    source = elasticsearch.get(index=indexing.alias_name("kb"), id=str(page.pk))
    assert source["_source"]["title"] == "星河卡积分规则"
    assert source["_version"] >= newer
    assert (first.processed, first.failed, second.processed) == (1, 0, 0)
    assert SearchEntry.objects.filter(object_pk=str(page.pk)).count() == 1


def test_failed_rows_back_off_longer_after_each_attempt(settings, article, committed):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.PORTAL_SEARCH_TIMEOUT = 0.5
    settings.PORTAL_SEARCH_RETRY_SECONDS = 0
    page = committed(article, "星河卡退款说明")
    row = IndexOutbox.objects.filter(object_pk=str(page.pk)).order_by("id").first()
    first_wait = row.next_attempt_at - row.created_at

    IndexOutbox.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    indexing.drain()
    row.refresh_from_db()

    assert row.attempts == 2
    assert row.next_attempt_at - row.created_at > first_wait


def test_forum_thread_changes_reach_the_index_through_the_forums_signal(elasticsearch, refresh, committed):
    from forum.models import Thread
    from forum.signals import thread_changed

    thread = Thread.objects.filter(state="published").select_related("board").first()
    assert thread is not None, "the forum demo has published threads"

    committed(lambda: thread_changed.send(sender=Thread, thread=thread, action="edit_post"))

    hit = elasticsearch.get(index=indexing.alias_name("forum"), id=str(thread.pk))["_source"]
    assert hit["title"] == thread.title and hit["audience"] == "public" and hit["kind"] == "forum"
