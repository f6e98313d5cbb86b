"""Template tags for the site chrome: main navigation, the language switcher, staff tools, canonical and hreflang
links, and small text filters (agent notes' lists, role labels of the search report)."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from portal.core import pagecache
from portal.core.navigation import site_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def page_fragment(context, name, arg=""):
    """A per-visitor piece of a page (a form with its CSRF token): filled per request even when the rest of
    the page comes from the anonymous page cache (portal.core.pagecache)."""
    return pagecache.fragment(context["request"], name, arg)


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """Links to each area in the active language (the same section pages the home page shows)."""
    request = context.get("request")
    if request is None:
        return []
    links = [
        {"key": page.section_key, "title": page.title, "url": page.get_url(request)} for page in site_sections(request)
    ]
    for key, url_name in (("messages", "intake:new"), ("search", "search:page")):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # an area that is not installed yet is simply not linked
        links.append({"key": key, "title": None, "url": url})
    return links


@register.simple_tag(takes_context=True)
def language_links(context):
    """[{code, name, url, current}] for the switcher: the page's own translation where one exists."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    urls = {}
    if isinstance(page, Page) and page.pk:
        urls = {code: url for code, (url, _path) in _translation_urls(request, page).items()}
    links = []
    for code, name in settings.LANGUAGES:
        url = urls.get(code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
            if url == request.get_full_path() and code != current:
                # No translation of this path: fall back to that language's home page.
                url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


HREFLANGS = {"zh-hans": "zh-Hans", "en": "en"}


def _translation_urls(request, page):
    """{language code: (url, site path)} of the page's live translations, this page included, for the switcher
    and the hreflang links: one query, then kept per process until a page is published, moved or unpublished
    (the page cache's "pages" tag). The same for every reader, as before it was kept: addresses only, no content."""

    def compute():
        found = {}
        # live() only: .public() costs a query of its own, and a page's translations share its privacy.
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            parts = translated.get_url_parts(request)
            found[translated.locale.language_code] = (translated.get_url(request), parts[2] if parts else None)
        return found

    if request is None or getattr(request, "is_preview", False):
        return compute()
    return pagecache.remember(request, ("translation-urls", page.pk, request.get_host(), request.scheme), compute)


@register.inclusion_tag("includes/seo_links.html", takes_context=True)
def seo_links(context):
    """Canonical and hreflang links of a Wagtail page, absolute from the configured base URL.

    Every translated page names each of its live translations (and zh-Hans as x-default). A page's
    sub-route (a forum thread served by its board) has no translation: it gets its own canonical only.
    """
    request = context.get("request")
    page = context.get("page")
    if request is None or not isinstance(page, Page) or not page.pk:
        return {"canonical": None, "alternates": []}
    base = settings.PORTAL_BASE_URL
    canonical = base + request.path
    alternates = []
    parts = page.get_url_parts(request)
    if parts is not None and parts[2] == request.path:
        for code, (_url, path) in _translation_urls(request, page).items():
            if path is not None:
                alternates.append({"code": code, "hreflang": HREFLANGS.get(code, code), "url": base + path})
        order = [code for code, _name in settings.LANGUAGES]
        alternates.sort(key=lambda alt: order.index(alt["code"]) if alt["code"] in order else 99)
        if len(alternates) < 2:
            alternates = []
    return {
        "canonical": canonical,
        "alternates": alternates,
        "default": next((alt for alt in alternates if alt["code"] == settings.LANGUAGE_CODE), None),
    }


@register.simple_tag
def active_locale():
    return Locale.get_active()


@register.simple_tag(takes_context=True)
def staff_tools(context):
    """[{key, label, help, url}]: a link to each staff tool the signed-in person's roles allow, once per request.

    Each tool's own policy answers (the console's, the forum's, the accounts' and the search report's), so the
    header never offers a link that ends in a 403.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(request, "_portal_staff_tools", None)
    if cached is not None:
        return cached
    from forum.policies import ForumPolicy
    from portal.core.policies import AccountPolicy
    from portal.intake.policies import IntakePolicy
    from portal.operations.policies import OperationsPolicy
    from search.policies import SearchPolicy

    tools = []
    if AccountPolicy.is_agent(user):  # what SearchPolicy.can_use_console rests on, without its staff lookup
        tools.append(("console", _("Agent console"), _("Search answers and notes while on a call."), "console:home"))
    # The queues' own rule (ForumPolicy.can_use_queues) for staff; asked through moderated_board_ids, whose
    # answers the page has usually worked out already, so a customer's page runs no extra query.
    boards = ForumPolicy.moderated_board_ids(user)
    if (boards is None or boards) and ForumPolicy.can_use_queues(user):
        tools.append(("queues", _("Moderation queues"), _("Pending, flagged and overdue posts."), "forum:sla"))
    if IntakePolicy.is_desk(user):
        tools.append(
            (
                "messages",
                _("Message desk"),
                _("Inquiries, complaints and SMS waiting for an answer."),
                "intake_admin:queue",
            )
        )
    if AccountPolicy.can_use_admin(user):
        tools.append(("admin", _("Admin"), _("Pages, articles, videos and workflows."), "wagtailadmin_home"))
    if OperationsPolicy.can_view(user):
        tools.append(
            (
                "operations",
                _("Operations dashboard"),
                _("Queues now, trends against targets, forecasts."),
                "operations_dashboard",
            )
        )
    if SearchPolicy.can_view_reports(user):
        tools.append(
            ("reports", _("Reports"), _("Searches, results and searches that found nothing."), "portal_search_report")
        )
    request._portal_staff_tools = [
        {"key": key, "label": label, "help": help_text, "url": reverse(url_name)}
        for key, label, help_text, url_name in tools
    ]
    return request._portal_staff_tools


BULLETS = ("- ", "* ", "• ")


@register.filter
def text_blocks(text):
    """Plain text with "- " list lines (agent notes as the search index keeps them) as blocks to render:
    [("p", line) | ("ul", [item, ...])]. Escaping is left to the template."""
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(BULLETS):
            item = line[2:].strip()
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(item)
            else:
                blocks.append(("ul", [item]))
        else:
            blocks.append(("p", line))
    return blocks


@register.filter
def search_role(value):
    """The label of a role in the search log ("agent" -> 坐席 / Agent), in the reader's language."""
    from search.models import SearchQuery

    return dict(SearchQuery.Role.choices).get(value, value)
