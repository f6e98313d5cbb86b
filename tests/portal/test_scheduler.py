"""The scheduler: every recurring job is in one table, each trigger hands its job to the task framework,
and running a job does its work (time travel, no sleeps)."""

import datetime
import os
import signal
import subprocess
import sys
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kb.models import ArticlePage
from portal import scheduler
from portal.tasks import run_scheduled_job
from search.models import IndexOutbox, SearchEntry
from tests.kb.conftest import make_article

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
EXPECTED = {
    "publish-scheduled": "portal.jobs.publish_scheduled",
    "search-outbox": "search.tasks.drain_outbox",
    "forum-escalation": "forum.actions.escalate_overdue_threads",
    "forum-sla-digest": "forum.notifications.send_sla_digest",
    "kb-review-reminders": "kb.notifications.send_review_reminders",
    "ops-search-days": "portal.operations.tasks.summarise_search_days",
    "ops-report-daily": "portal.operations.tasks.send_ops_report",
    "ops-report-weekly": "portal.operations.tasks.send_ops_report",
    "ops-report-monthly": "portal.operations.tasks.send_ops_report",
}


def test_every_recurring_job_is_defined_once_in_the_schedule():
    assert {job.name: job.target for job in scheduler.JOBS} == EXPECTED


def test_the_scheduler_registers_every_job_whose_code_is_present():
    runner = scheduler.build_scheduler()

    registered = {job.id for job in runner.get_jobs()}
    present = {job.name for job in scheduler.JOBS if scheduler.resolve(job) is not None}
    assert registered == present
    assert {"publish-scheduled", "search-outbox", "forum-sla-digest", "kb-review-reminders"} <= registered


def test_a_job_whose_code_has_not_landed_waits_instead_of_failing(monkeypatch):
    missing = scheduler.Job("later-report", "portal.no_such_module.weekly_report", "0 6 * * mon", "later")
    monkeypatch.setattr(scheduler, "JOBS", (*scheduler.JOBS, missing))
    out = StringIO()

    call_command("run_scheduler", "--list", stdout=out)

    assert "later-report" not in {job.id for job in scheduler.build_scheduler().get_jobs()}
    assert scheduler.run_job("later-report") == "waiting"
    assert "waiting for portal.no_such_module.weekly_report" in out.getvalue()


def test_publishing_fires_every_minute_and_the_review_reminder_on_monday_morning():
    now = datetime.datetime(2026, 12, 2, 3, 2, 30, tzinfo=SHANGHAI)  # a Wednesday

    publish = scheduler.trigger(scheduler.get_job("publish-scheduled")).get_next_fire_time(None, now)
    reminders = scheduler.trigger(scheduler.get_job("kb-review-reminders")).get_next_fire_time(None, now)

    assert publish == datetime.datetime(2026, 12, 2, 3, 3, tzinfo=SHANGHAI)
    assert reminders == datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)


def test_the_operations_reports_are_scheduled_each_morning_monday_and_first_of_the_month():
    now = datetime.datetime(2026, 12, 2, 3, 2, 30, tzinfo=SHANGHAI)  # a Wednesday
    out = StringIO()

    call_command("run_scheduler", "--list", stdout=out)

    listed = out.getvalue()
    fires = {}
    for name, args in (("daily", ("daily",)), ("weekly", ("weekly",)), ("monthly", ("monthly",))):
        job = scheduler.get_job(f"ops-report-{name}")
        assert job.args == args
        assert f"ops-report-{name}" in listed
        fires[name] = scheduler.trigger(job).get_next_fire_time(None, now)
    assert fires == {
        "daily": datetime.datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI),
        "weekly": datetime.datetime(2026, 12, 7, 7, 10, tzinfo=SHANGHAI),
        "monthly": datetime.datetime(2027, 1, 1, 7, 20, tzinfo=SHANGHAI),
    }
    summary = scheduler.trigger(scheduler.get_job("ops-search-days")).get_next_fire_time(None, now)
    assert summary == datetime.datetime(2026, 12, 3, 0, 15, tzinfo=SHANGHAI)
    assert {"ops-report-daily", "ops-report-weekly", "ops-report-monthly", "ops-search-days"} <= {
        job.id for job in scheduler.build_scheduler().get_jobs()
    }


