"""The "needs review" report lists articles past their review date and articles with poor feedback, by
owner, for editors and reviewers only."""

import datetime

import pytest
from django.utils import timezone

from kb import actions
from tests.kb.conftest import make_article, new_category

pytestmark = pytest.mark.django_db

URL = "/admin/reports/kb-needs-review/"


@pytest.fixture
def articles(demo_site, editor, reviewer):
    cat = new_category()
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    future = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    overdue = make_article(slug="overdue", category=cat, title="过期待复核的问题", owner=editor.email, review_by=past)
    disliked = make_article(
        slug="disliked", category=cat, title="评价很差的问题", owner=reviewer.email, review_by=future
    )
    liked = make_article(slug="liked", category=cat, title="评价很好的问题", owner=editor.email, review_by=future)
    few = make_article(slug="few-votes", category=cat, title="票数太少的问题", owner=editor.email, review_by=future)
    for n, helpful in enumerate([True, False, False, False]):
        actions.record_feedback(article=disliked, helpful=helpful, visitor_key=f"d{n}".ljust(64, "x"))
        actions.record_feedback(article=liked, helpful=True, visitor_key=f"l{n}".ljust(64, "x"))
    actions.record_feedback(article=few, helpful=False, visitor_key="f".ljust(64, "x"))
    return {"overdue": overdue, "disliked": disliked, "liked": liked, "few": few}


def test_report_lists_overdue_and_poorly_rated_articles(client, articles, editor):
    client.force_login(editor)

    html = client.get(URL).content.decode()

    assert "过期待复核的问题" in html and "评价很差的问题" in html
    assert "评价很好的问题" not in html and "票数太少的问题" not in html
    assert "25% (1/4)" in html
    assert "已过复核日期" in html and "评价较差" in html


def test_report_filters_by_owner_and_reason(client, articles, editor, reviewer):
    client.force_login(reviewer)

    by_owner = client.get(URL, {"article_owner": editor.pk}).content.decode()
    by_reason = client.get(URL, {"reason": "poor"}).content.decode()

    assert "过期待复核的问题" in by_owner and "评价很差的问题" not in by_owner
    assert "评价很差的问题" in by_reason and "过期待复核的问题" not in by_reason


def test_report_exports_csv(client, articles, editor):
    client.force_login(editor)

    response = client.get(URL, {"export": "csv"})

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "过期待复核的问题" in content


def test_report_is_for_editors_and_reviewers_only(client, articles, agent, customer):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(customer)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(agent)
    assert client.get(URL).status_code in (302, 403)


def test_feedback_report_shows_comments_to_editors(client, articles, editor):
    actions.record_feedback(article=articles["liked"], helpful=False, visitor_key="c" * 64, comment="第三步截图过期了")
    client.force_login(editor)

    html = client.get("/admin/reports/kb-feedback/").content.decode()

    assert "第三步截图过期了" in html


def test_reports_appear_in_the_admin_menu_for_editors(client, demo_site, editor):
    client.force_login(editor)

    html = client.get("/admin/").content.decode()

    assert "kb-needs-review" in html
