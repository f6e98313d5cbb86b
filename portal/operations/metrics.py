"""The service metrics, computed in the database from a channel's standard annotations (see sources.py).

Items belong to the period in which the customer opened them (a cohort): "new items" of March are the items
asked in March, and their first-response time, SLA, reopen and satisfaction figures are those items' figures.
SLA met: answered no later than the due time (an answer exactly at the limit meets it). Items still waiting
count as missed once they are past due and are left out while they are not. Percentiles are nearest-rank
(the value of the ceil(p·n)-th item): on PostgreSQL inside the summary's one aggregate (percentile_disc, which
is that rank), elsewhere one ordered query each; everything else is one aggregate per table. Nothing here loops
over rows in Python.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from django.db import connections
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q, Sum
from django.utils import timezone

from portal.operations import expressions, periods, sources

HOUR = 3600.0


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _hours(seconds):
    return round(seconds / HOUR, 2) if seconds is not None else None


# The items each count counts, by its name; also what a drill-down lists behind that number (queries.py).
ROWS = {
    "responded": Q(op_first_response__isnull=False),
    "resolved": Q(op_resolved__isnull=False),
    "reopened": Q(op_reopened=True),
    "rated": Q(op_rating__isnull=False),
    "satisfied": Q(op_rating=sources.SATISFIED),
    "vip": Q(op_vip=True),
}


def _counts(now):
    """The aggregates of a summary, a breakdown row or a trend bucket, over rows that carry the first-response
    spans they read (_with_spans)."""
    return {
        "new": Count("pk"),
        **{name: Count("pk", filter=rows) for name, rows in ROWS.items()},
        "met": Count("pk", filter=ROWS["responded"] & Q(op_first_response__lte=F("op_due"))),
        "overdue": Count("pk", filter=Q(op_first_response__isnull=True, op_due__lt=now)),
        "frt_avg": Avg("op_frt_seconds"),
        "frt_business_avg": Avg("op_frt_business_seconds"),
    }


def _rates(row):
    eligible = row["responded"] + row["overdue"]
    row["sla_eligible"] = eligible
    row["sla_met_pct"] = _pct(row["met"], eligible)
    row["reopen_pct"] = _pct(row["reopened"], row["resolved"])
    row["satisfaction_pct"] = _pct(row["satisfied"], row["rated"])
    row["rating_response_pct"] = _pct(row["rated"], row["responded"])
    row["vip_pct"] = _pct(row["vip"], row["new"])
    row["frt_avg_hours"] = _hours(row.pop("frt_avg"))
    row["frt_business_avg_hours"] = _hours(row.pop("frt_business_avg"))
    return row


def _day(bucket):
    """The local first day of a truncated bucket."""
    return timezone.localtime(bucket, periods.zone()).date()


def percentile(queryset, expression, fraction, count):
    """Nearest-rank percentile of `expression` over `count` non-null rows of `queryset`, in one query."""
    if not count:
        return None
    rank = max(1, math.ceil(fraction * count))
    value = queryset.annotate(op_value=expression).order_by("op_value").values_list("op_value", flat=True)
    return value[rank - 1]


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile of the non-null values of an expression, as an aggregate: the first
    value whose place in the ordering reaches `fraction`, i.e. the ceil(fraction·n)-th, as percentile() finds."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)r) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class Span(NamedTuple):
    seconds: Callable  # () -> the expression of its length in seconds, over a channel's annotations
    rows: str  # the count (ROWS) of the items it is defined for: it is null exactly on the others


# What the summaries measure, annotated once per query as op_<name>_seconds (_with_spans); a percentile of the
# span's non-null values is then the percentile over its rows.
SPANS = {
    "frt": Span(lambda: expressions.calendar_seconds("op_opened", "op_first_response"), "responded"),
    "frt_business": Span(lambda: expressions.business_seconds("op_opened", "op_first_response"), "responded"),
    "resolution": Span(lambda: expressions.calendar_seconds("op_opened", "op_resolved"), "resolved"),
}


def _with_spans(items, names=tuple(SPANS)):
    """`items` with the named spans annotated once each: the business-time formula is long, and written once
    it is built, compiled and evaluated once instead of once per aggregate that reads it."""
    return items.annotate(**{f"op_{name}_seconds": SPANS[name].seconds() for name in names})


FRACTIONS = (("median", 0.5), ("p90", 0.9))


@dataclass
class ChannelSummary:
    channel: object
    period: object
    values: dict = field(default_factory=dict)


def in_period(channel, period):
    return channel.items().filter(op_opened__gte=period.start, op_opened__lt=period.end)


def summarise(channel, period, now=None, with_percentiles=True):
    """Every item metric of one channel over one period."""
    now = now or timezone.now()
    items = _with_spans(in_period(channel, period))
    counts = _counts(now)
    in_aggregate = with_percentiles and connections[items.db].vendor == "postgresql"
    if in_aggregate:
        for name in SPANS:
            for label, fraction in FRACTIONS:
                counts[f"{name}_{label}"] = PercentileDisc(F(f"op_{name}_seconds"), fraction)
    row = items.aggregate(**counts)
    if with_percentiles:
        for name, span in SPANS.items():
            for label, fraction in FRACTIONS:
                if in_aggregate:
                    seconds = row.pop(f"{name}_{label}")
                else:
                    rows = items.filter(ROWS[span.rows])
                    seconds = percentile(rows, F(f"op_{name}_seconds"), fraction, row[span.rows])
                row[f"{name}_{label}_hours"] = _hours(seconds)
    return ChannelSummary(channel, period, _rates(row))


def breakdown(channel, period, by, now=None):
    """The counts and rates per group ("op_group") or per staff member ("op_staff"), largest first."""
    now = now or timezone.now()
    names = [by, "op_group_label"] if by == "op_group" else [by]
    items = _with_spans(in_period(channel, period), ("frt", "frt_business"))
    rows = items.values(*names).annotate(**_counts(now)).order_by("-new", by)
    return [_rates(dict(row)) for row in rows]


# What a trend charts, and so all it counts: resolution, reopen and VIP need correlated subqueries per item and
# business time a long expression; leaving them out makes the 24-month forum trend at 1M posts 4x cheaper.
TREND_COUNTS = ("new", "responded", "met", "overdue", "rated", "satisfied", "frt_avg")


def trend(channel, period, length=None, now=None):
    """Per bucket of the period's kind (oldest first): new items, SLA met %, average FRT, satisfaction."""
    buckets = period.trend(length)
    trunc = periods.TRUNC[period.kind]
    now = now or timezone.now()
    counts = {name: value for name, value in _counts(now).items() if name in TREND_COUNTS}
    rows = {
        _day(row["bucket"]): row
        for row in _with_spans(channel.items(), ("frt",))
        .filter(op_opened__gte=buckets[0].start, op_opened__lt=buckets[-1].end)
        .annotate(bucket=trunc("op_opened", tzinfo=periods.zone()))
        .values("bucket")
        .annotate(**counts)
        .order_by("bucket")
    }
    result = []
    for bucket in buckets:
        row = dict(rows.get(bucket.first_day) or {**dict.fromkeys(TREND_COUNTS, 0), "frt_avg": None})
        row.pop("bucket", None)
        eligible = row["responded"] + row["overdue"]
        row["sla_met_pct"] = _pct(row["met"], eligible)
        row["satisfaction_pct"] = _pct(row["satisfied"], row["rated"])
        row["frt_avg_hours"] = _hours(row.pop("frt_avg"))
        result.append((bucket, row))
    return result


