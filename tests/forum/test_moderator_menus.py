"""The moderator's menu under each post acts on that post and its author, and offers what the post's state allows
(the menu is rendered once per kind of post and copied with each post's ids: forum_tags.mod_post_menu)."""

import re

import pytest
from django.urls import reverse

from forum import actions
from forum.models import BoardPage
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def menus(html):
    """{post id: the HTML of that post's article} of a thread page (the accepted-answer box has no id)."""
    articles = re.findall(r'<article class="forum-post[^"]*" id="post-(\d+)".*?</article>', html, re.S)
    bodies = re.findall(r'(<article class="forum-post[^"]*" id="post-\d+".*?</article>)', html, re.S)
    return {int(pk): body for pk, body in zip(articles, bodies, strict=True)}


def action(post, name):
    return f'action="{reverse("forum:post_action", args=[post.pk, name])}"'


def test_each_post_menu_acts_on_its_own_post_and_author(client, make_board, make_thread, moderator):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)
    asker, first, second, third = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    thread = make_thread(author=asker, target=board)
    actions.approve_post(moderator, thread.opening_post)
    thread.refresh_from_db()
    pending = reply(first, thread, "还在等审核的回复")
    published = reply(second, thread, "已经公开的回复")
    actions.approve_post(moderator, published)
    hidden = reply(third, thread, "被隐藏的回复")
    actions.approve_post(moderator, hidden)
    actions.hide_post(moderator, hidden, "广告")
    client.force_login(moderator)

    html = client.get(thread.get_absolute_url()).content.decode()

    shown = menus(html)
    question = thread.opening_post
    assert set(shown) == {question.pk, pending.pk, published.pk, hidden.pk}
    offered = {
        question.pk: ["hide"],
        pending.pk: ["approve", "reject"],
        published.pk: ["hide"],
        hidden.pk: ["unhide"],
    }
    for post, author in ((question, asker), (pending, first), (published, second), (hidden, third)):
        body = shown[post.pk]
        for name in ("approve", "reject", "hide", "unhide"):
            assert (action(post, name) in body) is (name in offered[post.pk]), (post.pk, name)
        assert f'href="{reverse("forum:user", args=[author.pk])}"' in body
        assert (f'name="posts" value="{post.pk}"' in body) is (post.pk != question.pk)
        for other in set(shown) - {post.pk}:  # nothing in one post's menu points at another post
            assert f"/forum/posts/{other}/" not in body


def test_customers_get_no_moderator_menu(client, thread, customer):
    reply(UserFactory(), thread, "一条回复")
    client.force_login(customer)

    html = client.get(thread.get_absolute_url()).content.decode()

    assert "forum-menu forum-mod" not in html
    assert "/approve/" not in html and "/hide/" not in html
