"""Sanctions: warnings, suspensions and bans of members, and lifting them; the member is told by e-mail."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import (
    Action,
    ActionRefused,
    audit,
    notify_after_commit,
    require_reason,
)
from forum.models import (
    Sanction,
)
from forum.policies import ForumPolicy


def _sanction(moderator, target, kind, reason, ends_at, action, now=None):
    if not ForumPolicy.can_sanction(moderator, target):
        raise ActionRefused(_("You cannot sanction this account."))
    require_reason(reason)
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=target,
            kind=kind,
            reason=reason[:500],
            ends_at=ends_at,
            created_by=moderator,
            created_at=now or timezone.now(),
        )
        audit(
            moderator,
            action,
            reason=reason,
            target_user=target,
            target_repr=str(target),
            data={"until": ends_at.isoformat() if ends_at else None},
        )
        notify_after_commit("notify_sanction", sanction.pk)
    ForumPolicy.forget(target)
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
    """End the member's suspensions and bans (warnings stay on record); the member is told by e-mail."""
    if not ForumPolicy.can_sanction(moderator, target):
        raise ActionRefused(_("You cannot change this account's sanctions."))
    with transaction.atomic():
        count = (
            Sanction.objects.filter(user=target, lifted_at__isnull=True)
            .exclude(kind="warning")
            .update(lifted_at=timezone.now())
        )
        audit(moderator, Action.LIFT, reason=reason, target_user=target, target_repr=str(target), data={"n": count})
        if count:
            notify_after_commit("notify_sanctions_lifted", target.pk)
    ForumPolicy.forget(target)
    return count
