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
