"""ForumPolicy answers every permission question, per role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forum import actions
from forum.models import BoardPage
from forum.policies import ForumPolicy
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_staff, customer, moderator):
    return {
        "anonymous": AnonymousUser(),
        "customer": customer,
        "moderator": moderator,
        "editor": make_staff("Editors"),
        "agent": make_staff("Agents"),
    }


@pytest.mark.parametrize(
    ("role", "moderate", "audit", "queues"),
    [
        ("anonymous", False, False, False),
        ("customer", False, False, False),
        ("moderator", True, True, True),
        ("editor", False, False, False),
        ("agent", False, False, False),
    ],
)
def test_roles_and_moderation(people, board, role, moderate, audit, queues):
    user = people[role]

    assert ForumPolicy.can_moderate(user, board) is moderate
    assert ForumPolicy.can_view_audit(user) is audit
    assert ForumPolicy.can_use_queues(user) is queues


def test_moderators_group_has_the_forum_permissions(moderator):
    assert moderator.has_perm("forum.moderate_forum")
    assert moderator.has_perm("forum.view_auditentry")


@pytest.mark.parametrize(
    ("policy", "role", "allowed"),
    [
        ("open", "customer", True),
        ("open", "anonymous", False),
        ("staff", "customer", False),
        ("staff", "moderator", True),
        ("all", "customer", True),
    ],
)
def test_who_may_start_threads(make_board, people, policy, role, allowed):
    board = make_board(posting_policy=policy)

    assert ForumPolicy.can_start_thread(people[role], board) is allowed


def test_needs_approval_per_policy(make_board, veteran, moderator):
    assert not ForumPolicy.needs_approval(veteran, make_board(posting_policy="open"))
    assert ForumPolicy.needs_approval(veteran, make_board(posting_policy="all"))
    assert not ForumPolicy.needs_approval(moderator, make_board(posting_policy="all"))
    newcomer = UserFactory()
    assert ForumPolicy.needs_approval(
        newcomer, make_board(posting_policy=BoardPage.PostingPolicy.NEW_MEMBERS_MODERATED)
    )


def test_reply_rules(thread, people, moderator):
    assert ForumPolicy.can_reply(people["customer"], thread)
    assert not ForumPolicy.can_reply(people["anonymous"], thread)
    actions.close_thread(moderator, thread)
    thread.refresh_from_db()
    assert not ForumPolicy.can_reply(people["customer"], thread)
    assert ForumPolicy.can_reply(moderator, thread)


def test_flag_edit_delete_rules(thread, veteran, customer, moderator):
    post = reply(customer, thread, "我的回复")

    assert not ForumPolicy.can_flag(customer, post)  # not one's own post
    assert ForumPolicy.can_flag(veteran, post)
    assert ForumPolicy.can_edit_post(customer, post)
    assert not ForumPolicy.can_edit_post(veteran, post)
    assert ForumPolicy.can_edit_post(moderator, post)
    assert ForumPolicy.can_delete_post(customer, post)
    assert not ForumPolicy.can_delete_post(moderator, post)  # moderators hide instead


def test_banned_member_can_neither_post_nor_flag_nor_vote(thread, customer, moderator):
    actions.ban_user(moderator, customer, "诈骗")
    ForumPolicy.forget(customer)

    assert (
        ForumPolicy.posting_refusal(customer, thread.board, thread)
        == "Your account is banned from posting in the forum."
    )
    assert not ForumPolicy.can_flag(customer, thread.opening_post)


def test_warning_does_not_stop_posting(thread, customer, moderator):
    actions.warn_user(moderator, customer, "注意措辞")
    ForumPolicy.forget(customer)

    assert ForumPolicy.can_reply(customer, thread)


def test_reserved_board_slugs_are_refused(forum_index):
    from django.core.exceptions import ValidationError

    board = BoardPage(title="moderation", slug="moderation")
    with pytest.raises(ValidationError):
        forum_index.add_child(instance=board)
