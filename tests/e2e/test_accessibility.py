"""axe-core over the main pages of every role, at phone and desktop width: no serious or critical violation.

axe-core comes from the npm registry (scripts/ensure-browser.sh puts it in .cache/axe) and is injected by the
test; the Wagtail admin is Wagtail's own and left out.
"""

import pytest

from forum.models import BoardPage, Thread
from kb.models import ArticlePage
from portal.core.audiences import Audience
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_forum_journey import signed_in
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages():
    article = ArticlePage.objects.live().filter(audience=Audience.PUBLIC, locale__language_code="zh-hans").first()
    board = BoardPage.objects.live().filter(locale__language_code="zh-hans").first()
    thread = Thread.objects.filter(board=board, state=Thread.State.PUBLISHED).first()
    return [
        "/",
        "/en/",
        article.get_parent().get_parent().url,
        article.get_parent().url,
        article.url,
        board.get_parent().url,
        board.url,
        thread.get_absolute_url(),
        "/search/?q=网银",
        "/en/search/?q=card",
        "/videos/",
        "/accounts/login/",
    ]


ROLES = {
    "visitor": (None, public_pages),
    "customer": (lambda: UserFactory(), lambda: ["/accounts/profile/", "/en/forum/"]),
    "moderator": (
        lambda: StaffFactory(role="Moderators"),
        lambda: ["/forum/moderation/sla/", "/forum/moderation/pending/", "/en/forum/moderation/flagged/"],
    ),
    "agent": (
        lambda: StaffFactory(role="Agents"),
        lambda: ["/", "/console/", "/console/?q=U盾", "/en/console/?q=card"],
    ),
    "operations": (lambda: StaffFactory(role="Operations"), lambda: ["/", "/forum/moderation/sla/"]),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_have_no_serious_or_critical_accessibility_violations(
    browser, live_server, demo_site, no_elasticsearch, axe, role
):
    make_user, pages = ROLES[role]
    if make_user is None:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
    else:
        context, page = signed_in(browser, live_server, make_user())
    found = {}
    for path in pages():
        for device, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{path}")
            for rule, targets in axe(page):
                found.setdefault(f"{rule} on {path} ({device})", targets)
    context.close()

    assert_accessible(found)


def assert_accessible(found):
    """Fail naming each rule, where it broke and the first elements axe pointed at."""
    lines = [f"  {where}: {', '.join(targets)}" for where, targets in sorted(found.items())]
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(lines)


# A form as a careless template could write it: an input nobody labelled, grey text on grey.
BROKEN = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>转账</title></head>
<body><main><h1>转账</h1><form>
<input id="amount" name="amount" type="text">
<p id="hint" style="color:#9aa3ad;background:#f6f8fb">单笔限额 5 万元</p>
<button type="submit">下一步</button></form></main></body></html>"""
# The same form made right: the check must pass it, or it would fail every page and prove nothing.
FIXED = BROKEN.replace('<input id="amount"', '<label for="amount">金额</label><input id="amount"').replace(
    "color:#9aa3ad", "color:#596476"
)


def _served(browser, html):
    """A page served by the test itself (Playwright answers the request; nothing goes on the network)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.route("http://a11y.test/**", lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=html))
    page.goto("http://a11y.test/form")
    return context, page


def test_the_check_catches_an_unlabelled_input_and_low_contrast_and_names_the_rules(browser, axe):
    context, page = _served(browser, BROKEN)
    found = {f"{rule} on /form (phone)": targets for rule, targets in axe(page)}
    context.close()

    assert set(found) == {"label on /form (phone)", "color-contrast on /form (phone)"}
    assert found["label on /form (phone)"] == ["#amount"]
    assert found["color-contrast on /form (phone)"] == ["#hint"]
    with pytest.raises(AssertionError) as failure:
        assert_accessible(found)
    message = str(failure.value)
    assert message.startswith("axe-core found serious or critical violations:\n")
    assert "color-contrast on /form (phone): #hint\n" in message
    assert "label on /form (phone): #amount\n" in message


def test_the_check_passes_the_same_form_made_accessible(browser, axe):
    context, page = _served(browser, FIXED)
    found = {f"{rule} on /form (phone)": targets for rule, targets in axe(page)}
    context.close()

    assert found == {}
    assert_accessible(found)
