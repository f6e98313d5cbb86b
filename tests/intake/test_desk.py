"""The message desk in the Wagtail admin: who may see it, filters, SLA, claim/assign, notes, replies, statuses,
merging, VIP priority; every change one action with an audit entry; a fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.intake import actions
from portal.intake.actions import ActionRefused
from portal.intake.models import AuditEntry, CannedResponse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_customers_and_other_staff_cannot_open_the_queue(client, homes, make_staff, make_message):
    message = make_message()
    for user in (UserFactory(), make_staff("Agents"), make_staff("Moderators")):
        client.force_login(user)
        assert client.get("/admin/messages/").status_code in (302, 403)
        assert client.get(f"/admin/messages/{message.pk}/").status_code in (302, 403)
        assert client.post(f"/admin/messages/{message.pk}/claim/").status_code in (302, 403)
    message.refresh_from_db()
    assert message.assignee is None


def test_unknown_numeric_id_is_404_for_staff(client, desk, homes):
    client.force_login(desk)
    assert client.get("/admin/messages/99999999/").status_code == 404
    assert client.post("/admin/messages/99999999/claim/").status_code == 404


def test_messages_menu_is_shown_to_the_desk(client, desk, homes):
    client.force_login(desk)
    page = client.get("/admin/").content.decode()
    assert "/admin/messages/" in page


def test_sla_targets_by_kind_and_priority(make_message, settings):
    now = timezone.now()
    complaint = make_message(kind="complaint", now=now)
    inquiry = make_message(kind="inquiry", email="b@example.test", now=now)
    assert complaint.sla_due_at == now + timedelta(hours=24)
    assert inquiry.sla_due_at == now + timedelta(hours=48)
    assert complaint.sla_due_at < inquiry.sla_due_at


def test_vip_account_and_vip_verified_contacts_get_the_shorter_sla(make_message, supervisor, client):
    vip = UserFactory(email="vip-test@example.test")
    actions.set_vip(supervisor, vip, mobile="+8613711112222")
    now = timezone.now()
    by_account = make_message(user=vip, email=vip.email, kind="complaint", now=now)
    by_email = make_message(email="VIP-test@example.test", kind="complaint", now=now)  # not signed in
    by_mobile = make_message(email="", phone="+8613711112222", kind="complaint", now=now)
    ordinary = make_message(email="plain@example.test", kind="complaint", now=now)
    assert [m.priority for m in (by_account, by_email, by_mobile, ordinary)] == ["vip", "vip", "vip", "normal"]
    assert by_email.sla_due_at == now + timedelta(hours=4)
    client.force_login(supervisor)
    page = client.get(f"/admin/messages/?q={by_mobile.reference}").content.decode()
    assert "intake-badge-vip" in page
    assert AuditEntry.objects.filter(action="set_vip", data__user=vip.pk).exists()


def test_only_supervisors_mark_vips(desk):
    with pytest.raises(ActionRefused):
        actions.set_vip(desk, UserFactory())


def test_breached_messages_are_highlighted_and_filterable(client, desk, make_message):
    late = make_message(subject="过期未答", now=timezone.now() - timedelta(days=3))
    fresh_one = make_message(subject="刚刚提交", email="n@example.test")
    client.force_login(desk)
    page = client.get("/admin/messages/?sla=breached&status=open").content.decode()
    assert late.reference in page and fresh_one.reference not in page
    assert "intake-sla-breached" in page and 'class="intake-breach"' in page


def test_claim_assign_note_reply_close_reopen_each_audited(client, desk, supervisor, make_message, make_staff):
    message = make_message()
    other = make_staff("Message desk")
    client.force_login(desk)
    assert client.post(f"/admin/messages/{message.pk}/claim/").status_code == 302
    message.refresh_from_db()
    assert message.assignee == desk and message.status == "assigned"
    # A desk member may not hand work to a colleague; a supervisor may.
    with pytest.raises(ActionRefused):
        actions.assign_message(desk, message, other)
    actions.assign_message(supervisor, message, other)
    client.post(f"/admin/messages/{message.pk}/note/", {"body": "已核实"})
    client.post(f"/admin/messages/{message.pk}/reply/", {"body": "您好，已为您处理。", "kb_link": "/kb/certificate/"})
    message.refresh_from_db()
    assert message.status == "answered" and message.first_response_at is not None
    assert message.entries.filter(kind="reply").get().body == "您好，已为您处理。\n\n/kb/certificate/"
    client.post(f"/admin/messages/{message.pk}/close/")
    message.refresh_from_db()
    assert message.status == "closed"
    client.post(f"/admin/messages/{message.pk}/reopen/")
    message.refresh_from_db()
    assert message.status == "assigned"
    actions_logged = list(AuditEntry.objects.filter(message=message).order_by("id").values_list("action", flat=True))
    assert actions_logged == ["submit_message", "claim", "assign", "note", "reply", "close", "reopen"]


def test_reply_with_a_canned_response_reaches_the_customer_in_their_language(
    client, desk, make_message, django_capture_on_commit_callbacks
):
    canned = CannedResponse.objects.create(
        title="Thanks", language="en", body="Hello, this is done. <script>x</script>"
    )
    message = make_message(language="en", email="en-customer@example.test")
    client.force_login(desk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/messages/{message.pk}/reply/", {"canned": canned.pk, "body": ""})
    assert message.entries.filter(kind="reply").get().body == canned.body
    (sent,) = mail.outbox
    assert sent.to == ["en-customer@example.test"]
    assert sent.subject == f"Reply to your message {message.reference}"
    assert f"/en/messages/t/{message.tracking_token}/" in sent.body
    assert "Hello, this is done." in sent.body


def test_canned_responses_are_offered_in_the_customers_language(client, desk, make_message):
    CannedResponse.objects.create(title="Only English", language="en", body="x")
    CannedResponse.objects.create(title="只有中文", language="zh-hans", body="y")
    message = make_message(language="zh-hans")
    client.force_login(desk)
    page = client.get(f"/admin/messages/{message.pk}/").content.decode()
    assert "只有中文" in page and "Only English" not in page


def test_merge_duplicates_moves_the_conversation(client, desk, make_message):
    first = make_message(subject="网银证书过期", email="dup@example.test")
    second = make_message(subject="网银证书过期了", email="dup@example.test", body="再问一次")
    client.force_login(desk)
    detail = client.get(f"/admin/messages/{second.pk}/").content.decode()
    assert first.reference in detail  # offered as a duplicate
    response = client.post(f"/admin/messages/{second.pk}/merge/", {"target": first.pk})
    assert response["Location"] == f"/admin/messages/{first.pk}/"
    second.refresh_from_db()
    assert second.merged_into == first and second.status == "closed"
    assert "再问一次" in [e.body for e in first.entries.all()]
    assert AuditEntry.objects.filter(message=first, action="merge", data__source=second.reference).exists()


def test_lists_mask_card_and_phone_numbers(client, desk, make_message):
    message = make_message(subject="卡号 6222021234567890128 被盗刷", email="", phone="+8613812345678")
    client.force_login(desk)
    page = client.get(f"/admin/messages/?q={message.reference}").content.decode()
    assert "6222021234567890128" not in page and "***************0128" in page
    assert "+8613812345678" not in page and "+86138****5678" in page


def test_queue_first_page_runs_a_fixed_number_of_queries_whatever_the_filters(
    client, desk, make_message, django_assert_num_queries
):
    for index in range(40):
        make_message(email=f"q{index}@example.test", kind=("complaint", "inquiry")[index % 2])
    client.force_login(desk)
    client.get("/admin/messages/")  # warm the admin menu and the session
    urls = [
        "/admin/messages/",
        "/admin/messages/?status=new&kind=complaint&category=ebanking&priority=normal&channel=web",
        "/admin/messages/?sla=breached&assignee=me&supervisor=on",
        "/admin/messages/?q=q1%40example.test",
        "/admin/messages/?status=open&assignee=none&sla=on_track",
    ]
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # Session, user, one read of the user's groups and permissions (portal.core.roles.prime), Wagtail's profile,
    # locales, page and collection permissions and the forum's boards (admin chrome and menu), and one for the page
    # of messages with their assignees.
    assert counts == [9] * len(urls), counts
    with django_assert_num_queries(9):
        client.get(urls[0])


def test_queue_rows_are_labelled_masked_and_linked_in_the_admin_language(client, desk, make_message):
    from django.utils.translation import gettext, override, pgettext

    blocked = make_message(subject="卡号 6222021234567890128 被冻结", kind="complaint", category="bank_cards")
    client.force_login(desk)

    page = client.get("/admin/messages/?status=open&kind=complaint&category=bank_cards").content.decode()

    with override("zh-hans"):
        complaint, cards, web = gettext("Complaint"), gettext("Bank cards"), gettext("Website")
        new = pgettext("message status", "New")
    assert complaint != "Complaint"  # the desk works in Chinese by default
    assert f'<a href="/admin/messages/{blocked.pk}/">{blocked.reference}</a>' in page
    assert f"<td>{complaint} · {cards}</td>" in page and f"<td>{web}</td>" in page and f"<td>{new}</td>" in page
    assert "6222021234567890128" not in page and "***************0128" in page
    assert "王先生 · wa***@example.test" in page
    assert f'<option value="complaint" selected>{complaint}</option>' in page
    assert '<select name="kind" id="id_kind">' in page and 'name="q" id="id_q" value=""' in page


def test_duty_digest_alerts_new_complaints_and_breaches_once(desk, supervisor, make_message):
    from portal.intake.notifications import send_duty_digest

    complaint = make_message(kind="complaint", subject="投诉：柜台态度")
    late = make_message(kind="inquiry", email="late@example.test", now=timezone.now() - timedelta(days=5))
    mail.outbox.clear()
    result = send_duty_digest()
    assert result["sent"] and result["complaints"] >= 1 and result["breaches"] >= 1
    (digest,) = mail.outbox
    assert desk.email in digest.to and supervisor.email in digest.to
    assert complaint.reference in digest.body and late.reference in digest.body
    mail.outbox.clear()
    assert send_duty_digest() == {"complaints": 0, "breaches": 0, "sent": False}
    assert mail.outbox == []
