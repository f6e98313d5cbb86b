"""What one search costs Elasticsearch: a search page GET asks it once (hits and the counts it shows together),
never the index of a kind the reader may not see, and the API's related results come in the same round trip.

The transport is wrapped, not replaced: every request still goes to the real node and is only counted.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from elastic_transport import Transport

from portal.core import roles

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def es_requests(monkeypatch):
    """[(method, path, indices)] of every request sent to Elasticsearch while the test runs.

    `indices` are the index names the request reads: the path's, or for a multi-search each header's.
    """
    sent = []
    perform = Transport.perform_request

    def counted(self, method, target, **kwargs):
        path = target.split("?")[0]
        indices = [] if path.startswith("/_") else path.strip("/").split("/")[0].split(",")
        body = kwargs.get("body")
        if path.endswith("/_msearch") and isinstance(body, list | tuple):
            for header in body[::2]:
                named = header.get("index", [])
                indices.extend(named.split(",") if isinstance(named, str) else named)
        sent.append((method, path, indices))
        return perform(self, method, target, **kwargs)

    monkeypatch.setattr(Transport, "perform_request", counted)
    return sent


@pytest.fixture
def u_key(elasticsearch, refresh, article, committed):
    from search import indexing

    indexing.ensure_all()
    return committed(article, "星河卡U盾插上没反应怎么办？", short_answer="换一个USB接口再试。", tags=["U盾"])


def test_search_page_asks_elasticsearch_once_and_writes_nothing(u_key, client, es_requests, settings):
    settings.PORTAL_SEARCH_LOG_BATCH = 5  # the log's batch is written after the response (test_search_log)
    settings.PORTAL_SEARCH_LOG_FLUSH_SECONDS = 3600
    client.get("/search/", {"q": "星河卡U盾"})  # warm: the first search of a process builds its vocabulary
    es_requests.clear()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "星河卡U盾"})

    body = response.content.decode()
    assert response.status_code == 200
    assert u_key.url in body
    assert 'class="sr-tabs"' in body and "sr-facets" in body  # type tabs and categories from the same answer
    assert len(es_requests) == 1
    assert [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []


def test_a_customers_search_never_asks_the_message_desks_index(u_key, client, make_staff, es_requests):
    client.get("/search/", {"q": "星河卡U盾"})
    customer_indices = [name for *_request, indices in es_requests for name in indices]
    es_requests.clear()
    client.force_login(make_staff(roles.MESSAGE_DESK))
    client.get("/search/", {"q": "星河卡U盾"})
    desk_indices = [name for *_request, indices in es_requests for name in indices]

    assert any(name.endswith("-kb") for name in customer_indices), customer_indices
    assert not [name for name in customer_indices if "-messages" in name]
    assert [name for name in desk_indices if "-messages" in name], desk_indices


def test_api_related_results_come_in_the_same_round_trip(u_key, client, es_requests, committed, article):
    committed(article, "星河卡U盾驱动下载", short_answer="在官网下载驱动。")
    client.get("/api/search", {"q": "星河卡U盾"})
    es_requests.clear()

    data = client.get("/api/search", {"q": "星河卡U盾", "related": "kb,forum", "size": 1}).json()

    assert len(data["results"]) == 1
    assert {hit["title"] for hit in data["related"]["kb"]} == {"星河卡U盾插上没反应怎么办？", "星河卡U盾驱动下载"}
    assert data["related"]["forum"] == []
    assert len(es_requests) == 1
