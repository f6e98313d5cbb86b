"""Periods (day, ISO week, month) in the service centre's time zone, their predecessors, and trend buckets.

Everything is computed in PORTAL_OPERATIONS_TIME_ZONE (Asia/Shanghai by default: UTC+8 all year, no DST),
so a day runs from local midnight to local midnight and a month ends on its last local day, whatever the
server's clock says.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = {"day": _("Day"), "week": _("Week"), "month": _("Month")}
TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# How many buckets a trend chart shows for each kind of period.
TREND_LENGTH = {"day": 14, "week": 12, "month": 12}
REPORT_KINDS = {"daily": "day", "weekly": "week", "monthly": "month"}


def zone():
    return ZoneInfo(settings.PORTAL_OPERATIONS_TIME_ZONE)


def day_start(day):
    """The aware moment a local day begins."""
    return datetime.combine(day, time.min, tzinfo=zone())


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), zone()).date()


def _month_start(day):
    return day.replace(day=1)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: date  # local date the period starts on

    @classmethod
    def containing(cls, kind, day):
        if kind not in KINDS:
            raise ValueError(kind)
        if kind == "week":
            day = day - timedelta(days=day.weekday())
        elif kind == "month":
            day = _month_start(day)
        return cls(kind, day)

    @property
    def next_first_day(self):
        if self.kind == "day":
            return self.first_day + timedelta(days=1)
        if self.kind == "week":
            return self.first_day + timedelta(days=7)
        return _add_months(self.first_day, 1)

    @property
    def last_day(self):
        return self.next_first_day - timedelta(days=1)

    @property
    def start(self):
        return datetime.combine(self.first_day, time.min, tzinfo=zone())

    @property
    def end(self):
        """Exclusive end: the start of the next period."""
        return datetime.combine(self.next_first_day, time.min, tzinfo=zone())

    def previous(self):
        return Period.containing(self.kind, self.first_day - timedelta(days=1))

    def following(self):
        return Period(self.kind, self.next_first_day)

    def trend(self, length=None):
        """This period and the ones before it, oldest first."""
        periods = [self]
        for _index in range((length or TREND_LENGTH[self.kind]) - 1):
            periods.insert(0, periods[0].previous())
        return periods

    @property
    def label(self):
        if self.kind == "day":
            return self.first_day.isoformat()
        if self.kind == "week":
            year, week, _weekday = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        return self.first_day.strftime("%Y-%m")

    def __str__(self):
        if self.kind == "day":
            return self.label
        return f"{self.first_day.isoformat()} – {self.last_day.isoformat()}"


def just_closed(kind, now=None):
    """The last complete period of this kind (what a report covers)."""
    return Period.containing(kind, local_today(now)).previous()
