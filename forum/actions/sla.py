"""Service-level escalation: threads far past their first-response target go to the supervisors.

`escalate_overdue_threads` is what the periodic job runs (the task forum.tasks.escalate_overdue_threads or
`manage.py forum_escalate`): every published thread still waiting for staff more than
PORTAL_FORUM_SLA_ESCALATE_HOURS after its target is marked escalated (it shows so in the SLA queue) and
the supervisors get one e-mail listing the threads of this run. Each thread is escalated once, however
often or concurrently the job runs: the mark is set by a conditional UPDATE that only one run can win.

VIP customers (the flag on their account, portal.accounts, which the message board shares) get the shorter
first-response target PORTAL_FORUM_VIP_SLA_HOURS (or the board's own, when that is shorter):
`first_response_hours` is the one rule every action that sets a thread's target asks.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import Action, announce, audit, notify_after_commit
from forum.models import Thread
from forum.models.threads import SLA_WAITING, State
from portal.accounts.queries import is_vip


def first_response_hours(board, author):
    """Hours from the question (or its re-opening) to the first-response target: shorter for a VIP customer."""
    hours = board.first_response_hours
    if is_vip(author):
        return min(hours, settings.PORTAL_FORUM_VIP_SLA_HOURS)
    return hours


def prioritise_vip_threads(user, now=None):
    """A customer just became VIP: their threads still waiting for staff get the VIP target (never a later one).

    Called by the message desk's `set_vip` inside its transaction. Returns how many threads moved up."""
    moved = 0
    rows = Thread.objects.filter(SLA_WAITING, author=user).select_related("board").select_for_update(of=("self",))
    for thread in rows.order_by("id"):
        start = thread.reopened_at or thread.created_at
        target = start + timedelta(hours=min(thread.board.first_response_hours, settings.PORTAL_FORUM_VIP_SLA_HOURS))
        if target < thread.sla_due_at:
            Thread.objects.filter(pk=thread.pk).update(sla_due_at=target, updated_at=now or timezone.now())
            moved += 1
    return moved


def escalate_overdue_threads(now=None):
    """Escalate every thread past the second threshold that is not escalated yet; returns the threads."""
    now = now or timezone.now()
    limit = now - timedelta(hours=settings.PORTAL_FORUM_SLA_ESCALATE_HOURS)
    candidates = list(
        Thread.objects.filter(SLA_WAITING, state=State.PUBLISHED, sla_due_at__lt=limit, escalated_at__isnull=True)
        .order_by("sla_due_at")
        .values_list("pk", flat=True)[:500]
    )
    escalated = []
    with transaction.atomic():
        for pk in candidates:
            if not Thread.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now):
                continue  # another run escalated it meanwhile
            thread = Thread.objects.select_related("board").get(pk=pk)
            hours = int((now - thread.sla_due_at).total_seconds() // 3600)
            audit(
                None,
                Action.ESCALATE,
                reason=_("%(hours)d hours past the first-response target") % {"hours": hours},
                thread=thread,
            )
            announce(thread, "escalate_overdue_threads")
            escalated.append(thread)
        if escalated:
            notify_after_commit("notify_escalation", [thread.pk for thread in escalated])
    return escalated
