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

    assert found == {}
