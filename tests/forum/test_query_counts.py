"""Board and thread pages run a fixed number of SQL queries whatever the sizes; anonymous reads write nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Post, Thread
from portal.core import pagecache
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db

# Measured once and pinned (routing is one query once a process has seen the path, portal/core/routes.py; the
# site chrome in base.html adds a few; the forum 2-4 for anonymous readers). A change means a page grew a
# query (or lost one): look before updating.
# "anonymous" is a full render (the page cache emptied first); a cached anonymous read is checked apart.
# The language switcher's and hreflang links' translations are one query per page and process until a page is
# published (themes' portal_tags._translation_urls): a signed-in reader's steady state runs none.
# A signed-in reader's read state, follow and sanction come with the thread (forum.queries.thread_for_view).
THREAD_PAGE_QUERIES = {"anonymous": 12, "customer": 6, "moderator": 6}
BOARD_PAGE_QUERIES = {"anonymous": 11, "customer": 8, "moderator": 8}
SLA_QUEUE_QUERIES = 8
# The forum index in the steady state: its boards and their counts are kept per process (forum.queries.
# board_summaries), so a signed-in reader's render is the session, the user, routing and the roles.
FORUM_INDEX_QUERIES = {"customer": 4, "moderator": 4}


def grow(thread, replies):
    authors = [UserFactory() for _ in range(5)]
    for number in range(replies):
        reply(authors[number % 5], thread, f"第 {number} 条回复，附 [链接](https://www.example.com/{number})")


def fresh(client, who):
    """Before a measured request: an anonymous reader's page must be rendered, not served from the cache."""
    if who == "anonymous":
        pagecache.clear()


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def login(client, who, make_staff):
    if who == "customer":
        client.force_login(UserFactory())
    elif who == "moderator":
        client.force_login(make_staff("Moderators"))


@pytest.mark.parametrize("who", ["anonymous", "customer", "moderator"])
def test_thread_page_query_count_does_not_grow_with_the_thread(
    client, make_thread, make_staff, who, django_assert_num_queries
):
    small, large = make_thread(title="短帖"), make_thread(title="长帖")
    grow(small, 3)
    grow(large, 120)
    login(client, who, make_staff)
    client.get(small.get_absolute_url())  # the first visit creates the reader's marker; measure steady state
    client.get(large.get_absolute_url())
    client.get(f"{large.get_absolute_url()}?last=1")

    for url in (small.get_absolute_url(), large.get_absolute_url(), f"{large.get_absolute_url()}?last=1"):
        fresh(client, who)
        with django_assert_num_queries(THREAD_PAGE_QUERIES[who]):
            client.get(url)


@pytest.mark.parametrize("who", ["anonymous", "customer", "moderator"])
def test_board_page_query_count_does_not_grow_with_the_board(
    client, make_board, make_thread, make_staff, who, django_assert_num_queries
):
    small_board, large_board = make_board(title="小版块"), make_board(title="大版块")
    for number in range(3):
        make_thread(title=f"小 {number}", target=small_board)
    for number in range(45):
        thread = make_thread(title=f"大 {number}", target=large_board)
        if number % 10 == 0:
            reply(UserFactory(), thread, "回复")
    Thread.objects.filter(board=large_board, title="大 3").update(is_pinned=True)
    login(client, who, make_staff)
    client.get(small_board.url)  # warm the per-process caches (content types, site root paths, translations)
    client.get(large_board.url)

    for url in (small_board.url, large_board.url):
        fresh(client, who)
        with django_assert_num_queries(BOARD_PAGE_QUERIES[who]):
            client.get(url)


@pytest.mark.parametrize("who", ["customer", "moderator"])
def test_forum_index_query_count_does_not_grow_with_the_boards(
    client, forum_index, make_board, make_thread, make_staff, who, django_assert_num_queries
):
    login(client, who, make_staff)
    client.get(forum_index.url)  # warm the per-process caches
    for number in range(3):
        make_thread(title=f"新 {number}", target=make_board(title=f"版块 {number}"))
        client.get(forum_index.url)  # the boards and counts changed: read afresh once

        with django_assert_num_queries(FORUM_INDEX_QUERIES[who]):
            assert client.get(forum_index.url).status_code == 200


