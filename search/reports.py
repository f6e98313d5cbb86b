"""Search analytics for staff: volumes, zero-result queries, click-through and use on calls, by period.

Read-only queries over SearchQuery/SearchEvent. Queries are grouped by their masked, normalised text
(no user is ever stored). Periods are days, ISO weeks or months in the site's time zone.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from search.models import SearchEvent, SearchQuery

PERIODS = {
    "day": (TruncDay, timedelta(days=30)),
    "week": (TruncWeek, timedelta(weeks=12)),
    "month": (TruncMonth, timedelta(days=365)),
}


@dataclass
class Report:
    period: str
    since: object
    totals: dict
    series: list
    top: list
    zero: list
    roles: list


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def build(period="day", now=None, limit=25):
    period = period if period in PERIODS else "day"
    trunc, span = PERIODS[period]
    now = now or timezone.now()
    since = now - span
    searches = SearchQuery.objects.filter(created_at__gte=since)
    totals = searches.aggregate(
        searches=Count("id"),
        zero=Count("id", filter=Q(result_count=0)),
        clicked=Count("id", filter=Q(clicked=True)),
        took=Avg("took_ms"),
    )
    totals["used"] = SearchEvent.objects.filter(created_at__gte=since, action=SearchEvent.Action.USED).count()
    totals["zero_rate"] = _rate(totals["zero"], totals["searches"])
    totals["click_rate"] = _rate(totals["clicked"], totals["searches"])
    totals["took"] = round(totals["took"] or 0, 1)
    used_by_bucket = dict(
        SearchEvent.objects.filter(created_at__gte=since, action=SearchEvent.Action.USED)
        .annotate(bucket=trunc("created_at"))
        .values("bucket")
        .annotate(n=Count("id"))
        .values_list("bucket", "n")
    )
    series = [
        {
            **row,
            "zero_rate": _rate(row["zero"], row["searches"]),
            "click_rate": _rate(row["clicked"], row["searches"]),
            "used": used_by_bucket.get(row["bucket"], 0),
        }
        for row in searches.annotate(bucket=trunc("created_at"))
        .values("bucket")
        .annotate(
            searches=Count("id"),
            zero=Count("id", filter=Q(result_count=0)),
            clicked=Count("id", filter=Q(clicked=True)),
        )
        .order_by("-bucket")
    ]
    top = [
        {**row, "click_rate": _rate(row["clicked"], row["searches"]), "results": round(row["results"] or 0, 1)}
        for row in searches.values("normalised")
        .annotate(searches=Count("id"), clicked=Count("id", filter=Q(clicked=True)), results=Avg("result_count"))
        .order_by("-searches", "normalised")[:limit]
    ]
    zero = list(
        searches.filter(result_count=0)
        .values("normalised")
        .annotate(searches=Count("id"))
        .order_by("-searches", "normalised")[:limit]
    )
    roles = list(searches.values("role").annotate(searches=Count("id")).order_by("-searches"))
    return Report(period=period, since=since, totals=totals, series=series, top=top, zero=zero, roles=roles)
