"""Demo content: a believable service centre for the fictional Example Bank, in Chinese and English.

`manage.py demo_content` calls `build_demo()`. It is idempotent: pages are found by slug and locale,
users by e-mail, so running it twice changes nothing. Each area adds its own content through its
`<app>/demo.py` (`build(homes)`), called in order below; they share the helpers of portal.core.demo.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Page, Site

from forum import demo as forum_demo
from kb import demo as kb_demo
from portal.core import roles
from portal.core.demo import (
    DEMO_USERS,
    apply_fields,
    ensure_locales,
    ensure_translation,
    ensure_users,
    index_updates_once,
    publish,
)
from portal.intake import demo as intake_demo
from portal.models import HomePage
from portal.operations import demo as operations_demo
from videos import demo as videos_demo

__all__ = ["DEMO_USERS", "build_demo"]

AREA_DEMOS = (kb_demo, forum_demo, videos_demo)

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


def ensure_home(locales):
    if Collection.get_first_root_node() is None:  # a flushed database has lost the root collection too
        Collection.add_root(name="Root")
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
        publish(zh, apply_fields(zh, HOME["zh-hans"]))
    # The site's host and port come from the configured base URL, so Wagtail's absolute URLs (canonical,
    # hreflang, sitemap) point where the portal is served: http://127.0.0.1:8000/ under `make run`.
    base = urlsplit(settings.PORTAL_BASE_URL)
    address = {"hostname": base.hostname, "port": base.port or (443 if base.scheme == "https" else 80)}
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(root_page=zh, is_default_site=True, site_name="Example Bank", **address)
    else:
        moved = apply_fields(site, address)
        if moved or site.root_page_id != zh.pk:
            site.root_page = zh
            site.save()
    en = ensure_translation(zh, locales["en"], **HOME["en"])
    return {"zh-hans": zh, "en": en}


@transaction.atomic
def build_demo(stdout=None, history=False):
    """`history`: add eight weeks of service history for the operations dashboard (`manage.py demo_content`)."""
    from django.apps import apps

    roles.sync_roles(apps)  # normally made by migrations; a flushed test database needs them again
    with index_updates_once():
        locales = ensure_locales()
        homes = ensure_home(locales)
        for area in AREA_DEMOS:
            area.build(homes)
        ensure_users()
        intake_demo.build(homes)  # after the users: the message desk's demo staff answer and rate
        if history:
            operations_demo.build(homes)
    return homes
