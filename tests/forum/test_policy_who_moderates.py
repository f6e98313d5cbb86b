"""ForumPolicy answers "who moderates?" with the same rule as "may this user moderate?", so the copies that
disagreed are gone: the moderator badge, the SLA digest's recipients and the member page's scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions, notifications
from forum.models import BoardPage, Thread
from forum.policies import ForumPolicy
from tests.factories import UserFactory
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db

BADGE = '<span class="forum-badge forum-badge-staff">'


def listed_on(board, user):
    board.moderators.add(user)
    board.save_revision().publish()
    return BoardPage.objects.get(pk=board.pk)


def test_moderators_of_a_board_are_listed_staff_group_members_global_moderators_and_superusers(
    make_board, make_staff, moderator
):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="卡类版主组")
    listed, in_group, elsewhere = make_staff("Agents"), make_staff("Agents"), make_staff("Agents")
    in_group.groups.add(group)
    board = listed_on(make_board(moderator_group=group), listed)
    listed_on(make_board(title="别的版块"), elsewhere)
    listed_customer = UserFactory()  # named on the board but not staff: moderates nothing
    board.moderators.add(listed_customer)
    superuser = UserFactory(is_superuser=True)
    retired = make_staff("Moderators")
    retired.is_active = False
    retired.save(update_fields=["is_active"])

    found = set(ForumPolicy.moderators_of(board))

    assert {listed, in_group, moderator, superuser} <= found  # the demo's own moderators are there too
    assert not found & {elsewhere, listed_customer, retired}
    assert all(ForumPolicy.can_moderate(user, board) for user in found)
    assert not ForumPolicy.can_moderate(listed_customer, board)


def test_a_listed_board_moderator_gets_the_moderator_badge(client, make_board, make_thread, make_staff):
    agent = make_staff("Agents", display_name="卡类版主")
    board = listed_on(make_board(), agent)
    thread = make_thread(target=board)
    reply(agent, thread, "这是版主的回答。")

    page = client.get(thread.get_absolute_url()).content.decode()

    answer = page.split("这是版主的回答。")[0].rsplit("卡类版主", 1)[1]
    assert BADGE in answer


def test_an_inactive_moderator_loses_the_badge(client, thread, make_staff):
    former = make_staff("Moderators", display_name="离职版主")
    reply(former, thread, "以前的回答。")
    former.is_active = False
    former.save(update_fields=["is_active"])

    page = client.get(thread.get_absolute_url()).content.decode()

    assert "以前的回答。" in page
    assert BADGE not in page


def test_superusers_get_the_sla_digest(board, make_thread, mailoutbox):
    boss = UserFactory(is_superuser=True, email="boss@example.test")
    late = make_thread(title="超时没人回")
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=2))

    notifications.send_sla_digest()

    digest = [m for m in mailoutbox if m.to == [boss.email]]
    assert len(digest) == 1
    assert "超时没人回" in digest[0].body


def test_the_member_page_shows_a_board_moderator_nothing_hidden_on_other_boards(
    client, make_board, make_thread, make_staff, moderator, customer
):
    agent = make_staff("Agents")
    mine = listed_on(make_board(title="我的版块"), agent)
    other = make_board(title="别的版块")
    visible_elsewhere = make_thread(author=customer, target=other, title="别处公开的帖子")
    hidden_elsewhere = make_thread(author=customer, target=other, title="别处被隐藏的帖子")
    actions.hide_post(moderator, hidden_elsewhere.opening_post, "违规")
    hidden_here = make_thread(author=customer, target=mine, title="本版被隐藏的帖子")
    actions.hide_post(moderator, hidden_here.opening_post, "违规")
    client.force_login(agent)

    page = client.get(f"/forum/moderation/users/{customer.pk}/").content.decode()

    assert "别处公开的帖子" in page
    assert "本版被隐藏的帖子" in page
    assert "别处被隐藏的帖子" not in page
    assert visible_elsewhere.title in page


def test_a_global_moderator_still_sees_every_post_on_the_member_page(
    client, make_board, make_thread, moderator, customer
):
    hidden = make_thread(author=customer, target=make_board(), title="被隐藏的帖子")
    actions.hide_post(moderator, hidden.opening_post, "违规")
    client.force_login(moderator)

    page = client.get(f"/forum/moderation/users/{customer.pk}/").content.decode()

    assert "被隐藏的帖子" in page


def test_lifting_a_sanction_emails_the_member_in_their_language(
    client, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    member = UserFactory(preferred_language="en")
    actions.suspend_user(moderator, member, 3, "刷屏")
    mailoutbox.clear()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/forum/moderation/users/{member.pk}/", {"kind": "lift", "reason": "申诉成功"}, follow=True
        )

    assert zh("Done. The member was told by e-mail.") in response.content.decode()
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "lifted the suspension or ban" in mailoutbox[0].body
    assert ForumPolicy.posting_refusal(member, BoardPage.objects.first()) is None


def test_lifting_when_nothing_is_active_says_so_and_sends_nothing(
    client, moderator, customer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forum/moderation/users/{customer.pk}/", {"kind": "lift", "reason": ""}, follow=True)

    page = response.content.decode()
    assert zh("This member has no suspension or ban to lift.") in page
    assert zh("Done. The member was told by e-mail.") not in page
    assert mailoutbox == []
