"""End to end on a phone: a viewer asks during the live broadcast, a moderator approves and answers, and the
viewer's page shows both without a reload (polling under the strict CSP); series titles stay whole lines."""

import pytest

from tests.e2e.test_forum_journey import signed_in
from tests.factories import StaffFactory, UserFactory
from videos import actions
from videos.models import EpisodePage, Question

pytestmark = pytest.mark.django_db(transaction=True)


def test_question_approved_and_answered_appears_without_a_reload(
    browser, live_server, demo_site, settings, screenshot_dir
):
    from portal.core import roles

    settings.PORTAL_VIDEOS_POLL_MS = 300
    viewer = UserFactory(display_name="Viewer")
    moderator = StaffFactory(role=roles.MODERATORS)
    episode = EpisodePage.objects.get(slug="family-finance-live", locale__language_code="en")
    context, page = signed_in(browser, live_server, viewer)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}{episode.url}")

    page.fill("#qa-text", "<b>Should I</b> keep cash at home?")
    page.click(".video-ask button[type=submit]")
    page.wait_for_selector("[data-ask-status]:has-text('approved')")
    question = Question.objects.get(broadcast=episode.translation_key, author=viewer)
    assert question.text == "<b>Should I</b> keep cash at home?"

    actions.answer_question(question=question, user=moderator, answer="A little, for emergencies.")
    item = page.wait_for_selector(f"[data-question='{question.pk}'] .video-answer")
    assert "A little, for emergencies." in item.inner_text()
    assert page.inner_text(f"[data-question='{question.pk}'] .video-question-text") == question.text
    assert page.query_selector(f"[data-question='{question.pk}'] b") is None  # shown as text, not markup
    assert not [e for e in errors if "Content Security Policy" in e]
    page.screenshot(path=str(screenshot_dir / "video-live-qa-phone.png"), full_page=True)
    context.close()


def test_series_titles_are_not_broken_every_two_characters_on_a_phone(browser, live_server, demo_site, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/videos/")

    for title in page.query_selector_all(".video-series-grid .card-title"):
        box = title.bounding_box()
        line = float(title.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert box["height"] < line * 1.5, title.inner_text()  # one line
    page.screenshot(path=str(screenshot_dir / "video-index-phone.png"), full_page=True)
    context.close()