def test_sla_queue_query_count_does_not_grow_with_the_queue(
    client, make_thread, make_staff, django_assert_num_queries, settings
):
    settings.PORTAL_FORUM_SLA_PAGE_SIZE = 5
    moderator = make_staff("Moderators")
    for number in range(2):
        make_thread(title=f"等待 {number}", author=UserFactory())
    client.force_login(moderator)
    client.get("/forum/moderation/sla/")  # warm the per-process caches (board labels, content types)

    for more in (0, 10):  # 2 waiting threads, then 12 over three pages
        for number in range(more):
            make_thread(title=f"更多 {number}", author=UserFactory())
        with django_assert_num_queries(SLA_QUEUE_QUERIES):
            assert client.get("/forum/moderation/sla/").status_code == 200


def test_cached_anonymous_reads_of_board_and_thread_pages_run_at_most_one_query(
    client, make_thread, django_assert_max_num_queries, settings
):
    settings.DEBUG = False
    thread = make_thread()
    grow(thread, 60)
    for url in (thread.board.url, thread.get_absolute_url(), f"{thread.get_absolute_url()}?last=1"):
        client.get(url)
        with django_assert_max_num_queries(1):  # the shared cache's tag generations (none with Redis)
            assert client.get(url)["X-Page-Cache"] == "hit"


def test_last_page_of_a_long_thread_shows_the_newest_fifty(client, make_thread):
    thread = make_thread()
    grow(thread, 130)

    content = client.get(f"{thread.get_absolute_url()}?last=1").content.decode()

    newest = list(Post.objects.filter(thread=thread, is_opening=False).order_by("-id")[:50])
    assert content.count('<article class="forum-post') == 50
    assert f'id="post-{newest[0].pk}"' in content and f'id="post-{newest[-1].pk}"' in content
    assert "第 79 条回复" not in content


def test_keyset_pages_cover_every_reply_once(client, make_thread):
    thread = make_thread()
    grow(thread, 120)
    seen, url = [], thread.get_absolute_url()
    while url:
        content = client.get(url).content.decode()
        ids = [int(pk) for pk in __import__("re").findall(r'<article class="forum-post[^"]*" id="post-(\d+)"', content)]
        seen += [pk for pk in ids if pk != thread.opening_post_id]
        following = __import__("re").search(r'rel="next" href="([^"]+)"', content)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert seen == list(
        Post.objects.filter(thread=thread, is_opening=False).order_by("id").values_list("pk", flat=True)
    )


def test_permalink_redirects_to_the_page_with_the_post(client, make_thread):
    thread = make_thread()
    grow(thread, 60)
    post = Post.objects.filter(thread=thread, is_opening=False).order_by("id")[55]

    response = client.get(f"{thread.board.url}p/{post.pk}/")
    page = client.get(response["Location"].split("#")[0])

    assert response.status_code == 302
    assert response["Location"].endswith(f"?at={post.pk}#post-{post.pk}")
    assert f'id="post-{post.pk}"' in page.content.decode()


def test_anonymous_readers_get_no_cookie_and_no_session(client, thread):
    from django.contrib.sessions.models import Session

    sessions = Session.objects.count()
    for url in (thread.board.url, thread.get_absolute_url(), f"{thread.board.url}feed/", thread.board.get_parent().url):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
    assert Session.objects.count() == sessions


def test_board_pages_by_keyset_without_gaps(client, make_board, make_thread, settings):
    settings.PORTAL_FORUM_THREADS_PER_PAGE = 4
    board = make_board()
    titles = [make_thread(title=f"主题 {number:02d}", target=board).title for number in range(10)]
    seen, url = [], board.url
    while url:
        content = client.get(url).content.decode()
        seen += __import__("re").findall(r"(主题 \d\d)", content)
        following = __import__("re").search(r'href="([^"]+)" rel="next"', content)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert sorted(seen) == sorted(titles)
    assert len(seen) == 10
