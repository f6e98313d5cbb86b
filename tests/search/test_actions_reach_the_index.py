"""Real forum and KB actions, then the real Elasticsearch node: what a customer may no longer see is gone
from the search page's engine, from suggestions and from the JSON API - with no signal sent by hand.

Each test runs the action the way a moderator or an editor does (forum.actions, Wagtail's own unpublish
and publish of a revision), lets the outbox drain after commit, and asks the node through every route.
"""

import pytest
from django.utils import timezone

from forum import actions as forum_actions
from forum.models import BoardPage, ForumIndexPage
from search.queries import SearchRequest, search, suggest
from tests.factories import UserFactory

PUBLIC = frozenset({"public"})
AGENTS = frozenset({"public", "agents"})


@pytest.fixture
def on_the_node(elasticsearch, refresh):
    """The real node, fresh indices of this test's prefix, writes visible at once."""
    from search import indexing

    indexing.ensure_all()
    return elasticsearch


def everywhere(client, text, prefix):
    """(search titles, suggestion titles, API titles, API suggestion titles) a customer gets for `text`."""
    found = search(SearchRequest(text, PUBLIC, locale="zh-hans"))
    assert found.backend == "elasticsearch" and not found.degraded
    api = client.get("/api/search", {"q": text, "locale": "zh-hans"}).json()
    api_suggest = client.get("/api/suggest", {"q": prefix, "locale": "zh-hans"}).json()
    assert api["backend"] == "elasticsearch"
    return (
        [hit.title for hit in found.hits],
        [s["title"] for s in suggest(prefix, PUBLIC, locale="zh-hans")],
        [r["title"] for r in api["results"]],
        [s["title"] for s in api_suggest["suggestions"]],
    )


@pytest.fixture
def board(demo_site):
    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage(slug="search-e2e-board", title="搜索测试版块")
    index.add_child(instance=board)
    board.save_revision().publish()
    return BoardPage.objects.get(pk=board.pk)


@pytest.fixture
def veteran(db):
    user = UserFactory(display_name="老用户")
    user.date_joined = timezone.now() - timezone.timedelta(days=365)
    user.save(update_fields=["date_joined"])
    return user


def test_a_post_a_moderator_hides_leaves_customer_search_suggestions_and_the_api(
    on_the_node, committed, client, board, veteran, make_staff
):
    moderator = make_staff("Moderators")
    title = "星河卡自动扣款失败怎么办"
    created = committed(
        forum_actions.create_thread,
        veteran,
        board,
        title=title,
        body="星河卡自动扣款一直失败。",
        check_limits=False,
        notify=False,
    )
    assert everywhere(client, "星河卡自动扣款", "星河卡自动") == ([title],) * 4

    committed(forum_actions.hide_post, moderator, created.thread.posts.order_by("pk").first(), "广告")

    assert everywhere(client, "星河卡自动扣款", "星河卡自动") == ([],) * 4


def test_an_article_an_editor_unpublishes_leaves_customer_search_suggestions_and_the_api(
    on_the_node, committed, client, article
):
    page = committed(article, "星河卡年费补缴说明", short_answer="年费可以在网银补缴。")
    assert everywhere(client, "星河卡年费补缴", "星河卡年费") == (["星河卡年费补缴说明"],) * 4

    committed(page.unpublish)

    assert everywhere(client, "星河卡年费补缴", "星河卡年费") == ([],) * 4


def test_an_article_made_agents_only_leaves_customers_but_stays_for_agents(on_the_node, committed, client, article):
    page = committed(article, "星河卡额度内部调整", short_answer="二线可以临时调整额度。")
    assert everywhere(client, "星河卡额度内部调整", "星河卡额度") == (["星河卡额度内部调整"],) * 4

    def make_agents_only():
        page.audience = "agents"
        page.save_revision().publish()

    committed(make_agents_only)

    assert everywhere(client, "星河卡额度内部调整", "星河卡额度") == ([],) * 4
    agents = search(SearchRequest("星河卡额度内部调整", AGENTS, locale="zh-hans"))
    assert [hit.title for hit in agents.hits] == ["星河卡额度内部调整"]
    assert [s["title"] for s in suggest("星河卡额度", AGENTS, locale="zh-hans")] == ["星河卡额度内部调整"]
