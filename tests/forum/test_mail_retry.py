"""The mail relay is down, then up: every notification is delivered, each exactly once (portal/core/mail.py).

A real SMTP server (aiosmtpd) on loopback, the database task backend of production and its worker
(`db_worker --batch`): first nothing listens on the relay's port, then the server does.
"""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum import notifications
from forum.models import Subscription
from kb import notifications as kb_notifications
from kb.models import ArticleFeedback, ArticlePage
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits as in production


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def relay(settings):
    """The relay's address in the settings, with nothing listening yet; `.start()` opens it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        False,
        5,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.PORTAL_MAIL_RETRY_SECONDS = [600, 1800, 3600]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    inbox.start = controller.start
    yield inbox
    if getattr(controller, "server", None) is not None:
        controller.stop()


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def waiting_mail():
    return DBTaskResult.objects.filter(task_path="portal.core.mail.deliver_mail", status="READY")


def backoff_passes():
    waiting_mail().update(run_after=timezone.now())


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
