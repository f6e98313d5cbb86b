"""Changes of state in operations: setting and removing targets, each one atomic with its audit entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.operations import sources
from portal.operations.models import Metric, Target, TargetChange


class ActionRefused(Exception):
    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def team_choices():
    """("", whole centre), each channel, and each channel's groups: what a target may be set for."""
    choices = [("", _("Whole service centre"))]
    for channel in sources.channels():
        choices.append((channel.key, str(channel.label)))
        choices += [(f"{channel.key}:{key}", f"{channel.label} · {label}") for key, label in channel.groups()]
    return [*choices, ("kb", _("Knowledge base")), ("search", _("Search"))]


def set_target(actor, metric, team, value):
    if metric not in Metric.values:
        raise ActionRefused(_("Choose a metric."), code="metric")
    if team not in dict(team_choices()):
        raise ActionRefused(_("Choose a team."), code="team")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ActionRefused(_("Enter the target as a number."), code="value") from None
    if value < 0 or (metric.endswith("_pct") and value > 100):
        raise ActionRefused(_("Enter a target between 0 and 100 for a percentage, or at least 0."), code="value")
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(metric=metric, team=team).first()
        old = target.value if target else None
        if target is None:
            target = Target(metric=metric, team=team)
        target.value, target.updated_by, target.updated_at = value, actor, timezone.now()
        target.save()
        TargetChange.objects.create(metric=metric, team=team, old_value=old, new_value=value, actor=actor)
    return target


def remove_target(actor, target):
    with transaction.atomic():
        TargetChange.objects.create(
            metric=target.metric, team=target.team, old_value=target.value, new_value=None, actor=actor
        )
        target.delete()
