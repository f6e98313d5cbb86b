"""Agent notes are searched and shown for agents only: never for customers, by any route."""

import pytest

from portal.core import roles
from search.queries import SearchRequest, search

pytestmark = pytest.mark.django_db

NOTE = "核对预留手机号时不要把号码念给客户，暗号蓝鲸七号"


@pytest.fixture
def noted(engine, article, committed):
    return committed(article, "星河卡注册提示手机号不符", short_answer="核对预留手机号。", notes=NOTE)


def test_customer_does_not_find_an_article_by_words_only_its_agent_notes_hold(noted):
    assert search(SearchRequest("蓝鲸七号", frozenset({"public"}), locale="zh-hans")).hits == []


def test_agent_finds_the_article_by_its_notes_and_sees_them(noted):
    results = search(SearchRequest("蓝鲸七号", frozenset({"public", "agents"}), locale="zh-hans"))

    assert [hit.title for hit in results.hits] == ["星河卡注册提示手机号不符"]
    assert "蓝鲸七号" in results.hits[0].notes


def test_customer_hit_of_the_same_article_carries_no_notes(noted, client):
    results = search(SearchRequest("星河卡手机号", frozenset({"public"}), locale="zh-hans"))
    api = client.get("/api/search", {"q": "星河卡手机号"}).json()
    page = client.get("/search/", {"q": "星河卡手机号"}).content.decode()

    assert results.hits[0].notes == ""
    assert "agent_notes" not in api["results"][0]
    assert "蓝鲸七号" not in page and "蓝鲸七号" not in str(api)


def test_agent_api_results_carry_the_notes(noted, client, make_staff):
    client.force_login(make_staff(roles.AGENTS))

    data = client.get("/api/search", {"q": "星河卡手机号"}).json()

    assert NOTE in data["results"][0]["agent_notes"]
