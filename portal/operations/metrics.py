"""The service metrics, computed in the database from a channel's standard annotations (see sources.py).

Items belong to the period in which the customer opened them (a cohort): "new items" of March are the items
asked in March, and their first-response time, SLA, reopen and satisfaction figures are those items' figures.
SLA met: answered no later than the due time (an answer exactly at the limit meets it). Items still waiting
count as missed once they are past due and are left out while they are not. Percentiles are nearest-rank
(the value of the ceil(p·n)-th item), each one ordered query; everything else is one aggregate per table.
Nothing here loops over rows in Python.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from portal.operations import expressions, periods, sources

HOUR = 3600.0


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _hours(seconds):
    return round(seconds / HOUR, 2) if seconds is not None else None


def _counts(now):
    responded = Q(op_first_response__isnull=False)
    return {
        "new": Count("pk"),
        "responded": Count("pk", filter=responded),
        "met": Count("pk", filter=responded & Q(op_first_response__lte=F("op_due"))),
        "overdue": Count("pk", filter=Q(op_first_response__isnull=True, op_due__lt=now)),
        "resolved": Count("pk", filter=Q(op_resolved__isnull=False)),
        "reopened": Count("pk", filter=Q(op_reopened=True)),
        "rated": Count("pk", filter=Q(op_rating__isnull=False)),
        "satisfied": Count("pk", filter=Q(op_rating=sources.SATISFIED)),
        "vip": Count("pk", filter=Q(op_vip=True)),
        "frt_avg": Avg(expressions.calendar_seconds("op_opened", "op_first_response")),
        "frt_business_avg": Avg(expressions.business_seconds("op_opened", "op_first_response")),
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
    items = in_period(channel, period)
    row = _rates(items.aggregate(**_counts(now)))
    if with_percentiles:
        answered = items.filter(op_first_response__isnull=False)
        resolved = items.filter(op_resolved__isnull=False)
        calendar = expressions.calendar_seconds("op_opened", "op_first_response")
        business = expressions.business_seconds("op_opened", "op_first_response")
        resolution = expressions.calendar_seconds("op_opened", "op_resolved")
        for name, queryset, expression, count in (
            ("frt", answered, calendar, row["responded"]),
            ("frt_business", answered, business, row["responded"]),
            ("resolution", resolved, resolution, row["resolved"]),
        ):
            row[f"{name}_median_hours"] = _hours(percentile(queryset, expression, 0.5, count))
            row[f"{name}_p90_hours"] = _hours(percentile(queryset, expression, 0.9, count))
    return ChannelSummary(channel, period, row)


def breakdown(channel, period, by, now=None):
    """The counts and rates per group ("op_group") or per staff member ("op_staff"), largest first."""
    now = now or timezone.now()
    names = [by, "op_group_label"] if by == "op_group" else [by]
    rows = in_period(channel, period).values(*names).annotate(**_counts(now)).order_by("-new", by)
    return [_rates(dict(row)) for row in rows]


def trend(channel, period, length=None):
    """Per bucket of the period's kind (oldest first): new items, SLA met %, average FRT, satisfaction."""
    buckets = period.trend(length)
    trunc = periods.TRUNC[period.kind]
    now = timezone.now()
    rows = {
        _day(row["bucket"]): row
        for row in channel.items()
        .filter(op_opened__gte=buckets[0].start, op_opened__lt=buckets[-1].end)
        .annotate(bucket=trunc("op_opened", tzinfo=periods.zone()))
        .values("bucket")
        .annotate(**_counts(now))
        .order_by("bucket")
    }
    empty = dict.fromkeys(
        ("new", "responded", "met", "overdue", "resolved", "reopened", "rated", "satisfied", "vip"), 0
    )
    result = []
    for bucket in buckets:
        row = dict(rows.get(bucket.first_day) or {**empty, "frt_avg": None, "frt_business_avg": None})
        row.pop("bucket", None)
        result.append((bucket, _rates(row)))
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


def kb_top_used(period, limit=10):
    from kb.models import ArticleUsage

    return list(
        ArticleUsage.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .values("article_id", "article__title")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "article__title")[:limit]
    )


def _search_counts():
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
    from search.models import SearchQuery

    return SearchQuery.objects.filter(created_at__gte=period.start, created_at__lt=period.end)


def search_summary(period):
    return _search_rates(_searches(period).aggregate(**_search_counts()))


def search_queries(period, failing=False, limit=10):
    """The most frequent queries of the period (or those that found nothing), grouped by normalised text."""
    rows = _searches(period)
    if failing:
        rows = rows.filter(result_count=0)
    rows = rows.values("normalised").annotate(**_search_counts()).order_by("-searches", "normalised")[:limit]
    return [_search_rates(dict(row)) for row in rows]


def search_trend(period, length=None):
    from search.models import SearchQuery

    buckets = period.trend(length)
    trunc = periods.TRUNC[period.kind]
    rows = {
        _day(row["bucket"]): row
        for row in SearchQuery.objects.filter(created_at__gte=buckets[0].start, created_at__lt=buckets[-1].end)
        .annotate(bucket=trunc("created_at", tzinfo=periods.zone()))
        .values("bucket")
        .annotate(**_search_counts())
        .order_by("bucket")
    }
    result = []
    for bucket in buckets:
        row = dict(rows.get(bucket.first_day) or {"searches": 0, "zero": 0, "clicked": 0})
        row.pop("bucket", None)
        result.append((bucket, _search_rates(row)))
    return result
