"""Live Q&A: asking (signed in, live only, masked, rate-limited, pre-moderated), moderating, voting, polling."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.videos.conftest import make_episode
from videos import actions
from videos.actions import ActionRefused
from videos.models import AuditEntry, Question

pytestmark = pytest.mark.django_db
TESTDATA = Path("/work/shared/testdata")


def ask(client, episode, text, json_response=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json_response else {}
    return client.post(reverse("videos:ask", args=[episode.pk]), {"text": text}, **headers)


def poll(client, episode, cursor=0):
    response = client.get(reverse("videos:changes", args=[episode.pk]), {"cursor": cursor})
    assert response.status_code == 200
    return response.json()


def test_signed_in_viewer_asks_and_the_question_waits_for_a_moderator(client, episode, viewer):
    client.force_login(viewer)
    response = ask(client, episode, "U盾丢了怎么办？")

    assert response.status_code == 200
    assert response.json()["messages"] == ["谢谢！您的问题经主持人审核后显示。"]
    question = Question.objects.get(episode=episode)
    assert question.state == Question.State.PENDING
    assert AuditEntry.objects.filter(question=question, action="ask", actor=viewer).count() == 1
    client.logout()
    assert poll(client, episode)["questions"] == []  # others do not see it yet


def test_question_to_an_episode_that_is_not_live_is_refused(client, series, viewer):
    later = make_episode(series, air_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(viewer)

    response = client.post(
        reverse("videos:ask", args=[later.pk]),
        {"text": "还没开始能问吗"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json()["message"] == "只有直播进行中才能提问。"
    assert Question.objects.filter(episode=later).count() == 0


def test_refused_question_without_javascript_keeps_the_text(client, series, viewer):
    replay = make_episode(series, air_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(viewer)

    response = ask(client, replay, "我的问题不要丢", json_response=False)

    assert response.status_code == 302
    assert client.session["videos_draft_question"] == "我的问题不要丢"


def test_anonymous_viewer_cannot_ask(client, episode):
    response = ask(client, episode, "匿名提问")

    assert response.status_code == 403
    assert response.json()["code"] == "sign_in"


def test_hostile_text_is_stored_exactly_and_rendered_escaped(client, episode, viewer, moderator):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;"
    asked = actions.ask_question(episode=episode, user=viewer, text=hostile)
    actions.approve_question(question=asked.question, user=moderator)

    assert Question.objects.get(pk=asked.question.pk).text == hostile
    body = client.get(episode.url).content.decode()
    assert "<script>alert(1)</script>" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#x27;&amp;amp;" in body
    assert poll(client, episode)["questions"][0]["text"] == hostile  # JSON: the client sets textContent


def test_owasp_vectors_never_become_markup(client, episode, viewer, moderator, settings):
    settings.PORTAL_VIDEOS_QUESTION_RATE_LIMITS = []
    owasp = json.loads((TESTDATA / "owasp-xss" / "owasp_xss_filter_evasion_vectors.json").read_text())
    naughty = json.loads((TESTDATA / "blns" / "blns.json").read_text())
    vectors = [v["vector"][:500] for v in owasp] + [s[:500] for s in naughty if s.strip() and "\x00" not in s][:100]
    for vector in vectors:
        asked = actions.ask_question(episode=episode, user=viewer, text=vector)
        assert Question.objects.get(pk=asked.question.pk).text == vector.strip()  # stored exactly
        actions.approve_question(question=asked.question, user=moderator)

    body = client.get(episode.url).content.decode()
    qa = body[body.index('id="qa"') : body.index("</section>", body.index('id="qa"'))].lower()
    assert Question.objects.filter(episode=episode, state="approved").count() == len(vectors)
    assert client.get(reverse("videos:changes", args=[episode.pk]), {"cursor": 0}).status_code == 200
    for tag in ("<script", "<img", "<svg", "<iframe", "<body", "<a href", "<input", "<style"):
        assert tag not in qa


def test_card_numbers_are_masked_and_the_viewer_is_told(episode, viewer):
    asked = actions.ask_question(episode=episode, user=viewer, text="我的卡号 4111 1111 1111 1111 被扣款")

    assert asked.question.text == "我的卡号 **** **** **** 1111 被扣款"
    assert "4111 1111 1111 1111" not in asked.notices[0] and len(asked.notices) == 2


def test_fourth_question_in_a_minute_is_rate_limited(client, episode, viewer):
    client.force_login(viewer)
    for n in range(3):
        assert ask(client, episode, f"问题 {n}").status_code == 200

    response = ask(client, episode, "第四个问题")

    assert response.status_code == 429
    assert response.json()["message"] == "您提问太快了，请稍候再试；您的问题仍保留在下方。"
    assert Question.objects.filter(episode=episode).count() == 3


def test_poll_returns_only_what_changed_since_the_cursor(client, episode, viewer, moderator):
    first = actions.ask_question(episode=episode, user=viewer, text="第一个").question
    actions.approve_question(question=first, user=moderator)
    state = poll(client, episode)
    assert [q["text"] for q in state["questions"]] == ["第一个"]

    second = actions.ask_question(episode=episode, user=viewer, text="第二个").question
    actions.approve_question(question=second, user=moderator)
    changed = poll(client, episode, state["cursor"])
    assert [q["text"] for q in changed["questions"]] == ["第二个"]
    assert poll(client, episode, changed["cursor"])["questions"] == []

    actions.reject_question(question=first, user=moderator)
    after_reject = poll(client, episode, changed["cursor"])
    assert after_reject["removed"] == [first.pk] and after_reject["questions"] == []


def test_poll_is_one_indexed_query_with_200_questions(client, episode, viewer, moderator, settings):
    settings.PORTAL_VIDEOS_QUESTION_RATE_LIMITS = []
    for n in range(200):
        asked = actions.ask_question(episode=episode, user=viewer, text=f"问题{n}")
        actions.approve_question(question=asked.question, user=moderator)
    cursor = poll(client, episode, 0)["cursor"]  # warms the episode memo

    with CaptureQueriesContext(connection) as queries:
        data = poll(client, episode, cursor - 4)

    assert len(data["questions"]) == 2  # the last two approvals (each question: ask + approve = 2 versions)
    sql = [q["sql"] for q in queries.captured_queries if "videos_question" in q["sql"]]
    assert len(queries.captured_queries) == 1 and len(sql) == 1


def test_poll_plan_uses_the_changes_index(episode):
    from videos.models import Question as Q

    if connection.vendor == "postgresql":  # a tiny test table is cheaper to scan: ask whether the index can answer
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    qs = Q.objects.filter(broadcast=episode.translation_key, version__gt=0).order_by("version")
    assert "videos_question_changes" in qs.explain()


def test_author_sees_own_pending_question_and_moderator_sees_all_pending(client, episode, viewer, moderator, customer):
    actions.ask_question(episode=episode, user=viewer, text="待审核")
    client.force_login(viewer)
    assert [q["state"] for q in poll(client, episode)["questions"]] == ["pending"]
    client.force_login(moderator)
    assert [q["text"] for q in poll(client, episode)["questions"]] == ["待审核"]


def test_one_vote_per_viewer(client, episode, viewer, moderator):
    question = actions.ask_question(episode=episode, user=moderator, text="投票").question
    question = actions.approve_question(question=question, user=moderator)
    client.force_login(viewer)
    url = reverse("videos:vote", args=[question.pk])

    assert client.post(url, HTTP_ACCEPT="application/json").json() == {"ok": True, "counted": True}
    assert client.post(url, HTTP_ACCEPT="application/json").json() == {"ok": True, "counted": False}
    assert Question.objects.get(pk=question.pk).vote_count == 1


def test_moderator_pins_and_answers_with_audit_entries(client, episode, viewer, moderator):
    question = actions.ask_question(episode=episode, user=viewer, text="怎么挂失？").question
    client.force_login(moderator)
    url = reverse("videos:moderate", args=[question.pk])

    assert client.post(url, {"action": "approve"}).status_code == 302
    assert client.post(url, {"action": "pin"}).status_code == 302
    assert client.post(url, {"action": "answer", "answer": "拨打热线挂失。"}).status_code == 302

    question.refresh_from_db()
    assert (question.state, question.pinned, question.answer, question.answered_by) == (
        "approved",
        True,
        "拨打热线挂失。",
        moderator,
    )
    assert list(AuditEntry.objects.filter(question=question).values_list("action", flat=True).order_by("id")) == [
        "ask",
        "approve",
        "pin",
        "answer",
    ]
    client.logout()
    page = client.get(episode.url).content.decode()
    assert "怎么挂失？" in page and "拨打热线挂失。" in page


def test_customer_cannot_moderate(client, episode, viewer):
    question = actions.ask_question(episode=episode, user=viewer, text="自己批准").question
    client.force_login(viewer)

    response = client.post(reverse("videos:moderate", args=[question.pk]), {"action": "approve"})

    assert response.status_code == 404
    with pytest.raises(ActionRefused):
        actions.approve_question(question=question, user=viewer)
    assert Question.objects.get(pk=question.pk).state == "pending"


def test_replay_keeps_its_answered_questions(client, demo_site):
    from videos.models import EpisodePage

    replay = EpisodePage.objects.get(slug="online-safety-2026-11", locale__language_code="zh-hans")
    body = client.get(replay.url).content.decode()

    assert replay.status() == "replay"
    assert "U盾丢了怎么办？" in body and "请立即拨打客服热线挂失" in body
    assert 'name="text"' not in body  # no question form on a replay


def test_moderator_turns_an_answer_into_a_draft_kb_article(episode, viewer, moderator):
    from kb.models import ArticlePage

    question = actions.ask_question(episode=episode, user=viewer, text="视频里说的U盾怎么换新？").question
    question = actions.answer_question(question=question, user=moderator, answer="到网点即可免费更换。")

    draft = actions.draft_kb_article(question=question, user=moderator)

    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live is False and article.title == "视频里说的U盾怎么换新？"
    assert Question.objects.get(pk=question.pk).kb_article_id == draft.pk
    assert AuditEntry.objects.filter(question=question, action="kb_draft").count() == 1
    with pytest.raises(ActionRefused):
        actions.draft_kb_article(question=question, user=moderator)
