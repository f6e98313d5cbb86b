"""Moderation of threads: lock, pin, close, reopen, move, merge, split, close as duplicate, claim and release."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import (
    Action,
    ActionRefused,
    announce,
    audit,
    locked_thread,
    natural_status,
    refresh_counters,
    require_moderator,
    slug_for,
)
from forum.actions.sla import first_response_hours
from forum.models import (
    Poll,
    Post,
    Subscription,
    Thread,
)
from forum.models.threads import State
from portal.core.masking import mask_personal_data


def _thread_flag(moderator, thread, field_name, value, action, name, reason):
    require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = locked_thread(thread)
        setattr(locked, field_name, value)
        locked.save(update_fields=[field_name, "updated_at"])
        audit(moderator, action, reason=reason, thread=locked)
        announce(locked, name)
    return locked


def lock_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_locked", True, Action.LOCK, "lock_thread", reason)


def unlock_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_locked", False, Action.UNLOCK, "unlock_thread", reason)


def pin_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_pinned", True, Action.PIN, "pin_thread", reason)


def unpin_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_pinned", False, Action.UNPIN, "unpin_thread", reason)


def close_thread(moderator, thread, reason=""):
    require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.status = Thread.Status.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit(moderator, Action.CLOSE, reason=reason, thread=locked)
        announce(locked, "close_thread")
    return locked


def reopen_thread(moderator, thread, reason=""):
    require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.status = Thread.Status.OPEN
        locked.status = natural_status(locked)
        locked.duplicate_of, locked.duplicate_url = None, ""
        locked.save(update_fields=["status", "duplicate_of", "duplicate_url", "updated_at"])
        audit(moderator, Action.REOPEN, reason=reason, thread=locked)
        announce(locked, "reopen_thread")
    return locked


def move_thread(moderator, thread, board, reason=""):
    require_moderator(moderator, thread.board)
    require_moderator(moderator, board)
    if board.pk == thread.board_id:
        raise ActionRefused(_("The thread is already on that board."), code="same", status=400)
    with transaction.atomic():
        locked = locked_thread(thread)
        old = locked.board
        locked.board = board
        locked.sla_due_at = locked.created_at + timedelta(hours=first_response_hours(board, locked.author))
        locked.save(update_fields=["board", "sla_due_at", "updated_at"])
        audit(
            moderator,
            Action.MOVE,
            reason=reason,
            thread=locked,
            data={"from": old.pk, "from_title": old.title, "to": board.pk, "to_title": board.title},
        )
        announce(locked, "move_thread")
    return locked


def merge_threads(moderator, source, target, reason=""):
    """Move every post of `source` into `target` (in time order); `source` then redirects to `target`."""
    require_moderator(moderator, source.board)
    require_moderator(moderator, target.board)
    if source.pk == target.pk:
        raise ActionRefused(_("A thread cannot be merged into itself."), code="same", status=400)
    with transaction.atomic():
        first, second = sorted([source, target], key=lambda t: t.pk)  # lock in one order: no deadlock
        locked = {first.pk: locked_thread(first), second.pk: locked_thread(second)}
        source, target = locked[source.pk], locked[target.pk]
        if target.state == State.MERGED or source.state == State.MERGED:
            raise ActionRefused(_("One of these threads was already merged."), code="stale", status=409)
        moved = list(Post.objects.filter(thread=source).values_list("pk", flat=True))
        Post.objects.filter(pk__in=moved).update(thread=target, is_opening=False)
        existing = set(Subscription.objects.filter(thread=target).values_list("user_id", flat=True))
        Subscription.objects.bulk_create(
            [
                Subscription(user_id=user_id, thread=target)
                for user_id in Subscription.objects.filter(thread=source).values_list("user_id", flat=True)
                if user_id not in existing
            ]
        )
        if not Poll.objects.filter(thread=target).exists():
            Poll.objects.filter(thread=source).update(thread=target)
        if target.accepted_post_id is None and source.accepted_post_id:
            target.accepted_post_id = source.accepted_post_id
        if source.first_response_at and (
            target.first_response_at is None or source.first_response_at < target.first_response_at
        ):
            target.first_response_at = source.first_response_at
        target.status = natural_status(target)
        target.save(update_fields=["accepted_post", "first_response_at", "status", "updated_at"])
        source.state, source.merged_into, source.accepted_post = State.MERGED, target, None
        source.save(update_fields=["state", "merged_into", "accepted_post", "updated_at"])
        refresh_counters(source)
        refresh_counters(target)
        audit(
            moderator,
            Action.MERGE,
            reason=reason,
            thread=target,
            target_repr=f"{source.title} → {target.title}",
            data={"source": source.pk, "target": target.pk, "posts": len(moved)},
        )
        announce(source, "merge_threads")
        announce(target, "merge_threads")
    return target


def split_thread(moderator, thread, post_ids, title, reason=""):
    """Move the chosen replies into a new thread on the same board; the earliest becomes its question."""
    require_moderator(moderator, thread.board)
    title = mask_personal_data(" ".join((title or "").split())).text[:200]
    if not title:
        raise ActionRefused(_("Please give the new thread a title."), code="title", status=400)
    with transaction.atomic():
        locked = locked_thread(thread)
        posts = list(
            Post.objects.filter(thread=locked, pk__in=list(post_ids or []), is_opening=False)
            .exclude(state=State.DELETED)
            .select_related("author")
            .order_by("id")
        )
        if not posts:
            raise ActionRefused(_("Choose at least one reply to split off."), code="empty", status=400)
        first = posts[0]
        new = Thread.objects.create(
            board=locked.board,
            title=title,
            slug=slug_for(title),
            author=first.author,
            state=first.state if first.state in (State.PUBLISHED, State.PENDING) else State.HIDDEN,
            sla_due_at=first.created_at + timedelta(hours=first_response_hours(locked.board, first.author)),
            created_at=first.created_at,
            last_post_at=first.created_at,
        )
        ids = [post.pk for post in posts]
        Post.objects.filter(pk__in=ids).update(thread=new, is_opening=False)
        Post.objects.filter(pk=first.pk).update(is_opening=True, is_official=False)
        official = Post.objects.filter(thread=new, state=State.PUBLISHED, is_official=True).order_by("id").first()
        new.opening_post = first
        new.first_response_at = official.created_at if official else None
        if locked.accepted_post_id in ids:
            new.accepted_post_id = locked.accepted_post_id
            locked.accepted_post = None
        new.status = natural_status(new)
        new.save(update_fields=["opening_post", "first_response_at", "accepted_post", "status"])
        locked.status = natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        for user_id in {post.author_id for post in posts if post.author_id}:
            Subscription.objects.get_or_create(user_id=user_id, thread=new)
        refresh_counters(locked)
        refresh_counters(new)
        audit(
            moderator,
            Action.SPLIT,
            reason=reason,
            thread=locked,
            target_repr=f"{locked.title} → {new.title}",
            data={"new_thread": new.pk, "posts": ids},
        )
        announce(locked, "split_thread")
        announce(new, "split_thread")
    return new


def close_as_duplicate(moderator, thread, *, duplicate_of=None, url="", reason=""):
    """Close a thread pointing to the thread (or KB article URL) that already answers it."""
    require_moderator(moderator, thread.board)
    url = (url or "").strip()
    if duplicate_of is None and not url:
        raise ActionRefused(_("Point to the thread or article this question duplicates."), code="target", status=400)
    if duplicate_of is not None and (duplicate_of.pk == thread.pk or duplicate_of.state != State.PUBLISHED):
        raise ActionRefused(_("Choose another published thread."), code="target", status=400)
    if url and not (url.startswith("/") and not url.startswith("//")) and not url.startswith(("https://", "http://")):
        raise ActionRefused(_("Enter a link to an article on this site."), code="target", status=400)
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.status = Thread.Status.CLOSED
        locked.duplicate_of = duplicate_of
        locked.duplicate_url = url[:500]
        locked.save(update_fields=["status", "duplicate_of", "duplicate_url", "updated_at"])
        audit(
            moderator,
            Action.DUPLICATE,
            reason=reason,
            thread=locked,
            data={"duplicate_of": duplicate_of.pk if duplicate_of else None, "url": url},
        )
        announce(locked, "close_as_duplicate")
    return locked


def claim_thread(moderator, thread, now=None):
    """A moderator takes a waiting thread so no one else answers it at the same time (the claim lapses)."""
    require_moderator(moderator, thread.board)
    now = now or timezone.now()
    with transaction.atomic():
        locked = locked_thread(thread)
        fresh = locked.claimed_at and locked.claimed_at > now - timedelta(minutes=settings.PORTAL_FORUM_CLAIM_MINUTES)
        if locked.claimed_by_id and locked.claimed_by_id != moderator.pk and fresh:
            raise ActionRefused(
                _("%(name)s is already answering this thread.") % {"name": locked.claimed_by.public_name},
                code="claimed",
                status=409,
            )
        locked.claimed_by, locked.claimed_at = moderator, now
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        audit(moderator, Action.CLAIM, thread=locked)
    return locked


def release_thread(moderator, thread):
    require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.claimed_by, locked.claimed_at = None, None
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        audit(moderator, Action.RELEASE, thread=locked)
    return locked
