"""What the desk sends: the receipt (reference + tracking link), replies (in the customer's language, with the
tracking link), and the on-duty digest of new complaints and SLA breaches (numbers masked throughout).

Every e-mail goes through the core's retrying mail (portal/core/mail.py) under a key naming it for good, so an
SMTP outage delays a receipt or a reply instead of losing it, and a task run twice mails nobody twice."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.mail import queue_mail
from portal.intake import privacy, sms
from portal.intake.models import OPEN_STATUSES, Entry, Kind, Message

logger = logging.getLogger(__name__)


def tracking_url(message):
    with translation.override(message.language):
        path = reverse("intake:track", args=[message.tracking_token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(message, subject, template, context, key):
    sent = []
    with translation.override(message.language):
        context = {"message": message, "tracking_url": tracking_url(message), **context}
        if message.email:
            body = render_to_string(f"intake/email/{template}.txt", context)
            queue_mail(key, EmailMessage(subject, body, None, [message.email]))
            sent.append("email")
        if message.phone:
            text = render_to_string(f"intake/sms/{template}.txt", context).strip()
            if sms.send_sms(message.phone, text):
                sent.append("sms")
    return sent


def notify_receipt(message_id):
    message = Message.objects.filter(pk=message_id, anonymised_at=None).first()
    if message is None:
        return []
    with translation.override(message.language):
        subject = _("We received your message %(reference)s") % {"reference": message.reference}
    return _send(message, subject, "receipt", {}, key=f"intake.receipt:{message.pk}")


def notify_reply(entry_id):
    entry = Entry.objects.select_related("message").filter(pk=entry_id, kind=Entry.Kind.REPLY).first()
    if entry is None or entry.message.anonymised_at:
        return []
    message = entry.message
    with translation.override(message.language):
        subject = _("Reply to your message %(reference)s") % {"reference": message.reference}
    context = {"reply": entry, "reply_text": privacy.masked(entry.body)}
    return _send(message, subject, "reply", context, key=f"intake.reply:{entry.pk}")


def duty_addresses():
    User = get_user_model()
    emails = set(
        User.objects.filter(is_active=True, groups__name__in=("Message desk", "Supervisors")).values_list(
            "email", flat=True
        )
    )
    return sorted(emails | set(settings.PORTAL_INTAKE_DUTY_EMAILS))


def send_duty_digest(now=None):
    """One e-mail to the on-duty group: complaints not yet alerted, and open messages past their SLA."""
    from portal.intake import actions

    now = now or timezone.now()
    complaints = list(
        Message.objects.filter(kind=Kind.COMPLAINT, alerted_new_at=None, merged_into=None).order_by("created_at")[:200]
    )
    breaches = list(
        Message.objects.filter(status__in=OPEN_STATUSES, sla_due_at__lte=now, alerted_breach_at=None).order_by(
            "sla_due_at"
        )[:200]
    )
    if not complaints and not breaches:
        return {"complaints": 0, "breaches": 0, "sent": False}
    recipients = duty_addresses()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "intake/email/duty_digest.txt",
                {
                    "complaints": [(m, privacy.masked(m.subject)) for m in complaints],
                    "breaches": [(m, privacy.masked(m.subject)) for m in breaches],
                    "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                },
            )
            subject = _("Message desk: %(complaints)d new complaints, %(breaches)d past their answer time") % {
                "complaints": len(complaints),
                "breaches": len(breaches),
            }
        # Keyed by what it reports: the same complaints and breaches are never mailed twice.
        ids = ",".join(str(m.pk) for m in complaints) + ";" + ",".join(str(m.pk) for m in breaches)
        key = "intake.duty-digest:" + hashlib.sha256(ids.encode()).hexdigest()[:32]
        queue_mail(key, EmailMessage(subject, body, None, recipients))
    actions.mark_alerted([m.pk for m in complaints], "alerted_new_at", now)
    actions.mark_alerted([m.pk for m in breaches], "alerted_breach_at", now)
    return {"complaints": len(complaints), "breaches": len(breaches), "sent": bool(recipients)}
