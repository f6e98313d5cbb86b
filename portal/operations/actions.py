"""Changes of state in operations: setting and removing targets, each one atomic with its audit entry."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.operations import sources
from portal.operations.models import Metric, SearchDay, SentReport, Target, TargetChange


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


def send_period_report(kind, now=None):
    """The scheduled report of the period of `kind` just closed, sent at most once: the period is claimed
    (a unique row) before the mail goes out and released if sending fails, so the job may run again safely.
    Returns how many messages were sent (0 when it had gone out already)."""
    from portal.operations import periods, reports

    now = now or timezone.now()
    period = periods.just_closed(kind, now)
    try:
        with transaction.atomic():
            claim = SentReport.objects.create(kind=kind, first_day=period.first_day, sent_at=now)
    except IntegrityError:
        return 0
    try:
        _report, sent = reports.send_report(kind, now=now)
    except Exception:
        claim.delete()
        raise
    claim.recipients = len(reports.recipients()) if sent else 0
    claim.save(update_fields=["recipients"])
    return sent


SEARCH_DAY_FIELDS = ("searches", "zero", "clicked")


def _count_search_days(first_day, end_day):
    """{local day: counts} of the search log from `first_day` up to `end_day` (exclusive), one grouped query."""
    from django.db.models.functions import TruncDate

    from portal.operations import metrics, periods

    return {
        row["day"]: row
        for row in metrics.search_log()
        .filter(created_at__gte=periods.day_start(first_day), created_at__lt=periods.day_start(end_day))
        .annotate(day=TruncDate("created_at", tzinfo=periods.zone()))
        .values("day")
        .annotate(**metrics.search_counts())
        .order_by()
    }


def _search_day_rows(days, counted, computed_at):
    return [
        SearchDay(
            day=day, computed_at=computed_at, **{name: counted.get(day, {}).get(name, 0) for name in SEARCH_DAY_FIELDS}
        )
        for day in days
    ]


def _days(first_day, end_day):
    return [first_day + timedelta(days=n) for n in range((end_day - first_day).days)]


def summarise_search_days(first_day, end_day, now=None):
    """Count the search log of the closed local days from `first_day` up to `end_day` (exclusive; today and
    later are left out: they are still filling) into SearchDay, replacing earlier counts. Days without a
    search get a row of zeros, so they are not counted again. Returns the days written."""
    from portal.operations import periods

    end_day = min(end_day, periods.local_today(now))
    if first_day >= end_day:
        return 0
    rows = _search_day_rows(_days(first_day, end_day), _count_search_days(first_day, end_day), now or timezone.now())
    SearchDay.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["day"], update_fields=[*SEARCH_DAY_FIELDS, "computed_at"]
    )
    return len(rows)


def backfill_search_days(first_day, end_day, now=None):
    """Count the closed days of the span that have no SearchDay row yet, leaving the others as they are
    (one query when none is missing; the missing ones in one grouped count). Returns the days written."""
    from portal.operations import periods

    end_day = min(end_day, periods.local_today(now))
    if first_day >= end_day:
        return 0
    have = set(SearchDay.objects.filter(day__gte=first_day, day__lt=end_day).values_list("day", flat=True))
    missing = [day for day in _days(first_day, end_day) if day not in have]
    if not missing:
        return 0
    counted = _count_search_days(missing[0], missing[-1] + timedelta(days=1))
    SearchDay.objects.bulk_create(_search_day_rows(missing, counted, now or timezone.now()), ignore_conflicts=True)
    return len(missing)


def summarise_yesterday(now=None):
    """The nightly job: count yesterday and recount the day before (clicks arrive after midnight too)."""
    from portal.operations import periods

    today = periods.local_today(now)
    return summarise_search_days(today - timedelta(days=2), today, now=now)
