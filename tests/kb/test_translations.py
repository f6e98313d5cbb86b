"""Every article can exist in Chinese and English; pages link to their other language, and a missing
translation falls back to the version that exists instead of a dead end."""

import pytest

from kb.models import ArticlePage, CategoryPage
from tests.kb.conftest import make_articles, new_category, row

pytestmark = pytest.mark.django_db


def test_article_links_to_its_translation_both_ways(client, demo_site):
    zh = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="zh-hans")
    en = zh.get_translation(
        ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="en").locale
    )

    zh_html = client.get(zh.url).content.decode()
    en_html = client.get(en.url).content.decode()

    assert f'<link rel="alternate" hreflang="en" href="{en.full_url}">' in zh_html
    assert f'<link rel="alternate" hreflang="zh-Hans" href="{zh.full_url}">' in zh_html
    assert f'<link rel="alternate" hreflang="x-default" href="{zh.full_url}">' in en_html
    assert f'href="{en.url}" hreflang="en" lang="en">Read this answer in English</a>' in zh_html
    assert f'href="{zh.url}" hreflang="zh-Hans" lang="zh-Hans">阅读本文中文版</a>' in en_html
    assert f'<link rel="canonical" href="{en.full_url}">' in en_html
    assert '<meta property="og:locale" content="en_US">' in en_html
    assert '<meta property="og:locale:alternate" content="zh_CN">' in en_html


def test_english_category_lists_chinese_only_articles_with_a_badge(client, demo_site):
    zh_only = ArticlePage.objects.get(slug="scheduled-transfer", locale__language_code="zh-hans")
    en_category = zh_only.get_parent().specific.get_translation(
        ArticlePage.objects.filter(locale__language_code="en").first().locale
    )

    html = client.get(en_category.url).content.decode()

    assert "Not yet translated" in html
    assert f'href="{zh_only.url}" hreflang="zh-Hans"' in html
    assert f'<span class="kb-list-title" lang="zh-Hans">{zh_only.title}</span>' in html
    assert '<span class="badge kb-badge-lang">中文</span>' in html


def test_english_url_of_a_chinese_only_article_redirects_with_a_notice(client, demo_site):
    zh_only = ArticlePage.objects.get(slug="scheduled-transfer", locale__language_code="zh-hans")
    en_path = "/en" + zh_only.url

    response = client.get(en_path)

    assert response.status_code == 302
    assert response["Location"] == f"{zh_only.url}?from=en"
    page = client.get(response["Location"]).content.decode()
    assert "This article is not available in your language yet, so here is the version we have." in page


def test_untranslated_articles_are_not_listed_twice(client, demo_site):
    cat = new_category()
    make_articles(
        [
            row(slug="both", category=cat, locale="zh-hans", title="两种语言都有"),
            row(slug="both", category=cat, locale="en", title="In both languages"),
            row(slug="zh-only-here", category=cat, locale="zh-hans", title="只有中文"),
        ]
    )
    en_category = CategoryPage.objects.get(slug=cat, locale__language_code="en")

    html = client.get(en_category.url).content.decode()

    assert "In both languages" in html and "两种语言都有" not in html
    assert "只有中文" in html


def test_category_and_index_pages_link_their_translations(client, demo_site):
    zh = CategoryPage.objects.get(slug="fx", locale__language_code="zh-hans")

    html = client.get(zh.url).content.decode()

    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/faq/fx/">' in html
