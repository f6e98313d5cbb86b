"""Slugs are made on the server from the title (pinyin for Chinese, a transliteration for other scripts) for
every page type, so a new page never fails on a slug field hidden on the Promote tab."""

import pytest
from django.apps import apps
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kb.models import ArticlePage, CategoryPage
from portal.core import roles
from portal.core.pageforms import PortalPageForm
from portal.core.slugs import slug_from_title


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("如何开通U盾？", "ru-he-kai-tong-u-dun"),
        ("重庆分行ATM转账2小时到账吗", "chong-qing-fen-hang-atm-zhuan-zhang-2-xiao-shi-dao-zhang-ma"),
        ("How do I reset my e-banking password?", "how-do-i-reset-my-e-banking-password"),
        ("Überweisung ins Ausland: Gebühren", "uberweisung-ins-ausland-gebuhren"),
        ("？？？", ""),
    ],
)
def test_a_title_becomes_a_readable_ascii_slug(title, slug):
    assert slug_from_title(title) == slug


def test_a_long_title_is_cut_between_words():
    slug = slug_from_title("网上银行" * 30)

    assert len(slug) <= 80 and not slug.endswith("-") and slug.startswith("wang-shang-yin-hang-")


def test_every_page_type_is_edited_with_the_form_that_makes_slugs():
    page_models = [model for model in apps.get_models() if issubclass(model, Page) and model is not Page]

    forms = {model.__name__: model.get_edit_handler().get_form_class() for model in page_models}

    assert {"ArticlePage", "CategoryPage", "HomePage", "BoardPage", "SeriesPage"} <= set(forms)
    assert [name for name, form in forms.items() if not issubclass(form, PortalPageForm)] == []


def _article_data(title, slug="", **extra):
    return nested_form_data(
        {
            "title": title,
            "short_answer": "在手机银行“安全中心”申请。",
            "answer": streamfield([("rich_text", rich_text("<p>登录手机银行，进入安全中心。</p>"))]),
            "tags": "",
            "related_links": inline_formset([]),
            "comments": inline_formset([]),
            "audience": "public",
            "agent_notes": rich_text(""),
            "article_owner": "",
            "review_by": "",
            "slug": slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            **extra,
        }
    )


@pytest.fixture
def category(demo_site):
    return CategoryPage.objects.filter(locale__language_code="zh-hans").order_by("path").first()


@pytest.fixture
def editor(make_staff):
    return make_staff(roles.EDITORS, display_name="编辑小赵")


def _add_url(category, model="articlepage"):
    return f"/admin/pages/add/kb/{model}/{category.pk}/"


@pytest.mark.django_db
def test_a_new_chinese_article_saved_without_a_slug_gets_a_pinyin_one(client, editor, category):
    client.force_login(editor)

    response = client.post(_add_url(category), _article_data("如何申请电子银行口令卡？"))

    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(title="如何申请电子银行口令卡？")
    assert page.slug == "ru-he-shen-qing-dian-zi-yin-hang-kou-ling-ka"
    assert page.live is False


@pytest.mark.django_db
def test_the_chinese_slug_wagtails_script_copies_from_the_title_becomes_pinyin(client, editor, category):
    client.force_login(editor)

    client.post(_add_url(category), _article_data("网银盾丢了怎么办", slug="网银盾丢了怎么办"))

    assert ArticlePage.objects.get(title="网银盾丢了怎么办").slug == "wang-yin-dun-diu-le-zen-me-ban"


@pytest.mark.django_db
def test_a_made_slug_already_used_in_the_language_gets_a_number(client, editor, category):
    client.force_login(editor)
    client.post(_add_url(category), _article_data("挂失银行卡"))
    other = CategoryPage.objects.filter(locale=category.locale).exclude(pk=category.pk).order_by("path").last()

    response = client.post(_add_url(other), _article_data("挂失银行卡"))

    assert response.status_code == 302
    assert sorted(ArticlePage.objects.filter(title="挂失银行卡").values_list("slug", flat=True)) == [
        "gua-shi-yin-hang-ka",
        "gua-shi-yin-hang-ka-2",
    ]


@pytest.mark.django_db
def test_an_english_title_is_transliterated_for_other_page_types_too(client, editor, category):
    client.force_login(editor)

    response = client.post(
        _add_url(category, "categorypage"),
        nested_form_data(
            {"title": "Cartes à puce", "intro": "", "icon": "", "slug": "", "comments": inline_formset([])}
            | {"seo_title": "", "search_description": "", "go_live_at": "", "expire_at": ""}
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert CategoryPage.objects.get(title="Cartes à puce").slug == "cartes-a-puce"


@pytest.mark.django_db
def test_when_no_slug_can_be_made_the_editor_is_told_above_the_form_and_on_the_slug(client, editor, category):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"  # the admin speaks the profile's language (Chinese by default)
    profile.save()
    client.force_login(editor)

    response = client.post(_add_url(category), _article_data("？？？"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("No web address could be made from this title. Enter a slug on the Promote tab.") >= 2
    assert not ArticlePage.objects.filter(title="？？？").exists()
