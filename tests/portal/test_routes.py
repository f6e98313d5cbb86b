"""Routing remembered per process (portal/core/routes.py): a page found once is fetched with one query, and
what readers get stays what Wagtail's own walk down the tree would give after every kind of page change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from forum import actions
from forum.models import BoardPage
from kb.models import CategoryPage
from portal.core import pagecache
from tests.factories import UserFactory
from tests.kb.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(db):
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def board(demo_site):
    from forum.models import ForumIndexPage

    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage(title="路由测试版块", slug="route-board", first_response_hours=24)
    index.add_child(instance=board)
    board.save_revision().publish()
    return BoardPage.objects.get(pk=board.pk)


@pytest.fixture
def thread(board):
    written = actions.create_thread(
        UserFactory(),
        board,
        title="信用卡还款日能改吗？",
        body="想把还款日改到月底。",
        check_limits=False,
        notify=False,
    )
    return written.thread


def page_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, [q["sql"] for q in context.captured_queries if '"wagtailcore_page"' in q["sql"]]


def test_a_path_seen_once_is_routed_with_one_page_query(signed_in, thread):
    url = thread.get_absolute_url()
    first, walked = page_queries(signed_in, url)
    again, remembered = page_queries(signed_in, url)

    assert first.status_code == again.status_code == 200
    assert len(walked) >= 3  # Wagtail's walk: the root in this language, the forum, the board
    assert len(remembered) == 1  # the board alone, by id and address; its breadcrumb parent as the walk left it
    assert "信用卡还款日能改吗？" in again.content.decode()
    assert '<a href="/forum/">' in again.content.decode()


def test_a_renamed_page_answers_at_its_new_address_at_once(signed_in, board, thread):
    old = thread.get_absolute_url()
    assert signed_in.get(old).status_code == 200

    board.slug = "route-board-renamed"
    board.save()  # no publish, no log entry: nothing tells the memo, the address check does

    assert signed_in.get(old).status_code == 404
    thread.refresh_from_db()
    new = thread.get_absolute_url()
    assert new.startswith("/forum/route-board-renamed/t/")
    assert signed_in.get(new).status_code == 200


def test_an_unpublished_page_is_not_found_though_its_route_was_remembered(signed_in, board, thread):
    url = thread.get_absolute_url()
    assert signed_in.get(url).status_code == 200
    assert signed_in.get(board.url).status_code == 200

    BoardPage.objects.filter(pk=board.pk).update(live=False)  # even without the "pages" tag bumped

    assert signed_in.get(url).status_code == 404
    assert signed_in.get(board.url).status_code == 404


def test_a_deleted_page_is_not_found_and_a_new_one_at_its_address_is_served(signed_in, board, thread):
    assert signed_in.get(board.url).status_code == 200
    index = board.get_parent()
    BoardPage.objects.filter(pk=board.pk).delete()

    assert signed_in.get("/forum/route-board/").status_code == 404
    successor = BoardPage(title="新的路由测试版块", slug="route-board", first_response_hours=24)
    index.add_child(instance=successor)
    successor.save_revision().publish()
    response = signed_in.get("/forum/route-board/")
    assert response.status_code == 200
    assert "新的路由测试版块" in response.content.decode()


def test_a_moved_article_is_served_from_its_new_category_only(signed_in, demo_site):
    article = make_article(category="test-route/from", title="挂失后多久能补卡？")
    make_article(category="test-route/to")
    old = article.url
    assert signed_in.get(old).status_code == 200

    target = CategoryPage.objects.get(slug="to", url_path__contains="/test-route/")
    article.move(target, pos="last-child")

    article.refresh_from_db()
    assert article.url != old
    moved = signed_in.get(old)  # Wagtail's redirect made on move, not the remembered article
    assert (moved.status_code, moved["Location"]) == (301, article.url)
    response = signed_in.get(article.url)
    assert response.status_code == 200
    assert "挂失后多久能补卡？" in response.content.decode()


def test_a_page_made_private_asks_strangers_to_sign_in_though_seen_public(signed_in, board, thread, settings):
    settings.DEBUG = False
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    stranger = Client()
    url = thread.get_absolute_url()
    assert stranger.get(url).status_code == 200
    assert stranger.get(url).status_code == 200  # remembered: route, restrictions (none) and the page itself

    PageViewRestriction.objects.create(page=board, restriction_type=PageViewRestriction.LOGIN)

    response = stranger.get(url)
    assert response.status_code == 302
    assert "/login/?next=/forum/route-board/t/" in response["Location"]
    assert signed_in.get(url).status_code == 200


def test_the_breadcrumb_shows_the_parent_as_last_published(signed_in, board, thread):
    url = thread.get_absolute_url()
    assert signed_in.get(url).status_code == 200
    index = board.get_parent().specific
    index.title = "社区论坛（新）"
    index.save_revision().publish()

    assert "社区论坛（新）" in signed_in.get(url).content.decode()


def test_each_language_routes_to_its_own_page(signed_in, demo_site):
    for _seen in range(2):  # walked, then remembered
        zh, en = signed_in.get("/forum/").content.decode(), signed_in.get("/en/forum/").content.decode()
        assert 'lang="zh-hans"' in zh
        assert "社区论坛" in zh
        assert 'lang="en"' in en
        assert "Community forum" in en


def test_an_emptied_shared_cache_starts_a_new_pages_generation(rf, settings):
    settings.PORTAL_PAGE_CACHE_TAG_SECONDS = 0  # every request reads the tag
    before = pagecache.generation(rf.get("/"))
    cache.clear()

    after = pagecache.generation(rf.get("/"))

    # Remembered routes and restrictions were kept under `before`: none of them is current now.
    assert before not in (None, pagecache.UNSET)
    assert after not in (None, pagecache.UNSET, before)
    assert pagecache.generation(rf.get("/")) == after


def test_a_restriction_deleted_in_bulk_is_lifted_at_once(board, thread):
    stranger = Client()
    url = thread.get_absolute_url()
    PageViewRestriction.objects.create(page=board, restriction_type=PageViewRestriction.LOGIN)
    assert stranger.get(url).status_code == 302
    assert stranger.get(url).status_code == 302  # remembered

    PageViewRestriction.objects.filter(page=board).delete()  # a queryset delete writes no log entry

    assert stranger.get(url).status_code == 200
