"""Layout on a phone: what a reader would notice at 390 px wide."""

import pytest

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/videos/", "/en/videos/"])
def test_video_series_titles_use_the_whole_card_on_a_phone(browser, live_server, demo_site, screenshot_dir, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    titles = page.locator(".card-title")
    assert titles.count() >= 3
    card = page.locator(".card-link a").first.bounding_box()
    for index in range(titles.count()):
        box = titles.nth(index).bounding_box()
        assert box["width"] > card["width"] * 0.6, titles.nth(index).inner_text()
        line = page.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)", titles.nth(index).element_handle())
        assert box["height"] < line * 2.5, titles.nth(index).inner_text()  # "专家面对面" on one line, not three
    language = "en" if path.startswith("/en/") else "zh-hans"
    page.screenshot(path=str(screenshot_dir / f"videos-{language}-phone.png"), full_page=True)
    context.close()
