"""Moderation of posts: approve, reject, hide, unhide; readers' reports (flags) and the moderator's verdict on them."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import (
    Action,
    ActionRefused,
    announce,
    audit,
    locked_thread,
    notify_after_commit,
    refresh_counters,
    require_moderator,
    require_reason,
)
from forum.models import (
    Flag,
    Post,
)
from forum.models.threads import State
from forum.policies import ForumPolicy
from portal.core.masking import mask_personal_data


def _set_post_state(post, thread, state, hidden_reason=""):
    Post.objects.filter(pk=post.pk).update(state=state, hidden_reason=hidden_reason[:255])
    post.state, post.hidden_reason = state, hidden_reason
    if post.is_opening:
        thread.state = state
        thread.save(update_fields=["state", "updated_at"])
    refresh_counters(thread)


def _conflict():
    return ActionRefused(
        _("Another moderator has already acted on this post; the page now shows its current state."),
        code="conflict",
        status=409,
    )


def _check_seen(post, expected_state):
    """Refuse a decision taken on a page that showed another state (two moderators acting at once)."""
    if expected_state and post.state != expected_state:
        raise _conflict()


def _decide_post(
    moderator,
    post,
    *,
    allowed,
    to,
    refusal,
    action,
    name,
    reason="",
    explained=False,
    flags=None,
    notify=False,
    expected_state=None,
):
    """One moderator decision on a post: the post locked and re-read, refused as a conflict when the moderator
    saw another state (`expected_state`, sent by the form) and with `refusal` unless it is in one of the
    `allowed` states, moved to `to`, its open flags settled as `flags`, audited, and announced to search and
    the page cache. An `explained` decision needs a reason, which the post then shows."""
    require_moderator(moderator, post.thread.board)
    if explained:
        require_reason(reason)
    with transaction.atomic():
        thread = locked_thread(post.thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        _check_seen(post, expected_state)
        if post.state not in allowed:
            raise ActionRefused(refusal, code="stale", status=409)
        _set_post_state(post, thread, to, reason if explained else "")
        if flags:
            _resolve_open_flags(post, moderator, flags)
        audit(moderator, action, reason=reason, thread=thread, post=post, target_user=post.author)
        announce(thread, name)
        if notify:
            notify_after_commit("notify_post", post.pk)
    return post


def approve_post(moderator, post, reason="", *, expected_state=None):
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
        expected_state=expected_state,
    )


def reject_post(moderator, post, reason, *, expected_state=None):
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
        expected_state=expected_state,
    )


def hide_post(moderator, post, reason, *, expected_state=None):
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
        expected_state=expected_state,
    )


def unhide_post(moderator, post, reason="", *, expected_state=None):
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
        expected_state=expected_state,
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
                thread = locked_thread(post.thread)
                _set_post_state(post, thread, State.HIDDEN, "flags")
                audit(
                    None,
                    Action.AUTO_HIDE,
                    reason=_("%(count)d reports") % {"count": post.flag_count},
                    thread=thread,
                    post=post,
                    target_user=post.author,
                )
                announce(thread, "flag_post")
                hidden = True
    except IntegrityError as exc:
        raise ActionRefused(_("You have already reported this post."), code="duplicate", status=409) from exc
    return hidden


def resolve_flags(moderator, post, *, uphold, reason="", expected_state=None):
    """Review a flagged post: uphold (hide it) or dismiss the flags (and show it again if flags hid it).

    From the flagged queue (`expected_state` sent), reports another moderator settled meanwhile are a conflict.
    """
    require_moderator(moderator, post.thread.board)
    with transaction.atomic():
        thread = locked_thread(post.thread)
        post = Post.objects.select_for_update().get(pk=post.pk)
        _check_seen(post, expected_state)
        if expected_state and not Flag.objects.filter(post=post, outcome=Flag.Outcome.OPEN).exists():
            raise _conflict()
        if uphold:
            if post.state != State.HIDDEN:
                return hide_post(moderator, post, reason or _("Reports upheld"))
            _resolve_open_flags(post, moderator, Flag.Outcome.UPHELD)
            audit(moderator, Action.HIDE, reason=reason, thread=thread, post=post, target_user=post.author)
            return post
        if post.state == State.HIDDEN and post.hidden_reason == "flags":
            _set_post_state(post, thread, State.PUBLISHED)
            announce(thread, "resolve_flags")
        _resolve_open_flags(post, moderator, Flag.Outcome.DISMISSED)
        audit(moderator, Action.DISMISS_FLAGS, reason=reason, thread=thread, post=post, target_user=post.author)
    return post
