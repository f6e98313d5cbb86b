"""Each post's cached part (the forum_posts cache: the view reads every post's with one get_many, keyed by what
the part shows and to whom) never carries one audience's view to another: anonymous readers, customers, a post's
author, moderators and agents each get their own, in whatever order they come."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import actions
from forum.models import BoardPage, Post
from tests.factories import UserFactory
from tests.forum.conftest import reply, zh
from tests.forum.test_posting import png

pytestmark = pytest.mark.django_db

AUDIENCES = ["anonymous", "customer", "author", "moderator", "agent"]
PENDING_NOTE = "Only you can see this post until a moderator approves it."


def articles(html):
    """{post id: the HTML of that post's article} (the accepted-answer box has no id)."""
    found = re.findall(r'(<article class="forum-post[^"]*" id="post-(\d+)".*?</article>)', html, re.S)
    return {int(pk): body for body, pk in found}


def page_as(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("order", [AUDIENCES, AUDIENCES[::-1]], ids=["anonymous-first", "agent-first"])
def test_every_audience_gets_its_own_view_of_the_same_cached_posts(
    client, make_board, make_thread, moderator, make_staff, order
):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)
    author, other = UserFactory(), UserFactory()
    thread = make_thread(author=UserFactory(), target=board)
    actions.approve_post(moderator, thread.opening_post)
    thread.refresh_from_db()
    edited = reply(author, thread, "原来的回复")
    actions.approve_post(moderator, edited)
    actions.edit_post(moderator, Post.objects.get(pk=edited.pk), body="版主改过的回复", reason="修正错字")
    hidden = reply(other, thread, "要被隐藏的回复")
    actions.approve_post(moderator, hidden)
    actions.hide_post(moderator, Post.objects.get(pk=hidden.pk), "广告")
    pending = reply(author, thread, "等待审核的回复")
    people = {
        "anonymous": None,
        "customer": UserFactory(),
        "author": author,
        "moderator": moderator,
        "agent": make_staff("Agents"),
    }
    history = f'/forum/posts/{edited.pk}/history/"'

    for _round in range(2):  # the second round is served from the fragments the first one kept
        for who in order:
            html = page_as(client, people[who], thread.get_absolute_url())

            shown = articles(html)
            assert (history in shown[edited.pk]) is (who in ("author", "moderator")), who
            assert (hidden.pk in shown) is (who == "moderator"), who
            assert (pending.pk in shown) is (who in ("author", "moderator")), who
            assert (zh(PENDING_NOTE) in html) is (who == "author"), who
            assert ("forum-menu forum-mod" in html) is (who == "moderator"), who
            assert "版主改过的回复" in shown[edited.pk]
            # every post's article opened once and closed once, and no template comment shows through
            assert html.count("<article") == html.count("</article>") == len(shown), who
            assert "#}" not in html, who


def test_a_readers_new_marks_are_their_own(client, thread, veteran):
    first = reply(veteran, thread, "第一条回复")
    reader, newcomer = UserFactory(), UserFactory()
    page_as(client, reader, thread.get_absolute_url())  # read up to the first reply
    later = reply(veteran, thread, "后来的回复")

    unread = articles(page_as(client, reader, thread.get_absolute_url()))
    fresh = articles(page_as(client, newcomer, thread.get_absolute_url()))
    again = articles(page_as(client, reader, thread.get_absolute_url()))

    assert "is-unread" in unread[later.pk] and "is-unread" not in unread[first.pk]
    assert "is-unread" not in fresh[later.pk]
    assert "is-unread" not in again[later.pk]


def test_pictures_show_from_the_cache_and_are_read_only_for_posts_missing_from_it(client, thread, veteran, customer):
    written = actions.create_reply(veteran, thread, body="截图如下", images=[png()], check_limits=False)
    picture = written.post.attachments.get().image.url
    client.force_login(customer)
    client.get(thread.get_absolute_url())  # the reader's marker is written on the first visit

    caches["forum_posts"].clear()
    with CaptureQueriesContext(connection) as missed:
        rendered = articles(client.get(thread.get_absolute_url()).content.decode())
    with CaptureQueriesContext(connection) as kept:
        cached = articles(client.get(thread.get_absolute_url()).content.decode())

    assert picture in rendered[written.post.pk] and picture in cached[written.post.pk]
    reads = [query["sql"] for query in missed.captured_queries if "forum_attachment" in query["sql"]]
    assert len(reads) == 1
    assert not [query["sql"] for query in kept.captured_queries if "forum_attachment" in query["sql"]]
    assert len(kept.captured_queries) == len(missed.captured_queries) - 1
