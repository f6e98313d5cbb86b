"""Every change of state on the message desk: one function each, atomic, with an audit entry.

Views, the Wagtail admin, the SMS webhook, management commands, the demo and the tests call these. Staff
actions ask IntakePolicy first and raise ActionRefused (a translated message and an HTTP status). Texts are
stored exactly as typed; notifications go out after commit through django-tasks (portal/intake/tasks.py).
`portal.intake.signals.message_changed` is sent inside each transaction.
"""

import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.accounts import queries as account_queries
from portal.accounts.models import VipCustomer
from portal.core import ratelimit
from portal.core.images import process_image
from portal.intake import privacy
from portal.intake.models import (
    OPEN_STATUSES,
    AuditEntry,
    Deflection,
    Entry,
    InboundSms,
    Kind,
    Message,
    Priority,
    Rating,
    Status,
)
from portal.intake.policies import IntakePolicy
from portal.intake.signals import message_changed

logger = logging.getLogger(__name__)

LTK_RE = re.compile(r"^\s*ltk(?:\s|\+)*", re.IGNORECASE)


class ActionRefused(Exception):
    """Not allowed or not possible now. `message` is translated and meant for the user; `status` is HTTP."""

    def __init__(self, message, *, code="refused", status=403):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


# --- Helpers ------------------------------------------------------------------------------------------------
def _audit(actor, action, message=None, **data):
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        message=message,
        target_repr=(message.reference if message else data.get("target", ""))[:255],
        data=data,
    )


def _changed(message, action):
    message_changed.send(sender=Message, message=message, action=action)


def _notify(task_name, *args):
    def enqueue():
        from portal.intake import tasks

        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:  # a notification must never undo what is already committed
            logger.exception("intake: could not queue %s%r", task_name, args)

    transaction.on_commit(enqueue)


def _locked(message):
    return Message.objects.select_for_update().get(pk=message.pk)


def _refuse_unless(allowed, text=None):
    if not allowed:
        raise ActionRefused(text or _("You may not do that with this message."))


def sla_hours(kind, priority):
    table = settings.PORTAL_INTAKE_SLA_HOURS
    return table.get(kind, table["inquiry"]).get(priority, table["inquiry"]["normal"])


def new_token():
    return secrets.token_urlsafe(24)


def _reference(message):
    return f"LY-{timezone.localtime(message.created_at):%Y%m%d}-{message.pk:06d}"


def is_vip_contact(user=None, email="", phone=""):
    """True for a VIP account, or a VIP's verified e-mail address or mobile number (the accounts' VIP list, the
    same one the forum reads)."""
    return account_queries.is_vip_contact(user, email, phone)


def _check_limits(ip, contacts, limits):
    for scope, limit, window in limits:
        keys = [f"intake:ip:{ip}"] if scope == "ip" and ip else []
        if scope == "contact":
            keys = [f"intake:contact:{contact.lower()}" for contact in contacts if contact]
        for key in keys:
            if not ratelimit.hit(f"{key}:{window}", limit, window):
                raise ActionRefused(
                    _("You have sent several messages in a short time. Please wait a while and try again."),
                    code="rate",
                    status=429,
                )


def _create(*, now, submit_key=None, body="", user=None, **fields):
    priority = Priority.VIP if is_vip_contact(user, fields.get("email", ""), fields.get("phone", "")) else None
    fields["priority"] = priority or Priority.NORMAL
    message = Message.objects.create(
        reference=f"tmp-{secrets.token_hex(6)}",
        tracking_token=new_token(),
        submit_key=submit_key,
        user=user if user is not None and user.is_authenticated else None,
        sla_due_at=now + timedelta(hours=sla_hours(fields.get("kind", Kind.INQUIRY), fields["priority"])),
        created_at=now,
        updated_at=now,
        **fields,
    )
    message.reference = _reference(message)
    Message.objects.filter(pk=message.pk).update(reference=message.reference)
    Entry.objects.create(message=message, kind=Entry.Kind.CUSTOMER, author=message.user, body=body, created_at=now)
    return message


