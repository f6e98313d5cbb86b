"""VIP customers' threads: the VIP flag on the account (shared with the message desk) gives the shorter
first-response target, the front of the moderators' SLA queue and a VIP badge there and in the pending queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import queries
from forum.models import Thread
from portal.accounts.queries import is_vip, is_vip_contact
from portal.intake import actions as intake_actions
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_staff):
    return make_staff("Supervisors")


@pytest.fixture
def vip_customer(supervisor):
    user = UserFactory(display_name="贵宾周女士")
    user.date_joined = timezone.now() - timedelta(days=365)
    user.save(update_fields=["date_joined"])
    intake_actions.set_vip(supervisor, user, mobile="+8613700002222")
    return user


def test_a_vip_thread_gets_the_vip_target_and_leads_the_sla_queue_with_a_badge(
    client, board, make_thread, moderator, vip_customer, settings
):
    settings.PORTAL_FORUM_VIP_SLA_HOURS = 4
    now = timezone.now()
    ordinary = make_thread(title="普通客户的问题", now=now - timedelta(minutes=30))
    vip = make_thread(author=vip_customer, title="贵宾客户的问题", now=now)

    assert ordinary.sla_due_at == now - timedelta(minutes=30) + timedelta(hours=24)
    assert vip.sla_due_at == now + timedelta(hours=4)
    page = queries.sla_queue(moderator)
    rows = [row for row in page.rows if row.thread.board_id == board.pk]
    assert [(row.thread.pk, row.vip) for row in rows] == [(vip.pk, True), (ordinary.pk, False)]
    client.force_login(moderator)
    content = client.get("/forum/moderation/sla/").content.decode()
    assert content.count("forum-badge-vip") == 1
    assert content.index("forum-badge-vip") < content.index("贵宾客户的问题") < content.index("普通客户的问题")


def test_the_board_target_stays_when_it_is_shorter_than_the_vip_one(make_board, make_thread, vip_customer, settings):
    settings.PORTAL_FORUM_VIP_SLA_HOURS = 4
    fast = make_board(first_response_hours=2)
    now = timezone.now()
    thread = make_thread(author=vip_customer, target=fast, now=now)
    assert thread.sla_due_at == now + timedelta(hours=2)


def test_marking_a_customer_vip_moves_their_waiting_threads_up_not_the_answered_ones(
    board, make_thread, veteran, moderator, supervisor, settings
):
    settings.PORTAL_FORUM_VIP_SLA_HOURS = 4
    created = timezone.now() - timedelta(hours=1)
    waiting = make_thread(title="还在等回复", now=created)
    answered = make_thread(title="已经回复", now=created)
    reply(moderator, answered, "已处理")
    answered.refresh_from_db()
    before = answered.sla_due_at

    intake_actions.set_vip(supervisor, veteran)

    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.sla_due_at == created + timedelta(hours=4)
    assert answered.sla_due_at == before
    assert is_vip(veteran) and is_vip(None) is False


def test_a_dissatisfied_vip_gets_the_vip_target_again(board, make_thread, moderator, vip_customer, settings):
    from forum import actions

    settings.PORTAL_FORUM_VIP_SLA_HOURS = 4
    thread = make_thread(author=vip_customer)
    reply(moderator, thread, "请重新下载证书。")
    thread.refresh_from_db()

    actions.rate_answer(vip_customer, thread, "dissatisfied", comment="没有解决")

    thread.refresh_from_db()
    assert thread.reopened_at is not None
    assert thread.sla_due_at == thread.reopened_at + timedelta(hours=4)
    assert Thread.objects.filter(pk=thread.pk).filter(sla_due_at__lte=thread.reopened_at + timedelta(hours=4)).exists()


def test_pending_queue_badges_a_vip_poster(client, make_board, vip_customer, moderator):
    from forum import actions

    strict = make_board(first_response_hours=24, posting_policy="all")
    actions.create_thread(
        vip_customer, strict, title="贵宾待审核的问题", body="请帮忙看看。", check_limits=False, notify=False
    )
    client.force_login(moderator)

    content = client.get("/forum/moderation/pending/").content.decode()

    assert "贵宾待审核的问题" in content and content.count("forum-badge-vip") == 1


def test_the_desk_and_the_forum_read_the_same_vip_list(vip_customer):
    assert is_vip_contact(phone="+8613700002222")
    assert intake_actions.is_vip_contact(phone="+8613700002222")
    assert not is_vip_contact(phone="+8613700003333")
