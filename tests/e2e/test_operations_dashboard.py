"""In a real browser: the operations manager's dashboard updates its live queue sizes without a reload (a static
script under the admin's CSP), and shows its charts. A screenshot goes to screenshots/."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from forum import actions
from forum.models import BoardPage
from portal.accounts.middleware import SESSION_FLAG
from tests.e2e.conftest import DESKTOP
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_FLAG] = user.pk  # staff: their second factor counts as checked
    session.save()
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    domain = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": domain, "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_live_queue_sizes_refresh_without_a_reload(browser, live_server, demo_site, screenshot_dir, settings):
    settings.PORTAL_OPERATIONS_REFRESH_SECONDS = 1
    manager = StaffFactory(role="Operations", display_name="运营经理")
    board = BoardPage.objects.get(slug="e-banking", locale__language_code="zh-hans")
    asker = UserFactory(display_name="着急的客户")
    context, page = signed_in(browser, live_server, manager)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/admin/operations/")
    waiting = page.locator('[data-ops-channel="forum"] [data-ops-field="waiting"]')
    before = int(waiting.inner_text())
    page.wait_for_selector("[data-ops-updated]")
    actions.create_thread(
        asker, board, title="转账一直显示处理中", body="已经两小时了。", check_limits=False, notify=False
    )
    cell = '[data-ops-channel="forum"] [data-ops-field="waiting"]'
    page.wait_for_function(
        "([selector, n]) => Number(document.querySelector(selector).textContent) === n", arg=[cell, before + 1]
    )
    page.screenshot(path=str(screenshot_dir / "operations-dashboard.png"), full_page=True)

    assert page.locator("svg.ops-chart").count() >= 5
    assert not [error for error in errors if "Content Security Policy" in error]
    context.close()
