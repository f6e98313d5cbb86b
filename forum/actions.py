"""Every change of state in the forum: one function each, atomic, audited when a moderator acts.

Views, the Wagtail admin, management commands, the demo and the tests all call these functions. Each one
checks ForumPolicy first and raises ActionRefused (with a translated message and an HTTP status) when
the user may not act. Denormalised thread counters are written under `select_for_update` on the thread
row (F() for the hot path of a new reply, an exact recount otherwise), so concurrent replies lose
nothing. E-mails are queued with `transaction.on_commit`; `forum.signals.thread_changed` is sent inside
the transaction (see forum/signals.py for why).
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forum import caching, markdown
from forum.models import (
    AnswerRating,
    Attachment,
    AuditEntry,
    BoardPage,
    EmailOptOut,
    Flag,
    Poll,
    PollBallot,
    PollOption,
    PollVote,
    Post,
    PostRevision,
    Sanction,
    Subscription,
    Thread,
    ThreadRead,
)
from forum.models.threads import State
from forum.policies import ForumPolicy
from forum.signals import thread_changed
from portal.core import ratelimit
from portal.core.images import process_image
from portal.core.masking import MaskResult, mask_personal_data

logger = logging.getLogger(__name__)
Action = AuditEntry.Action
UNSUBSCRIBE_SALT = "forum.unsubscribe"


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


# --- Helpers ------------------------------------------------------------------------------------------------
def _audit(actor, action, *, reason="", thread=None, post=None, target_user=None, data=None, target_repr=None):
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


def _changed(thread, action):
    thread_changed.send(sender=Thread, thread=thread, action=action)


def _locked(thread):
    return Thread.objects.select_related("board").select_for_update(of=("self",)).get(pk=thread.pk)


def _refresh_counters(thread):
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


def _natural_status(thread):
    if thread.status == Thread.Status.CLOSED:
        return thread.status
    if thread.accepted_post_id or thread.first_response_at:
        return Thread.Status.ANSWERED
    return Thread.Status.OPEN


def _require_moderator(user, board):
    if not ForumPolicy.can_moderate(user, board):
        raise ActionRefused(_("Only moderators of this board can do that."))


def _require_reason(reason):
    if not (reason or "").strip():
        raise ActionRefused(_("Please give a reason; it goes into the audit log."), code="reason", status=400)


def _slug(title):
    return slugify(title, allow_unicode=True)[:60].strip("-")


def _hash(body):
    normalised = " ".join((body or "").lower().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _notify(task_name, *args):
    def enqueue():
        from forum import tasks

        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:  # e-mail must never undo a post that is already committed
            logger.exception("forum: could not queue %s%r", task_name, args)

    transaction.on_commit(enqueue)


# --- Preparing what a customer typed ----------------------------------------------------------------------
@dataclass
class _Prepared:
    title: str
    body: str
    body_html: str
    masked_kinds: list
    images: list
    mentioned: dict
    notices: list


def resolve_mentions(names, thread=None):
    """{lower-cased name: user} for names that belong to exactly one active user (thread participants win ties)."""
    if not names:
        return {}
    User = get_user_model()
    query = reduce(or_, (Q(display_name__iexact=name) for name in names))
    candidates = {}
    for user in User.objects.filter(query, is_active=True).only("id", "display_name", "email", "preferred_language"):
        candidates.setdefault(user.display_name.lower(), []).append(user)
    participants = set()
    if thread is not None and thread.pk and any(len(users) > 1 for users in candidates.values()):
        participants = set(Post.objects.filter(thread=thread).values_list("author_id", flat=True))
    resolved = {}
    for name, users in candidates.items():
        if len(users) == 1:
            resolved[name] = users[0]
        else:
            inside = [user for user in users if user.pk in participants]
            if len(inside) == 1:
                resolved[name] = inside[0]
    return resolved


def _prepare(user, board, *, title, body, uploads, ip, check_limits, thread=None):
    body = (body or "").strip()
    title = " ".join((title or "").split())
    if not body:
        raise ActionRefused(_("Please write something first."), code="empty", status=400)
    if len(body) > settings.PORTAL_FORUM_MAX_POST_CHARS:
        raise ActionRefused(
            _("Your text is too long (%(max)d characters at most).") % {"max": settings.PORTAL_FORUM_MAX_POST_CHARS},
            code="too_long",
            status=400,
        )
    title_masked, body_masked = mask_personal_data(title), mask_personal_data(body)
    title, body = title_masked.text, body_masked.text
    found = dict(title_masked.found)
    for kind, count in body_masked.found.items():
        found[kind] = found.get(kind, 0) + count
    masked = MaskResult(body, found)
    masked_kinds = masked.kinds
    notices = [masked.message()] if masked.changed else []

    mentioned = resolve_mentions(markdown.extract_mentions(body), thread)
    body_html = markdown.render(body, mentions=mentioned.keys())
    uploads = [upload for upload in (uploads or []) if upload]

    if check_limits and ForumPolicy.is_rate_limited(user):
        max_links, max_images = ForumPolicy.content_limits(user)
        if markdown.count_links(body_html) > max_links:
            raise ActionRefused(
                _("New members may include at most %(count)d link(s) in a post. Please remove some links.")
                % {"count": max_links},
                code="links",
                status=400,
            )
        if len(uploads) > max_images:
            raise ActionRefused(
                _("You may attach at most %(count)d picture(s) to a post.") % {"count": max_images},
                code="images",
                status=400,
            )
        window = timezone.now() - timedelta(minutes=settings.PORTAL_FORUM_DUPLICATE_WINDOW_MINUTES)
        duplicate = Post.objects.filter(author=user, body_hash=_hash(body), created_at__gte=window).exclude(
            state__in=[State.DELETED, State.REJECTED]
        )
        if duplicate.exists():
            raise ActionRefused(
                _("You have already posted this text. Please do not post the same thing twice."),
                code="duplicate",
                status=400,
            )
        for scope, limit, seconds in settings.PORTAL_FORUM_RATE_LIMITS:
            key = f"forum:{scope}:{user.pk if scope == 'user' else ip}"
            if (scope == "user" or ip) and not ratelimit.hit(key, limit, seconds):
                raise ActionRefused(
                    _("You are posting too quickly. Please wait a little and try again; your text is kept below."),
                    code="rate_limited",
                    status=429,
                )
    elif len(uploads) > settings.PORTAL_FORUM_MAX_IMAGES:
        raise ActionRefused(
            _("You may attach at most %(count)d picture(s) to a post.") % {"count": settings.PORTAL_FORUM_MAX_IMAGES},
            code="images",
            status=400,
        )

    images = []
    for upload in uploads:
        try:
            images.append(process_image(upload, max_side=settings.PORTAL_FORUM_IMAGE_MAX_SIDE))
        except ValidationError as exc:
            raise ActionRefused(" ".join(exc.messages), code="image", status=400) from exc
    return _Prepared(title, body, body_html, masked_kinds, images, mentioned, notices)


def _save_images(post, images, saved):
    for content in images:
        attachment = Attachment(post=post)
        attachment.image.save(content.name, content, save=False)
        saved.append(attachment.image.name)
        attachment.save()


def _discard_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("forum: could not delete orphan upload %s", name)


# --- Writing ---------------------------------------------------------------------------------------------
def create_thread(
    user,
    board,
    *,
    title,
    body,
    images=(),
    poll=None,
    ip=None,
    check_limits=True,
    notify=True,
    now=None,
):
    """Start a thread on `board`. `poll`: {"question", "options": [...], "multiple", "closes_at"} or None."""
    refusal = ForumPolicy.posting_refusal(user, board)
    if refusal:
        raise ActionRefused(refusal)
    if not (title or "").strip():
        raise ActionRefused(_("Please give your question a title."), code="title", status=400)
    moderator = ForumPolicy.can_moderate(user, board)
    if poll and not (board.polls_allowed or moderator):
        raise ActionRefused(_("Polls are not allowed on this board."), code="poll", status=400)
    prepared = _prepare(user, board, title=title, body=body, uploads=images, ip=ip, check_limits=check_limits)
    poll_spec = _prepare_poll(poll, prepared) if poll else None
    pending = ForumPolicy.needs_approval(user, board)
    now = now or timezone.now()
    saved = []
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                board=board,
                title=prepared.title[:200],
                slug=_slug(prepared.title),
                author=user,
                state=State.PENDING if pending else State.PUBLISHED,
                sla_due_at=now + timedelta(hours=board.first_response_hours),
                # Staff announcements wait for nobody.
                first_response_at=now if moderator else None,
                last_post_at=now,
                created_at=now,
            )
            post = _new_post(thread, user, prepared, ip, now, state=thread.state, is_opening=True)
            thread.opening_post = post
            if not pending:
                thread.last_post = post
            thread.save(update_fields=["opening_post", "last_post"])
            if poll_spec:
                _create_poll(thread, poll_spec)
            _after_post(user, thread, post, prepared.images, saved, "create_thread", notify=notify and not pending)
    except Exception:
        _discard_files(saved)
        raise
    waiting = _("Your question is waiting for a moderator's approval. Only you can see it until then.")
    return Written(thread, post, [*prepared.notices, *([waiting] if pending else [])])


def _new_post(thread, author, prepared, ip, moment, **fields):
    """The Post row of a new thread or reply, from what `_prepare` checked and masked."""
    return Post.objects.create(
        thread=thread,
        author=author,
        body=prepared.body,
        body_html=prepared.body_html,
        masked_kinds=prepared.masked_kinds,
        body_hash=_hash(prepared.body),
        ip_address=ip,
        created_at=moment,
        **fields,
    )


def _after_post(user, thread, post, images, saved, action, *, notify):
    """What every new post does inside its transaction: the poster follows the thread, pictures are stored,
    search and the page cache hear of it, and followers are told after commit."""
    Subscription.objects.get_or_create(user=user, thread=thread)
    _save_images(post, images, saved)
    _changed(thread, action)
    if notify:
        _notify("notify_post", post.pk)


def _prepare_poll(poll, prepared):
    question = mask_personal_data(" ".join((poll.get("question") or "").split())).text[:200]
    labels = []
    for label in poll.get("options") or []:
        label = mask_personal_data(" ".join((label or "").split())).text[:120]
        if label and label not in labels:
            labels.append(label)
    if not question:
        question = prepared.title[:200]
    if not 2 <= len(labels) <= settings.PORTAL_FORUM_POLL_MAX_OPTIONS:
        raise ActionRefused(
            _("A poll needs between 2 and %(max)d different options.")
            % {"max": settings.PORTAL_FORUM_POLL_MAX_OPTIONS},
            code="poll",
            status=400,
        )
    closes_at = poll.get("closes_at")
    if closes_at is not None and closes_at <= timezone.now():
        raise ActionRefused(_("The poll's closing time must be in the future."), code="poll", status=400)
    return {"question": question, "labels": labels, "multiple": bool(poll.get("multiple")), "closes_at": closes_at}


def _create_poll(thread, spec):
    poll = Poll.objects.create(
        thread=thread, question=spec["question"], multiple=spec["multiple"], closes_at=spec["closes_at"]
    )
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, label=label, position=index) for index, label in enumerate(spec["labels"])]
    )
    return poll


def create_reply(user, thread, *, body, images=(), ip=None, official=None, check_limits=True, notify=True, now=None):
    """Reply to `thread`. Moderators' replies are official answers unless official=False."""
    refusal = ForumPolicy.posting_refusal(user, thread.board, thread)
    if refusal:
        raise ActionRefused(refusal)
    moderator = ForumPolicy.can_moderate(user, thread.board)
    official = moderator if official is None else (official and moderator)
    prepared = _prepare(
        user, thread.board, title="", body=body, uploads=images, ip=ip, check_limits=check_limits, thread=thread
    )
    pending = ForumPolicy.needs_approval(user, thread.board)
    saved = []
    try:
        with transaction.atomic():
            locked = _locked(thread)
            refusal = ForumPolicy.posting_refusal(user, locked.board, locked)  # it may have closed meanwhile
            if refusal:
                raise ActionRefused(refusal)
            moment = now or timezone.now()
            state = State.PENDING if pending else State.PUBLISHED
            post = _new_post(locked, user, prepared, ip, moment, state=state, is_official=official)
            if not pending:
                updates = {"reply_count": F("reply_count") + 1, "last_post": post, "last_post_at": moment}
                if official and locked.first_response_at is None:
                    updates["first_response_at"] = moment
                    locked.first_response_at = moment
                if official and locked.status == Thread.Status.OPEN:
                    updates["status"] = Thread.Status.ANSWERED
                if locked.claimed_by_id == user.pk:
                    updates.update(claimed_by=None, claimed_at=None)
                Thread.objects.filter(pk=locked.pk).update(**updates, updated_at=timezone.now())
            locked.refresh_from_db()
            _after_post(user, locked, post, prepared.images, saved, "create_reply", notify=notify and not pending)
    except Exception:
        _discard_files(saved)
        raise
    waiting = _("Your reply is waiting for a moderator's approval. Only you can see it until then.")
    return Written(locked, post, [*prepared.notices, *([waiting] if pending else [])])


