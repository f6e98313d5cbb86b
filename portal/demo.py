"""Demo content: a believable service centre for the fictional Example Bank, in Chinese and English.

`manage.py demo_content` calls `build_demo()`. It is idempotent: pages are found by slug and locale,
users by e-mail, so running it twice changes nothing. Each area adds its own content through its
`<app>/demo.py` (`build(homes)`), so later features extend the demo without touching this module.
"""

import importlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale, Page, Site

from portal.accounts import roles
from portal.models import HomePage

LOCALES = ("zh-hans", "en")
AREA_DEMOS = ("kb.demo", "forum.demo", "videos.demo")


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    display_name: str
    role: str | None  # a group from portal.accounts.roles, or None for a customer
    totp_secret: str = ""  # staff sign in with MFA; the demo enrols them with this known secret
    superuser: bool = False


# Demo-only credentials, printed by `make run`. Never use these anywhere real.
DEMO_USERS = [
    DemoUser("customer@example.test", "demo-customer-2026", "王小明", None),
    DemoUser("customer.en@example.test", "demo-customer-2026", "Alex Chen", None),
    DemoUser(
        "moderator@example.test", "demo-moderator-2026", "版主·李娜", roles.MODERATORS, "JBSWY3DPEHPK3PXPMODERATOR"
    ),
    DemoUser("editor@example.test", "demo-editor-2026", "编辑·张伟", roles.EDITORS, "JBSWY3DPEHPK3PXPEDITOR22"),
    DemoUser(
        "reviewer@example.test", "demo-reviewer-2026", "审核·刘洋", roles.KB_REVIEWERS, "JBSWY3DPEHPK3PXPREVIEWER"
    ),
    DemoUser("agent@example.test", "demo-agent-2026", "坐席·陈静", roles.AGENTS, "JBSWY3DPEHPK3PXPAGENT222"),
    DemoUser(
        "operations@example.test", "demo-operations-2026", "运营·赵磊", roles.OPERATIONS, "JBSWY3DPEHPK3PXPOPERATIO"
    ),
    DemoUser("admin@example.test", "demo-admin-2026", "管理员", None, "JBSWY3DPEHPK3PXPADMIN222", superuser=True),
]

HOME = {
    "zh-hans": {
        "title": "示例银行客户服务中心",
        "hero_title": "您好，有什么可以帮您？",
        "hero_text": "常见问题、社区论坛、留言板和专家视频，一站找到答案。",
        "service_hours": "7×24 小时客服热线 40088-00000（虚构号码）",
    },
    "en": {
        "title": "Example Bank Customer Service Centre",
        "hero_title": "Hello, how can we help?",
        "hero_text": "FAQs, the community forum, the message board and expert videos: answers in one place.",
        "service_hours": "24/7 hotline 40088-00000 (fictional number)",
    },
}


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LOCALES}


def publish(page, changed=True):
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
    return page


def ensure_child(parent, model, slug, **fields):
    """The child of `parent` with this slug (created, or updated to `fields`), published, in the parent's locale."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, locale_id=parent.locale_id, **fields)
        parent.add_child(instance=page)
        return publish(page)
    return publish(page, _apply(page, fields))


def ensure_pair(zh_parent, model, slug, zh_fields, en_fields):
    """A page in Chinese under `zh_parent` and its English translation. Returns {locale code: page}."""
    zh = ensure_child(zh_parent, model, slug, **zh_fields)
    locale_en = Locale.objects.get(language_code="en")
    en = ensure_translation(zh, locale_en, **en_fields) if en_fields is not None else None
    return {"zh-hans": zh, "en": en}


def ensure_translation(page, locale, **fields):
    """The translation of `page` into `locale`, created by Wagtail's copy_for_translation, published."""
    translated = page.get_translation_or_none(locale)
    if translated is None:
        translated = page.copy_for_translation(locale, copy_parents=False)
        translated = translated.specific
        _apply(translated, fields)
        return publish(translated)
    translated = translated.specific
    changed = _apply(translated, fields)
    return publish(translated, changed)


def _apply(page, fields):
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def ensure_home(locales):
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (transactional tests) has lost the root that migrations made
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales["zh-hans"], live=True))
    zh = HomePage.objects.filter(locale=locales["zh-hans"], depth=2).first()
    if zh is None:
        # Wagtail's install leaves a plain "Welcome" page (slug "home") as the site root: replace it.
        for placeholder in root.get_children().filter(slug="home", content_type__model="page"):
            placeholder.delete()
        zh = HomePage(slug="home", locale=locales["zh-hans"], **HOME["zh-hans"])
        root.add_child(instance=zh)
        publish(zh)
    else:
        publish(zh, _apply(zh, HOME["zh-hans"]))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=zh, is_default_site=True, site_name="Example Bank")
    elif site.root_page_id != zh.pk:
        site.root_page = zh
        site.save()
    en = ensure_translation(zh, locales["en"], **HOME["en"])
    return {"zh-hans": zh, "en": en}


def ensure_users():
    User = get_user_model()
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    for spec in DEMO_USERS:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(spec.email, spec.password, display_name=spec.display_name)
        user.is_superuser = user.is_staff = spec.superuser
        user.preferred_language = "en" if spec.email.endswith(".en@example.test") else "zh-hans"
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
        if spec.role:
            user.groups.add(Group.objects.get(name=spec.role))
        if spec.totp_secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, spec.totp_secret)
    return DEMO_USERS


@transaction.atomic
def build_demo(stdout=None):
    from django.apps import apps

    roles.sync_roles(apps)  # normally made by migrations; a flushed test database needs them again
    locales = ensure_locales()
    homes = ensure_home(locales)
    for module_name in AREA_DEMOS:
        module = importlib.import_module(module_name)
        module.build(homes)
    ensure_users()
    return homes
