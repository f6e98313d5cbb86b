"""A moderator's actions under each post (edit, report, the moderation menu) are rendered once per kind of post and
copied with each post's and its author's ids (forum_tags.post_actions), and still act on that post alone."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def articles(html):
    """{post id: the HTML of that post's article} (the accepted-answer box has no id)."""
    found = re.findall(r'(<article class="forum-post[^"]*" id="post-(\d+)".*?</article>)', html, re.S)
    return {int(pk): body for body, pk in found}


def test_a_moderators_actions_are_rendered_once_per_kind_of_post(client, thread, moderator):
    authors = [UserFactory(), UserFactory(), UserFactory()]
    replies = [reply(authors[number % 3], thread, f"第 {number} 条回复") for number in range(6)]
    client.force_login(moderator)

    response = client.get(thread.get_absolute_url())

    rendered = [template.name for template in response.templates]
    # Two kinds: the question and a published reply with an author, however many replies and authors.
    assert rendered.count("forum/includes/post_actions.html") == 2
    assert rendered.count("forum/includes/mod_post_menu.html") == 2
    shown = articles(response.content.decode())
    for post in replies:
        body = shown[post.pk]
        assert f'href="{reverse("forum:edit_post", args=[post.pk])}"' in body
        assert f'href="{reverse("forum:user", args=[post.author_id])}"' in body
        assert f'action="{reverse("forum:post_action", args=[post.pk, "hide"])}"' in body
        for other in set(shown) - {post.pk}:
            assert f"/forum/posts/{other}/" not in body
        for author in authors:
            if author.pk != post.author_id:
                assert f'href="{reverse("forum:user", args=[author.pk])}"' not in body


def test_a_post_whose_author_has_left_gets_a_menu_without_the_author_link(client, thread, moderator):
    gone, kept = UserFactory(), UserFactory()
    orphan = reply(gone, thread, "作者已注销的回复")
    other = reply(kept, thread, "还有作者的回复")
    gone.delete()
    client.force_login(moderator)

    shown = articles(client.get(thread.get_absolute_url()).content.decode())

    assert "/forum/moderation/users/" not in shown[orphan.pk]
    assert f'href="{reverse("forum:user", args=[kept.pk])}"' in shown[other.pk]
    assert f'action="{reverse("forum:post_action", args=[orphan.pk, "hide"])}"' in shown[orphan.pk]
