"""Posting: new threads and replies (masked, rate-limited, pictures checked), edits with history, and an
author deleting their own post."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import markdown
from forum.actions.base import (
    Action,
    ActionRefused,
    Written,
    announce,
    audit,
    body_hash,
    locked_thread,
    natural_status,
    notify_after_commit,
    refresh_counters,
    require_reason,
    slug_for,
)
from forum.actions.polls import create_poll, prepare_poll
from forum.actions.sla import first_response_hours
from forum.mentions import resolve_mentions
from forum.models import (
    Attachment,
    Post,
    PostRevision,
    Subscription,
    Thread,
)
from forum.models.threads import State
from forum.policies import ForumPolicy
from portal.core import ratelimit
from portal.core.images import process_image
from portal.core.masking import MaskResult, mask_personal_data

logger = logging.getLogger("forum.actions")


@dataclass
class _Prepared:
    title: str
    body: str
    body_html: str
    masked_kinds: list
    images: list
    mentioned: dict
    notices: list


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
        duplicate = Post.objects.filter(author=user, body_hash=body_hash(body), created_at__gte=window).exclude(
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
    poll_spec = prepare_poll(poll, prepared) if poll else None
    pending = ForumPolicy.needs_approval(user, board)
    now = now or timezone.now()
    saved = []
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                board=board,
                title=prepared.title[:200],
                slug=slug_for(prepared.title),
                author=user,
                state=State.PENDING if pending else State.PUBLISHED,
                sla_due_at=now + timedelta(hours=first_response_hours(board, user)),
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
                create_poll(thread, poll_spec)
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
        body_hash=body_hash(prepared.body),
        ip_address=ip,
        created_at=moment,
        **fields,
    )


def _after_post(user, thread, post, images, saved, action, *, notify):
    """What every new post does inside its transaction: the poster follows the thread, pictures are stored,
    search and the page cache hear of it, and followers are told after commit."""
    Subscription.objects.get_or_create(user=user, thread=thread)
    _save_images(post, images, saved)
    announce(thread, action)
    if notify:
        notify_after_commit("notify_post", post.pk)


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
            locked = locked_thread(thread)
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
                if official and locked.reopened_at is not None:  # answered again after a dissatisfied rating
                    updates["reopened_at"] = None
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


def edit_post(user, post, *, body, title=None, reason="", now=None, expected_version=None):
    """Edit a post (authors within the edit window; moderators any time, with a reason). Keeps the history.

    `expected_version` is the post's edit count when the editor opened it: if someone saved an edit since,
    the save is refused as a conflict (409) instead of silently overwriting theirs.
    """
    thread = post.thread
    if not ForumPolicy.can_edit_post(user, post, now):
        raise ActionRefused(_("You can no longer edit this post."))
    moderator = ForumPolicy.can_moderate(user, thread.board)
    foreign = post.author_id != user.pk
    if moderator and foreign:
        require_reason(reason)
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
        locked = locked_thread(thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        if expected_version is not None and post.edit_count != expected_version:
            raise ActionRefused(
                _(
                    "Someone else changed this post while you were editing it. Your text is kept below: "
                    "compare it with the current version and save again."
                ),
                code="conflict",
                status=409,
            )
        PostRevision.objects.create(
            post=post,
            title=locked.title if post.is_opening else "",
            body=post.body,
            edited_by=user,
            reason=mask_personal_data((reason or "").strip()).text[:255],  # an author's words: masked too
        )
        post.body = prepared.body
        post.body_html = prepared.body_html
        post.masked_kinds = sorted(set(post.masked_kinds) | set(prepared.masked_kinds))
        post.body_hash = body_hash(prepared.body)
        post.edited_at = now or timezone.now()
        post.edit_count = F("edit_count") + 1
        post.save(update_fields=["body", "body_html", "masked_kinds", "body_hash", "edited_at", "edit_count"])
        post.refresh_from_db(fields=["edit_count"])
        if post.is_opening and prepared.title and prepared.title != locked.title:
            locked.title, locked.slug = prepared.title[:200], slug_for(prepared.title)
            locked.save(update_fields=["title", "slug", "updated_at"])
        if moderator:
            audit(user, Action.EDIT, reason=reason, thread=locked, post=post, target_user=post.author)
        announce(locked, "edit_post")
    return Written(locked, post, prepared.notices)


def delete_own_post(user, post):
    """An author removes their own post (soft delete: the row stays for moderators and the audit trail)."""
    if not ForumPolicy.can_delete_post(user, post):
        raise ActionRefused(_("You cannot delete this post."))
    with transaction.atomic():
        thread = locked_thread(post.thread)
        Post.objects.filter(pk=post.pk).update(state=State.DELETED)
        post.state = State.DELETED
        if post.is_opening:
            thread.state = State.DELETED
            thread.save(update_fields=["state", "updated_at"])
        _clear_accepted_if(thread, post)
        refresh_counters(thread)
        announce(thread, "delete_own_post")
    return post


def _clear_accepted_if(thread, post):
    if thread.accepted_post_id == post.pk:
        thread.accepted_post = None
        thread.status = natural_status(thread)
        thread.save(update_fields=["accepted_post", "status", "updated_at"])