# --- Customers ---------------------------------------------------------------------------------------------
def submit_message(
    *,
    kind,
    category,
    subject,
    body,
    name="",
    email="",
    phone="",
    language="zh-hans",
    user=None,
    picture=None,
    forum_consent=False,
    submit_key=None,
    ip=None,
    check_limits=True,
    notify=True,
    now=None,
):
    """A message from the web form. Returns (message, created): a repeated submit_key finds the first one.

    `picture` is an upload (it goes through the core's image handling; ValidationError when refused).
    """
    if submit_key:
        existing = Message.objects.filter(submit_key=submit_key).first()
        if existing is not None:
            return existing, False
    if not (email or phone):
        raise ActionRefused(_("Please give an e-mail address or a mobile number."), code="contact", status=400)
    if check_limits:
        _check_limits(ip, [email, phone], settings.PORTAL_INTAKE_RATE_LIMITS)
    image = process_image(picture, max_side=settings.PORTAL_INTAKE_IMAGE_MAX_SIDE) if picture else None
    now = now or timezone.now()
    try:
        with transaction.atomic():
            message = _create(
                now=now,
                submit_key=submit_key,
                body=body,
                user=user,
                kind=kind,
                category=category,
                channel="web",
                subject=subject,
                name=name,
                email=email,
                phone=phone,
                language=language,
                forum_consent=forum_consent,
                consent_at=now,
            )
            if image is not None:
                message.picture.save(image.name, image, save=False)
                Message.objects.filter(pk=message.pk).update(picture=message.picture.name)
            _audit(None, "submit_message", message, channel="web", kind=kind)
            _changed(message, "submit_message")
    except IntegrityError:
        # The same form posted twice at once: the other request won, answer with its message.
        existing = Message.objects.filter(submit_key=submit_key).first() if submit_key else None
        if existing is None:
            raise
        return existing, False
    if notify:
        _notify("notify_receipt", message.pk)
    return message, True


def add_customer_information(message, body, user=None, now=None):
    """The customer adds to their message from the tracking page; an answered or closed one reopens."""
    if not (body or "").strip():
        raise ActionRefused(_("Please write something to add."), code="empty", status=400)
    if len(body) > settings.PORTAL_INTAKE_MAX_CHARS:
        raise ActionRefused(_("That is too long."), code="long", status=400)
    _refuse_unless(IntakePolicy.can_add_information(message))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        Entry.objects.create(message=locked, kind=Entry.Kind.CUSTOMER, author=locked.user, body=body, created_at=now)
        updates = {"updated_at": now}
        if locked.status in (Status.ANSWERED, Status.CLOSED):
            updates.update(status=Status.ASSIGNED if locked.assignee_id else Status.NEW, closed_at=None)
        Message.objects.filter(pk=locked.pk).update(**updates)
        locked.refresh_from_db()
        _audit(user, "add_information", locked, reopened="status" in updates)
        _changed(locked, "add_information")
    return locked


def record_deflection(*, query, url, title="", result_kind="", language="zh-hans", source="js", user=None):
    """'This solved it': the customer found the answer, no message is created. Only our own paths are kept."""
    if not url.startswith("/") or url.startswith("//"):
        raise ActionRefused(_("That answer link is not one of ours."), code="url", status=400)
    with transaction.atomic():
        deflection = Deflection.objects.create(
            query=privacy.masked(query)[:200],
            url=url[:500],
            title=title[:255],
            result_kind=result_kind[:20],
            language=language,
            source=source if source in ("js", "preview") else "js",
            user=user if user is not None and user.is_authenticated else None,
        )
        AuditEntry.objects.create(
            actor=deflection.user, action="deflection", target_repr=url[:255], data={"kind": result_kind}
        )
    return deflection


