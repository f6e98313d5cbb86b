"""Reads of the message desk, each in a fixed number of queries whatever the filters.

`queue_page` is the staff queue: most urgent first (answer due time, then id), keyset paging (`after`), one
query for the page whatever the filters (the assignee comes in the same query).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.intake import phones, privacy
from portal.intake.models import OPEN_STATUSES, Category, Channel, Entry, Kind, Message, Status


@dataclass
class QueuePage:
    rows: list
    next_after: str


def _parse_after(value):
    stamp, _sep, pk = (value or "").rpartition("|")
    try:
        return datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None


def _phone_or_none(text):
    try:
        return phones.normalise_any(text)
    except ValidationError:
        return None


def queue_filter(filters, user, now=None):
    now = now or timezone.now()
    qs = Message.objects.all()
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    for name in ("kind", "category", "priority", "channel"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    sla = filters.get("sla")
    soon = now + timedelta(hours=2)
    if sla == "breached":
        qs = qs.filter(first_response_at=None, sla_due_at__lte=now).exclude(status=Status.CLOSED)
    elif sla == "due_soon":
        qs = qs.filter(first_response_at=None, sla_due_at__gt=now, sla_due_at__lte=soon).exclude(status=Status.CLOSED)
    elif sla == "on_track":
        qs = qs.filter(first_response_at=None, sla_due_at__gt=soon).exclude(status=Status.CLOSED)
    assignee = filters.get("assignee")
    if assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif assignee == "none":
        qs = qs.filter(assignee=None)
    elif assignee and str(assignee).isdigit():
        qs = qs.filter(assignee_id=int(assignee))
    if filters.get("supervisor"):
        qs = qs.filter(needs_supervisor=True)
    text = (filters.get("q") or "").strip()
    if text:
        match = Q(reference__iexact=text) | Q(email__iexact=text) | Q(subject__icontains=text)
        phone = _phone_or_none(text)
        if phone:
            match |= Q(phone=phone)
        qs = qs.filter(match)
    return qs


def queue_page(filters, user, now=None, size=None):
    size = size or settings.PORTAL_INTAKE_PAGE_SIZE
    qs = queue_filter(filters, user, now).select_related("assignee")
    after = _parse_after(filters.get("after"))
    if after:
        due, pk = after
        qs = qs.filter(Q(sla_due_at__gt=due) | Q(sla_due_at=due, id__gt=pk))
    rows = list(qs.order_by("sla_due_at", "id")[: size + 1])
    next_after = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_after = f"{last.sla_due_at.isoformat()}|{last.pk}"
    return QueuePage(rows, next_after)


@dataclass
class QueueRow:
    """One line of the staff queue, everything the template prints already worked out (masked, labelled)."""

    message: Message
    url: str
    subject: str  # card, ID and mobile numbers masked
    kind: str  # "Inquiry · E-banking"
    channel: str
    status: str
    contact: str  # masked
    sla: str  # met / breached / due_soon / on_track
    due: str
    assignee: str


def queue_rows(messages, now=None):
    """The queue page's rows. Labels are translated once per page, not once per row: per-row `get_*_display`
    and template lookups were most of the page's own time at 30 rows (bench_intake)."""
    now = now or timezone.now()
    kinds = {value: str(label) for value, label in Kind.choices}
    categories = {value: str(label) for value, label in Category.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    detail = reverse("intake_admin:detail", args=[0])
    prefix = detail[: detail.rindex("/0/") + 1]  # ".../messages/" — the detail URL is prefix + id + "/"
    rows = []
    for message in messages:
        rows.append(
            QueueRow(
                message=message,
                url=f"{prefix}{message.pk}/",
                subject=privacy.masked(message.subject),
                kind=f"{kinds.get(message.kind, message.kind)} · {categories.get(message.category, message.category)}",
                channel=channels.get(message.channel, message.channel),
                status=statuses.get(message.status, message.status),
                contact=privacy.mask_contact(message),
                sla=message.sla_state(now),
                due=f"{timezone.localtime(message.sla_due_at):%Y-%m-%d %H:%M}",
                assignee=message.assignee.email if message.assignee_id and message.assignee else "—",
            )
        )
    return rows


def duplicate_candidates(message, limit=5):
    """Open messages from the same contact (e-mail, mobile or account), most similar subject first."""
    contact = Q()
    if message.email:
        contact |= Q(email__iexact=message.email)
    if message.phone:
        contact |= Q(phone=message.phone)
    if message.user_id:
        contact |= Q(user_id=message.user_id)
    if not contact:
        return []
    candidates = (
        Message.objects.filter(contact, merged_into=None)
        .exclude(pk=message.pk)
        .exclude(status=Status.CLOSED)
        .order_by("-created_at")[:20]
    )
    words = set(message.subject.lower().split()) | set(message.subject)
    scored = []
    for other in candidates:
        theirs = set(other.subject.lower().split()) | set(other.subject)
        overlap = len(words & theirs) / max(1, len(words | theirs))
        scored.append((overlap, other))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].created_at.timestamp()))
    return [other for _score, other in scored[:limit]]


def conversation(message):
    return list(Entry.objects.filter(message=message).select_related("author", "rating").order_by("created_at", "id"))


def messages_of(user, limit=50):
    if not user.is_authenticated:
        return []
    return list(Message.objects.filter(user=user, merged_into=None).order_by("-created_at")[:limit])


def find_by_reference(reference, contact):
    """The message with this reference whose e-mail or mobile is `contact`; None either way (no hint)."""
    reference = (reference or "").strip().upper()
    contact = (contact or "").strip()
    if not reference or not contact:
        return None
    match = Q(email__iexact=contact)
    phone = _phone_or_none(contact)
    if phone:
        match |= Q(phone=phone)
    return Message.objects.filter(match, reference=reference, anonymised_at=None, merged_into=None).first()


def find_article_id(value):
    """A live KB article's page id from a page number or a link on this site; None when there is none."""
    from wagtail.models import Page

    articles = Page.objects.live().filter(content_type__app_label="kb", content_type__model="articlepage")
    if value.isdigit():
        return articles.filter(pk=int(value)).values_list("pk", flat=True).first()
    path = urlsplit(value).path
    if not path.startswith("/"):
        return None
    segments = [s for s in path.split("/") if s]
    language = "zh-hans"
    if segments and segments[0] in {code for code, _name in settings.LANGUAGES}:
        language = segments.pop(0)
    if not segments:
        return None
    tail = "/".join(segments)
    homes = Page.objects.filter(depth=2, locale__language_code=language).values_list("url_path", flat=True)
    return articles.filter(url_path__in=[f"{home}{tail}/" for home in homes]).values_list("pk", flat=True).first()
