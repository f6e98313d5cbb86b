"""A real SMTP relay on loopback (aiosmtpd) and the production task backend with its worker, for the tests that
take the relay down and bring it back (portal/core/mail.py). Nothing is mocked: the portal's SMTP backend talks
to this server, or finds nothing listening on its port while the relay is "down"."""

import socket

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Inbox:
    """What the relay accepted; `.start()` opens the port (before that, every connection is refused)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(address for message in self.messages for address in message.rcpt_tos)


def open_relay(settings):
    """Point the settings at a free loopback port, with the database task backend; returns (inbox, controller)."""
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
    return inbox, controller


def work():
    """One pass of the production task worker over what is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def waiting_mail():
    return DBTaskResult.objects.filter(task_path="portal.core.mail.deliver_mail", status="READY")


def backoff_passes():
    waiting_mail().update(run_after=timezone.now())