def rate_reply(message, reply, score, comment="", user=None, now=None):
    """One rating per reply; 'dissatisfied' reopens the message and puts it in a supervisor's queue."""
    _refuse_unless(IntakePolicy.can_rate(message, reply), _("This reply cannot be rated."))
    if score not in Rating.Score.values:
        raise ActionRefused(_("Please choose how satisfied you are."), code="score", status=400)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(message)
            rating = Rating.objects.create(reply=reply, message=locked, score=score, comment=comment, created_at=now)
            if score == Rating.Score.DISSATISFIED:
                Message.objects.filter(pk=locked.pk).update(
                    status=Status.ASSIGNED if locked.assignee_id else Status.NEW,
                    needs_supervisor=True,
                    closed_at=None,
                    updated_at=now,
                )
                locked.refresh_from_db()
            _audit(user, "rate_reply", locked, score=score)
            _changed(locked, "rate_reply")
    except IntegrityError:
        raise ActionRefused(_("You have already rated this reply."), code="rated", status=409) from None
    return rating


# --- SMS and phone channels ---------------------------------------------------------------------------------
def receive_sms(sender, text, *, signature, notify=True, now=None):
    """An inbound SMS (already authenticated by the webhook). Returns the message it made or added to, or None.

    Text that starts with "LTK" (any case, optional space or "+") is a question; a second one from the same
    number while its message is open adds to that message. The signature is stored: a replay is refused.
    """
    now = now or timezone.now()
    question = LTK_RE.sub("", text, count=1) if LTK_RE.match(text or "") else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundSms.objects.create(signature=signature, sender=sender, text=text, received_at=now)
        except IntegrityError:
            raise ActionRefused("replayed", code="replay", status=403) from None
        if question is None or not question.strip():
            return None
        _check_limits(None, [sender], settings.PORTAL_INTAKE_SMS_LIMITS)
        open_message = (
            Message.objects.select_for_update()
            .filter(channel="sms", phone=sender, status__in=(*OPEN_STATUSES, Status.ANSWERED), merged_into=None)
            .order_by("-created_at")
            .first()
        )
        if open_message is not None:
            Entry.objects.create(message=open_message, kind=Entry.Kind.CUSTOMER, body=question, created_at=now)
            updates = {"updated_at": now}
            if open_message.status == Status.ANSWERED:
                updates["status"] = Status.ASSIGNED if open_message.assignee_id else Status.NEW
            Message.objects.filter(pk=open_message.pk).update(**updates)
            message, created = open_message, False
        else:
            message = _create(
                now=now,
                body=question,
                kind=Kind.INQUIRY,
                category="other",
                channel="sms",
                subject=question.strip()[:60],
                phone=sender,
                language="zh-hans" if re.search(r"[\u4e00-\u9fff]", question) else "en",
            )
            created = True
        InboundSms.objects.filter(pk=inbound.pk).update(message=message)
        _audit(None, "receive_sms", message, created=created)
        _changed(message, "receive_sms")
    if created and notify:
        _notify("notify_receipt", message.pk)
    return message


def log_call(
    agent,
    *,
    phone,
    question,
    kb_article_id=None,
    resolved=False,
    kind=Kind.INQUIRY,
    category="other",
    language="zh-hans",
    now=None,
):
    """An agent logs a call from the search console as a message on the phone channel."""
    _refuse_unless(IntakePolicy.can_log_call(agent), _("Only agents can log calls."))
    now = now or timezone.now()
    with transaction.atomic():
        message = _create(
            now=now,
            body=question,
            kind=kind,
            category=category,
            channel="phone",
            subject=question.strip()[:60],
            phone=phone,
            language=language,
            kb_article_id=kb_article_id,
            resolved_on_call=resolved,
        )
        if resolved:
            Message.objects.filter(pk=message.pk).update(
                status=Status.CLOSED, first_response_at=now, answered_at=now, closed_at=now, assignee=agent
            )
            message.refresh_from_db()
        _audit(agent, "log_call", message, resolved=resolved, kb_article_id=kb_article_id)
        _changed(message, "log_call")
    return message


