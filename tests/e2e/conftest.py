"""A real browser: Debian's chromium driven by Playwright, against Django's live server."""

import os
import time
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API keeps an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# Flags for a closed network: without them chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def totp_code(secret, margin=10):
    """The current TOTP code for `secret`, with at least `margin` seconds of its 30 s window left.

    The server accepts only the current window (no tolerance), and a code taken in a window's last second used to
    reach the server in the next one under a loaded CI (a screenshot sits between typing and submitting): sign-in
    then stayed on the code page. Waiting out a nearly spent window costs at most `margin` seconds.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time() // period)))


class SerialLiveServer(WSGIServer):
    """Django's live server, one request at a time.

    On the in-memory SQLite database every server thread shares the test's one connection; Wagtail's admin sends
    requests side by side (autosave, previews, the submit itself), and two of them interleaving on one connection
    lost a submit under load. Served in turn they cannot. PostgreSQL keeps the threaded server.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite_memory():
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        LiveServerThread.server_class = SerialLiveServer
    yield
    LiveServerThread.server_class = ThreadedWSGIServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium fonts-noto-cjk).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/ensure-browser.sh installs axe-core from the npm registry.")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """axe-core's serious and critical violations on the page as it is now: [(rule id, [targets])].

    The script is evaluated through the DevTools protocol, so the site's strict CSP needs no exception.
    """

    def check(page):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => [v.id, v.nodes.slice(0, 5).map(n => n.target.join(" "))]);
            }"""
        )
        return [tuple(item) for item in result]

    return check
