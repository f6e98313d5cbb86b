""" "Was this helpful?": one vote per visitor and article, rate-limited per IP, comments mailed to the owner;
agents' "used on a call" counted apart. Strangers' text is stored as plain text and never rendered as HTML."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kb import actions
from kb.models import ArticleFeedback, ArticleStats, ArticleUsage
from tests.kb.conftest import blns, make_article, xss_vectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(demo_site, editor):
    return make_article(slug="feedback-target", owner=editor.email)


def _post(client, article, data, json=False, lang="", **extra):
    """POST a vote; lang="en" goes through /en/ so the answer is in English."""
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    prefix = f"/{lang}" if lang else ""
    return client.post(f"{prefix}/kb/articles/{article.pk}/feedback/", data, **headers, **extra)


def _stats(article):
    return ArticleStats.objects.filter(article=article).first()


def test_anonymous_vote_is_counted_and_remembered_in_a_signed_cookie(client, article):
    response = _post(client, article, {"helpful": "yes"}, json=True, lang="en")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "Thank you! Your feedback helps us improve this answer."}
    assert "kb_visitor" in response.cookies
    assert response.cookies["kb_visitor"]["httponly"]
    assert (_stats(article).helpful_count, _stats(article).unhelpful_count) == (1, 0)
    feedback = ArticleFeedback.objects.get(article=article)
    assert (
        len(feedback.visitor_key) == 64 and client.cookies["kb_visitor"].value.split(":")[0] not in feedback.visitor_key
    )


def test_a_visitor_votes_once_per_article(client, article):
    _post(client, article, {"helpful": "no"}, json=True)

    again = _post(client, article, {"helpful": "yes"}, json=True, lang="en")

    assert again.status_code == 409
    assert again.json()["message"] == "You have already told us about this article. Thank you!"
    assert ArticleFeedback.objects.filter(article=article).count() == 1
    assert (_stats(article).helpful_count, _stats(article).unhelpful_count) == (0, 1)


def test_the_database_refuses_a_second_vote_with_the_same_visitor_key(article):
    ArticleFeedback.objects.create(article=article, helpful=True, visitor_key="k" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFeedback.objects.create(article=article, helpful=False, visitor_key="k" * 64)


def test_different_visitors_each_count(client, article):
    from django.test import Client

    _post(client, article, {"helpful": "yes"})
    _post(Client(), article, {"helpful": "yes"})
    _post(Client(), article, {"helpful": "no"})

    assert (_stats(article).helpful_count, _stats(article).unhelpful_count) == (2, 1)


def test_signed_in_customers_vote_once_whatever_their_cookies(client, article, customer):
    from django.test import Client

    client.force_login(customer)
    other_browser = Client()
    other_browser.force_login(customer)

    assert _post(client, article, {"helpful": "yes"}).status_code == 302
    assert _post(other_browser, article, {"helpful": "yes"}, json=True).status_code == 409


def test_feedback_is_rate_limited_per_ip(client, article, settings):
    from django.test import Client

    settings.PORTAL_KB_FEEDBACK_PER_IP = 3
    for _ in range(3):
        assert _post(Client(), article, {"helpful": "yes"}, REMOTE_ADDR="203.0.113.9").status_code == 302

    blocked = _post(Client(), article, {"helpful": "yes"}, json=True, lang="en", REMOTE_ADDR="203.0.113.9")
    other_ip = _post(Client(), article, {"helpful": "yes"}, REMOTE_ADDR="203.0.113.10")

    assert blocked.status_code == 429
    assert blocked.json()["message"] == "You have sent a lot of feedback in a short time. Please try again in an hour."
    assert other_ip.status_code == 302
    assert _stats(article).helpful_count == 4


def test_without_javascript_the_vote_redirects_back_with_a_message(client, article):
    response = _post(client, article, {"helpful": "yes", "comment": ""})

    assert response.status_code == 302
    assert response["Location"] == article.url + "#feedback"
    page = client.get(response["Location"]).content.decode()
    assert "谢谢！您的反馈将帮助我们改进这篇解答。" in page


def test_a_missing_choice_is_explained_and_the_comment_kept(client, article):
    response = _post(client, article, {"comment": "步骤 3 看不懂"}, lang="en")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose Yes or No." in html
    assert "步骤 3 看不懂</textarea>" in html
    assert not ArticleFeedback.objects.filter(article=article).exists()


def test_a_too_long_comment_is_refused_with_a_clear_message(client, article):
    response = _post(client, article, {"helpful": "no", "comment": "长" * 1001}, json=True, lang="en")

    assert response.status_code == 400
    assert response.json()["errors"]["comment"] == ["Please keep your comment under 1000 characters (it has 1001)."]


def test_comments_are_mailed_to_the_owner_after_commit(client, article, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, article, {"helpful": "no", "comment": "第 2 步的按钮找不到"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert article.title in message.subject
    assert "第 2 步的按钮找不到" in message.body
    assert ArticleFeedback.objects.get(article=article).owner_notified_at is not None


def test_votes_without_comment_or_owner_send_no_mail(client, demo_site, django_capture_on_commit_callbacks):
    orphan = make_article(slug="no-owner", owner="")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, orphan, {"helpful": "no", "comment": "没人管？"})
        from django.test import Client

        _post(Client(), orphan, {"helpful": "yes"})

    assert mail.outbox == []


def test_the_owner_mail_is_sent_once_even_if_the_task_runs_again(article, django_capture_on_commit_callbacks):
    from kb.notifications import send_feedback_comment

    with django_capture_on_commit_callbacks(execute=True):
        feedback = actions.record_feedback(article=article, helpful=False, visitor_key="v" * 64, comment="再来一次")

    assert send_feedback_comment(feedback.pk) is False
    assert len(mail.outbox) == 1


def test_hostile_comments_are_stored_as_text_and_shown_escaped(article, editor, django_capture_on_commit_callbacks):
    from django.test import Client

    stored = 0
    for n, vector in enumerate(xss_vectors()):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(
                Client(), article, {"helpful": "no", "comment": vector[:1000]}, json=True, REMOTE_ADDR=f"10.9.0.{n}"
            )
        if response.status_code == 400:  # e.g. NUL characters: refused with a message, nothing stored
            assert response.json()["errors"]["comment"]
            continue
        assert response.status_code == 200
        stored += 1
        assert ArticleFeedback.objects.filter(article=article, comment=vector[:1000].strip()).exists()
    editor_client = Client()
    editor_client.force_login(editor)
    report = editor_client.get("/admin/reports/kb-feedback/").content.decode()

    assert stored > 100
    assert "<script>alert" not in report.lower() and "<svg/onload" not in report.lower()
    assert "&lt;script&gt;" in report.lower() or "&lt;svg" in report.lower()
    assert len(mail.outbox) == stored


def test_the_big_list_of_naughty_strings_never_breaks_feedback(client, article):
    from django.test import Client

    statuses = set()
    for n, text in enumerate(blns()[:200]):
        response = _post(
            Client(),
            article,
            {"helpful": "no", "comment": text[:1000]},
            json=True,
            REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}",
        )
        statuses.add(response.status_code)

    assert statuses <= {200, 400}
    assert ArticleFeedback.objects.filter(article=article).count() >= 150


def test_reading_an_article_anonymously_writes_nothing(client, article):
    client.get(article.url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert response.status_code == 200
    assert writes == []
    assert "sessionid" not in client.cookies and "kb_visitor" not in client.cookies


def test_the_feedback_form_on_the_page_carries_a_fresh_csrf_token(client, article, settings):
    settings.DEBUG = False
    client.get(article.url)
    cached = client.get(article.url)

    assert cached["X-Page-Cache"] == "hit"
    assert 'name="csrfmiddlewaretoken"' in cached.content.decode()
    assert "<!--kb:feedback-->" not in cached.content.decode()


def test_a_returning_visitor_sees_their_vote_instead_of_the_form(client, article):
    _post(client, article, {"helpful": "yes"})

    html = client.get(article.url).content.decode()

    assert "data-kb-feedback-form" not in html
    assert "kb-feedback-done" in html


def test_agents_count_uses_on_calls_once_per_call(client, article, agent):
    client.force_login(agent)

    first = client.post(f"/kb/articles/{article.pk}/used-on-call/", HTTP_ACCEPT="application/json")
    again = client.post(f"/kb/articles/{article.pk}/used-on-call/", HTTP_ACCEPT="application/json")

    assert first.json()["counted"] is True and first.json()["count"] == 1
    assert again.json()["counted"] is False and again.json()["count"] == 1
    assert ArticleUsage.objects.filter(article=article, agent=agent).count() == 1
    assert _stats(article).helpful_count == 0  # counted apart from customers' votes


def test_customers_cannot_use_the_used_on_call_action(client, article, customer):
    assert client.post(f"/kb/articles/{article.pk}/used-on-call/").status_code == 404
    client.force_login(customer)
    assert client.post(f"/kb/articles/{article.pk}/used-on-call/").status_code == 404
    assert not ArticleUsage.objects.exists()


def test_agents_see_counts_and_the_used_on_call_button(client, article, agent):
    client.force_login(agent)
    actions.record_feedback(article=article, helpful=True, visitor_key="a" * 64)
    actions.record_feedback(article=article, helpful=False, visitor_key="b" * 64)

    html = client.get(article.url).content.decode()

    assert f'action="/kb/articles/{article.pk}/used-on-call/"' in html
    assert "50%" in html


def test_reader_actions_refuse_get(client, article):
    assert client.get(f"/kb/articles/{article.pk}/feedback/").status_code == 405