# --- Staff -------------------------------------------------------------------------------------------------
def claim_message(staff, message, now=None):
    _refuse_unless(IntakePolicy.can_claim(staff, message))
    return assign_message(staff, message, staff, now=now, action="claim")


def assign_message(staff, message, assignee, now=None, action="assign"):
    _refuse_unless(IntakePolicy.can_assign(staff, message, assignee))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        status = Status.ASSIGNED if locked.status == Status.NEW else locked.status
        Message.objects.filter(pk=locked.pk).update(assignee=assignee, status=status, updated_at=now)
        locked.refresh_from_db()
        _audit(staff, action, locked, assignee=assignee.pk)
        _changed(locked, action)
    return locked


def add_note(staff, message, body, now=None):
    _refuse_unless(IntakePolicy.can_note(staff, message))
    if not (body or "").strip():
        raise ActionRefused(_("Please write the note."), code="empty", status=400)
    with transaction.atomic():
        entry = Entry.objects.create(
            message=message, kind=Entry.Kind.NOTE, author=staff, body=body, created_at=now or timezone.now()
        )
        _audit(staff, "note", message)
        _changed(message, "note")
    return entry


def reply_to_message(staff, message, body, *, close=False, notify=True, now=None):
    """Staff answer the customer; the reply goes out by e-mail/SMS in their language with the tracking link."""
    _refuse_unless(IntakePolicy.can_reply(staff, message))
    if not (body or "").strip():
        raise ActionRefused(_("Please write the reply."), code="empty", status=400)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        entry = Entry.objects.create(message=locked, kind=Entry.Kind.REPLY, author=staff, body=body, created_at=now)
        updates = {
            "status": Status.CLOSED if close else Status.ANSWERED,
            "answered_at": now,
            "updated_at": now,
            "assignee": locked.assignee or staff,
        }
        if locked.first_response_at is None:
            updates["first_response_at"] = now
        if close:
            updates["closed_at"] = now
        Message.objects.filter(pk=locked.pk).update(**updates)
        locked.refresh_from_db()
        _audit(staff, "reply", locked, close=close)
        _changed(locked, "reply")
    if notify:
        _notify("notify_reply", entry.pk)
    return entry


def close_message(staff, message, now=None):
    _refuse_unless(IntakePolicy.can_close(staff, message))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        Message.objects.filter(pk=locked.pk).update(status=Status.CLOSED, closed_at=now, updated_at=now)
        locked.refresh_from_db()
        _audit(staff, "close", locked)
        _changed(locked, "close")
    return locked


def reopen_message(staff, message, now=None):
    _refuse_unless(IntakePolicy.can_reopen(staff, message))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        status = Status.ASSIGNED if locked.assignee_id else Status.NEW
        Message.objects.filter(pk=locked.pk).update(status=status, closed_at=None, updated_at=now)
        locked.refresh_from_db()
        _audit(staff, "reopen", locked)
        _changed(locked, "reopen")
    return locked


def resolve_supervision(supervisor, message, now=None):
    """A supervisor took up a dissatisfied customer's message: it leaves the supervisors' queue."""
    _refuse_unless(IntakePolicy.can_resolve_supervision(supervisor, message))
    with transaction.atomic():
        locked = _locked(message)
        Message.objects.filter(pk=locked.pk).update(needs_supervisor=False, updated_at=now or timezone.now())
        locked.refresh_from_db()
        _audit(supervisor, "resolve_supervision", locked)
        _changed(locked, "resolve_supervision")
    return locked


