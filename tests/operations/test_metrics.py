"""Every item metric of a channel over a period, on threads with known timestamps (time travel, no sleeps)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import actions
from portal.operations import metrics, sources
from portal.operations.periods import Period
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def forum():
    return sources.get("forum")


def summary(day, kind="day", now=None):
    return metrics.summarise(forum(), Period.containing(kind, day), now=now or at(2030, 12, 31)).values


def test_empty_period_counts_zero_and_has_no_rates():
    values = summary(at(2030, 3, 6).date())

    assert values["new"] == 0
    assert values["sla_met_pct"] is None
    assert values["frt_median_hours"] is None
    assert values["satisfaction_pct"] is None
    assert values["reopen_pct"] is None


def test_answer_exactly_at_the_sla_limit_meets_it_and_one_second_later_does_not(ask, moderator):
    # The board's target is 24 hours.
    ask(at(2030, 3, 4, 10), answered_after=24 * H, by=moderator)
    ask(at(2030, 3, 4, 11), answered_after=24 * H + timedelta(seconds=1), by=moderator)

    values = summary(at(2030, 3, 4).date())

    assert values["new"] == 2
    assert values["responded"] == 2
    assert values["met"] == 1
    assert values["sla_met_pct"] == 50.0


def test_waiting_items_count_as_missed_only_once_past_due(ask):
    ask(at(2030, 3, 4, 10))  # due 2030-03-05 10:00

    before_due = summary(at(2030, 3, 4).date(), now=at(2030, 3, 5, 9, 59))
    after_due = summary(at(2030, 3, 4).date(), now=at(2030, 3, 5, 10, 1))

    assert (before_due["sla_eligible"], before_due["sla_met_pct"]) == (0, None)
    assert (after_due["sla_eligible"], after_due["sla_met_pct"]) == (1, 0.0)


def test_first_response_median_and_90th_percentile_are_nearest_rank(ask, moderator):
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):
        ask(at(2030, 3, 4, 0), answered_after=hours * H, by=moderator)

    values = summary(at(2030, 3, 4).date())

    assert values["frt_median_hours"] == 5.0
    assert values["frt_p90_hours"] == 9.0
    assert values["frt_avg_hours"] == 5.5


def test_business_hours_skip_the_night_and_the_weekend_in_shanghai(ask, moderator):
    # Friday 2030-03-08 17:00 Shanghai (09:00 UTC) to Monday 10:00: one business hour on Friday, one on Monday.
    ask(at(2030, 3, 8, 17), answered_after=timedelta(days=2, hours=17), by=moderator)

    values = summary(at(2030, 3, 8).date())

    assert values["frt_median_hours"] == 65.0
    assert values["frt_business_median_hours"] == 2.0


def test_a_question_asked_at_night_counts_business_time_from_nine(ask, moderator):
    # Tuesday 02:00 to 10:30 Shanghai: 18:00 UTC on Monday, the previous UTC day.
    ask(at(2030, 3, 5, 2), answered_after=timedelta(hours=8, minutes=30), by=moderator)

    values = summary(at(2030, 3, 5).date())

    assert values["frt_business_median_hours"] == 1.5


def test_days_are_shanghai_days_not_utc_days(ask):
    ask(at(2030, 3, 5, 0, 30))  # 2030-03-04 16:30 UTC
    ask(at(2030, 3, 4, 23, 59))

    assert summary(at(2030, 3, 5).date())["new"] == 1
    assert summary(at(2030, 3, 4).date())["new"] == 1


def test_month_ends_on_its_last_local_day(ask):
    ask(at(2030, 2, 28, 23, 59, 59))
    ask(at(2030, 3, 1, 0, 0, 0))

    february = summary(at(2030, 2, 10).date(), kind="month")
    march = summary(at(2030, 3, 10).date(), kind="month")

    assert february["new"] == 1
    assert march["new"] == 1


def test_week_runs_monday_to_sunday(ask):
    ask(at(2030, 3, 3, 23))  # Sunday
    ask(at(2030, 3, 4, 1))  # Monday

    assert summary(at(2030, 3, 6).date(), kind="week")["new"] == 1
    assert summary(at(2030, 3, 3).date(), kind="week")["new"] == 1


def test_reopened_items_raise_the_reopen_rate(ask, moderator):
    first = ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)
    second = ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)
    with time_machine.travel(at(2030, 3, 4, 12), tick=False):
        actions.close_thread(moderator, first)
        actions.close_thread(moderator, second)
    with time_machine.travel(at(2030, 3, 5, 12), tick=False):
        actions.reopen_thread(moderator, first, reason="客户说还是不行")

    values = summary(at(2030, 3, 4).date())

    assert (values["resolved"], values["reopened"], values["reopen_pct"]) == (2, 1, 50.0)
    assert values["resolution_median_hours"] == 3.0


def test_satisfaction_counts_only_rated_items_and_rating_response_rate_the_rest(ask, moderator, asker):
    rated = [ask(at(2030, 3, 4, 9), answered_after=H, by=moderator) for _index in range(3)]
    ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)  # answered, never rated
    actions.rate_answer(asker, rated[0], "satisfied")
    actions.rate_answer(asker, rated[1], "satisfied")
    actions.rate_answer(asker, rated[2], "dissatisfied")

    values = summary(at(2030, 3, 4).date())

    assert (values["rated"], values["satisfied"]) == (3, 2)
    assert values["satisfaction_pct"] == 66.7
    assert values["rating_response_pct"] == 75.0


def test_breakdown_by_board_and_by_staff_member(ask, moderator, make_staff, board):
    other = make_staff("Moderators", display_name="版主小王")
    ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)
    ask(at(2030, 3, 4, 9), answered_after=30 * H, by=moderator)
    ask(at(2030, 3, 4, 9), answered_after=2 * H, by=other)
    period = Period.containing("day", at(2030, 3, 4).date())

    boards = metrics.breakdown(forum(), period, "op_group", now=at(2030, 12, 31))
    staff = {row["op_staff"]: row for row in metrics.breakdown(forum(), period, "op_staff", now=at(2030, 12, 31))}

    assert [(row["op_group"], row["op_group_label"], row["new"], row["sla_met_pct"]) for row in boards] == [
        (board.pk, "运营测试版块", 3, 66.7)
    ]
    assert (staff[moderator.pk]["new"], staff[moderator.pk]["met"], staff[moderator.pk]["frt_avg_hours"]) == (
        2,
        1,
        15.5,
    )
    assert (staff[other.pk]["new"], staff[other.pk]["sla_met_pct"]) == (1, 100.0)


def test_trend_has_one_row_per_day_including_empty_days(ask, moderator):
    ask(at(2030, 3, 2, 9), answered_after=H, by=moderator)
    ask(at(2030, 3, 4, 9), answered_after=3 * H, by=moderator)
    ask(at(2030, 3, 4, 22))

    rows = metrics.trend(forum(), Period.containing("day", at(2030, 3, 4).date()), length=3)

    assert [(bucket.label, row["new"], row["frt_avg_hours"]) for bucket, row in rows] == [
        ("2030-03-02", 1, 1.0),
        ("2030-03-03", 0, None),
        ("2030-03-04", 2, 3.0),
    ]


def test_a_summary_takes_one_aggregate_and_on_sqlite_one_query_per_percentile(ask, moderator):
    for hours in (1, 2, 3):
        ask(at(2030, 3, 4, 9), answered_after=hours * H, by=moderator)

    with CaptureQueriesContext(connection) as queries:
        values = summary(at(2030, 3, 4).date())

    assert values["frt_median_hours"] == 2.0
    if connection.vendor == "postgresql":  # percentile_disc inside the aggregate
        assert len(queries) == 1
    else:
        # The aggregate, then median and 90th percentile of calendar and business first response (nothing is
        # resolved yet, so the resolution percentiles need no query).
        assert len(queries) == 1 + 4


def test_percentiles_take_the_ceil_rank_of_an_odd_count_and_leave_out_items_still_waiting(ask, moderator):
    for hours in (7, 3, 1, 6, 2, 5, 4):  # seven answers, out of order
        ask(at(2030, 3, 4, 0), answered_after=hours * H, by=moderator)
    ask(at(2030, 3, 4, 1))  # waiting: no first response, no resolution

    values = summary(at(2030, 3, 4).date())

    # ceil(0.5 * 7) = 4th and ceil(0.9 * 7) = 7th of 1..7 hours.
    assert (values["frt_median_hours"], values["frt_p90_hours"]) == (4.0, 7.0)
    assert values["resolution_median_hours"] is None


def test_vip_share_counts_threads_asked_by_customers_on_the_vip_line(ask, asker):
    from portal.accounts.models import VipCustomer
    from tests.factories import UserFactory

    ask(at(2030, 3, 5, 10))
    other = UserFactory(display_name="另一位客户")
    VipCustomer.objects.create(user=other)
    board = ask(at(2030, 3, 5, 11)).board
    with time_machine.travel(at(2030, 3, 5, 12), tick=False):
        actions.create_thread(
            other, board, title="贵宾专线怎么预约？", body="想预约理财经理。", check_limits=False, notify=False
        )

    assert summary(at(2030, 3, 5).date())["vip_pct"] == 33.3