# --- KB and search --------------------------------------------------------------------------------------


def kb_summary(period, today=None):
    from kb.models import ArticleFeedback, ArticlePage, ArticleUsage

    votes = ArticleFeedback.objects.filter(created_at__gte=period.start, created_at__lt=period.end).aggregate(
        votes=Count("pk"), helpful=Count("pk", filter=Q(helpful=True))
    )
    used = ArticleUsage.objects.filter(created_at__gte=period.start, created_at__lt=period.end).count()
    past_review = ArticlePage.objects.live().filter(review_by__lt=today or periods.local_today()).count()
    return {
        "votes": votes["votes"],
        "helpful": votes["helpful"],
        "helpful_pct": _pct(votes["helpful"], votes["votes"]),
        "used_on_call": used,
        "past_review": past_review,
    }


def deflections(period):
    """Customers who found their answer in a suggested article or thread on the message form and sent nothing."""
    from portal.intake.models import Deflection

    return Deflection.objects.filter(created_at__gte=period.start, created_at__lt=period.end).aggregate(
        deflections=Count("pk"), by_article=Count("pk", filter=Q(result_kind="kb"))
    )


def deflection_rate(deflected, messages):
    """Share of the message form's visitors with a question who left with an answer instead of a message."""
    return _pct(deflected, deflected + messages)


def kb_top_used(period, limit=10):
    from kb.models import ArticleUsage

    return list(
        ArticleUsage.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .values("article_id", "article__title")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "article__title")[:limit]
    )


def search_log():
    from search.models import SearchQuery

    return SearchQuery.objects.all()


def search_counts():
    return {
        "searches": Count("pk"),
        "zero": Count("pk", filter=Q(result_count=0)),
        "clicked": Count("pk", filter=Q(clicked=True)),
    }


