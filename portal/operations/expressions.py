"""Database expressions for time spans: seconds between two timestamps, in calendar and in business time.

Business time counts the seconds inside PORTAL_OPERATIONS_BUSINESS_HOURS (local hours, Monday to Friday)
of PORTAL_OPERATIONS_TIME_ZONE. It is computed in SQL from a closed formula, so medians and sums over a
million threads never come back to Python: B(t) = business seconds from a Monday in 1969 up to t, and the
business time of a span is B(end) - B(start). The zone must keep one UTC offset (Asia/Shanghai does); the
offset is read from the zone, not hard-coded.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Case, F, FloatField, Func, IntegerField, Value, When
from django.db.models.functions import Cast, Floor, Greatest, Least
from django.db.models.lookups import LessThan

from portal.operations.periods import zone

DAY = 86_400


class Epoch(Func):
    """Seconds since 1970-01-01 UTC of a timestamp column (SQLite stores UTC text, PostgreSQL timestamptz)."""

    output_field = FloatField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5) * 86400.0")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8")


def calendar_seconds(start, end):
    return Epoch(F(end)) - Epoch(F(start))


def _offset_seconds():
    offset = datetime(2000, 1, 1, tzinfo=zone()).utcoffset()
    return offset.total_seconds()


def business_clock(field):
    """B(t): business seconds from Monday 1969-12-29 00:00 local up to the value of `field`."""
    opens, closes = settings.PORTAL_OPERATIONS_BUSINESS_HOURS
    open_s, length = opens * 3600, (closes - opens) * 3600
    # Local seconds since Monday 1969-12-29 (1970-01-01 was a Thursday: three days later).
    local = Epoch(F(field)) + Value(_offset_seconds() + 3 * DAY)
    days = Floor(local / Value(float(DAY)))
    weeks = Floor(days / Value(7.0))
    weekday = days - weeks * Value(7.0)  # 0 = Monday
    second_of_day = local - days * Value(float(DAY))
    inside_day = Least(Greatest(second_of_day - Value(float(open_s)), Value(0.0)), Value(float(length)))
    today = Case(When(LessThan(weekday, Value(5.0)), then=inside_day), default=Value(0.0), output_field=FloatField())
    return weeks * Value(5.0 * length) + Least(weekday, Value(5.0)) * Value(float(length)) + today


def business_seconds(start, end):
    return business_clock(end) - business_clock(start)


def as_int(expression):
    return Cast(expression, IntegerField())
