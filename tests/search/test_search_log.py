"""The search log stays off the GET path: searches are buffered and written in batches, and none is lost.

A GET of the search page, the API or the agent console writes nothing while the reader waits; the buffered rows
reach the log when a batch is due (search.searchlog), a click on a search whose batch is still waiting records
both once, and a batch that failed to be written is kept and written the next time.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core import roles
from search import actions, searchlog
from search.models import SearchEvent, SearchQuery

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def _empty_buffer():
    searchlog.flush(force=True)
    yield
    searchlog.flush(force=True)


@pytest.fixture
def batched(settings, no_elasticsearch):
    settings.PORTAL_SEARCH_LOG_BATCH = 5
    settings.PORTAL_SEARCH_LOG_FLUSH_SECONDS = 3600
    return settings


@pytest.fixture
def u_key(no_elasticsearch, article, committed):
    return committed(article, "星河卡U盾插上没反应怎么办？", short_answer="换一个USB接口再试。", tags=["U盾"])


def writes_in(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_search_page_get_writes_nothing_while_the_reader_waits(batched, u_key, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "星河卡U盾"})

    assert response.status_code == 200
    assert u_key.url in response.content.decode()
    assert writes_in(queries.captured_queries) == []
    assert SearchQuery.objects.count() == 0
    assert searchlog.pending() == 1


def test_a_full_batch_is_written_in_one_insert_after_the_response(batched, u_key, client):
    for n in range(4):
        client.get("/search/", {"q": f"星河卡U盾 {n}"})
    assert SearchQuery.objects.count() == 0

    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "星河卡U盾 4"})

    inserts = [sql for sql in writes_in(queries.captured_queries) if "portal_search_searchquery" in sql]
    assert len(inserts) == 1
    assert sorted(SearchQuery.objects.values_list("query", flat=True)) == [f"星河卡U盾 {n}" for n in range(5)]
    assert searchlog.pending() == 0


def test_no_search_is_lost_from_page_api_and_console(batched, u_key, client, make_staff):
    for n in range(7):
        client.get("/search/", {"q": f"网银 {n}"})
        client.get("/api/search", {"q": f"U盾 {n}"})
    client.force_login(make_staff(roles.AGENTS))
    for n in range(3):
        client.get("/console/", {"q": f"转账 {n}"})
    assert searchlog.pending() == 17 % 5

    searchlog.flush(force=True)  # what the process does when it exits

    sources = sorted(SearchQuery.objects.values_list("source", flat=True))
    assert sources == ["api"] * 7 + ["console"] * 3 + ["page"] * 7
    assert SearchQuery.objects.values("key").distinct().count() == 17
    assert set(SearchQuery.objects.values_list("role", flat=True)) == {"anonymous", "agent"}


def test_a_waiting_batch_is_written_once_its_oldest_search_is_old_enough(batched, u_key, client, monkeypatch):
    client.get("/search/", {"q": "星河卡U盾"})
    client.get("/ping")
    assert SearchQuery.objects.count() == 0

    later = searchlog.time.monotonic() + 3601
    monkeypatch.setattr(searchlog.time, "monotonic", lambda: later)
    client.get("/ping")

    assert SearchQuery.objects.get().query == "星河卡U盾"


def test_click_on_a_search_still_buffered_records_search_and_click_once(batched, u_key, client):
    page = client.get("/search/", {"q": "星河卡U盾"})
    token = page.context["click_token"]

    click = client.post("/search/click/", {"token": token, "kind": "kb", "id": str(u_key.pk), "pos": "1"})
    searchlog.flush(force=True)

    assert click.status_code == 204
    logged = SearchQuery.objects.get()
    assert (logged.query, logged.clicked, logged.source) == ("星河卡U盾", True, "page")
    assert list(SearchEvent.objects.values_list("query_id", "action", "position")) == [(logged.pk, "click", 1)]


def test_a_batch_that_failed_is_kept_and_written_next_time(batched, u_key, client, monkeypatch):
    real = actions.write_search_log

    def refuse(rows):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(actions, "write_search_log", refuse)
    for n in range(5):
        client.get("/search/", {"q": f"挂失 {n}"})
    assert searchlog.pending() == 5
    assert SearchQuery.objects.count() == 0

    monkeypatch.setattr(actions, "write_search_log", real)
    client.get("/ping")

    assert SearchQuery.objects.count() == 5
    assert searchlog.pending() == 0


def test_api_query_id_is_the_key_a_console_event_links_to(batched, u_key, client, make_staff):
    client.force_login(make_staff(roles.AGENTS))
    data = client.get("/api/search", {"q": "星河卡U盾"}).json()
    searchlog.flush(force=True)

    used = client.post(
        "/console/event/", {"action": "copy", "kind": "kb", "id": str(u_key.pk), "query_id": data["query_id"]}
    )

    assert used.status_code == 200
    assert SearchQuery.objects.get(key=data["query_id"]).clicked is True
