"""End to end in a real browser at phone width: a customer sees answers while typing, sends a message without
an account, follows it by its private link; the same form works with JavaScript off; the strict CSP holds.

Screenshots for review go to screenshots/ (git-ignored).
"""

import re

import pytest
from playwright.sync_api import expect

from kb.models import ArticlePage
from portal.intake.models import Deflection, Message
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _context(browser, **kwargs):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", **kwargs)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return context, page, problems


def _fill(page, subject):
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_category", "ebanking")
    page.fill("#id_subject", subject)
    page.fill("#id_body", "插上 U盾 后网银页面一直没反应。<script>alert(1)</script>")
    page.fill("#id_name", "王先生")
    page.fill("#id_phone", "13812345678")
    page.check("#id_consent")


def test_customer_sees_answers_while_typing_sends_and_follows_the_message(
    browser, live_server, demo_site, no_elasticsearch, screenshot_dir
):
    context, page, problems = _context(browser)
    page.goto(f"{live_server.url}/")
    page.locator(".site-footer").get_by_role("link", name="留言板：给我们留言").click()
    # As a person would, type once the page has loaded: a fill before the form's script listens asks nothing.
    page.wait_for_url(re.compile(r"/messages/$"), wait_until="load")
    assert page.url.endswith("/messages/")
    page.fill("#id_subject", "U盾没反应")
    live = page.locator("[data-intake-live]")
    live.wait_for(state="visible")
    assert live.locator("li").count() >= 1
    assert live.get_by_role("button", name="问题已解决").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "messages-zh-phone.png"), full_page=True)
    _fill(page, "U盾没反应")
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_url(re.compile(r"/messages/t/[\w-]{30,}/$"))
    heading = page.locator("h1").inner_text()
    assert re.search(r"LY-\d{8}-\d{6}", heading)
    assert "<script>alert(1)</script>" in page.locator(".intake-conversation").inner_text()  # shown as text
    page.screenshot(path=str(screenshot_dir / "messages-track-zh-phone.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()


def test_typing_a_question_on_a_phone_suggests_the_kb_article_and_this_solved_it_sends_nothing(
    browser, live_server, demo_site, no_elasticsearch, screenshot_dir
):
    article = ArticlePage.objects.live().get(slug="report-lost-card", locale__language_code="zh-hans")
    messages_before = Message.objects.count()
    context, page, problems = _context(browser)
    page.goto(f"{live_server.url}/messages/")
    live = page.locator("[data-intake-live]")
    expect(live).to_be_hidden()

    page.locator("#id_subject").press_sequentially("我的银行卡丢了怎么办", delay=60)  # key by key, as typed

    expect(live).to_be_visible()
    suggested = live.locator("li.intake-answer").filter(has=page.get_by_role("link", name=article.title, exact=True))
    expect(suggested).to_have_count(1)
    link = suggested.get_by_role("link", name=article.title, exact=True)
    expect(link).to_have_attribute("href", re.compile(re.escape(article.url) + "$"))
    assert live.locator("li.intake-answer").count() <= 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits the phone
    page.screenshot(path=str(screenshot_dir / "messages-deflection-zh-phone.png"), full_page=True)

    suggested.get_by_role("button", name="问题已解决").click()

    page.wait_for_url(re.compile(r"/messages/solved/$"))
    expect(page.locator("h1")).to_have_text("很高兴帮到您")
    expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()
    deflection = Deflection.objects.get(url__endswith=article.url, source="js")
    assert (deflection.result_kind, deflection.language, deflection.title) == ("kb", "zh-hans", article.title)
    assert deflection.query == "我的银行卡丢了怎么办"
    assert Message.objects.count() == messages_before  # no message was created
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()


def test_form_works_without_javascript_through_the_preview_step(browser, live_server, demo_site, no_elasticsearch):
    context, page, _problems = _context(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/messages/")
    assert page.locator("[data-intake-live]").is_hidden()
    _fill(page, "U盾插上电脑没反应")
    page.get_by_role("button", name="先看看答案").click()
    answers = page.locator(".intake-answer-list li")
    assert answers.count() >= 1
    assert page.input_value("#id_subject") == "U盾插上电脑没反应"  # the form is kept
    page.check("#id_consent")
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_url(re.compile(r"/messages/t/[\w-]{30,}/$"))
    assert "U盾插上电脑没反应" in page.locator(".lead").inner_text()
    context.close()
