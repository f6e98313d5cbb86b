"""End to end on a phone, in both languages of the admin: the demo editor signs in with password and TOTP,
writes a new article (Chinese in the Chinese admin, English in the English one) without ever opening the
Promote tab, and submits it to the "KB review" workflow (named "知识库审核" in the Chinese admin). The slug is
made on the server (pinyin for Chinese). Screenshots of each step go to screenshots/editor-<language>-<n>-<step>.png."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from kb.models import ArticlePage, CategoryPage
from portal.core.demo import DEMO_USERS
from tests.e2e.conftest import PHONE, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR = next(spec for spec in DEMO_USERS if spec.email == "editor@example.test")

JOURNEYS = {
    "zh-hans": {
        "title": "如何修改网银预留手机号？",
        "slug": "ru-he-xiu-gai-wang-yin-yu-liu-shou-ji-hao",
        "short": "登录网上银行，在“安全中心”修改预留手机号。",
        "text": "登录网上银行后进入安全中心，选择修改预留手机号并按提示验证。",
        "block": "内容",
        "submitted": "已创建并提交审核",
        "workflow": "知识库审核",
    },
    "en": {
        "title": "How do I change the phone number on my e-banking account?",
        "slug": "how-do-i-change-the-phone-number-on-my-e-banking-account",
        "short": "Sign in to e-banking and change it in the Security centre.",
        "text": "Sign in to e-banking, open the Security centre and choose Change phone number.",
        "block": "Text",
        "submitted": "created and submitted for moderation",
        "workflow": "KB review",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_editor_signs_in_writes_a_new_article_and_submits_it_for_review(
    browser, live_server, demo_site, screenshot_dir, language, settings
):
    # Wagtail 8's autosave of a new page can race the first submit (seen under load: the submit then posts to
    # the create view again); this journey is about the editor's own clicks, so autosave is off here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    journey = JOURNEYS[language]
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(email=EDITOR.email)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    category = CategoryPage.objects.filter(locale__language_code=language).order_by("path").first()
    context = browser.new_context(viewport=PHONE, locale="zh-CN" if language == "zh-hans" else "en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    shots = iter(range(1, 20))

    def shot(step):
        page.screenshot(path=str(screenshot_dir / f"editor-{language}-{next(shots)}-{step}.png"), full_page=True)

    prefix = "" if language == "zh-hans" else "/en"
    page.goto(f"{live_server.url}{prefix}/accounts/login/?next=/admin/")
    page.locator("input[name=login]").fill(EDITOR.email)
    page.locator("input[name=password]").fill(EDITOR.password)
    shot("sign-in")
    page.locator("form button[type=submit]").first.click()

    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(EDITOR.totp_secret))
    shot("totp")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    shot("admin-home")

    page.goto(f"{live_server.url}/admin/pages/add/kb/articlepage/{category.pk}/")
    page.locator("input[name=title]").fill(journey["title"])
    page.locator("textarea[name=short_answer]").fill(journey["short"])
    answer = page.locator("[data-contentpath=answer]")
    answer.get_by_role("button", name=re.compile("Insert a block|插入块")).first.click()
    page.locator(".w-combobox__option", has_text=journey["block"]).first.click()
    editor_box = answer.locator("[contenteditable=true]").first
    editor_box.click()
    editor_box.type(journey["text"])
    # Draftail writes the block into its hidden input a moment after the last keystroke (a debounced save); a
    # person never submits within that moment, a fast test under load did and got "required field".
    expect(page.locator("input[name=answer-0-value]")).to_have_value(
        re.compile(re.escape(journey["text"][:8])), timeout=20_000
    )
    shot("new-article")

    actions = page.locator(".w-dropdown-button").filter(has=page.locator("[name=action-submit]"))
    actions.locator("[data-w-dropdown-target=toggle]").click()
    submit = actions.locator("button[name=action-submit]")
    assert journey["workflow"] in submit.inner_text()  # the workflow's name in the editor's language
    shot("actions")
    submit.click()

    try:
        page.wait_for_url(re.compile(r"/admin/pages/\d+/(edit/)?$"), timeout=60_000)  # saving indexes the draft
    except PlaywrightTimeoutError:
        shot("not-submitted")
        errors = page.locator(".help-critical, .error-message, .w-field__errors, [role=alert]").all_inner_texts()
        pytest.fail(f"the submit stayed on {page.url}; the page says: {errors}")
    assert journey["submitted"] in page.locator("body").inner_text()
    shot("submitted")
    article = ArticlePage.objects.get(title=journey["title"])
    assert article.slug == journey["slug"]
    assert article.live is False
    state = WorkflowState.objects.filter(object_id=str(article.pk)).order_by("-pk").first()
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "KB review"  # the stored msgid, whatever the language
    context.close()
