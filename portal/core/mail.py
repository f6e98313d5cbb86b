"""Outgoing e-mail that rides out an SMTP outage: one background task per message, retried with backoff, sent once.

Apps build their messages (in the recipient's language) and hand each to `queue_mail(key, message)`; `key`
names that message for good (e.g. ``forum.reply:<post id>:<user id>``). The `deliver_mail` task sends it; when
the relay is unreachable or answers with a temporary error it schedules itself again after the next delay of
PORTAL_MAIL_RETRY_SECONDS (on a task backend that can defer, the database worker of production) and gives up,
with one error line, after the last. A message whose key was already delivered is never sent again, so a
notification task that runs twice (re-enqueued, retried, run by hand) mails nobody twice: the key is claimed in
the shared cache while sending and marked as sent for PORTAL_MAIL_SENT_DAYS afterwards. The Message-ID is
derived from the key, so even the one window left (the relay accepted the message and the process died before
marking it) gives the receiving server the same Message-ID twice.

Everything the portal mails goes through here: the apps' notifications, and allauth's own messages (e-mail
verification, password reset, security notices), which portal/accounts/adapter.py hands over as rendered
(a plain-text body and an HTML alternative). Attachments are not carried (no caller has any) and are refused.
"""

import hashlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
SENDING_SECONDS = 300  # a claim older than this belongs to a worker that died while sending


def _cache_key(key):
    return "portal-mail:" + hashlib.sha256(key.encode()).hexdigest()


def _message_id(key):
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def queue_mail(key, message):
    """Hand one rendered EmailMessage to the background task that delivers it once. Returns 1 (queued)."""
    if message.attachments:
        raise ValueError("queue_mail carries no attachments")
    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        # (content, mimetype) pairs of an EmailMultiAlternatives, e.g. allauth's HTML version
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", ())],
    }
    deliver_mail.enqueue(key, payload, 1)
    return 1


def _temporary(exc):
    """A failure worth retrying: no connection, a dropped one, or a 4xx answer from the relay."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in exc.recipients.values())
    return isinstance(exc, (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError))


@task()
def deliver_mail(key, payload, attempt):
    """Send one queued message unless it went out already; on a temporary failure, try again later."""
    marker = _cache_key(key)
    if not cache.add(marker, "sending", SENDING_SECONDS):
        return "duplicate"
    fields = {**payload, "headers": {**payload["headers"], "Message-ID": _message_id(key)}}
    alternatives = fields.pop("alternatives", None)  # absent in tasks queued before alternatives were carried
    if alternatives:
        message = EmailMultiAlternatives(**fields, alternatives=[tuple(pair) for pair in alternatives])
    else:
        message = EmailMessage(**fields)
    try:
        message.send()
    except Exception as exc:
        cache.delete(marker)
        if not _temporary(exc):
            logger.error("mail: %s refused for good: %s", key, exc)
            return "refused"
        delays = settings.PORTAL_MAIL_RETRY_SECONDS
        if attempt > len(delays) or not getattr(deliver_mail.get_backend(), "supports_defer", False):
            logger.error("mail: %s not delivered after %d attempts: %s", key, attempt, exc)
            return "given up"
        delay = delays[attempt - 1]
        deliver_mail.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(key, payload, attempt + 1)
        logger.warning("mail: %s attempt %d failed (%s); next in %d s", key, attempt, exc.__class__.__name__, delay)
        return "retrying"
    cache.set(marker, "sent", settings.PORTAL_MAIL_SENT_DAYS * 86400)
    return "sent"