def merge_messages(staff, source, target, now=None):
    """Merge a duplicate into `target`: its conversation moves over, it closes and points at the target."""
    _refuse_unless(IntakePolicy.can_merge(staff, source, target), _("These messages cannot be merged."))
    now = now or timezone.now()
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {m.pk: m for m in Message.objects.select_for_update().filter(pk__in=[first, second])}
        source, target = locked[source.pk], locked[target.pk]
        moved = Entry.objects.filter(message=source).update(message=target)
        Rating.objects.filter(message=source).update(message=target)
        Entry.objects.create(
            message=target,
            kind=Entry.Kind.SYSTEM,
            author=staff,
            body=_("Merged %(reference)s into this message.") % {"reference": source.reference},
            created_at=now,
        )
        Message.objects.filter(pk=source.pk).update(
            merged_into=target, status=Status.CLOSED, closed_at=now, updated_at=now
        )
        earlier_due = min(source.sla_due_at, target.sla_due_at)
        Message.objects.filter(pk=target.pk).update(sla_due_at=earlier_due, updated_at=now)
        target.refresh_from_db()
        _audit(staff, "merge", target, source=source.reference, entries=moved)
        _changed(target, "merge")
        source.refresh_from_db()
        _changed(source, "merge")
    return target


def set_vip(staff, user, *, vip=True, mobile="", now=None):
    """Mark a customer account VIP (or not); `mobile` is the verified number that counts without sign-in.

    The flag lives on the account (portal.accounts), which the forum reads too: the customer's open messages
    become VIP here, and their threads still waiting for a moderator get the forum's VIP first-response target.
    """
    from forum.actions import prioritise_vip_threads

    _refuse_unless(IntakePolicy.can_set_vip(staff), _("Only supervisors can change VIP status."))
    with transaction.atomic():
        if vip:
            VipCustomer.objects.update_or_create(user=user, defaults={"mobile": mobile, "set_by": staff})
            Message.objects.filter(user=user, status__in=OPEN_STATUSES).update(priority=Priority.VIP)
            prioritise_vip_threads(user, now=now)
        else:
            VipCustomer.objects.filter(user=user).delete()
        _audit(staff, "set_vip" if vip else "unset_vip", None, target=str(user.pk), user=user.pk)
    return vip


# --- Hand-offs ----------------------------------------------------------------------------------------------
# Message category -> KB category slug and forum board slug of the demo trees (unknown: first of the language).
KB_CATEGORIES = {"ebanking": "personal-ebanking", "bank_cards": "bank-cards", "credit": "credit-cards"}
FORUM_BOARDS = {"ebanking": "e-banking", "bank_cards": "bank-cards", "credit": "credit-cards"}


def _last_reply(message):
    return message.entries.filter(kind=Entry.Kind.REPLY).order_by("-created_at", "-id").first()


def _question(message):
    return message.entries.filter(kind=Entry.Kind.CUSTOMER).order_by("created_at", "id").first()


def _page_by_slug(app_label, model, slug, language):
    from wagtail.models import Page

    pages = Page.objects.filter(
        content_type__app_label=app_label, content_type__model=model, locale__language_code=language
    ).order_by("path")
    return (pages.filter(slug=slug).first() if slug else None) or pages.first()


def create_kb_draft(staff, message):
    """An answered message becomes a draft KB article (through kb.actions), for editors to review."""
    message = Message.objects.get(pk=message.pk)  # the caller's copy may predate the reply
    _refuse_unless(IntakePolicy.can_hand_off(staff, message), _("Only answered messages can become articles."))
    from django.utils.html import escape, linebreaks

    from kb import actions as kb_actions

    reply = _last_reply(message)
    question = _question(message)
    if reply is None:
        raise ActionRefused(_("This message has no reply yet."), code="no_reply", status=409)
    category = _page_by_slug("kb", "categorypage", KB_CATEGORIES.get(message.category), message.language)
    if category is None:
        raise ActionRefused(_("There is no knowledge-base category in this language yet."), status=409)
    with override(message.language):
        note = _("From message %(reference)s.") % {"reference": message.reference}
    answer = privacy.masked(reply.body)
    with transaction.atomic():
        article = kb_actions.create_draft_article(
            category=category.specific,
            title=privacy.masked(message.subject)[:255],
            answer_html=linebreaks(escape(answer)),
            short_answer=answer[:480],
            user=staff,
            slug=f"message-{message.pk}",
            source_note=note + (" " + privacy.masked(question.body)[:200] if question else ""),
        )
        Message.objects.filter(pk=message.pk).update(kb_draft_id=article.pk)
        _audit(staff, "kb_draft", message, article=article.pk)
    return article