def edit_post(user, post, *, body, title=None, reason="", now=None):
    """Edit a post (authors within the edit window; moderators any time, with a reason). Keeps the history."""
    thread = post.thread
    if not ForumPolicy.can_edit_post(user, post, now):
        raise ActionRefused(_("You can no longer edit this post."))
    moderator = ForumPolicy.can_moderate(user, thread.board)
    foreign = post.author_id != user.pk
    if moderator and foreign:
        _require_reason(reason)
    prepared = _prepare(
        user,
        thread.board,
        title=title if (post.is_opening and title is not None) else "",
        body=body,
        uploads=(),
        ip=None,
        check_limits=False,
        thread=thread,
    )
    if not moderator:
        max_links, _max_images = ForumPolicy.content_limits(user)
        if markdown.count_links(prepared.body_html) > max_links:
            raise ActionRefused(
                _("New members may include at most %(count)d link(s) in a post. Please remove some links.")
                % {"count": max_links},
                code="links",
                status=400,
            )
    with transaction.atomic():
        locked = _locked(thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        PostRevision.objects.create(
            post=post,
            title=locked.title if post.is_opening else "",
            body=post.body,
            edited_by=user,
            reason=(reason or "")[:255],
        )
        post.body = prepared.body
        post.body_html = prepared.body_html
        post.masked_kinds = sorted(set(post.masked_kinds) | set(prepared.masked_kinds))
        post.body_hash = _hash(prepared.body)
        post.edited_at = now or timezone.now()
        post.edit_count = F("edit_count") + 1
        post.save(update_fields=["body", "body_html", "masked_kinds", "body_hash", "edited_at", "edit_count"])
        post.refresh_from_db(fields=["edit_count"])
        if post.is_opening and prepared.title and prepared.title != locked.title:
            locked.title, locked.slug = prepared.title[:200], _slug(prepared.title)
            locked.save(update_fields=["title", "slug", "updated_at"])
        if moderator:
            _audit(user, Action.EDIT, reason=reason, thread=locked, post=post, target_user=post.author)
        _changed(locked, "edit_post")
    return Written(locked, post, prepared.notices)


def delete_own_post(user, post):
    """An author removes their own post (soft delete: the row stays for moderators and the audit trail)."""
    if not ForumPolicy.can_delete_post(user, post):
        raise ActionRefused(_("You cannot delete this post."))
    with transaction.atomic():
        thread = _locked(post.thread)
        Post.objects.filter(pk=post.pk).update(state=State.DELETED)
        post.state = State.DELETED
        if post.is_opening:
            thread.state = State.DELETED
            thread.save(update_fields=["state", "updated_at"])
        _clear_accepted_if(thread, post)
        _refresh_counters(thread)
        _changed(thread, "delete_own_post")
    return post


def _clear_accepted_if(thread, post):
    if thread.accepted_post_id == post.pk:
        thread.accepted_post = None
        thread.status = _natural_status(thread)
        thread.save(update_fields=["accepted_post", "status", "updated_at"])


# --- Moderation of posts -----------------------------------------------------------------------------------
def _set_post_state(post, thread, state, hidden_reason=""):
    Post.objects.filter(pk=post.pk).update(state=state, hidden_reason=hidden_reason[:255])
    post.state, post.hidden_reason = state, hidden_reason
    if post.is_opening:
        thread.state = state
        thread.save(update_fields=["state", "updated_at"])
    _refresh_counters(thread)


def _decide_post(
    moderator, post, *, allowed, to, refusal, action, name, reason="", explained=False, flags=None, notify=False
):
    """One moderator decision on a post: the post locked and re-read, refused with `refusal` unless it is in
    one of the `allowed` states, moved to `to`, its open flags settled as `flags`, audited, and announced to
    search and the page cache. An `explained` decision needs a reason, which the post then shows."""
    _require_moderator(moderator, post.thread.board)
    if explained:
        _require_reason(reason)
    with transaction.atomic():
        thread = _locked(post.thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.state not in allowed:
            raise ActionRefused(refusal, code="stale", status=409)
        _set_post_state(post, thread, to, reason if explained else "")
        if flags:
            _resolve_open_flags(post, moderator, flags)
        _audit(moderator, action, reason=reason, thread=thread, post=post, target_user=post.author)
        _changed(thread, name)
        if notify:
            _notify("notify_post", post.pk)
    return post


def approve_post(moderator, post, reason=""):
    return _decide_post(
        moderator,
        post,
        allowed=(State.PENDING,),
        to=State.PUBLISHED,
        refusal=_("This post is no longer waiting for approval."),
        action=Action.APPROVE,
        name="approve_post",
        reason=reason,
        notify=True,
    )


def reject_post(moderator, post, reason):
    return _decide_post(
        moderator,
        post,
        allowed=(State.PENDING,),
        to=State.REJECTED,
        refusal=_("This post is no longer waiting for approval."),
        action=Action.REJECT,
        name="reject_post",
        reason=reason,
        explained=True,
    )


def hide_post(moderator, post, reason):
    """Hide a post from customers (the opening post hides the whole thread)."""
    return _decide_post(
        moderator,
        post,
        allowed=(State.PUBLISHED, State.PENDING),
        to=State.HIDDEN,
        refusal=_("This post cannot be hidden now."),
        action=Action.HIDE,
        name="hide_post",
        reason=reason,
        explained=True,
        flags=Flag.Outcome.UPHELD,
    )


def unhide_post(moderator, post, reason=""):
    return _decide_post(
        moderator,
        post,
        allowed=(State.HIDDEN,),
        to=State.PUBLISHED,
        refusal=_("This post is not hidden."),
        action=Action.UNHIDE,
        name="unhide_post",
        reason=reason,
        flags=Flag.Outcome.DISMISSED,
    )


def _resolve_open_flags(post, moderator, outcome):
    Flag.objects.filter(post=post, outcome=Flag.Outcome.OPEN).update(
        outcome=outcome, resolved_by=moderator, resolved_at=timezone.now()
    )
    Post.objects.filter(pk=post.pk).update(flag_count=0)
    post.flag_count = 0


def flag_post(user, post, reason, note=""):
    """A reader reports a post. After PORTAL_FORUM_AUTO_HIDE_FLAGS open flags it hides until a moderator looks."""
    if not ForumPolicy.can_flag(user, post):
        raise ActionRefused(_("You cannot report this post."))
    if reason not in Flag.Reason.values:
        raise ActionRefused(_("Please choose why you are reporting this post."), code="reason", status=400)
    note = mask_personal_data((note or "").strip()).text[:500]
    hidden = False
    try:
        with transaction.atomic():
            Flag.objects.create(post=post, user=user, reason=reason, note=note)
            Post.objects.filter(pk=post.pk).update(flag_count=F("flag_count") + 1)
            post.refresh_from_db(fields=["flag_count", "state"])
            if post.flag_count >= settings.PORTAL_FORUM_AUTO_HIDE_FLAGS and post.state == State.PUBLISHED:
                thread = _locked(post.thread)
                _set_post_state(post, thread, State.HIDDEN, "flags")
                _audit(
                    None,
                    Action.AUTO_HIDE,
                    reason=_("%(count)d reports") % {"count": post.flag_count},
                    thread=thread,
                    post=post,
                    target_user=post.author,
                )
                _changed(thread, "flag_post")
                hidden = True
    except IntegrityError as exc:
        raise ActionRefused(_("You have already reported this post."), code="duplicate", status=409) from exc
    return hidden


def resolve_flags(moderator, post, *, uphold, reason=""):
    """Review a flagged post: uphold (hide it) or dismiss the flags (and show it again if flags hid it)."""
    _require_moderator(moderator, post.thread.board)
    if uphold:
        if post.state == State.HIDDEN:
            with transaction.atomic():
                _resolve_open_flags(post, moderator, Flag.Outcome.UPHELD)
                _audit(moderator, Action.HIDE, reason=reason, post=post, target_user=post.author)
            return post
        return hide_post(moderator, post, reason or _("Reports upheld"))
    with transaction.atomic():
        thread = _locked(post.thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.state == State.HIDDEN and post.hidden_reason == "flags":
            _set_post_state(post, thread, State.PUBLISHED)
            _changed(thread, "resolve_flags")
        _resolve_open_flags(post, moderator, Flag.Outcome.DISMISSED)
        _audit(moderator, Action.DISMISS_FLAGS, reason=reason, thread=thread, post=post, target_user=post.author)
    return post


# --- Moderation of threads ---------------------------------------------------------------------------------
def _thread_flag(moderator, thread, field_name, value, action, reason):
    _require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = _locked(thread)
        setattr(locked, field_name, value)
        locked.save(update_fields=[field_name, "updated_at"])
        _audit(moderator, action, reason=reason, thread=locked)
        caching.changed(locked.pk)
    return locked


def lock_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_locked", True, Action.LOCK, reason)


def unlock_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_locked", False, Action.UNLOCK, reason)


def pin_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_pinned", True, Action.PIN, reason)


def unpin_thread(moderator, thread, reason=""):
    return _thread_flag(moderator, thread, "is_pinned", False, Action.UNPIN, reason)


def close_thread(moderator, thread, reason=""):
    _require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = _locked(thread)
        locked.status = Thread.Status.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        _audit(moderator, Action.CLOSE, reason=reason, thread=locked)
        _changed(locked, "close_thread")
    return locked


def reopen_thread(moderator, thread, reason=""):
    _require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = _locked(thread)
        locked.status = Thread.Status.OPEN
        locked.status = _natural_status(locked)
        locked.duplicate_of, locked.duplicate_url = None, ""
        locked.save(update_fields=["status", "duplicate_of", "duplicate_url", "updated_at"])
        _audit(moderator, Action.REOPEN, reason=reason, thread=locked)
        _changed(locked, "reopen_thread")
    return locked


def move_thread(moderator, thread, board, reason=""):
    _require_moderator(moderator, thread.board)
    _require_moderator(moderator, board)
    if board.pk == thread.board_id:
        raise ActionRefused(_("The thread is already on that board."), code="same", status=400)
    with transaction.atomic():
        locked = _locked(thread)
        old = locked.board
        locked.board = board
        locked.sla_due_at = locked.created_at + timedelta(hours=board.first_response_hours)
        locked.save(update_fields=["board", "sla_due_at", "updated_at"])
        _audit(
            moderator,
            Action.MOVE,
            reason=reason,
            thread=locked,
            data={"from": old.pk, "from_title": old.title, "to": board.pk, "to_title": board.title},
        )
        _changed(locked, "move_thread")
    return locked


def merge_threads(moderator, source, target, reason=""):
    """Move every post of `source` into `target` (in time order); `source` then redirects to `target`."""
    _require_moderator(moderator, source.board)
    _require_moderator(moderator, target.board)
    if source.pk == target.pk:
        raise ActionRefused(_("A thread cannot be merged into itself."), code="same", status=400)
    with transaction.atomic():
        first, second = sorted([source, target], key=lambda t: t.pk)  # lock in one order: no deadlock
        locked = {first.pk: _locked(first), second.pk: _locked(second)}
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
        target.status = _natural_status(target)
        target.save(update_fields=["accepted_post", "first_response_at", "status", "updated_at"])
        source.state, source.merged_into, source.accepted_post = State.MERGED, target, None
        source.save(update_fields=["state", "merged_into", "accepted_post", "updated_at"])
        _refresh_counters(source)
        _refresh_counters(target)
        _audit(
            moderator,
            Action.MERGE,
            reason=reason,
            thread=target,
            target_repr=f"{source.title} → {target.title}",
            data={"source": source.pk, "target": target.pk, "posts": len(moved)},
        )
        _changed(source, "merge_threads")
        _changed(target, "merge_threads")
    return target


def split_thread(moderator, thread, post_ids, title, reason=""):
    """Move the chosen replies into a new thread on the same board; the earliest becomes its question."""
    _require_moderator(moderator, thread.board)
    title = mask_personal_data(" ".join((title or "").split())).text[:200]
    if not title:
        raise ActionRefused(_("Please give the new thread a title."), code="title", status=400)
    with transaction.atomic():
        locked = _locked(thread)
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
            slug=_slug(title),
            author=first.author,
            state=first.state if first.state in (State.PUBLISHED, State.PENDING) else State.HIDDEN,
            sla_due_at=first.created_at + timedelta(hours=locked.board.first_response_hours),
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
        new.status = _natural_status(new)
        new.save(update_fields=["opening_post", "first_response_at", "accepted_post", "status"])
        locked.status = _natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        for user_id in {post.author_id for post in posts if post.author_id}:
            Subscription.objects.get_or_create(user_id=user_id, thread=new)
        _refresh_counters(locked)
        _refresh_counters(new)
        _audit(
            moderator,
            Action.SPLIT,
            reason=reason,
            thread=locked,
            target_repr=f"{locked.title} → {new.title}",
            data={"new_thread": new.pk, "posts": ids},
        )
        _changed(locked, "split_thread")
        _changed(new, "split_thread")
    return new


def close_as_duplicate(moderator, thread, *, duplicate_of=None, url="", reason=""):
    """Close a thread pointing to the thread (or KB article URL) that already answers it."""
    _require_moderator(moderator, thread.board)
    url = (url or "").strip()
    if duplicate_of is None and not url:
        raise ActionRefused(_("Point to the thread or article this question duplicates."), code="target", status=400)
    if duplicate_of is not None and (duplicate_of.pk == thread.pk or duplicate_of.state != State.PUBLISHED):
        raise ActionRefused(_("Choose another published thread."), code="target", status=400)
    if url and not (url.startswith("/") and not url.startswith("//")) and not url.startswith(("https://", "http://")):
        raise ActionRefused(_("Enter a link to an article on this site."), code="target", status=400)
    with transaction.atomic():
        locked = _locked(thread)
        locked.status = Thread.Status.CLOSED
        locked.duplicate_of = duplicate_of
        locked.duplicate_url = url[:500]
        locked.save(update_fields=["status", "duplicate_of", "duplicate_url", "updated_at"])
        _audit(
            moderator,
            Action.DUPLICATE,
            reason=reason,
            thread=locked,
            data={"duplicate_of": duplicate_of.pk if duplicate_of else None, "url": url},
        )
        _changed(locked, "close_as_duplicate")
    return locked


def claim_thread(moderator, thread, now=None):
    """A moderator takes a waiting thread so no one else answers it at the same time (the claim lapses)."""
    _require_moderator(moderator, thread.board)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(thread)
        fresh = locked.claimed_at and locked.claimed_at > now - timedelta(minutes=settings.PORTAL_FORUM_CLAIM_MINUTES)
        if locked.claimed_by_id and locked.claimed_by_id != moderator.pk and fresh:
            raise ActionRefused(
                _("%(name)s is already answering this thread.") % {"name": locked.claimed_by.public_name},
                code="claimed",
                status=409,
            )
        locked.claimed_by, locked.claimed_at = moderator, now
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        _audit(moderator, Action.CLAIM, thread=locked)
    return locked


def release_thread(moderator, thread):
    _require_moderator(moderator, thread.board)
    with transaction.atomic():
        locked = _locked(thread)
        locked.claimed_by, locked.claimed_at = None, None
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        _audit(moderator, Action.RELEASE, thread=locked)
    return locked


# --- Answers and ratings -----------------------------------------------------------------------------------
def accept_answer(user, post, *, notify=True):
    thread = post.thread
    if not ForumPolicy.can_accept(user, thread):
        raise ActionRefused(_("Only the person who asked, or a moderator, can accept an answer."))
    if post.is_opening or post.state != State.PUBLISHED:
        raise ActionRefused(_("This post cannot be the accepted answer."), code="post", status=400)
    with transaction.atomic():
        locked = _locked(thread)
        locked.accepted_post = post
        locked.status = _natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        if ForumPolicy.can_moderate(user, locked.board) and locked.author_id != user.pk:
            _audit(user, Action.ACCEPT, thread=locked, post=post, target_user=post.author)
        _changed(locked, "accept_answer")
        if notify:
            _notify("notify_accepted", locked.pk)
    return locked


def unaccept_answer(user, thread):
    if not ForumPolicy.can_accept(user, thread):
        raise ActionRefused(_("Only the person who asked, or a moderator, can change the accepted answer."))
    with transaction.atomic():
        locked = _locked(thread)
        locked.accepted_post = None
        locked.status = _natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        if ForumPolicy.can_moderate(user, locked.board) and locked.author_id != user.pk:
            _audit(user, Action.UNACCEPT, thread=locked)
        _changed(locked, "unaccept_answer")
    return locked


def rate_answer(user, thread, rating, comment=""):
    """The asker says how satisfied they are with the answer (again to change it)."""
    if not ForumPolicy.can_rate(user, thread):
        raise ActionRefused(_("Only the person who asked can rate the answer, once there is one."))
    if rating not in AnswerRating.Rating.values:
        raise ActionRefused(_("Please choose a rating."), code="rating", status=400)
    comment = mask_personal_data(" ".join((comment or "").split())).text[:500]
    answer = thread.accepted_post or (
        Post.objects.filter(thread=thread, is_official=True, state=State.PUBLISHED).order_by("id").first()
    )
    rated, _created = AnswerRating.objects.update_or_create(
        thread=thread, defaults={"user": user, "post": answer, "rating": rating, "comment": comment}
    )
    caching.changed(thread.pk)
    return rated


# --- Polls -------------------------------------------------------------------------------------------------
def vote_poll(user, poll, option_ids):
    if not ForumPolicy.can_vote(user, poll):
        raise ActionRefused(_("This poll is closed."), code="closed")
    wanted = {int(pk) for pk in option_ids or [] if str(pk).isdigit()}
    options = list(PollOption.objects.filter(poll=poll, pk__in=wanted))
    if not options or len(options) != len(wanted) or (not poll.multiple and len(options) != 1):
        message = _("Please choose one or more options.") if poll.multiple else _("Please choose one option.")
        raise ActionRefused(message, code="choice", status=400)
    try:
        with transaction.atomic():
            Poll.objects.select_for_update().filter(pk=poll.pk).first()
            PollBallot.objects.create(poll=poll, user=user)
            PollVote.objects.bulk_create([PollVote(poll=poll, option=option, user=user) for option in options])
            PollOption.objects.filter(pk__in=[o.pk for o in options]).update(vote_count=F("vote_count") + 1)
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
            caching.changed(poll.thread_id)
    except IntegrityError as exc:
        raise ActionRefused(_("You have already voted in this poll."), code="voted", status=409) from exc
    poll.refresh_from_db(fields=["voter_count"])
    return poll


# --- Following, reading, e-mail preferences ----------------------------------------------------------------
def follow_thread(user, thread):
    if not ForumPolicy.can_follow(user, thread):
        raise ActionRefused(_("You cannot follow this thread."))
    Subscription.objects.get_or_create(user=user, thread=thread)


def unfollow_thread(user, thread):
    Subscription.objects.filter(user=user, thread=thread).delete()


def mark_thread_read(user, thread, post_id, known=None):
    """Remember the newest post the user has seen (only ever forwards).

    `known` is what the page already read (None: no marker yet), so a re-read of a read thread writes nothing.
    """
    if not user.is_authenticated or not post_id or (known is not None and post_id <= known):
        return
    if known is not None:
        ThreadRead.objects.filter(user=user, thread=thread, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id, updated_at=timezone.now()
        )
        return
    try:
        with transaction.atomic():
            ThreadRead.objects.create(user=user, thread=thread, last_read_post_id=post_id)
    except IntegrityError:  # a parallel request of the same reader created it first
        ThreadRead.objects.filter(user=user, thread=thread, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id, updated_at=timezone.now()
        )


def unsubscribe_token(user, kind, thread=None):
    return signing.dumps({"u": user.pk, "k": kind, "t": thread.pk if thread else None}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user, kind, thread or None) from a signed token, or raise ActionRefused."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist) as exc:
        raise ActionRefused(_("This unsubscribe link is not valid."), code="token", status=400) from exc
    kind = data.get("k")
    thread = Thread.objects.filter(pk=data.get("t")).first() if data.get("t") else None
    if kind not in EmailOptOut.Kind.values or (kind == EmailOptOut.Kind.REPLIES and thread is None):
        raise ActionRefused(_("This unsubscribe link is not valid."), code="token", status=400)
    return user, kind, thread


def unsubscribe(token):
    """One-click unsubscribe: a reply e-mail unfollows its thread; other kinds turn that kind of e-mail off."""
    user, kind, thread = read_unsubscribe_token(token)
    if kind == EmailOptOut.Kind.REPLIES:
        Subscription.objects.filter(user=user, thread=thread).delete()
    else:
        EmailOptOut.objects.get_or_create(user=user, kind=kind)
    return user, kind, thread


# --- Sanctions ---------------------------------------------------------------------------------------------
def _sanction(moderator, target, kind, reason, ends_at, action, now=None):
    if not ForumPolicy.can_sanction(moderator, target):
        raise ActionRefused(_("You cannot sanction this account."))
    _require_reason(reason)
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=target,
            kind=kind,
            reason=reason[:500],
            ends_at=ends_at,
            created_by=moderator,
            created_at=now or timezone.now(),
        )
        _audit(
            moderator,
            action,
            reason=reason,
            target_user=target,
            target_repr=str(target),
            data={"until": ends_at.isoformat() if ends_at else None},
        )
        _notify("notify_sanction", sanction.pk)
    target.__dict__.pop("_forum_policy", None)
    return sanction


def warn_user(moderator, target, reason):
    return _sanction(moderator, target, Sanction.Kind.WARNING, reason, None, Action.WARN)


def suspend_user(moderator, target, days, reason, now=None):
    days = int(days or 0)
    if not 1 <= days <= 365:
        raise ActionRefused(_("A suspension lasts between 1 and 365 days."), code="days", status=400)
    now = now or timezone.now()
    return _sanction(
        moderator, target, Sanction.Kind.SUSPENSION, reason, now + timedelta(days=days), Action.SUSPEND, now
    )


def ban_user(moderator, target, reason):
    return _sanction(moderator, target, Sanction.Kind.BAN, reason, None, Action.BAN)


def lift_sanctions(moderator, target, reason=""):
    if not ForumPolicy.can_sanction(moderator, target):
        raise ActionRefused(_("You cannot change this account's sanctions."))
    with transaction.atomic():
        count = (
            Sanction.objects.filter(user=target, lifted_at__isnull=True)
            .exclude(kind="warning")
            .update(lifted_at=timezone.now())
        )
        _audit(moderator, Action.LIFT, reason=reason, target_user=target, target_repr=str(target), data={"n": count})
    target.__dict__.pop("_forum_policy", None)
    return count


# --- Knowledge-base hand-off -------------------------------------------------------------------------------
def create_kb_draft(moderator, thread):
    """Turn an answered thread into an unpublished KB article draft (question + accepted answer)."""
    from forum import kb_handoff

    if not ForumPolicy.can_hand_off_to_kb(moderator, thread):
        raise ActionRefused(_("Only answered threads can become a knowledge-base article."))
    if thread.kb_article_id:
        raise ActionRefused(_("This thread already has a draft article."), code="exists", status=409)
    with transaction.atomic():
        locked = _locked(thread)
        article = kb_handoff.create_draft(locked, moderator)
        locked.kb_article = article
        locked.save(update_fields=["kb_article", "updated_at"])
        _audit(moderator, Action.KB_DRAFT, thread=locked, data={"article": article.pk})
    return article


def board_for_move(board_id):
    return BoardPage.objects.filter(pk=board_id).first()
