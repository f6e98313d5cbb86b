"""What every forum action shares: the refusal it raises, the audit record, the locked thread row, the
recount of denormalised counters, and the one way an action announces a change.

`announce(thread, action)` sends `forum.signals.thread_changed` inside the action's transaction; the page
cache (forum.caching) and search (search.handlers) both listen to it, so a lock, a pin, a rating or a poll
vote is announced exactly as a reply or a hide is. E-mail is queued with `notify_after_commit`, so a
rolled-back action sends nothing.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forum.models import AuditEntry, Post, Thread
from forum.models.threads import State
from forum.policies import ForumPolicy
from forum.signals import thread_changed

logger = logging.getLogger("forum.actions")
Action = AuditEntry.Action


class ActionRefused(Exception):
    """The user may not do this now. `message` is translated and meant for them; `status` is the HTTP status."""

    def __init__(self, message, *, code="refused", status=403):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass
class Written:
    """What a posting action wrote, and what the writer should be told about it."""

    thread: Thread
    post: Post
    notices: list = field(default_factory=list)

    @property
    def pending(self):
        return self.post.state == State.PENDING


def audit(actor, action, *, reason="", thread=None, post=None, target_user=None, data=None, target_repr=None):
    if target_repr is None:
        target = thread or (post.thread if post else None)
        target_repr = str(target_user) if target is None and target_user else str(target)
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        reason=(reason or "")[:500],
        thread=thread or (post.thread if post else None),
        post=post,
        target_user=target_user,
        target_repr=(target_repr or "")[:255],
        data=data or {},
    )


def announce(thread, action):
    """Tell the page cache and search that `thread` changed (`action`: the action's name)."""
    thread_changed.send(sender=Thread, thread=thread, action=action)


def locked_thread(thread):
    return Thread.objects.select_related("board").select_for_update(of=("self",)).get(pk=thread.pk)


def refresh_counters(thread):
    """Recount the denormalised fields from the posts (call with the thread row locked)."""
    published = Post.objects.filter(thread_id=thread.pk, state=State.PUBLISHED)
    replies = published.filter(is_opening=False).count()
    last = published.order_by("-id").only("id", "created_at").first()
    thread.reply_count = replies
    thread.last_post = last
    thread.last_post_at = last.created_at if last else thread.created_at
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=replies, last_post=last, last_post_at=thread.last_post_at, updated_at=timezone.now()
    )


def natural_status(thread):
    if thread.status == Thread.Status.CLOSED:
        return thread.status
    if thread.reopened_at is not None:  # the asker was dissatisfied: waiting for staff again
        return Thread.Status.OPEN
    if thread.accepted_post_id or thread.first_response_at:
        return Thread.Status.ANSWERED
    return Thread.Status.OPEN


def require_moderator(user, board):
    if not ForumPolicy.can_moderate(user, board):
        raise ActionRefused(_("Only moderators of this board can do that."))


def require_reason(reason):
    if not (reason or "").strip():
        raise ActionRefused(_("Please give a reason; it goes into the audit log."), code="reason", status=400)


def slug_for(title):
    return slugify(title, allow_unicode=True)[:60].strip("-")


def body_hash(body):
    normalised = " ".join((body or "").lower().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def notify_after_commit(task_name, *args):
    def enqueue():
        from forum import tasks

        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:  # e-mail must never undo a post that is already committed
            logger.exception("forum: could not queue %s%r", task_name, args)

    transaction.on_commit(enqueue)
