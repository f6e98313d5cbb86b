"""The demo service centre is complete in both languages and idempotent."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from forum.models import BoardPage
from kb.models import CategoryPage
from portal.demo import build_demo
from videos.models import SeriesPage

pytestmark = pytest.mark.django_db


def test_demo_builds_every_area_in_both_languages(demo_site):
    for model, minimum in [(CategoryPage, 8), (BoardPage, 8), (SeriesPage, 3)]:
        assert model.objects.filter(locale__language_code="zh-hans").count() >= minimum
        assert model.objects.filter(locale__language_code="en").count() >= minimum


def test_demo_has_a_user_for_every_role(demo_site):
    users = get_user_model().objects
    for group in ["Moderators", "Editors", "KB reviewers", "Agents", "Operations"]:
        assert users.filter(groups__name=group).exists(), group


def test_running_the_demo_twice_duplicates_nothing(demo_site):
    pages, users = Page.objects.count(), get_user_model().objects.count()

    build_demo()

    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)
