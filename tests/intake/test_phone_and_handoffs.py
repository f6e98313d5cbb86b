"""Calls logged by agents from the search console; hand-offs to a draft KB article and a public forum thread."""

import pytest

from portal.intake import actions
from portal.intake.actions import ActionRefused
from portal.intake.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_agent_logs_a_call_as_a_phone_message(client, agent, fresh):
    from kb.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="zh-hans", audience="public").first()
    client.force_login(agent)
    console = client.get("/console/").content.decode()
    assert "/messages/call/" in console
    response = client.post(
        "/messages/call/",
        {
            "phone": "010-6552 8888",
            "question": "客户询问如何挂失借记卡",
            "kind": "inquiry",
            "category": "bank_cards",
            "article": article.url,
            "outcome": "answered",
        },
    )
    assert response.status_code == 302
    message = fresh.get()
    assert message.channel == "phone" and message.phone == "+861065528888"
    assert message.kb_article_id == article.pk
    assert message.status == "closed" and message.resolved_on_call and message.first_response_at
    assert AuditEntry.objects.filter(message=message, action="log_call", actor=agent).exists()


def test_a_call_to_follow_up_stays_open(client, agent, fresh):
    client.force_login(agent)
    client.post(
        "/en/messages/call/",
        {
            "phone": "13812345678",
            "question": "Wants a call back",
            "kind": "complaint",
            "category": "credit",
            "outcome": "follow_up",
        },
    )
    message = fresh.get()
    assert message.status == "new" and not message.resolved_on_call


def test_unknown_article_is_refused_with_a_clear_message(client, agent, fresh):
    client.force_login(agent)
    response = client.post(
        "/en/messages/call/",
        {
            "phone": "13812345678",
            "question": "x",
            "kind": "inquiry",
            "category": "other",
            "article": "999999",
            "outcome": "answered",
        },
    )
    assert response.status_code == 400
    assert "We found no published KB article at that link or number." in response.content.decode()
    assert fresh.count() == 0


def test_customers_cannot_log_calls(client, homes):
    client.force_login(UserFactory())
    assert client.get("/messages/call/").status_code == 403


def test_answered_message_becomes_a_draft_kb_article(desk, make_message):
    from kb.models import ArticlePage

    message = make_message(subject="证书过期怎么办 6222021234567890128", category="ebanking")
    actions.reply_to_message(desk, message, "进入安全中心更新证书。", notify=False)
    article = actions.create_kb_draft(desk, message)
    draft = ArticlePage.objects.get(pk=article.pk)
    assert not draft.live
    assert "6222021234567890128" not in draft.title
    message.refresh_from_db()
    assert message.kb_draft_id == draft.pk
    assert AuditEntry.objects.filter(message=message, action="kb_draft").exists()


def test_unanswered_message_cannot_become_an_article(desk, make_message):
    with pytest.raises(ActionRefused):
        actions.create_kb_draft(desk, make_message())


def test_forum_thread_needs_consent_and_leaves_out_personal_data(desk, make_message):
    from forum.models import Post, Thread

    refused = make_message(forum_consent=False)
    actions.reply_to_message(desk, refused, "答复", notify=False)
    with pytest.raises(ActionRefused):
        actions.create_forum_thread(desk, refused)

    message = make_message(
        forum_consent=True,
        name="王大锤",
        email="dachui@example.test",
        phone="+8613812345678",
        body="我是王大锤，手机 13812345678，网银证书过期了怎么办？",
    )
    actions.reply_to_message(desk, message, "王大锤您好，请在安全中心更新证书。", notify=False)
    written = actions.create_forum_thread(desk, message)
    thread = written.thread
    assert written.pending  # the desk member does not moderate the board: its moderators approve it
    texts = " ".join(Post.objects.filter(thread=thread).values_list("body", flat=True))
    assert "王大锤" not in texts and "13812345678" not in texts and "dachui@example.test" not in texts
    assert "请在安全中心更新证书。" in texts and "我们的答复" in texts
    assert Thread.objects.get(pk=thread.pk).author == desk
    message.refresh_from_db()
    assert message.forum_thread_id == thread.pk
