"""Tracking without an account: the private link, lookup by reference + contact, adding information, ratings."""

import pytest

from portal.intake import actions
from portal.intake.models import Entry, Rating

pytestmark = pytest.mark.django_db

NOT_FOUND = "We found no message with these details."


def test_unknown_token_is_404(client, homes):
    assert client.get("/messages/t/not-a-real-token/").status_code == 404


def test_lookup_by_reference_and_contact_redirects_to_tracking(client, make_message):
    message = make_message(email="lookup@example.test", phone="+8613812345678")
    for contact in ("lookup@example.test", "LOOKUP@example.test", "138 1234 5678"):
        response = client.post("/en/messages/find/", {"reference": message.reference.lower(), "contact": contact})
        assert response.status_code == 302
        assert response["Location"] == f"/en/messages/t/{message.tracking_token}/"


def test_lookup_with_wrong_reference_or_someone_elses_contact_gives_the_same_404(client, make_message):
    mine = make_message(email="mine@example.test")
    other = make_message(email="other@example.test")
    wrong_contact = client.post("/en/messages/find/", {"reference": mine.reference, "contact": "other@example.test"})
    wrong_reference = client.post(
        "/en/messages/find/", {"reference": "LY-20990101-999999", "contact": "mine@example.test"}
    )
    assert wrong_contact.status_code == wrong_reference.status_code == 404
    assert NOT_FOUND in wrong_contact.content.decode() and NOT_FOUND in wrong_reference.content.decode()
    assert other.reference not in wrong_contact.content.decode()


def test_lookup_is_rate_limited(client, make_message, settings):
    settings.PORTAL_INTAKE_LOOKUP_LIMITS = [("ip", 3, 600)]
    message = make_message(email="guess@example.test")
    for _ in range(3):
        client.post("/en/messages/find/", {"reference": message.reference, "contact": "nope@example.test"})
    blocked = client.post("/en/messages/find/", {"reference": message.reference, "contact": "guess@example.test"})
    assert blocked.status_code == 429
    assert "Too many attempts. Please wait a while and try again." in blocked.content.decode()


def test_customer_adds_information_and_an_answered_message_reopens(client, make_message, desk):
    message = make_message()
    actions.reply_to_message(desk, message, "请更新证书。", notify=False)
    response = client.post(f"/en/messages/t/{message.tracking_token}/", {"body": "还是不行，提示 <b>错误 42</b>"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "assigned"
    added = message.entries.filter(kind=Entry.Kind.CUSTOMER).last()
    assert added.body == "还是不行，提示 <b>错误 42</b>"  # stored exactly
    page = client.get(f"/en/messages/t/{message.tracking_token}/").content.decode()
    assert "还是不行，提示 &lt;b&gt;错误 42&lt;/b&gt;" in page  # rendered escaped


def test_internal_notes_never_reach_the_customer(client, make_message, desk):
    message = make_message()
    actions.add_note(desk, message, "内部备注：客户曾多次来电")
    actions.reply_to_message(desk, message, "您好，已处理。", notify=False)
    page = client.get(f"/messages/t/{message.tracking_token}/").content.decode()
    assert "内部备注" not in page
    assert "您好，已处理。" in page


def test_one_rating_per_reply(client, make_message, desk):
    message = make_message()
    reply = actions.reply_to_message(desk, message, "已处理。", notify=False)
    url = f"/en/messages/t/{message.tracking_token}/rate/{reply.pk}/"
    first = client.post(url, {f"r{reply.pk}-score": "satisfied", f"r{reply.pk}-comment": "谢谢"})
    assert first.status_code == 302
    second = client.post(url, {f"r{reply.pk}-score": "dissatisfied"}, follow=True)
    assert "You have already rated this reply." in second.content.decode()
    assert Rating.objects.filter(reply=reply).count() == 1
    assert Rating.objects.get(reply=reply).score == "satisfied"
    assert "You rated this reply: Satisfied." in second.content.decode()


def test_dissatisfied_reopens_and_goes_to_the_supervisor_queue(client, make_message, desk, supervisor):
    message = make_message()
    reply = actions.reply_to_message(desk, message, "已处理。", close=True, notify=False)
    client.post(f"/messages/t/{message.tracking_token}/rate/{reply.pk}/", {f"r{reply.pk}-score": "dissatisfied"})
    message.refresh_from_db()
    assert message.status == "assigned" and message.needs_supervisor and message.closed_at is None
    client.force_login(supervisor)
    queue = client.get("/admin/messages/?supervisor=on").content.decode()
    assert message.reference in queue


def test_rating_someone_elses_reply_is_404(client, make_message, desk):
    mine = make_message()
    theirs = make_message(email="else@example.test")
    reply = actions.reply_to_message(desk, theirs, "答复", notify=False)
    response = client.post(f"/messages/t/{mine.tracking_token}/rate/{reply.pk}/", {f"r{reply.pk}-score": "satisfied"})
    assert response.status_code == 404
