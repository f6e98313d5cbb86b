"""End to end at phone width, in both languages: a customer types into the home page's search box, sees
suggestions as they type (an ARIA combobox over /api/suggest, database fallback as under `make run`) and
follows one to the right article. Screenshots: screenshots/home-suggest-<language>-<n>-<step>.png."""

import re

import pytest
from playwright.sync_api import expect

from kb.models import ArticlePage
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {"zh-hans": "银行卡丢了", "en": "lost my bank card"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_search_suggests_as_you_type_and_a_suggestion_opens_its_article(
    browser, live_server, demo_site, no_elasticsearch, screenshot_dir, language
):
    article = ArticlePage.objects.live().get(slug="report-lost-card", locale__language_code=language)
    context = browser.new_context(viewport=PHONE, locale="zh-CN" if language == "zh-hans" else "en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    shots = iter(range(1, 10))

    def shot(step):
        page.screenshot(path=str(screenshot_dir / f"home-suggest-{language}-{next(shots)}-{step}.png"), full_page=True)

    page.goto(f"{live_server.url}{'' if language == 'zh-hans' else '/en'}/")
    box = page.locator("#hero-q")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially(TYPED[language], delay=60)  # typed key by key, as a person does

    suggestions = page.locator("#hero-suggest")
    expect(suggestions).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = suggestions.get_by_role("option").filter(has_text=article.title)
    expect(option).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    shot("suggestions")

    option.get_by_role("link").click()
    page.wait_for_url(re.compile(re.escape(article.url) + r"$"))
    expect(page.locator("h1")).to_have_text(article.title)
    shot("article")
    assert problems == []
    context.close()


def test_keyboard_picks_a_suggestion_on_the_chinese_home_page(browser, live_server, demo_site, no_elasticsearch):
    article = ArticlePage.objects.live().get(slug="report-lost-card", locale__language_code="zh-hans")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/")
    box = page.locator("#hero-q")
    box.press_sequentially(TYPED["zh-hans"], delay=60)
    options = page.locator("#hero-suggest [role=option]")
    expect(options.filter(has_text=article.title)).to_have_count(1)

    titles = options.all_inner_texts()
    for _step in range(titles.index(article.title) + 1):
        box.press("ArrowDown")
    selected = page.locator("#hero-suggest [aria-selected=true]")
    expect(selected).to_have_text(article.title)
    expect(box).to_have_attribute("aria-activedescendant", selected.get_attribute("id"))
    box.press("Enter")

    page.wait_for_url(re.compile(re.escape(article.url) + r"$"))
    expect(page.locator("h1")).to_have_text(article.title)
    context.close()
