"""End to end in a real browser: a customer signs up, verifies the e-mail, signs in and switches language.

Also produces the home-page screenshots (both languages, phone and desktop) into screenshots/.
"""

import re

import pytest
from django.core import mail

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_signs_up_verifies_signs_in_and_switches_language(page, live_server, homes):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="登录").click()
    page.get_by_role("link", name=re.compile("注册")).click()
    page.get_by_label(re.compile("^电子邮件")).fill("wang.xiaoming@example.test")
    page.get_by_label(re.compile("^密码:?$")).fill("a-strong-pass-2026")
    page.get_by_label(re.compile("^密码（重复）")).fill("a-strong-pass-2026")
    page.get_by_role("button", name=re.compile("注册")).click()

    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("确认")).click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/accounts/logout/")
    page.get_by_role("button", name=re.compile("退出|注销")).click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("^电子邮件")).fill("wang.xiaoming@example.test")
    page.get_by_label(re.compile("^密码")).fill("a-strong-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="wa***").is_visible()

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, how can we help?"
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_home_page_on_phone_and_desktop_in_both_languages(browser, live_server, homes, screenshot_dir):
    """Screenshots for review go to screenshots/ (git-ignored); the checks are what a customer would notice."""
    for language, path in [("zh-hans", "/"), ("en", "/en/")]:
        for device, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            page.goto(f"{live_server.url}{path}")

            # Every area is one tap away, the search box is there, and nothing overflows sideways.
            assert page.locator("#hero-q").is_visible()
            assert page.locator(".card-link").count() == 5  # the three areas, search and the message board
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=str(screenshot_dir / f"home-{language}-{device}.png"), full_page=True)
            context.close()

    # On a phone the menu folds away behind a button, and the keyboard reaches the skip link first.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert not page.locator("#site-nav").is_visible()
    page.get_by_role("button", name="菜单").click()
    assert page.locator("#site-nav").get_by_role("link", name="社区论坛").is_visible()
    # Esc folds it again and puts the focus back on the menu button.
    page.locator("#site-nav").get_by_role("link", name="社区论坛").focus()
    page.keyboard.press("Escape")
    assert not page.locator("#site-nav").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-nav-toggle')")
    assert page.get_by_role("button", name="菜单").get_attribute("aria-expanded") == "false"
    context.close()
