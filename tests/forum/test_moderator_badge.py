"""The "Moderator" badge on a post follows the author's roles at once: each process keeps a board's moderators
(forum.queries.moderator_author_ids) until forum.caching.MODERATORS is bumped by a role, group, permission or
board change."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import HttpRequest

from forum import caching
from forum.models import BoardPage
from portal.core import pagecache
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db


def badged(client, thread, post):
    html = client.get(thread.get_absolute_url()).content.decode()
    article = re.search(rf'<article class="forum-post[^"]*" id="post-{post.pk}".*?</header>', html, re.S).group(0)
    return f'forum-badge-staff">{zh("Moderator")}<' in article


@pytest.fixture
def agent(make_staff):
    return make_staff("Agents", display_name="客服小王")


def test_joining_and_leaving_the_moderators_role_shows_and_removes_the_badge(client, thread, agent, customer):
    post = reply(agent, thread, "客服的回复")
    client.force_login(customer)
    assert not badged(client, thread, post)

    agent.groups.add(Group.objects.get(name="Moderators"))
    assert badged(client, thread, post)

    agent.groups.remove(Group.objects.get(name="Moderators"))
    assert not badged(client, thread, post)


def test_naming_a_staff_member_on_the_board_shows_the_badge_and_removing_them_takes_it_away(
    client, board, thread, agent, customer
):
    post = reply(agent, thread, "客服的回复")
    client.force_login(customer)
    assert not badged(client, thread, post)

    page = BoardPage.objects.get(pk=board.pk)
    page.moderators.add(agent)
    page.save_revision().publish()
    assert badged(client, thread, post)

    page = BoardPage.objects.get(pk=board.pk)
    page.moderators.remove(agent)
    page.save_revision().publish()
    assert not badged(client, thread, post)


def test_the_moderation_permission_granted_to_an_account_or_its_group_shows_the_badge_to_anonymous_readers(
    client, thread, agent, settings
):
    settings.DEBUG = False  # the page cache is on
    permission = Permission.objects.get(codename="moderate_forum", content_type__app_label="forum")
    post = reply(agent, thread, "客服的回复")
    assert not badged(client, thread, post)
    assert client.get(thread.get_absolute_url())["X-Page-Cache"] == "hit"

    agent.user_permissions.add(permission)
    assert badged(client, thread, post)  # the cached page went stale with the moderators

    agent.user_permissions.remove(permission)
    assert not badged(client, thread, post)

    Group.objects.get(name="Agents").permissions.add(permission)
    assert badged(client, thread, post)


def test_a_deactivated_moderator_loses_the_badge(client, thread, moderator, customer):
    post = reply(moderator, thread, "版主的回复")
    client.force_login(customer)
    assert badged(client, thread, post)

    moderator.is_active = False
    moderator.save()
    assert not badged(client, thread, post)


def test_signing_in_leaves_the_remembered_moderators_alone(client, thread, moderator, customer):
    reply(moderator, thread, "版主的回复")
    client.force_login(customer)
    client.get(thread.get_absolute_url())
    before = pagecache.generation(HttpRequest(), caching.MODERATORS)

    client.force_login(moderator)  # saves last_login only

    assert pagecache.generation(HttpRequest(), caching.MODERATORS) == before
