"""The outbox after an outage: one waiting drain however many writes, a drain as soon as the health check
sees the cluster again, and search from the database while changes Elasticsearch refused are waiting."""

from django.utils import timezone

from search import client as es_client
from search import indexing
from search.health import engine_status
from search.models import IndexOutbox
from search.queries import SearchRequest, search, suggest

PUBLIC = frozenset({"public"})


def test_twenty_writes_while_a_drain_waits_enqueue_one_drain(settings, article, committed, no_elasticsearch):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()

    pages = [committed(article, f"星河卡排队测试{number}", short_answer="排队。") for number in range(20)]

    assert [r.task.name for r in backend.results if r.task.name == "drain_outbox"] == ["drain_outbox"]
    # every change waits for that one drain
    assert set(IndexOutbox.objects.values_list("object_pk", flat=True)) == {str(page.pk) for page in pages}


def test_a_drain_that_started_lets_the_next_write_ask_for_another(settings, article, committed, no_elasticsearch):
    from django_tasks import task_backends

    from search.tasks import drain_outbox

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    committed(article, "星河卡排队测试甲", short_answer="排队。")

    drain_outbox.call()  # the worker runs the waiting drain
    second = committed(article, "星河卡排队测试乙", short_answer="排队。")

    assert len([r for r in backend.results if r.task.name == "drain_outbox"]) == 2
    # only the second write waits for its drain
    assert set(IndexOutbox.objects.values_list("object_pk", flat=True)) == {str(second.pk)}


def test_the_health_check_seeing_the_cluster_drains_backed_off_rows_at_once(elasticsearch, refresh, article, committed):
    indexing.ensure_all()
    page = committed(article, "星河卡恢复演练", short_answer="恢复。")
    IndexOutbox.objects.create(
        kind="kb", object_pk=str(page.pk), attempts=6, next_attempt_at=timezone.now() + timezone.timedelta(minutes=10)
    )

    status = engine_status()

    assert status.engine == "elasticsearch"
    assert IndexOutbox.objects.count() == 0


def test_while_refused_changes_wait_the_database_answers_and_nothing_stale_leaks(
    elasticsearch, refresh, settings, article, committed
):
    real_url = settings.ELASTICSEARCH_URL
    indexing.ensure_all()
    page = committed(article, "星河卡停用说明", short_answer="停用。")
    assert [h.title for h in search(SearchRequest("星河卡停用", PUBLIC, locale="zh-hans")).hits] == ["星河卡停用说明"]

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # these changes reach the database, not the index
    committed(page.unpublish)
    committed(article, "星河卡停用后的新卡说明", short_answer="换新卡。")
    settings.ELASTICSEARCH_URL = real_url
    es_client.reset()
    indexing.forget_backlog()

    waiting = search(SearchRequest("星河卡停用", PUBLIC, locale="zh-hans"))
    assert elasticsearch.get(index=indexing.alias_name("kb"), id=str(page.pk))["found"]  # the index is stale
    # Elasticsearch answers for the rest, the database for what the index has not taken: saying so.
    assert (waiting.backend, waiting.degraded) == ("elasticsearch", True)
    assert [h.title for h in waiting.hits] == ["星河卡停用后的新卡说明"]
    assert [s["title"] for s in suggest("星河卡停用", PUBLIC, locale="zh-hans")] == ["星河卡停用后的新卡说明"]

    engine_status()  # the cluster answers: the refused rows are applied

    caught_up = search(SearchRequest("星河卡停用", PUBLIC, locale="zh-hans"))
    assert (caught_up.backend, caught_up.degraded) == ("elasticsearch", False)
    assert [h.title for h in caught_up.hits] == ["星河卡停用后的新卡说明"]
