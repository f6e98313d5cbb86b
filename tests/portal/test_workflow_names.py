"""Workflow and task names are read in the editor's language (portal/core/workflows.py): a Chinese editor
submits to "知识库审核", an English one to "KB review", and the stored name stays the msgid whoever saves it."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowState
from wagtail.users.models import UserProfile

from kb import actions as kb_actions
from kb.models import CategoryPage
from portal.core import roles
from portal.core.workflows import MODERATORS_APPROVAL, ensure_workflow
from tests.kb.conftest import make_article
from videos import actions as video_actions

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def _submit_label(client, category):
    html = client.get(f"/admin/pages/add/kb/articlepage/{category.pk}/").content.decode()
    button = re.search(r'<button[^>]*name="action-submit"[^>]*>(.*?)</button>', html, re.S)
    assert button is not None, "no submit-for-review button"
    return " ".join(re.sub(r"<[^>]+>", "", button.group(1)).split())


class _Fields(HTMLParser):
    """Each POST form's fields as a browser would send them back, filled in as the page showed them."""

    def __init__(self):
        super().__init__()
        self.forms, self._select = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({} if attrs.get("method", "").lower() == "post" else None)
        data = self.forms[-1] if self.forms else None
        if data is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            data[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            data[name] = attrs.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            data[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _form_fields(html, field="name"):
    """The fields of the page's POST form that has `field`."""
    parser = _Fields()
    parser.feed(html)
    return next(data for data in parser.forms if data and field in data)


@pytest.fixture
def category(demo_site):
    return CategoryPage.objects.filter(locale__language_code="zh-hans").order_by("path").first()


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "提交给知识库审核"), ("en", "Submit to KB review")])
def test_editor_submits_to_the_kb_review_workflow_named_in_their_language(
    client, category, make_staff, language, label
):
    editor = _speaks(make_staff(roles.EDITORS), language)
    client.force_login(editor)

    assert _submit_label(client, category) == label


def test_every_portal_workflow_and_task_reads_chinese_to_a_chinese_reader(demo_site):
    from django.utils import translation

    with translation.override("zh-hans"):
        names = {str(workflow.name) for workflow in Workflow.objects.all()}
        tasks = {str(task.name) for task in Task.objects.all()}
    with translation.override("en"):
        english = {str(workflow.name) for workflow in Workflow.objects.all()}

    assert {"知识库审核", "视频审核", "版主审批"} <= names
    assert {"知识库审核员审批", "视频审核员审批", "版主审批"} <= tasks
    assert {"KB review", "Video review", "Moderators approval"} <= english


def test_stored_names_stay_the_msgids_when_a_chinese_admin_saves_the_workflow(client, demo_site, make_staff):
    admin = _speaks(make_staff(roles.EDITORS, is_superuser=True), "zh-hans")
    client.force_login(admin)
    workflow = Workflow.objects.get(name=kb_actions.WORKFLOW_NAME)
    task = GroupApprovalTask.objects.get(name=kb_actions.TASK_NAME)

    form = client.get(f"/admin/workflows/edit/{workflow.pk}/")
    assert form.status_code == 200
    assert 'value="知识库审核"' in form.content.decode()  # the admin shows the name in the reader's language
    assert _form_fields(form.content.decode())["name"] == "知识库审核"  # and sends that back unchanged
    response = client.post(f"/admin/workflows/edit/{workflow.pk}/", _form_fields(form.content.decode()))
    task.deactivate()  # Wagtail saves the whole row: the lazy name goes back as its msgid

    assert response.status_code == 302
    assert list(Workflow.objects.filter(pk=workflow.pk).values_list("name", flat=True)) == ["KB review"]
    assert list(Task.objects.filter(pk=task.pk).values_list("name", flat=True)) == ["KB reviewers approve"]


def test_a_name_typed_by_an_administrator_reads_as_typed(demo_site):
    from django.utils import translation

    ensure_workflow("法务复核", "法务同事审批", roles.KB_REVIEWERS, [])

    with translation.override("en"):
        assert str(Workflow.objects.get(name="法务复核").name) == "法务复核"
        assert str(Task.objects.get(name="法务同事审批").name) == "法务同事审批"


def test_ensure_workflow_is_one_helper_for_kb_and_videos_and_idempotent(demo_site):
    kb_actions.ensure_review_workflow()
    video_actions.ensure_review_workflow()
    video_actions.ensure_review_workflow()

    for workflow_name, task_name in [
        (kb_actions.WORKFLOW_NAME, kb_actions.TASK_NAME),
        (video_actions.WORKFLOW_NAME, video_actions.TASK_NAME),
    ]:
        workflow = Workflow.objects.get(name=workflow_name)
        assert [task.specific.name for task in workflow.tasks.all()] == [task_name]
        assert GroupApprovalTask.objects.filter(name=task_name).count() == 1
    assert Workflow.objects.filter(name=MODERATORS_APPROVAL).count() == 1


def test_review_request_mail_names_the_workflow_in_the_reviewers_language(demo_site, make_staff, settings):
    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
    article = make_article(slug="wf-names-mail", title="审核邮件的问题")
    reviewer = _speaks(make_staff(roles.KB_REVIEWERS, email="reviewer-en@example.test"), "en")
    editor = make_staff(roles.EDITORS)
    mail.outbox.clear()

    article.save_revision(user=editor)
    state = article.get_workflow().start(article, editor)

    assert isinstance(state, WorkflowState)
    to_reviewer = [message for message in mail.outbox if reviewer.email in message.to]
    assert to_reviewer, [message.to for message in mail.outbox]
    assert "KB reviewers approve" in to_reviewer[0].body
    assert "知识库" not in to_reviewer[0].body
