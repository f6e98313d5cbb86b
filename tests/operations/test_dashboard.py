"""The dashboard for the Operations role: who sees it, what it shows, its live panel, exports and drill-downs."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.operations import actions
from portal.operations.models import Target, TargetChange
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
MIN = timedelta(minutes=1)
URL = "/admin/operations/"


def zh(message, **values):
    """The Chinese text staff see (the admin speaks Chinese by default)."""
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


@pytest.fixture
def manager(make_staff):
    return make_staff("Operations", display_name="运营经理")


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def week(ask, moderator):
    """Tuesday 2030-03-05: one thread answered within its SLA, one late, one still waiting."""
    ask(at(2030, 3, 5, 9), answered_after=2 * H, by=moderator, title="转账限额怎么调")
    ask(at(2030, 3, 5, 10), answered_after=30 * H, by=moderator, title="信用卡年费")
    return ask(at(2030, 3, 5, 11), title="U盾丢了 <script>alert(1)</script>")


def test_customers_and_moderators_cannot_open_the_dashboard(client, customer, moderator):
    client.force_login(customer)
    # Someone with no staff role gets the portal's 403 page in their language, not the admin (issue 9).
    assert client.get(URL).status_code == 403
    client.force_login(moderator)
    # Wagtail's admin turns a refusal into a redirect to the dashboard with a message.
    assert client.get(URL)["Location"] == "/admin/"
    assert client.get(URL + "now.json")["Location"] == "/admin/"
    assert client.get(URL, {"export": "summary"})["Location"] == "/admin/"


def test_dashboard_shows_the_period_beside_the_previous_one_with_targets(signed_in, week, manager):
    actions.set_target(manager, "sla_met_pct", "forum", 90)

    with time_machine.travel(at(2030, 3, 6, 12), tick=False):
        signed_in.force_login(manager)  # the session must be fresh at the travelled-to time
        response = signed_in.get(URL, {"period": "day", "date": "2030-03-05"})

    page = response.content.decode()
    assert response.status_code == 200
    assert zh("%(current)s, compared with %(previous)s.", current="2030-03-05", previous="2030-03-04") in page
    summary = response.context["summary"]
    sla = next(row for row in summary.rows if row[1].text == zh("SLA met"))
    assert [cell.text for cell in sla] == [zh("Forum"), zh("SLA met"), "33.3%", "—", "90%", zh("missed")]
    assert "filter=missed" in sla[2].url
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "<script>alert(1)</script>" not in page
    assert "dashboard.js" in page


# Queries per dashboard page, by period (five channels: forum, message board, SMS, phone, live Q&A; KB; search
# from the daily summary). Per channel: 2 aggregates and 12 percentiles (this period and the one before), 1 trend,
# 2 breakdowns and the staff names, 1 forecast history, 2 for the live queue; then targets, KB, deflections,
# search, session and admin. Live Q&A added 16 to the day (no item the day before: its 6 percentiles do not run)
# and 22 to the week and month (its series for the target form among them). On PostgreSQL the percentiles come
# inside each summary's aggregate (percentile_disc): 16 fewer on the day, 32 on the week and month.
QUERIES = {"day": 85, "week": 103, "month": 103}
QUERIES_POSTGRESQL = {"day": 69, "week": 71, "month": 71}
LIVE_QA_BROADCASTS = [at(2030, 3, 5, 19, 30), at(2030, 2, 26, 19, 30), at(2030, 3, 6, 19, 30), at(2030, 3, 9, 11, 30)]


def test_each_dashboard_period_runs_a_fixed_number_of_queries_whatever_the_data(
    signed_in, ask, moderator, make_staff, manager, customer
):
    from portal.intake import actions as intake
    from search.models import SearchQuery
    from tests.videos.conftest import make_episode
    from videos import actions as videos
    from videos.models import SeriesPage

    def count(kind):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(URL, {"period": kind, "date": "2030-03-05"}).status_code == 200
        return len(queries)

    def message(when, desk, kind="inquiry"):
        written, _created = intake.submit_message(
            kind=kind,
            category="ebanking",
            subject="网银登录提示证书过期",
            body="今天登录网银时提示证书已过期。",
            email=f"customer{when:%d%H}@example.test",
            check_limits=False,
            notify=False,
            now=when,
        )
        intake.reply_to_message(desk, written, "请更新证书后再试。", close=True, notify=False, now=when + 2 * H)

    series = SeriesPage.objects.get(slug="meet-the-experts", locale__language_code="zh-hans")

    # The broadcasts are published first: a publish refreshes the site lookup, which is not what is counted.
    episodes = {day: make_episode(series, air_at=day, lines=0, experts=0) for day in LIVE_QA_BROADCASTS}

    def live_question(air_at, answered_after=None):
        episode = episodes[air_at]
        with time_machine.travel(air_at + timedelta(minutes=5), tick=False):
            question = videos.ask_question(episode=episode, user=customer, text="U盾丢了怎么办？").question
        if answered_after is not None:
            with time_machine.travel(air_at + timedelta(minutes=5) + answered_after, tick=False):
                videos.answer_question(question=question, user=moderator, answer="请先致电挂失。")

    # One answered item in this week and one in the week before, in the forum and on the message board: every
    # percentile query runs from here on.
    desk = make_staff("Message desk", display_name="留言坐席")
    ask(at(2030, 3, 5, 9), answered_after=H, by=moderator)
    ask(at(2030, 2, 26, 9), answered_after=H, by=moderator)
    message(at(2030, 3, 5, 8), desk)
    message(at(2030, 2, 26, 8), desk)
    live_question(at(2030, 3, 5, 19, 30), answered_after=10 * MIN)
    live_question(at(2030, 2, 26, 19, 30), answered_after=10 * MIN)
    with time_machine.travel(at(2030, 3, 9, 12), tick=False):
        signed_in.force_login(manager)  # the session must be fresh at the travelled-to time
        for kind in QUERIES:
            count(kind)  # the first request checks MFA, warms the caches and backfills the daily search summary
        few = {kind: count(kind) for kind in QUERIES}
    other = make_staff("Moderators", display_name="版主小王")
    for hour in range(9, 15):
        ask(at(2030, 3, 5, hour), answered_after=H, by=other if hour % 2 else moderator)
        ask(at(2030, 2, 26, hour), answered_after=30 * H, by=other)
        message(at(2030, 3, 5, hour), desk, kind="complaint" if hour % 2 else "inquiry")
        SearchQuery.objects.create(
            created_at=at(2030, 3, 9, hour),
            query="挂失",
            normalised="挂失",
            locale="zh-hans",
            source="page",
            role="anonymous",
            backend="elasticsearch",
            result_count=hour % 3,
        )
    live_question(at(2030, 3, 5, 19, 30), answered_after=20 * MIN)
    live_question(at(2030, 3, 6, 19, 30), answered_after=20 * MIN)
    live_question(at(2030, 3, 9, 11, 30))  # on air while the dashboard is counted: the queue has an oldest item
    with time_machine.travel(at(2030, 3, 9, 12), tick=False):
        many = {kind: count(kind) for kind in QUERIES}

    assert many == few == (QUERIES_POSTGRESQL if connection.vendor == "postgresql" else QUERIES)


def test_every_table_exports_as_csv(signed_in, week, manager):
    with time_machine.travel(at(2030, 3, 6, 12), tick=False):
        signed_in.force_login(manager)  # the session must be fresh at the travelled-to time
        page = signed_in.get(URL, {"period": "day", "date": "2030-03-05"})
        keys = [page.context["summary"].key, *(table.key for table in page.context["tables"])]
        responses = {key: signed_in.get(URL, {"period": "day", "date": "2030-03-05", "export": key}) for key in keys}

    assert {"summary", "groups-forum", "staff-forum", "kb", "search", "forecast-forum"} <= set(keys)
    for response in responses.values():
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
    summary = responses["summary"].content.decode()
    header = [zh("Channel"), zh("Metric"), "2030-03-05", zh("Previous period"), zh("Target value"), zh("Status")]
    assert summary.splitlines()[0] == ",".join(header)
    assert f"{zh('Forum')},{zh('New items')},3,0,—," in summary
    assert signed_in.get(URL, {"export": "nope"}).status_code == 404


def test_now_panel_reports_waiting_breached_and_the_longest_waiting(signed_in, week, manager):
    with time_machine.travel(at(2030, 3, 6, 12), tick=False):
        signed_in.force_login(manager)  # the session must be fresh at the travelled-to time
        data = signed_in.get(URL + "now.json").json()

    forum = next(channel for channel in data["channels"] if channel["key"] == "forum")
    assert data["at"] == "12:00:00"
    assert forum["waiting"] >= 1 and forum["breached"] >= 1
    assert forum["waiting_minutes"] >= 25 * 60


def test_drill_down_lists_the_items_behind_a_number(signed_in, week, manager):
    with time_machine.travel(at(2030, 3, 6, 12), tick=False):
        signed_in.force_login(manager)  # the session must be fresh at the travelled-to time
        response = signed_in.get(
            URL + "items/", {"channel": "forum", "period": "day", "date": "2030-03-05", "filter": "missed"}
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 2
    assert "信用卡年费" in page and "转账限额怎么调" not in page
    assert "U盾丢了 &lt;script&gt;" in page
    assert signed_in.get(URL + "items/", {"channel": "nope"}).status_code == 404


def test_a_target_is_saved_with_its_audit_entry_and_a_bad_one_is_refused(signed_in, manager):
    response = signed_in.post(URL + "targets/", {"metric": "satisfaction_pct", "team": "forum", "value": "85"})
    refused = signed_in.post(URL + "targets/", {"metric": "satisfaction_pct", "team": "", "value": "120"}, follow=True)

    assert response.status_code == 302
    assert Target.objects.get(metric="satisfaction_pct", team="forum").value == 85
    change = TargetChange.objects.get()
    assert (change.old_value, change.new_value, change.actor) == (None, 85, manager)
    assert zh("Enter a target between 0 and 100 for a percentage, or at least 0.") in refused.content.decode()


def test_the_longest_wait_reads_in_days_hours_and_minutes_in_both_languages():
    from django.utils import translation

    from portal.operations.queries import waiting_text

    # It used to say "(80163 分钟)" for a thread eight weeks old.
    with translation.override("zh-hans"):
        assert [waiting_text(m) for m in (1, 45, 185, 80163)] == ["1 分钟", "45 分钟", "3 小时 5 分", "55 天 16 小时"]
    with translation.override("en"):
        assert [waiting_text(m) for m in (1, 45, 185, 80163)] == ["1 minute", "45 minutes", "3 h 5 min", "55 d 16 h"]
