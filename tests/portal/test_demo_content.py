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


def test_wagtail_search_and_usage_know_the_demo_pages(demo_site):
    """Editors' admin search (Wagtail's own index) and "usage" (its reference index) cover what the demo built,
    though the build brings both up to date once at its end rather than on every save."""
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import ReferenceIndex
    from wagtail.search.backends import get_search_backend

    from kb.models import ArticlePage
    from videos.models import EpisodePage

    backend = get_search_backend()
    for model, title in [
        (EpisodePage, "Household finances (live)"),
        (BoardPage, "Corporate e-banking"),
        (SeriesPage, "Video Classroom"),
        (ArticlePage, ArticlePage.objects.filter(locale__language_code="en").order_by("pk").first().title),
    ]:
        found = [page.title for page in backend.search(title, model)]
        assert title in found, (model, title, found)
    for item in [
        Image.objects.get(title="poster-online-safety-2026-11"),
        Document.objects.get(title="captions-fx-week-47-en"),
    ]:
        using = {(ref.content_type.model, ref.object_id) for ref in ReferenceIndex.get_references_to(item)}
        assert len(using) == 2, using  # the episode in Chinese and its English translation


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_demo_comes_back_with_the_same_rows():
    """Tests that commit end with a flush; the next one gets the demo the run built (same ids), not a rebuild."""
    from django.core.management import call_command

    from forum.models import Post
    from portal.intake.models import Message
    from search.models import SearchEntry
    from tests.demo import ensure_demo

    models = [Page, get_user_model(), Post, Message, SearchEntry]
    homes = ensure_demo()
    before = [sorted(model.objects.values_list("pk", flat=True)) for model in models]

    call_command("flush", verbosity=0, interactive=False)
    assert not Page.objects.filter(depth=2).exists()
    restored = ensure_demo()

    assert [sorted(model.objects.values_list("pk", flat=True)) for model in models] == before
    assert {code: page.pk for code, page in restored.items()} == {code: page.pk for code, page in homes.items()}
