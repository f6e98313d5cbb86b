"""The intake queue as channels: the website's message board, inbound SMS and logged phone calls, each a channel
whose items are the messages that came in on it, grouped by kind (inquiry, suggestion, complaint, praise).

Counted: every message but those merged into another (a duplicate is not volume; its text lives on in the
message it joined). First response: the first staff reply. Solved: the message is answered or closed (the
closing time, else the last answer); a message waiting again has no solution. Reopened: staff reopened it, the
customer added to an answered or closed message, or a "dissatisfied" rating sent it back. Rating: the latest
one of the message, "very satisfied" counted as satisfied. VIP: the message came in on the VIP line.
Waiting now: open and never answered, or sent back by a dissatisfied rating (as the desk's supervisors see it).
Titles are the customer's subject with card, ID and mobile numbers masked, as in the desk's own lists.
"""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.intake import privacy
from portal.intake.models import OPEN_STATUSES, AuditEntry, Entry, Kind, Message, Priority, Rating, Status
from portal.intake.models import Channel as Via
from portal.operations.sources import SATISFIED, Channel, Queue, register

REOPENS = (
    Q(action="reopen")
    | Q(action="add_information", data__reopened=True)
    | Q(action="rate_reply", data__score=Rating.Score.DISSATISFIED)
)


def _rating():
    """The message's latest rating, "very satisfied" read as satisfied: mapped inside one subquery, so each
    count that filters on it runs it once per message (mapped outside, it ran twice per count: the 24-month trend
    at 100,000 messages ran it four times per row)."""
    mapped = Case(
        When(score__in=[Rating.Score.VERY_SATISFIED, Rating.Score.SATISFIED], then=Value(SATISFIED)),
        default=F("score"),
        output_field=CharField(),
    )
    latest = Rating.objects.filter(message=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(latest.annotate(op_mapped=mapped).values("op_mapped")[:1], output_field=CharField())


class IntakeChannel(Channel):
    group_label = _("Kind")
    via = ""

    def _messages(self):
        return Message.objects.filter(channel=self.via, merged_into=None)

    def items(self):
        first_reply = Entry.objects.filter(message=OuterRef("pk"), kind=Entry.Kind.REPLY).order_by("created_at", "id")
        return self._messages().annotate(
            op_opened=F("created_at"),
            op_first_response=F("first_response_at"),
            op_due=F("sla_due_at"),
            op_resolved=Case(
                When(status__in=[Status.ANSWERED, Status.CLOSED], then=Coalesce("closed_at", "answered_at")),
                default=None,
            ),
            op_reopened=Exists(AuditEntry.objects.filter(REOPENS, message=OuterRef("pk"))),
            op_rating=_rating(),
            op_vip=ExpressionWrapper(Q(priority=Priority.VIP), output_field=BooleanField()),
            op_group=F("kind"),
            op_group_label=Case(
                *(When(kind=key, then=Value(str(label))) for key, label in Kind.choices),
                default=F("kind"),
                output_field=CharField(),
            ),
            op_staff=Subquery(first_reply.values("author_id")[:1]),
            op_title=F("subject"),
        )

    def queue(self, now):
        # Waiting: never answered, or sent back by a dissatisfied rating (the supervisors' queue), while open.
        waiting = self._messages().filter(
            Q(first_response_at=None) | Q(needs_supervisor=True), status__in=OPEN_STATUSES
        )
        counts = waiting.aggregate(waiting=Count("id"), breached=Count("id", filter=Q(sla_due_at__lte=now)))
        oldest = waiting.order_by("created_at", "id").only("pk", "subject", "created_at").first()
        queue = Queue(counts["waiting"], counts["breached"])
        if oldest is not None:
            queue.oldest_title = privacy.masked(oldest.subject)
            queue.oldest_url = reverse("intake_admin:detail", args=[oldest.pk])
            queue.oldest_opened = oldest.created_at
        return queue

    def item_urls(self, pks):
        return {pk: reverse("intake_admin:detail", args=[pk]) for pk in pks}

    def groups(self):
        return [(key, str(label)) for key, label in Kind.choices]

    def parse_group(self, text):
        return text if text in Kind.values else None

    def title_text(self, title):
        return privacy.masked(title)


class MessageBoardChannel(IntakeChannel):
    key = "messages"
    label = _("Message board")
    via = Via.WEB


class SmsChannel(IntakeChannel):
    key = "sms"
    label = _("SMS")
    via = Via.SMS


class PhoneChannel(IntakeChannel):
    key = "phone"
    label = _("Phone calls")
    via = Via.PHONE


register(MessageBoardChannel())
register(SmsChannel())
register(PhoneChannel())