def test_an_approved_article_scheduled_for_0303_goes_live_when_the_scheduler_fires(demo_site):
    page = make_article(title="定时发布的问题：几点上线？")
    page.unpublish()
    page = ArticlePage.objects.get(pk=page.pk)
    go_live = datetime.datetime(2026, 12, 2, 3, 3, tzinfo=SHANGHAI)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 22, 0, tzinfo=SHANGHAI), tick=False):
        page.go_live_at = go_live
        page.save_revision().publish()  # what a reviewer's approval does: live at the scheduled time
        page.refresh_from_db()
        assert page.live is False and page.approved_schedule is True
        url = page.get_url()
        assert Client().get(url).status_code == 404

    with time_machine.travel(go_live + datetime.timedelta(seconds=20), tick=False):
        scheduler._fire("publish-scheduled")  # what the cron trigger calls at 03:03

    page.refresh_from_db()
    assert page.live is True
    response = Client().get(url)
    assert response.status_code == 200
    assert "定时发布的问题：几点上线？" in response.content.decode()


@pytest.fixture
def moderator_with_breach(demo_site, make_staff):
    from forum import actions
    from forum.models import BoardPage, ForumIndexPage, Thread
    from tests.factories import UserFactory

    board = BoardPage(slug="scheduler-test-board", title="调度测试版块", first_response_hours=24)
    ForumIndexPage.objects.get(locale__language_code="zh-hans").add_child(instance=board)
    board.save_revision().publish()
    author = UserFactory(display_name="提问的用户")
    thread = actions.create_thread(
        author, board, title="超时未回复的问题", body="一直没人回复。", check_limits=False, notify=False
    ).thread
    Thread.objects.filter(pk=thread.pk).update(sla_due_at=timezone.now() - datetime.timedelta(hours=5))
    return make_staff("Moderators", display_name="值班版主")


def test_a_job_runs_once_per_slot_however_often_it_is_enqueued(moderator_with_breach, mailoutbox):
    slot = "2026-12-02T03:05:00+00:00"

    first = run_scheduled_job.enqueue("forum-sla-digest", slot)
    second = run_scheduled_job.enqueue("forum-sla-digest", slot)
    third = run_scheduled_job.enqueue("forum-sla-digest", "2026-12-02T04:05:00+00:00")

    assert second.return_value == "already ran"
    assert first.return_value >= 1 and third.return_value != "already ran"  # a new slot runs the job again
    mine = [m for m in mailoutbox if m.to == [moderator_with_breach.email]]
    assert len(mine) == 1  # and the digest's own mail key keeps it to one mail for the same breaches
    assert "超时未回复的问题" in mine[0].body


def test_the_outbox_job_applies_changes_that_were_left_waiting(demo_site, settings):
    settings.ELASTICSEARCH_URL = ""  # no node: the drain keeps the database entries only
    page = make_article(title="排队等待索引的问题")  # in the test's transaction: no after-commit drain ran
    assert IndexOutbox.objects.filter(object_pk=str(page.pk)).exists()

    result = scheduler.run_job("search-outbox")

    assert result["remaining"] == 0 and result["processed"] >= 1
    assert not IndexOutbox.objects.filter(object_pk=str(page.pk)).exists()
    assert SearchEntry.objects.filter(object_pk=str(page.pk)).exists()


def test_review_reminders_list_each_owners_articles_in_their_language(demo_site, make_staff, mailoutbox):
    from portal.core import roles

    owner = make_staff(roles.EDITORS, preferred_language="en")
    today = timezone.localdate()
    late = make_article(
        title="Overdue question",
        locale="en",
        owner=owner.email,
        review_by=(today - datetime.timedelta(days=3)).isoformat(),
    )
    make_article(
        title="Fresh question",
        locale="en",
        owner=owner.email,
        review_by=(today + datetime.timedelta(days=90)).isoformat(),
    )

    result = scheduler.run_job("kb-review-reminders")

    mine = [m for m in mailoutbox if m.to == [owner.email]]
    assert result >= 1 and len(mine) == 1
    assert mine[0].subject == "1 knowledge-base articles to review"
    assert "Overdue question (en)" in mine[0].body
    assert f"/admin/pages/{late.pk}/edit/" in mine[0].body
    assert "Fresh question" not in mine[0].body


def test_the_scheduler_process_stops_cleanly_on_sigterm(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "run_scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "Scheduler started" in line:
            break
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=30)

    assert process.returncode == 0, "".join(lines) + rest
    assert "publish-scheduled" in "".join(lines)
    assert "Scheduler stopping (SIGTERM)." in rest
