"""End to end in a real browser, on a phone: a customer asks in the forum (and is told their card number was
hidden), a moderator approves the question and answers it, the customer accepts the answer, and a reader
who is not signed in sees each step at once - through the anonymous page cache. Screenshots of the thread
go to screenshots/."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from forum.models import BoardPage, Thread
from portal.accounts.middleware import SESSION_FLAG
from tests.e2e.conftest import PHONE
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CARD = "6222 0200 1234 5678 903"  # passes the Luhn check: it must be hidden before anyone sees it


def signed_in(browser, live_server, user):
    """A phone browser already signed in as `user` (the sign-in form itself is covered elsewhere)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_FLAG] = user.pk  # staff: their second factor counts as checked
    session.save()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    domain = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": domain, "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_customer_asks_moderator_answers_and_every_reader_sees_the_accepted_answer(
    browser, live_server, demo_site, screenshot_dir
):
    board = BoardPage.objects.get(slug="bank-cards", locale__language_code="en")
    customer = UserFactory(display_name="Lin Mei", preferred_language="en")
    customer.date_joined = timezone.now() - timezone.timedelta(days=400)
    customer.save(update_fields=["date_joined"])
    moderator = StaffFactory(role="Moderators", display_name="Moderator Chen")
    board_url = f"{live_server.url}{board.url}"

    reader = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    reader.goto(board_url)  # the board is now in the page cache

    asker_context, asker = signed_in(browser, live_server, customer)
    asker.goto(board_url)
    asker.get_by_role("link", name="Ask a question").click()
    asker.get_by_label("Title").fill("My debit card was swallowed by an ATM")
    asker.get_by_label("Details").fill(f"The machine kept card {CARD} this morning. What should I do?")
    asker.get_by_role("button", name="Post question").click()

    asker.wait_for_url(re.compile(r"/t/\d+"))
    body = asker.locator("body").inner_text()
    assert "To protect your privacy we hid" in body
    assert "waiting for a moderator's approval" in body  # a first question on this board is checked first
    assert "5678" not in body and "6222" not in body
    thread = Thread.objects.get(title="My debit card was swallowed by an ATM")
    assert "5678" not in thread.opening_post.body
    thread_url = asker.url.split("#")[0]

    reader.goto(board_url)
    assert reader.get_by_role("link", name="My debit card was swallowed by an ATM").count() == 0

    moderator_context, moderation = signed_in(browser, live_server, moderator)
    moderation.goto(thread_url)
    moderation.locator("summary", has_text="Moderate").first.click()
    moderation.get_by_role("button", name="Approve").click()
    assert moderation.get_by_text("The post is published.").is_visible()

    reader.goto(board_url)
    assert reader.get_by_role("link", name="My debit card was swallowed by an ATM").is_visible()

    moderation.goto(thread_url)
    moderation.get_by_label("Your reply").fill("Call 40088-00000 to freeze the card, then collect it at the branch.")
    moderation.get_by_role("button", name="Post reply").click()
    moderation.wait_for_url(re.compile(r"#post-\d+"))
    assert moderation.get_by_text("Official answer").first.is_visible()

    asker.goto(thread_url)
    asker.get_by_role("button", name=re.compile("Accept this answer")).click()
    asker.wait_for_load_state()
    assert asker.get_by_text("The answer is marked as accepted.").is_visible()

    reader.goto(thread_url)
    text = reader.locator("main").inner_text()
    assert "Call 40088-00000 to freeze the card" in text
    assert "Accepted" in text
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    reader.screenshot(path=str(screenshot_dir / "forum-thread-en-phone.png"), full_page=True)
    reader.goto(f"{board_url}?status=answered")
    assert reader.get_by_role("link", name="My debit card was swallowed by an ATM").is_visible()

    asker_context.close()
    moderator_context.close()
