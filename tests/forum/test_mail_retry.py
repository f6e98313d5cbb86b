"""The mail relay is down, then up: every notification is delivered, each exactly once (portal/core/mail.py).

A real SMTP server (aiosmtpd) on loopback, the database task backend of production and its worker
(`db_worker --batch`): first nothing listens on the relay's port, then the server does (tests/mailrelay.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions, notifications
from forum.models import Subscription, Thread
from kb import notifications as kb_notifications
from kb.models import ArticleFeedback, ArticlePage
from tests.factories import UserFactory
from tests.forum.conftest import reply
from tests.mailrelay import backoff_passes, waiting_mail, work

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits as in production


def test_reply_mail_waits_out_a_dead_relay_and_arrives_once_per_follower(thread, veteran, relay):
    followers = [UserFactory(email=f"follower{number}@example.test") for number in range(3)]
    for follower in followers:
        Subscription.objects.create(user=follower, thread=thread)
    post = reply(UserFactory(), thread, "请清除浏览器缓存再试。")

    assert notifications.notify_post(post.pk) == 4  # queued: the author of the question and three followers
    started = timezone.now()
    work()  # the relay refuses every connection

    waiting = list(waiting_mail())
    assert [result.args_kwargs["args"][2] for result in waiting] == [2, 2, 2, 2]  # each scheduled again
    assert all(600 <= (result.run_after - started).total_seconds() < 660 for result in waiting)
    assert relay.messages == []

    relay.start()
    backoff_passes()
    work()
    notifications.notify_post(post.pk)  # the notification runs again (re-enqueued, or by hand): nobody twice
    work()

    recipients = sorted(address for message in relay.messages for address in message.rcpt_tos)
    assert recipients == sorted([veteran.email, *(follower.email for follower in followers)])
    assert all(b"Subject: =?utf-8?" in message.content for message in relay.messages)


def test_kb_comment_mail_is_retried_and_sent_once(relay, demo_site):
    owner = UserFactory(email="owner@example.test")
    article = ArticlePage.objects.live().filter(locale__language_code="zh-hans").first()
    ArticlePage.objects.filter(pk=article.pk).update(article_owner=owner)
    feedback = ArticleFeedback.objects.create(
        article=article, helpful=False, comment="步骤三的截图过期了。", visitor_key="v1", language="zh-hans"
    )

    assert kb_notifications.send_feedback_comment(feedback.pk) is True
    assert kb_notifications.send_feedback_comment(feedback.pk) is False  # queued once
    work()
    assert relay.messages == []
    assert waiting_mail().count() == 1

    relay.start()
    backoff_passes()
    work()

    assert [message.rcpt_tos for message in relay.messages] == [["owner@example.test"]]
    assert "步骤三的截图过期了。" in relay.messages[0].content.decode()


@pytest.fixture
def supervisor(make_staff):
    """The one supervisor on duty (the demo's own supervisor is stood down), plus the duty mailbox."""
    from forum.policies import ForumPolicy

    ForumPolicy.supervisors().update(is_active=False)
    return make_staff("Supervisors", email="lead@example.test", preferred_language="zh-hans")


def test_supervisor_alerts_wait_out_a_dead_relay_and_arrive_once(
    thread, veteran, moderator, supervisor, relay, settings
):
    settings.PORTAL_SUPERVISOR_EMAILS = ["duty@example.test"]  # an address with no account: send_to_address
    answer = reply(moderator, thread, "请重新下载证书。")
    actions.accept_answer(veteran, answer, notify=False)
    thread.refresh_from_db()
    actions.rate_answer(veteran, thread, "dissatisfied", "还是登录不了")  # queues the alert after commit
    thread.refresh_from_db()

    work()  # the alert task queues one mail per supervisor; nothing listens on the relay
    assert sorted(result.args_kwargs["args"][2] for result in waiting_mail()) == [2, 2]  # both scheduled again
    assert relay.messages == []

    relay.start()
    backoff_passes()
    work()
    notifications.notify_dissatisfied(thread.pk)  # the alert task runs again (re-enqueued, or by hand)
    work()

    assert relay.recipients() == ["duty@example.test", "lead@example.test"]
    assert all("还是登录不了" in message.content.decode() for message in relay.messages)


def test_an_escalation_run_mails_each_supervisor_once_however_often_its_task_runs(
    make_thread, supervisor, relay, settings
):
    settings.PORTAL_SUPERVISOR_EMAILS = ["duty@example.test", "LEAD@example.test"]  # the member's address again
    late = make_thread(title="九小时没人回")
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=30))
    relay.start()

    assert notifications.notify_escalation([late.pk]) == 2
    assert notifications.notify_escalation([late.pk]) == 2  # queued again: the key keeps it from going out twice
    work()

    assert relay.recipients() == ["duty@example.test", "lead@example.test"]
    assert all("九小时没人回" in message.content.decode() for message in relay.messages)
