"""Editorial workflow: editors draft and submit episodes, a reviewer publishes; scheduled publishing."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.core import roles
from tests.videos.conftest import make_episode
from videos.models import EpisodePage, VideoIndexPage

pytestmark = pytest.mark.django_db


def test_episodes_go_through_the_video_review_workflow(series, make_staff):
    editor, reviewer = make_staff(roles.EDITORS), make_staff(roles.KB_REVIEWERS)
    page = make_episode(series, lines=0)

    workflow = page.get_workflow()
    assert workflow.name == "Video review"
    assert VideoIndexPage.objects.get(locale__language_code="zh-hans").get_workflow() == workflow
    assert page.permissions_for_user(editor).can_edit() and not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(reviewer).can_publish()

    page.title = "编辑提交的新标题"
    revision = page.save_revision(user=editor)
    state = workflow.start(page, editor)
    assert state.status == "in_progress"
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live and page.title == "编辑提交的新标题" and page.live_revision_id == revision.pk


def test_scheduled_episode_goes_live_at_its_time(series):
    page = make_episode(series, lines=0)
    page.unpublish()
    page.go_live_at = timezone.now() + dt.timedelta(seconds=2)
    page.save_revision().publish()
    assert not EpisodePage.objects.get(pk=page.pk).live
    call_command("publish_scheduled")
    assert not EpisodePage.objects.get(pk=page.pk).live

    time.sleep(2.2)
    call_command("publish_scheduled")

    assert EpisodePage.objects.get(pk=page.pk).live
