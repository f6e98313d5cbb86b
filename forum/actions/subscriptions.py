"""Following threads, remembering what a member has read, and one-click e-mail unsubscribe."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import (
    ActionRefused,
)
from forum.models import (
    EmailOptOut,
    Subscription,
    ThreadRead,
)
from forum.policies import ForumPolicy
from forum.tokens import InvalidToken, read_unsubscribe_token


def follow_thread(user, thread):
    if not ForumPolicy.can_follow(user, thread):
        raise ActionRefused(_("You cannot follow this thread."))
    with transaction.atomic():
        Subscription.objects.get_or_create(user=user, thread=thread)


def unfollow_thread(user, thread):
    with transaction.atomic():
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


def unsubscribe(token):
    """One-click unsubscribe: a reply e-mail unfollows its thread; other kinds turn that kind of e-mail off."""
    try:
        user, kind, thread = read_unsubscribe_token(token)
    except InvalidToken as exc:
        raise ActionRefused(exc.message, code="token", status=400) from exc
    with transaction.atomic():
        if kind == EmailOptOut.Kind.REPLIES:
            Subscription.objects.filter(user=user, thread=thread).delete()
        else:
            EmailOptOut.objects.get_or_create(user=user, kind=kind)
    return user, kind, thread
