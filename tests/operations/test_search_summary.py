"""The dashboard's search figures read a daily summary (SearchDay) for closed days and the log for today: the
summary agrees with the raw log, is backfilled on demand, recounted by the nightly job, and cheap to read."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.operations import actions, metrics
from portal.operations.models import SearchDay
from portal.operations.periods import Period
from portal.tasks import run_scheduled_job
from search.models import SearchQuery
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2030, 4, 2, 15)  # Tuesday 2 April 2030, afternoon in Shanghai


def log(when, results=3, clicked=False, text="网银登录"):
    return SearchQuery.objects.create(
        created_at=when,
        query=text,
        normalised=text,
        locale="zh-hans",
        source="page",
        role="anonymous",
        backend="elasticsearch",
        result_count=results,
        clicked=clicked,
    )


@pytest.fixture
def history(db):
    """Searches on both sides of local midnights, a week boundary and the end of March, and today."""
    log(at(2030, 2, 28, 23, 59, 59), results=0)
    log(at(2030, 3, 1, 0, 0), clicked=True)  # 16:00 UTC on 28 Feb: a March search in Shanghai
    log(at(2030, 3, 17, 23, 30))  # Sunday
    log(at(2030, 3, 18, 0, 30), results=0)  # Monday: the next ISO week
    log(at(2030, 3, 31, 23, 59), clicked=True)
    log(at(2030, 4, 1, 0, 1))
    log(at(2030, 4, 1, 12), results=0)
    log(at(2030, 4, 2, 9), clicked=True)  # today
    log(at(2030, 4, 2, 14, 59))  # today


@pytest.mark.parametrize(("kind", "length"), [("day", 40), ("week", 8), ("month", 3)])
def test_summary_trend_agrees_with_the_raw_log(history, kind, length):
    period = Period.containing(kind, NOW.date())

    summarised = metrics.search_trend(period, length=length, now=NOW)

    assert summarised == metrics.search_trend_live(period, length=length)
    assert sum(row["searches"] for _bucket, row in summarised) == 9


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("month", at(2030, 3, 10).date(), {"searches": 4, "zero": 1, "clicked": 2}),
        ("month", at(2030, 2, 10).date(), {"searches": 1, "zero": 1, "clicked": 0}),
        ("month", NOW.date(), {"searches": 4, "zero": 1, "clicked": 1}),
        ("week", at(2030, 3, 17).date(), {"searches": 1, "zero": 0, "clicked": 0}),
        ("week", NOW.date(), {"searches": 4, "zero": 1, "clicked": 1}),
        ("day", NOW.date(), {"searches": 2, "zero": 0, "clicked": 1}),
        ("day", at(2030, 3, 1).date(), {"searches": 1, "zero": 0, "clicked": 1}),
    ],
)
def test_period_figures_from_the_summary_agree_with_the_raw_log(history, kind, day, expected):
    period = Period.containing(kind, day)

    figures = metrics.search_summary(period, now=NOW)

    assert {name: figures[name] for name in expected} == expected
    assert figures == metrics.search_summary_live(period)


def test_closed_days_are_summarised_once_and_today_is_counted_live(history):
    month = Period.containing("month", NOW.date())
    metrics.search_summary(month, now=NOW)
    assert SearchDay.objects.get(day=at(2030, 4, 1).date()).searches == 2
    assert not SearchDay.objects.filter(day=NOW.date()).exists()  # today is still filling

    log(NOW - timedelta(minutes=5))  # a search today shows at once
    log(at(2030, 4, 1, 20), clicked=True)  # a row of yesterday that came in late (a queued log write)

    figures = metrics.search_summary(month, now=NOW)
    assert figures["searches"] == 5  # 2 yesterday (as summarised) + 3 today
    assert figures["clicked"] == 1

    with time_machine.travel(at(2030, 4, 3, 0, 15), tick=False):  # the nightly job recounts yesterday and before
        assert run_scheduled_job.enqueue("ops-search-days", "2030-04-03T00:15:00+08:00").return_value == 2

    assert SearchDay.objects.get(day=at(2030, 4, 1).date()).searches == 3
    assert SearchDay.objects.get(day=NOW.date()).searches == 3
    figures = metrics.search_summary(month, now=at(2030, 4, 3, 9))
    assert figures == metrics.search_summary_live(month)
    assert (figures["searches"], figures["clicked"]) == (6, 2)


def test_a_backfill_counts_only_the_days_without_a_row(history):
    actions.summarise_search_days(at(2030, 3, 1).date(), at(2030, 3, 2).date(), now=NOW)
    SearchDay.objects.filter(day=at(2030, 3, 1).date()).update(searches=99)  # marks the row it must not redo

    written = actions.backfill_search_days(at(2030, 2, 27).date(), at(2030, 3, 3).date(), now=NOW)

    # 27 and 28 February, 2 March: the missing days were counted; the row of 1 March was left alone.
    assert written == 3
    assert SearchDay.objects.get(day=at(2030, 3, 1).date()).searches == 99
    assert SearchDay.objects.get(day=at(2030, 2, 28).date()).searches == 1
    assert SearchDay.objects.get(day=at(2030, 2, 27).date()).searches == 0
    assert actions.backfill_search_days(at(2030, 2, 27).date(), at(2030, 3, 3).date(), now=NOW) == 0


def test_a_summarised_trend_reads_two_queries_whatever_the_log_holds(history):
    period = Period.containing("month", NOW.date())
    metrics.search_trend(period, length=24, now=NOW)  # the first view backfills two years of days

    with CaptureQueriesContext(connection) as few:
        metrics.search_trend(period, length=24, now=NOW)
    for day in range(1, 29):
        log(at(2029, 6, day, 10))
        log(NOW - timedelta(minutes=day))
    actions.summarise_search_days(at(2029, 6, 1).date(), at(2029, 7, 1).date(), now=NOW)
    with CaptureQueriesContext(connection) as many:
        trend = metrics.search_trend(period, length=24, now=NOW)

    assert len(few) == len(many) == 2  # the summary grouped by month, and today live
    assert {bucket.label: row["searches"] for bucket, row in trend}["2029-06"] == 28
    assert trend == metrics.search_trend_live(period, length=24)