def create_forum_thread(staff, message):
    """With the customer's consent: an anonymised public forum thread with the question and our answer.

    Returns forum.actions' Written (thread, post, pending)."""
    message = Message.objects.get(pk=message.pk)  # the caller's copy may predate the reply
    _refuse_unless(
        IntakePolicy.can_publish_to_forum(staff, message),
        _("Only answered messages whose author agreed can go to the forum."),
    )
    from forum import actions as forum_actions

    reply = _last_reply(message)
    question = _question(message)
    if reply is None or question is None:
        raise ActionRefused(_("This message has no reply yet."), code="no_reply", status=409)
    board = _page_by_slug("forum", "boardpage", FORUM_BOARDS.get(message.category), message.language)
    if board is None:
        raise ActionRefused(_("There is no forum board in this language yet."), status=409)
    board = board.specific

    def scrub(text):
        text = privacy.masked(text)
        for value in (message.name, message.email, message.phone):
            if value:
                text = text.replace(value, "***")
        return text

    with override(message.language):
        heading = _("Our answer")
    # One opening post, question and answer: a desk member who does not moderate the board has the thread
    # approved by its moderators like any new member's, and a pending thread takes no replies meanwhile.
    body = f"{scrub(question.body)}\n\n**{heading}**\n\n{scrub(reply.body)}"
    with transaction.atomic():
        written = forum_actions.create_thread(
            staff, board, title=scrub(message.subject), body=body, check_limits=False, notify=False
        )
        Message.objects.filter(pk=message.pk).update(forum_thread_id=written.thread.pk)
        _audit(staff, "forum_thread", message, thread=written.thread.pk, pending=written.pending)
    return written


# --- Privacy and duty -------------------------------------------------------------------------------------
def anonymise_message(message, now=None):
    """Retention: contact details and picture removed, texts masked; the message stays for the counts."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(message)
        if locked.picture:
            locked.picture.delete(save=False)
        Message.objects.filter(pk=locked.pk).update(
            name="",
            email="",
            phone="",
            user=None,
            picture=None,
            subject=privacy.masked(locked.subject),
            forum_consent=False,
            anonymised_at=now,
            updated_at=now,
        )
        for entry in Entry.objects.filter(message=locked):
            masked = privacy.masked(entry.body)
            if masked != entry.body:
                Entry.objects.filter(pk=entry.pk).update(body=masked)
        Rating.objects.filter(message=locked).update(comment="")
        InboundSms.objects.filter(message=locked).update(sender="", text="")
        locked.refresh_from_db()
        _audit(None, "anonymise", locked)
        _changed(locked, "anonymise")
    return locked


def mark_alerted(message_ids, field, now=None):
    """The duty digest mentioned these (new complaints or SLA breaches): each is alerted once."""
    if field not in ("alerted_new_at", "alerted_breach_at"):
        raise ValueError(field)
    with transaction.atomic():
        count = Message.objects.filter(pk__in=message_ids, **{f"{field}__isnull": True}).update(
            **{field: now or timezone.now()}
        )
        AuditEntry.objects.create(action="duty_digest", target_repr=field, data={"count": count})
    return count


def validate_picture(upload):
    """Checked before anything is written, so the form can say what is wrong and keep the rest."""
    try:
        return process_image(upload, max_side=settings.PORTAL_INTAKE_IMAGE_MAX_SIDE)
    finally:
        upload.seek(0)
