"""Editorial workflow: KB review by the KB reviewers group; editors cannot publish directly; scheduled
publishing and expiry, revisions, compare and preview work for articles."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

from kb import actions
from kb.models import ArticlePage, KnowledgeIndexPage
from tests.kb.conftest import make_article

pytestmark = pytest.mark.django_db


def test_kb_review_workflow_is_assigned_to_every_kb_index(demo_site):
    workflow = Workflow.objects.get(name=actions.WORKFLOW_NAME)
    tasks = [task.specific for task in workflow.tasks.all()]

    assert workflow.active
    assert [type(task) for task in tasks] == [GroupApprovalTask]
    assert [group.name for group in tasks[0].groups.all()] == ["KB reviewers"]
    for index in KnowledgeIndexPage.objects.all():
        assert WorkflowPage.objects.get(page=index).workflow == workflow


def test_ensure_review_workflow_is_idempotent(demo_site):
    actions.ensure_review_workflow()
    actions.ensure_review_workflow()

    assert Workflow.objects.filter(name=actions.WORKFLOW_NAME).count() == 1
    assert GroupApprovalTask.objects.filter(name=actions.TASK_NAME).count() == 1


def test_articles_fall_under_the_kb_review_workflow(demo_site):
    article = ArticlePage.objects.get(slug="report-lost-card", locale__language_code="en")

    assert article.get_workflow().name == actions.WORKFLOW_NAME


def test_editors_cannot_publish_and_their_publish_request_goes_to_review(client, demo_site, editor, reviewer):
    article = make_article(slug="wf-article", title="旧标题")
    assert not article.permissions_for_user(editor).can_publish()
    assert article.permissions_for_user(reviewer).can_publish()
    client.force_login(editor)
    edit_url = f"/admin/pages/{article.pk}/edit/"
    form = client.get(edit_url)
    assert form.status_code == 200

    data = _form_data(article, title="编辑提交的新标题")
    data["action-publish"] = "action-publish"
    client.post(edit_url, data)
    data.pop("action-publish")
    data["action-submit"] = "Submit"
    client.post(edit_url, data)

    article.refresh_from_db()
    assert article.title == "旧标题"  # still the live version
    assert article.has_unpublished_changes
    state = article.current_workflow_state
    assert state is not None and state.workflow.name == actions.WORKFLOW_NAME
    assert state.current_task_state.task.specific.groups.filter(name="KB reviewers").exists()


def _draftail(text):
    """Draftail's JSON for one paragraph of text (what the rich text editor posts)."""
    block = {"key": "k", "type": "unstyled", "depth": 0, "text": text, "inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}}, ensure_ascii=False)


def _form_data(article, **overrides):
    """The edit form's POST data for an article (a minimal, valid submission)."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "short_answer": article.short_answer,
        "answer-count": "1",
        "answer-0-type": "rich_text",
        "answer-0-deleted": "",
        "answer-0-order": "0",
        "answer-0-id": "b1",
        "answer-0-value": _draftail("正文"),
        "tags": "",
        "audience": "public",
        "agent_notes": '{"blocks":[],"entityMap":{}}',
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    return data


def test_scheduled_publish_and_expiry_work_for_articles(client, demo_site):
    article = make_article(slug="scheduled", title="定时发布")
    article.title = "定时发布的新版本"
    article.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    revision = article.save_revision()
    revision.publish()  # with go_live_at in the future Wagtail schedules instead of publishing
    article.refresh_from_db()
    assert article.title == "定时发布"

    with pytest.MonkeyPatch.context() as mp:
        later = timezone.now() + datetime.timedelta(minutes=10)
        mp.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.title == "定时发布的新版本"

    article.expire_at = timezone.now() - datetime.timedelta(seconds=1)
    article.save()
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert not article.live and article.expired
    assert client.get(article.get_url()).status_code == 404


def test_preview_renders_the_article_template_with_agent_notes(client, demo_site, reviewer):
    article = make_article(slug="previewed", title="预览的问题")
    client.force_login(reviewer)
    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    notes = _draftail("预览备注")

    posted = client.post(preview_url, _form_data(article, title="预览的问题（草稿）", agent_notes=notes))
    response = client.get(preview_url + "?mode=")

    assert posted.json()["is_valid"] is True
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览的问题（草稿）" in html and "预览备注" in html
    assert "<!--kb:feedback-->" not in html


def test_revisions_can_be_compared(client, demo_site, reviewer):
    article = make_article(slug="compared", title="第一版")
    first = article.latest_revision
    article.title = "第二版"
    article.save_revision().publish()
    second = ArticlePage.objects.get(pk=article.pk).latest_revision
    client.force_login(reviewer)

    response = client.get(f"/admin/pages/{article.pk}/revisions/compare/{first.pk}...{second.pk}/")

    assert response.status_code == 200
    assert "第二版" in response.content.decode()


def test_editors_can_open_the_article_editor_with_every_tab(client, demo_site, editor):
    article = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="zh-hans")
    client.force_login(editor)

    response = client.get(f"/admin/pages/{article.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="short_answer"' in html and 'name="channels"' in html and 'name="review_by"' in html
    assert "读者：" in html or "Readers:" in html
