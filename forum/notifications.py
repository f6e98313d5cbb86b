"""Forum e-mail: replies to followed threads, mentions, accepted answers, sanctions and the moderators' SLA digest.

Each message is written in the recipient's language (user.preferred_language) and, except for notices
about the recipient's own account, carries a one-click unsubscribe link (a signed token; RFC 8058
List-Unsubscribe headers for mail clients). Every function re-reads the rows and re-checks visibility
when it runs, so a post hidden between the reply and the send is never e-mailed.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum import markdown
from forum.mentions import resolve_mentions
from forum.models import EmailOptOut, Post, Sanction, Subscription, Thread
from forum.models.threads import State
from forum.policies import ForumPolicy
from forum.tokens import unsubscribe_token
from portal.core.mail import queue_mail

logger = logging.getLogger(__name__)
Kind = EmailOptOut.Kind


def absolute(url):
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _language(user):
    return user.preferred_language or settings.LANGUAGE_CODE


def _opted_out(user, kind):
    return EmailOptOut.objects.filter(user=user, kind=kind).exists()


def send_to_address(email, language, subject, template, context, key):
    """Queue one message to an address with no account (a supervisors' mailbox) in `language`: retried while
    the relay is down and sent once per `key` and address (portal/core/mail.py), like `send`. Returns 1."""
    with translation.override(language):
        body = render_to_string(template, {**context, "user": None, "bank": settings.PORTAL_BANK_NAME})
        message = EmailMessage(subject=" ".join(str(subject()).split())[:200], body=body, to=[email])
    return queue_mail(f"forum.{key}:address:{email.lower()}", message)


def send(user, kind, subject, template, context, thread=None, key=""):
    """Queue one message to `user` in their language (delivered once, retried while the relay is down:
    portal/core/mail.py); `key` names the event it is about. Returns 1 when queued, 0 when opted out or
    undeliverable."""
    if not user.email or not user.is_active or (kind and _opted_out(user, kind)):
        return 0
    with translation.override(_language(user)):
        headers = {}
        unsubscribe_url = ""
        if kind:
            token = unsubscribe_token(user, kind, thread if kind == Kind.REPLIES else None)
            unsubscribe_url = absolute(reverse("forum:unsubscribe", args=[token]))
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        body = render_to_string(
            template,
            {**context, "user": user, "unsubscribe_url": unsubscribe_url, "bank": settings.PORTAL_BANK_NAME},
        )
        message = EmailMessage(
            subject=" ".join(str(subject()).split())[:200],
            body=body,
            to=[user.email],
            headers=headers,
        )
    # Without a key (callers not yet naming their event) the message is still retried, just not deduplicated.
    return queue_mail(f"forum.{key}:{user.pk}" if key else f"forum.unnamed:{uuid.uuid4().hex}", message)


def _thread_url(thread):
    return absolute(thread.get_absolute_url())


def notify_post(post_id):
    """A post was published: mentioned users and the thread's followers hear of it."""
    post = Post.objects.select_related("thread__board__locale", "author").filter(pk=post_id).first()
    if post is None or post.state != State.PUBLISHED or post.thread.state != State.PUBLISHED:
        return 0
    thread = post.thread
    mentioned = [
        user
        for user in resolve_mentions(markdown.extract_mentions(post.body), thread).values()
        if user.pk != post.author_id and ForumPolicy.can_view_thread(user, thread)
    ]
    author = post.author.public_name if post.author else ""
    context = {
        "thread": thread,
        "post": post,
        "author": author,
        "excerpt": markdown.excerpt(post.body_html, 400),
        "url": absolute(f"{thread.get_absolute_url()}?at={post.pk}#{post.anchor}"),
    }
    sent = 0
    for user in mentioned:
        sent += send(
            user,
            Kind.MENTIONS,
            lambda: _("%(name)s mentioned you: %(title)s") % {"name": author, "title": thread.title},
            "forum/email/mention.txt",
            context,
            key=f"mention:{post.pk}",
        )
    if post.is_opening:
        return sent
    skip = {post.author_id, *(user.pk for user in mentioned)}
    followers = (
        Subscription.objects.filter(thread=thread).exclude(user_id__in=skip).select_related("user").order_by("id")
    )
    for subscription in followers:
        sent += send(
            subscription.user,
            Kind.REPLIES,
            lambda: _("New reply: %(title)s") % {"title": thread.title},
            "forum/email/reply.txt",
            context,
            thread=thread,
            key=f"reply:{post.pk}",
        )
    return sent


def notify_accepted(thread_id):
    """An answer was accepted: its author, and the thread's followers, hear of it."""
    thread = Thread.objects.select_related("accepted_post__author", "board__locale").filter(pk=thread_id).first()
    if thread is None or thread.state != State.PUBLISHED:
        return 0
    post = thread.accepted_post
    if post is None or post.state != State.PUBLISHED:
        return 0
    context = {
        "thread": thread,
        "post": post,
        "excerpt": markdown.excerpt(post.body_html, 400),
        "url": absolute(f"{thread.get_absolute_url()}?at={post.pk}#{post.anchor}"),
    }
    sent = 0
    if post.author and post.author_id != thread.author_id:
        context_author = {**context, "own": True}
        sent += send(
            post.author,
            Kind.ANSWERS,
            lambda: _("Your answer was accepted: %(title)s") % {"title": thread.title},
            "forum/email/accepted.txt",
            context_author,
            key=f"accepted:{post.pk}",
        )
    followers = (
        Subscription.objects.filter(thread=thread)
        .exclude(user_id__in=[thread.author_id, post.author_id])
        .select_related("user")
    )
    for subscription in followers:
        sent += send(
            subscription.user,
            Kind.ANSWERS,
            lambda: _("Answered: %(title)s") % {"title": thread.title},
            "forum/email/accepted.txt",
            {**context, "own": False},
            key=f"answered:{post.pk}",
        )
    return sent


def notify_sanction(sanction_id):
    """Tell a member about a warning, suspension or ban (a notice about their account: no unsubscribe)."""
    sanction = Sanction.objects.select_related("user").filter(pk=sanction_id).first()
    if sanction is None:
        return 0
    return send(
        sanction.user,
        None,
        lambda: _("A message from the community moderators"),
        "forum/email/sanction.txt",
        {"sanction": sanction},
        key=f"sanction:{sanction.pk}",
    )


def notify_sanctions_lifted(user_id):
    """Tell a member that their suspension or ban is over (a notice about their account: no unsubscribe)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    # lift_sanctions stamps every sanction it ends with one time: that time names the event
    lifted_at = (
        Sanction.objects.filter(user=user, lifted_at__isnull=False)
        .order_by("-lifted_at")
        .values_list("lifted_at", flat=True)
    ).first()
    return send(
        user,
        None,
        lambda: _("A message from the community moderators"),
        "forum/email/sanction_lifted.txt",
        {},
        key=f"lifted:{lifted_at.isoformat() if lifted_at else 'none'}",
    )


def send_to_supervisors(subject, template, context, key):
    """One message to every supervisor: members of the Supervisors role (each in their language) and the
    addresses in PORTAL_SUPERVISOR_EMAILS (in the site's default language). `key` names the event, so a
    notification task that runs twice tells nobody twice. Returns the count queued."""
    sent = 0
    seen = set()
    for user in ForumPolicy.supervisors():
        seen.add(user.email.lower())
        sent += send(user, None, subject, template, context, key=key)
    for email in settings.PORTAL_SUPERVISOR_EMAILS:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            sent += send_to_address(email, settings.LANGUAGE_CODE, subject, template, context, key=key)
    return sent


def notify_dissatisfied(thread_id):
    """The asker rated the answer "dissatisfied" and the thread re-opened: the supervisors hear of it."""
    thread = Thread.objects.select_related("board__locale", "rating").filter(pk=thread_id).first()
    if thread is None or thread.reopened_at is None:
        return 0
    rating = getattr(thread, "rating", None)
    context = {
        "thread": thread,
        "comment": rating.comment if rating else "",
        "url": _thread_url(thread),
        "queue_url": absolute(reverse("forum:sla")),
    }
    return send_to_supervisors(
        lambda: _("An asker is dissatisfied with the answer: %(title)s") % {"title": thread.title},
        "forum/email/dissatisfied.txt",
        context,
        # one alert per re-opening (a thread answered again and again rated dissatisfied is a new one)
        key=f"dissatisfied:{thread.pk}:{thread.reopened_at.isoformat()}",
    )


def notify_escalation(thread_ids, now=None):
    """Threads past the escalation threshold: one message to the supervisors listing them."""
    now = now or timezone.now()
    threads = list(Thread.objects.select_related("board").filter(pk__in=thread_ids).order_by("sla_due_at"))
    if not threads:
        return 0
    rows = [
        {"thread": thread, "url": _thread_url(thread), "hours": int((now - thread.sla_due_at).total_seconds() // 3600)}
        for thread in threads
    ]
    # Each thread is escalated once (Thread.escalated_at), so the set of threads names this run's message.
    run = hashlib.sha256(",".join(str(pk) for pk in sorted(thread.pk for thread in threads)).encode()).hexdigest()
    return send_to_supervisors(
        lambda: _("%(count)d forum threads are escalated to you") % {"count": len(rows)},
        "forum/email/escalation.txt",
        {"rows": rows, "queue_url": absolute(reverse("forum:sla"))},
        key=f"escalation:{run[:32]}",
    )


def _digest_subject(count):
    return lambda: _("%(count)d forum threads are past their response target") % {"count": count}


def send_sla_digest(now=None):
    """E-mail each moderator the threads on their boards that missed the first-response target. Returns the count."""
    now = now or timezone.now()
    from forum import queries

    sent = 0
    for moderator in ForumPolicy.forum_moderators():
        boards = ForumPolicy.moderated_board_ids(moderator)
        if boards is not None and not boards:
            continue
        breaches = queries.sla_breaches(boards, now)
        if not breaches:
            continue
        rows = [
            {
                "thread": thread,
                "url": _thread_url(thread),
                "hours": int((now - thread.sla_due_at).total_seconds() // 3600),
            }
            for thread in breaches
        ]
        sent += send(
            moderator,
            Kind.DIGEST,
            _digest_subject(len(rows)),
            "forum/email/digest.txt",
            {"rows": rows, "queue_url": absolute(reverse("forum:sla"))},
            key=f"digest:{now:%Y-%m-%dT%H}",  # one digest per moderator and hour, however often it runs
        )
    logger.info("forum: SLA digest sent to %d moderators", sent)
    return sent
