"""The demo knowledge base: real-sounding articles in both languages, some agents-only, built idempotently
through the same import as kb_import."""

import pytest
from django.utils import translation
from wagtail.models import Revision

from kb import demo
from kb.models import ArticleFeedback, ArticlePage, Audience

pytestmark = pytest.mark.django_db


def test_demo_has_articles_in_every_category_and_both_languages(demo_site):
    zh = ArticlePage.objects.filter(locale__language_code="zh-hans", live=True)
    en = ArticlePage.objects.filter(locale__language_code="en", live=True)

    assert zh.count() == 82 and en.count() == 74
    assert zh.filter(audience=Audience.AGENTS).exists() and en.filter(audience=Audience.AGENTS).exists()
    assert zh.exclude(agent_notes="").count() > 60
    for slug in [
        "ukey-no-response",
        "report-lost-card",
        "credit-card-repayment-methods",
        "fund-purchase-fees",
        "fx-annual-quota",
        "paper-gold-trading",
        "safe-account-scam",
        "open-account-documents",
    ]:
        assert zh.filter(slug=slug).exists(), slug
    assert all(page.translation_key == zh.get(slug=page.slug).translation_key for page in en)


def test_demo_articles_have_owners_review_dates_and_related_links(demo_site):
    articles = ArticlePage.objects.filter(live=True)

    assert not articles.filter(article_owner=None).exists()
    assert not articles.filter(review_by=None).exists()
    assert (
        ArticlePage.objects.get(
            slug="register-personal-ebanking", locale__language_code="zh-hans"
        ).related_links.count()
        == 3
    )


def test_building_the_kb_demo_again_changes_nothing(demo_site):
    revisions, votes = Revision.objects.count(), ArticleFeedback.objects.count()

    with translation.override("en"):
        result = demo.build(demo_site)

    assert (result["import"].created, result["import"].updated, result["import"].unchanged) == (0, 0, 156)
    assert (Revision.objects.count(), ArticleFeedback.objects.count()) == (revisions, votes)
