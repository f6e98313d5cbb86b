"""Forum pages in the anonymous page cache: a reader without a session gets stored board and thread pages,
and every change they should see (a reply, a hidden post, a lock, a publish) reaches their next request;
signed-in readers and moderators are never served from it nor stored in it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import actions
from portal.core import pagecache
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.DEBUG = False
    settings.PORTAL_PAGE_CACHE_SECONDS = 300


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_second_anonymous_read_of_a_board_is_served_from_the_cache_with_one_query(board, thread):
    client = Client()
    first = get(client, board.url)
    with CaptureQueriesContext(connection) as queries:
        second = get(client, board.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert thread.title in second.content.decode()
    assert len(queries) == 0  # tag generations are re-read from the shared cache at most once a second
    assert "Cookie" in second["Vary"]


def test_a_new_reply_shows_at_once_on_the_thread_and_its_board(board, thread, veteran):
    client = Client()
    get(client, thread.get_absolute_url())
    get(client, board.url)

    reply(veteran, thread, "第二条回复：证书更新后就能登录了")

    page = get(client, thread.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "证书更新后就能登录了" in page.content.decode()
    assert get(client, board.url)["X-Page-Cache"] == "miss"


def test_another_worker_sees_a_change_within_the_tag_interval(board, thread):
    from django.core.cache import cache

    from forum.models import Thread

    client = Client()
    get(client, thread.get_absolute_url())
    # Another worker renames the thread and bumps its tag in the shared cache; this process has not looked yet.
    Thread.objects.filter(pk=thread.pk).update(title="标题已由另一进程修改")
    cache.set(f"pagecache:tag:forum:thread:{thread.pk}", "bumped-elsewhere", None)
    assert get(client, thread.get_absolute_url())["X-Page-Cache"] == "hit"  # within the second

    pagecache._generations.clear()  # the second has passed
    page = get(client, thread.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "标题已由另一进程修改" in page.content.decode()


def test_a_reply_elsewhere_leaves_other_thread_pages_cached(board, make_thread, veteran):
    quiet, busy = make_thread(title="安静的帖子"), make_thread(title="热闹的帖子")
    client = Client()
    get(client, quiet.get_absolute_url())

    reply(veteran, busy, "另一个帖子里的回复")

    assert get(client, quiet.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_hidden_post_disappears_for_the_next_anonymous_reader(board, thread, veteran, moderator):
    post = reply(veteran, thread, "这条回复包含不当内容")
    client = Client()
    assert "不当内容" in get(client, thread.get_absolute_url()).content.decode()

    actions.hide_post(moderator, post, "违反版规")

    assert "不当内容" not in get(client, thread.get_absolute_url()).content.decode()


def test_locking_a_thread_shows_at_once(board, thread, moderator):
    client = Client()
    before = get(client, thread.get_absolute_url()).content.decode()

    actions.lock_thread(moderator, thread, "讨论结束")

    after = get(client, thread.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert after.content.decode() != before


def test_publishing_any_page_makes_every_cached_page_stale(board, thread, forum_index):
    client = Client()
    get(client, "/")
    get(client, board.url)

    forum_index.title = "客户社区（新）"
    forum_index.save_revision().publish()

    home = get(client, "/")
    assert home["X-Page-Cache"] == "miss"
    assert "客户社区（新）" in home.content.decode()
    assert get(client, board.url)["X-Page-Cache"] == "miss"


def test_signed_in_readers_are_never_served_nor_stored(board, thread, customer):
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(customer)

    mine = get(signed_in, board.url)
    assert "X-Page-Cache" not in mine
    assert get(anonymous, board.url)["X-Page-Cache"] == "miss"  # the signed-in render was not stored
    assert "X-Page-Cache" not in get(signed_in, board.url)  # and the anonymous one is not served to them


def test_a_moderators_view_of_a_thread_never_reaches_a_customer(board, thread, veteran, moderator):
    post = reply(veteran, thread, "待隐藏的回复")
    actions.hide_post(moderator, post, "含个人信息")
    staff = Client()
    staff.force_login(moderator)
    assert "待隐藏的回复" in get(staff, thread.get_absolute_url()).content.decode()

    page = get(Client(), thread.get_absolute_url())
    assert "待隐藏的回复" not in page.content.decode()


def test_unknown_query_parameters_bypass_the_cache(board):
    client = Client()
    get(client, f"{board.url}?utm_source=mail")
    again = get(client, f"{board.url}?utm_source=mail")
    assert "X-Page-Cache" not in again


def test_paging_parameters_are_part_of_the_key(board, make_thread):
    for n in range(3):
        make_thread(title=f"分页帖子{n}")
    client = Client()
    first = get(client, f"{board.url}?status=open")
    other = get(client, f"{board.url}?status=answered")
    assert (first["X-Page-Cache"], other["X-Page-Cache"]) == ("miss", "miss")
    assert get(client, f"{board.url}?status=open")["X-Page-Cache"] == "hit"


def test_head_requests_are_answered_from_the_cache(board):
    client = Client()
    get(client, board.url)
    assert client.head(board.url)["X-Page-Cache"] == "hit"


def test_a_broken_shared_cache_serves_every_page_fresh(board, thread, monkeypatch, settings):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    settings.PORTAL_PAGE_CACHE_TAG_SECONDS = 0  # no second of grace: the next request asks the shared cache
    client = Client()
    get(client, board.url)
    monkeypatch.setattr(cache, "get_many", broken)

    page = get(client, board.url)
    assert "X-Page-Cache" not in page
    assert thread.title in page.content.decode()


def test_a_cached_board_is_not_served_to_a_reader_after_signing_in(board, thread):
    client = Client()
    get(client, board.url)
    client.force_login(UserFactory())
    assert "X-Page-Cache" not in get(client, board.url)


def index_count(client, forum_index, board):
    """The thread count the forum index prints on `board`'s card."""
    import re

    content = get(client, forum_index.url).content.decode()
    card = content[content.index(f'href="{board.url}"') :]
    return int(re.search(r"(\d+) (?:thread|个主题|主题)", card).group(1))


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_index_page_count_follows_new_and_hidden_threads(forum_index, board, make_thread, moderator, customer, who):
    """The index's per-board counts are kept per process: a new thread and a hidden one show at the next read,
    for a reader served from the page cache and for a signed-in one (always a full render)."""
    client = Client()
    if who == "customer":
        client.force_login(customer)
    make_thread(title="第一个主题")
    assert index_count(client, forum_index, board) == 1

    second = make_thread(title="第二个主题")
    assert index_count(client, forum_index, board) == 2

    actions.hide_post(moderator, second.opening_post, "违反版规")
    assert index_count(client, forum_index, board) == 1


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_index_page_boards_follow_publish_unpublish_and_privacy(forum_index, board, make_board, customer, who):
    """The index's list of boards is kept per process until a page changes: a board published, unpublished or
    made private shows (or goes) at the next read."""
    from wagtail.models import PageViewRestriction

    client = Client()
    if who == "customer":
        client.force_login(customer)
    assert f'href="{board.url}"' in get(client, forum_index.url).content.decode()

    newer = make_board(title="新开的版块")
    assert "新开的版块" in get(client, forum_index.url).content.decode()

    newer.unpublish()
    assert "新开的版块" not in get(client, forum_index.url).content.decode()

    PageViewRestriction.objects.create(page=board, restriction_type=PageViewRestriction.LOGIN)  # logs the change
    assert f'href="{board.url}"' not in get(client, forum_index.url).content.decode()
