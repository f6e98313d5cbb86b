"""E-mail: replies to followed threads, mentions, accepted answers, the SLA digest; languages; one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forum import actions, notifications, tokens
from forum.models import BoardPage, EmailOptOut, Subscription, Thread
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def unsubscribe_path(message):
    return re.search(r"https?://[^/\s]+(/\S*/forum/unsubscribe/\S+/|/forum/unsubscribe/\S+/)", message.body).group(1)


def test_followers_get_a_reply_email_in_their_language(thread, veteran, mailoutbox, django_capture_on_commit_callbacks):
    english = UserFactory(preferred_language="en", display_name="Alex")
    Subscription.objects.create(user=english, thread=thread)
    writer = UserFactory(display_name="热心网友")

    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(writer, thread, body="试试**重启**浏览器。", check_limits=False)

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {veteran.email, english.email}  # the writer is not told about their own reply
    assert by_address[english.email].subject == "New reply: 网银登录不了怎么办？"
    assert "热心网友 replied to “网银登录不了怎么办？”:" in by_address[english.email].body
    assert "试试重启浏览器。" in by_address[english.email].body
    assert by_address[veteran.email].subject.startswith("新回复")
    assert by_address[english.email].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/en/forum/unsubscribe/" in by_address[english.email].extra_headers["List-Unsubscribe"]


def test_mention_notifies_the_mentioned_user(thread, mailoutbox, django_capture_on_commit_callbacks):
    mentioned = UserFactory(display_name="小红")
    writer = UserFactory(display_name="小明")

    with django_capture_on_commit_callbacks(execute=True):
        post = actions.create_reply(writer, thread, body="@小红 你上次怎么解决的？", check_limits=False).post

    assert '<span class="mention">@小红</span>' in post.body_html
    mention = [m for m in mailoutbox if m.to == [mentioned.email]]
    assert len(mention) == 1
    assert mention[0].subject == "小明 提到了您：网银登录不了怎么办？"


def test_unknown_or_ambiguous_mentions_are_plain_text(thread):
    UserFactory(display_name="重名")
    UserFactory(display_name="重名")

    post = reply(UserFactory(), thread, "@重名 @没人 你好")

    assert "mention" not in post.body_html


def test_pending_posts_email_nobody_until_approved(
    make_board, veteran, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)
    thread = actions.create_thread(moderator, board, title="公告", body="内容").thread
    Subscription.objects.create(user=veteran, thread=thread)

    with django_capture_on_commit_callbacks(execute=True):
        post = actions.create_reply(UserFactory(), thread, body="待审", check_limits=False).post
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_post(moderator, post)
    assert [m.to for m in mailoutbox] == [[moderator.email], [veteran.email]] or {m.to[0] for m in mailoutbox} == {
        moderator.email,
        veteran.email,
    }


def test_a_post_hidden_before_sending_is_never_emailed(thread, veteran, moderator, mailoutbox):
    post = reply(UserFactory(), thread, "广告")
    actions.hide_post(moderator, post, "广告")

    assert notifications.notify_post(post.pk) == 0
    assert mailoutbox == []


def test_accepted_answer_emails_its_author(thread, veteran, moderator, mailoutbox, django_capture_on_commit_callbacks):
    helper = UserFactory(preferred_language="en")
    answer = reply(helper, thread, "Restart the browser.")

    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_answer(veteran, answer)

    assert [m.subject for m in mailoutbox if m.to == [helper.email]] == [
        "Your answer was accepted: 网银登录不了怎么办？"
    ]


def test_one_click_unsubscribe_from_a_thread(thread, veteran, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(UserFactory(), thread, body="回复", check_limits=False)
    path = unsubscribe_path(mailoutbox[0])
    browser = Client(enforce_csrf_checks=True)

    shown = browser.get(path)
    assert shown.status_code == 200
    assert Subscription.objects.filter(user=veteran, thread=thread).exists()  # a GET changes nothing

    done = browser.post(path, {"List-Unsubscribe": "One-Click"})  # what a mail client sends: no CSRF token
    assert done.status_code == 200
    assert not Subscription.objects.filter(user=veteran, thread=thread).exists()


def test_unsubscribe_from_mentions_stops_them(thread, mailoutbox, django_capture_on_commit_callbacks):
    mentioned = UserFactory(display_name="小红")
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(UserFactory(), thread, body="@小红 看看", check_limits=False)
    Client().post(unsubscribe_path(next(m for m in mailoutbox if m.to == [mentioned.email])))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(UserFactory(), thread, body="@小红 再看看", check_limits=False)

    assert EmailOptOut.objects.filter(user=mentioned, kind="mentions").exists()
    assert [m for m in mailoutbox if m.to == [mentioned.email]] == []


def test_a_forged_unsubscribe_token_is_refused(client, customer):
    token = tokens.unsubscribe_token(customer, "mentions")

    response = client.post(f"/forum/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 400
    assert not EmailOptOut.objects.exists()


def test_sla_digest_lists_breaches_for_each_moderator(board, make_thread, moderator, make_staff, mailoutbox):
    english = make_staff("Moderators", preferred_language="en")
    late = make_thread(title="超时未回复的问题")
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=5))
    make_thread(title="还在时限内的问题")

    call_command("forum_sla_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115

    mine = {m.to[0]: m for m in mailoutbox}
    assert "超时未回复的问题" in mine[moderator.email].body
    assert "还在时限内的问题" not in mine[moderator.email].body
    assert "past their response target" in mine[english.email].subject
    assert "5 hours overdue" in mine[english.email].body


def test_sla_digest_respects_the_opt_out(board, make_thread, moderator, mailoutbox):
    late = make_thread(title="超时")
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=1))
    EmailOptOut.objects.create(user=moderator, kind="digest")

    notifications.send_sla_digest()

    assert moderator.email not in {m.to[0] for m in mailoutbox}


def test_sanction_notice_is_sent_without_unsubscribe(
    moderator, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.suspend_user(moderator, customer, 2, "刷屏")

    assert len(mailoutbox) == 1
    assert "刷屏" in mailoutbox[0].body
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
