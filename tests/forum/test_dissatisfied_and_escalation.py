"""A dissatisfied asker re-opens the thread for the board's moderators and alerts the supervisors; a thread
far past its first-response target is escalated to the supervisors once, and the SLA queue shows both."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum import actions
from forum.models import AuditEntry, Thread
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_staff):
    """The one supervisor on duty: the demo's own supervisor account is stood down for the test."""
    from forum.policies import ForumPolicy

    ForumPolicy.supervisors().update(is_active=False)
    return make_staff("Supervisors", display_name="值班主管", preferred_language="zh-hans")


@pytest.fixture
def answered(thread, veteran, moderator):
    answer = reply(moderator, thread, "请重新下载证书。")
    actions.accept_answer(veteran, answer, notify=False)
    thread.refresh_from_db()
    return thread


def sla_page(client, user):
    client.force_login(user)
    response = client.get("/forum/moderation/sla/")
    assert response.status_code == 200
    return response.content.decode()


def test_history_written_without_notifications_reopens_the_thread_and_mails_nobody(
    answered, veteran, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    # The operations demo writes weeks of ratings: `make run` used to print 15 supervisor e-mails about them.
    with django_capture_on_commit_callbacks(execute=True):
        actions.rate_answer(veteran, answered, "dissatisfied", notify=False)

    answered.refresh_from_db()
    assert answered.status == Thread.Status.OPEN and answered.reopened_at is not None
    assert mailoutbox == []


def test_a_dissatisfied_rating_reopens_the_thread_in_the_sla_queue(
    client, answered, veteran, moderator, supervisor, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_SUPERVISOR_EMAILS = ["duty@example.test"]
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        actions.rate_answer(veteran, answered, "dissatisfied", "还是登录不了")

    answered.refresh_from_db()
    assert answered.status == Thread.Status.OPEN
    assert answered.reopened_at >= before
    assert answered.sla_due_at >= before + timedelta(hours=24)
    assert answered.accepted_post_id is not None  # the answer stays; the question waits for staff again
    assert AuditEntry.objects.filter(action="rating_reopen", thread=answered).count() == 1
    page = sla_page(client, moderator)
    assert answered.title in page
    assert zh("Re-opened: the asker is dissatisfied") in page
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {supervisor.email, "duty@example.test"}
    assert "还是登录不了" in by_address[supervisor.email].body
    assert answered.title in by_address[supervisor.email].subject
    assert "不满意" in by_address[supervisor.email].subject  # the supervisor's language
    assert "不满意" in by_address["duty@example.test"].subject  # no account: the site's language


def test_rating_dissatisfied_twice_alerts_once(
    answered, veteran, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.rate_answer(veteran, answered, "dissatisfied")
        actions.rate_answer(veteran, answered, "dissatisfied", "真的不行")

    assert [m.to for m in mailoutbox] == [[supervisor.email]]


def test_a_new_official_answer_takes_the_thread_out_of_the_queue(client, answered, veteran, moderator):
    actions.rate_answer(veteran, answered, "dissatisfied")

    reply(moderator, answered, "已为您重置，请再试一次。")

    answered.refresh_from_db()
    assert (answered.status, answered.reopened_at) == (Thread.Status.ANSWERED, None)
    assert answered.title not in sla_page(client, moderator)


def test_a_satisfied_rating_neither_reopens_nor_alerts(answered, veteran, supervisor, mailoutbox):
    actions.rate_answer(veteran, answered, "satisfied")

    answered.refresh_from_db()
    assert (answered.status, answered.reopened_at, mailoutbox) == (Thread.Status.ANSWERED, None, [])


def test_changing_a_dissatisfied_rating_to_satisfied_closes_the_reopening(answered, veteran):
    actions.rate_answer(veteran, answered, "dissatisfied")
    actions.rate_answer(veteran, answered, "satisfied")

    answered.refresh_from_db()
    assert (answered.status, answered.reopened_at) == (Thread.Status.ANSWERED, None)


def test_a_thread_past_the_second_threshold_is_escalated_once(
    client, board, make_thread, moderator, supervisor, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_FORUM_SLA_ESCALATE_HOURS = 8
    late = make_thread(title="九小时没人回")
    merely_late = make_thread(title="才超时两小时")
    now = timezone.now()
    Thread.objects.filter(pk=late.pk).update(sla_due_at=now - timedelta(hours=9))
    Thread.objects.filter(pk=merely_late.pk).update(sla_due_at=now - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        first = actions.escalate_overdue_threads()
    with django_capture_on_commit_callbacks(execute=True):
        second = actions.escalate_overdue_threads()

    assert [thread.pk for thread in first if thread.board_id == board.pk] == [late.pk]  # the demo has late ones too
    assert second == []
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert [m.to for m in mailoutbox] == [[supervisor.email]]
    assert "九小时没人回" in mailoutbox[0].body
    assert "才超时两小时" not in mailoutbox[0].body
    assert "超时 9 小时" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="escalate", thread=late).count() == 1
    rows = {row.split("</a>", 1)[0].rsplit(">", 1)[-1]: row for row in sla_page(client, moderator).split("<li ")}
    assert zh("Escalated to supervisors") in rows["九小时没人回"]
    assert zh("Escalated to supervisors") not in rows["才超时两小时"]


def test_the_escalation_command_reports_what_it_did(board, make_thread, supervisor, settings, capsys):
    settings.PORTAL_FORUM_SLA_ESCALATE_HOURS = 1
    late = make_thread()
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=3))

    call_command("forum_escalate")

    out = capsys.readouterr().out
    assert out.endswith(" thread(s) escalated.\n") and int(out.split()[0]) >= 1
    assert Thread.objects.get(pk=late.pk).escalated_at is not None


def test_an_answered_thread_is_never_escalated(board, make_thread, moderator, supervisor, settings, mailoutbox):
    settings.PORTAL_FORUM_SLA_ESCALATE_HOURS = 1
    late = make_thread()
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=3))
    reply(moderator, late, "已回复")

    assert late.pk not in {thread.pk for thread in actions.escalate_overdue_threads()}