def _search_rates(row):
    row["zero_pct"] = _pct(row["zero"], row["searches"])
    row["click_pct"] = _pct(row["clicked"], row["searches"])
    return row


def _searches(period):
    return search_log().filter(created_at__gte=period.start, created_at__lt=period.end)


def _closed_days(first_day, end_day, today):
    """The span of closed days (before today) inside [first_day, end_day), as (first, end, number of days)."""
    end = min(end_day, today)
    return first_day, end, max(0, (end - first_day).days)


def _summed_days(first_day, end_day, now, trunc=None):
    """SearchDay sums over closed days, per bucket when `trunc` is given; missing days are backfilled first.
    One query when every day has its row (the steady state), three when some had to be counted."""
    from portal.operations import actions
    from portal.operations.models import SearchDay

    first, end, expected = _closed_days(first_day, end_day, periods.local_today(now))
    if not expected:
        return []
    sums = {name: Sum(name) for name in ("searches", "zero", "clicked")}
    for _attempt in range(2):
        rows = SearchDay.objects.filter(day__gte=first, day__lt=end)
        if trunc is not None:
            rows = rows.annotate(bucket=trunc("day")).values("bucket").order_by("bucket")
            rows = list(rows.annotate(days=Count("pk"), **sums))
        else:
            rows = [rows.aggregate(days=Count("pk"), **sums)]
        if sum(row["days"] for row in rows) == expected:
            return rows
        actions.backfill_search_days(first, end, now=now)
    return rows


def _today_live(now):
    today = periods.local_today(now)
    start, end = periods.day_start(today), periods.day_start(today + timedelta(days=1))
    return today, search_log().filter(created_at__gte=start, created_at__lt=end).aggregate(**search_counts())


def search_summary(period, now=None):
    """Searches, zero-result and click-through rates of the period: closed days from the daily summary
    (SearchDay), today counted live from the log."""
    now = now or timezone.now()
    row = {"searches": 0, "zero": 0, "clicked": 0}
    for summed in _summed_days(period.first_day, period.next_first_day, now):
        for name in row:
            row[name] += summed[name] or 0
    today = periods.local_today(now)
    if period.first_day <= today < period.next_first_day:
        _today, live = _today_live(now)
        for name in row:
            row[name] += live[name]
    return _search_rates(row)


def search_summary_live(period):
    """The same figures straight from the raw log (what the summary must agree with)."""
    return _search_rates(_searches(period).aggregate(**search_counts()))


def search_queries(period, failing=False, limit=10):
    """The most frequent queries of the period (or those that found nothing), grouped by normalised text."""
    rows = _searches(period)
    if failing:
        rows = rows.filter(result_count=0)
    rows = rows.values("normalised").annotate(**search_counts()).order_by("-searches", "normalised")[:limit]
    return [_search_rates(dict(row)) for row in rows]


def search_trend(period, length=None, now=None):
    """Searches per bucket (oldest first): closed days from SearchDay, grouped in the database; today live."""
    now = now or timezone.now()
    buckets = period.trend(length)
    rows = {
        row["bucket"]: row
        for row in _summed_days(buckets[0].first_day, buckets[-1].next_first_day, now, trunc=periods.TRUNC[period.kind])
    }
    today = periods.local_today(now)
    live = None
    if buckets[0].first_day <= today < buckets[-1].next_first_day:
        _today, live = _today_live(now)
    current = periods.Period.containing(period.kind, today).first_day
    result = []
    for bucket in buckets:
        summed = rows.get(bucket.first_day) or {}
        row = {name: summed.get(name) or 0 for name in ("searches", "zero", "clicked")}
        if live is not None and bucket.first_day == current:
            for name in row:
                row[name] += live[name]
        result.append((bucket, _search_rates(row)))
    return result


def search_trend_live(period, length=None):
    """The trend straight from the raw log, one grouped query over every row (what the summary replaced)."""
    buckets = period.trend(length)
    trunc = periods.TRUNC[period.kind]
    rows = {
        _day(row["bucket"]): row
        for row in search_log()
        .filter(created_at__gte=buckets[0].start, created_at__lt=buckets[-1].end)
        .annotate(bucket=trunc("created_at", tzinfo=periods.zone()))
        .values("bucket")
        .annotate(**search_counts())
        .order_by("bucket")
    }
    result = []
    for bucket in buckets:
        row = dict(rows.get(bucket.first_day) or {"searches": 0, "zero": 0, "clicked": 0})
        row.pop("bucket", None)
        result.append((bucket, _search_rates(row)))
    return result
