"""The main journey of each role, in a real browser at phone width, in both languages ("done means" of issue 9).

customer: search -> page 2 -> a type tab -> a facet -> an article; moderator: sign in with TOTP -> the queues from
the header -> approve a pending post; agent: sign in -> the console from the header -> search -> copy -> used on
call; operations: sign in -> the reports from the header. Every step leaves a screenshot in screenshots/
(journey-<role>-<language>-<n>-<step>.png) for a person to look at. Search answers from the database here
(the `make run` default); the search tests cover Elasticsearch.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from forum.models import Post
from kb.models import ArticleUsage
from portal.core.demo import DEMO_USERS
from tests.e2e.conftest import PHONE, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = {"zh-hans": ("", "zh-CN"), "en": ("/en", "en-GB")}


def t(language, text):
    with translation.override(language):
        return gettext(text)


class Journey:
    """One phone browser walking one role's journey, with a numbered screenshot per step."""

    def __init__(self, browser, live_server, screenshot_dir, role, language):
        self.prefix, browser_locale = LANGUAGES[language]
        self.language, self.role, self.dir, self.step = language, role, screenshot_dir, 0
        self.base = live_server.url
        self.context = browser.new_context(viewport=PHONE, locale=browser_locale)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)

    def shot(self, name):
        self.step += 1
        assert self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        path = self.dir / f"journey-{self.role}-{self.language}-{self.step}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def goto(self, path):
        self.page.goto(f"{self.base}{self.prefix}{path}")

    def sign_in(self, email):
        spec = next(spec for spec in DEMO_USERS if spec.email == email)
        self.goto("/accounts/login/")
        form = self.page.locator("main form").first
        form.locator("input[name=login]").fill(spec.email)
        form.locator("input[name=password]").fill(spec.password)
        self.shot("sign-in")
        form.locator("button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        code = totp_code(spec.totp_secret)
        self.page.locator("input[name=code]").fill(code)
        self.shot("two-factor-code")
        self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
        # Sign-in continues in the account's preferred language (the demo staff prefer Chinese).
        assert self.page.url in (f"{self.base}/", f"{self.base}/en/"), self.page.url
        if not self.page.url.startswith(f"{self.base}{self.prefix}/") or self.prefix == "":
            self.goto("/")
        assert self.page.locator(".staff-panel").is_visible()  # after sign-in: the tools, one tap away
        self.shot("signed-in")

    def open_tool(self, label):
        """Open the phone menu in the header and follow the staff tool called `label`."""
        self.page.locator("[data-nav-toggle]").click()
        link = self.page.locator("#site-nav .staff-tools").get_by_role("link", name=t(self.language, label))
        assert link.is_visible()
        self.shot("header-menu")
        link.click()
        self.page.wait_for_load_state()

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, live_server, demo_site, screenshot_dir, no_elasticsearch):
    started = []

    def start(role, language):
        started.append(Journey(browser, live_server, screenshot_dir, role, language))
        return started[-1]

    yield start
    for each in started:
        each.close()


def query_box(page):
    return page.locator("#q").input_value()


@pytest.mark.parametrize(("language", "query"), [("zh-hans", "网银"), ("en", "online banking")])
def test_customer_searches_follows_a_tab_a_facet_and_page_two_then_reads_the_article(journey, language, query):
    j = journey("customer", language)
    page = j.page
    j.goto("/")
    page.locator("#hero-q").fill(query)
    j.shot("home-search")
    page.locator("#hero-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert query_box(page) == query
    j.shot("results")

    page.locator(".sr-pages a[rel=next]").click()
    page.wait_for_url(re.compile(r"[?&]page=2"))
    assert query_box(page) == query
    assert page.locator(".sr-result").count() > 0
    j.shot("page-2")

    tab = page.locator(".sr-tabs li").nth(1).locator("a")
    tab_name = tab.inner_text()
    tab.click()
    page.wait_for_url(re.compile(r"[?&]type="))
    assert query_box(page) == query
    assert page.locator(".sr-tabs a[aria-current=page]").inner_text() == tab_name
    j.shot("type-tab")

    page.locator(".sr-facets summary").click()
    facet = page.locator(".sr-facets li a").first
    facet_name = facet.inner_text()
    facet.click()
    page.wait_for_url(re.compile(r"[?&]facet="))
    assert query_box(page) == query
    assert page.locator(".sr-facets a[aria-current=true]").inner_text() == facet_name
    j.shot("facet")

    first = page.locator(".sr-result .sr-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    j.shot("article")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_moderator_signs_in_with_totp_opens_the_queues_from_the_header_and_approves(journey, language):
    j = journey("moderator", language)
    page = j.page
    j.sign_in("moderator@example.test")
    j.open_tool("Moderation queues")
    page.wait_for_url(re.compile(r"/forum/moderation/sla/"))
    j.shot("sla-queue")

    page.locator('a[href$="/forum/moderation/pending/"]').first.click()
    page.wait_for_url(re.compile(r"/forum/moderation/pending/"))
    pending = Post.objects.filter(state=Post.State.PENDING).count()
    assert pending > 0
    j.shot("pending-queue")
    page.locator(".forum-queue-item form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".flash").first.inner_text() == t(language, "The post is published.")
    assert Post.objects.filter(state=Post.State.PENDING).count() == pending - 1
    j.shot("approved")


@pytest.mark.parametrize(("language", "query"), [("zh-hans", "U盾"), ("en", "card")])
def test_agent_finds_the_console_in_the_header_searches_copies_and_marks_used(journey, language, query):
    j = journey("agent", language)
    page = j.page
    j.sign_in("agent@example.test")
    j.open_tool("Agent console")
    page.wait_for_url(re.compile(r"/console/"))
    j.shot("console")

    page.locator("#cx-q").fill(query)
    page.locator(".cx-item").first.wait_for()
    j.shot("console-results")
    first = page.locator(".cx-item").first
    first.locator("[data-action=copy]").click()
    page.wait_for_function(
        "text => document.querySelector('[data-announce]').textContent.includes(text)",
        arg=t(language, "Short answer copied."),
    )
    short = first.locator("[data-short]").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == short
    j.shot("copied")

    uses = ArticleUsage.objects.count()
    first.locator("[data-action=used]").click()
    page.wait_for_function(
        "text => document.querySelector('[data-announce]').textContent.includes(text)",
        arg=t(language, "Marked as used on this call."),
    )
    assert ArticleUsage.objects.count() == uses + 1
    j.shot("used-on-call")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_operations_signs_in_and_opens_the_reports_from_the_header(journey, language):
    j = journey("operations", language)
    page = j.page
    j.sign_in("operations@example.test")
    j.open_tool("Reports")
    page.wait_for_url(re.compile(r"/admin/search-report/"))
    # Wagtail's admin speaks the account's language (the demo operations manager's is Chinese).
    assert page.title().startswith(t("zh-hans", "Search report"))
    j.shot("search-report")
