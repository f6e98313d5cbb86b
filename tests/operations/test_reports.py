"""The daily, weekly and monthly reports: `manage.py ops_report` and the scheduler's `send_report`."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.operations import reports
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def zh(message, **values):
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def test_weekly_report_covers_the_week_just_closed_and_mails_html_with_svg_and_csv(ask, moderator, make_staff):
    manager = make_staff("Operations", email="ops-manager@example.test")
    ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)  # Monday of the week just closed
    ask(at(2030, 3, 11, 9), answered_after=H, by=moderator)  # this week: not in the report

    with time_machine.travel(at(2030, 3, 12, 8), tick=False):
        call_command("ops_report", "--period", "weekly", "--email", stdout=io.StringIO())

    message = next(m for m in mail.outbox if manager.email in m.to)
    html, mime = message.alternatives[0]
    name, csv_text, csv_type = message.attachments[0]
    assert message.subject == zh("Service centre report: %(period)s", period="2030-03-04 – 2030-03-10")
    assert mime == "text/html"
    assert "<svg" in html
    assert (name, csv_type) == ("operations-week-2030-W10.csv", "text/csv")
    assert f"{zh('Forum')},{zh('New items')},1,0," in csv_text


def test_report_for_a_given_date_and_the_month_end(ask, moderator):
    ask(at(2030, 2, 28, 23, 30), answered_after=H, by=moderator)
    ask(at(2030, 3, 1, 0, 10), answered_after=H, by=moderator)

    report = reports.build_report("month", at(2030, 2, 1).date())

    summary = report.table("summary").rows
    new = next(row for row in summary if row[1].text == zh("New items"))
    assert new[2].text == "1"
    assert str(report.period) == "2030-02-01 – 2030-02-28"


def test_a_bad_date_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD, not '2030-02-30'"):
        call_command("ops_report", "--period", "daily", "--date", "2030-02-30")


def test_without_recipients_nothing_is_sent(ask):
    report, sent = reports.send_report("day", to=[])

    assert sent == 0
    assert report.period.kind == "day"


def test_the_scheduled_task_sends_the_day_just_closed(ask, moderator, make_staff):
    from portal.operations.tasks import send_ops_report

    make_staff("Operations", email="ops-night@example.test")
    ask(at(2030, 3, 4, 9), answered_after=H, by=moderator)

    with time_machine.travel(at(2030, 3, 5, 7), tick=False):
        send_ops_report.call("daily")

    message = next(m for m in mail.outbox if "ops-night@example.test" in m.to)
    assert message.subject == zh("Service centre report: %(period)s", period="2030-03-04")


def test_each_scheduled_report_goes_out_once_per_period_however_often_the_job_runs(ask, moderator, make_staff):
    from portal.operations.models import SentReport
    from portal.tasks import run_scheduled_job

    make_staff("Operations", email="ops-schedule@example.test")
    ask(at(2030, 3, 31, 9), answered_after=H, by=moderator)  # Sunday: the last day of the week and the month

    with time_machine.travel(at(2030, 4, 1, 7, 30), tick=False):  # Monday 1 April
        first = {
            name: run_scheduled_job.enqueue(name, "2030-04-01T07:00:00+08:00").return_value
            for name in ("ops-report-daily", "ops-report-weekly", "ops-report-monthly")
        }
        # The job again in another slot (a second scheduler, `run_scheduler --run`, a retried task).
        again = {
            name: run_scheduled_job.enqueue(name, "2030-04-01T07:25:00+08:00").return_value
            for name in ("ops-report-daily", "ops-report-weekly", "ops-report-monthly")
        }

    subjects = sorted(m.subject for m in mail.outbox if "ops-schedule@example.test" in m.to)
    assert first == dict.fromkeys(first, 1)
    assert again == dict.fromkeys(again, 0)
    assert subjects == sorted(
        zh("Service centre report: %(period)s", period=period)
        for period in ("2030-03-31", "2030-03-25 – 2030-03-31", "2030-03-01 – 2030-03-31")
    )
    sent = SentReport.objects.order_by("kind").values_list("kind", "first_day", "recipients")
    everyone = len(reports.recipients())  # the demo's operations manager and ours
    assert [(kind, str(day), count) for kind, day, count in sent] == [
        ("day", "2030-03-31", everyone),
        ("month", "2030-03-01", everyone),
        ("week", "2030-03-25", everyone),
    ]


def test_a_report_that_failed_to_send_is_sent_by_the_next_run(ask, moderator, make_staff, monkeypatch):
    from portal.operations import actions
    from portal.operations.models import SentReport

    make_staff("Operations", email="ops-retry@example.test")

    def relay_down(*args, **kwargs):
        raise ConnectionRefusedError("relay down")

    with time_machine.travel(at(2030, 3, 5, 7), tick=False):
        monkeypatch.setattr(reports.EmailMultiAlternatives, "send", relay_down)  # the SMTP relay cannot run here
        with pytest.raises(ConnectionRefusedError):
            actions.send_period_report("day")
        assert not SentReport.objects.exists()
        monkeypatch.undo()
        assert actions.send_period_report("day") == 1

    assert [m.subject for m in mail.outbox if "ops-retry@example.test" in m.to] == [
        zh("Service centre report: %(period)s", period="2030-03-04")
    ]
