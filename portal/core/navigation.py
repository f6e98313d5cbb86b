"""Read-side queries of the portal app, computed once per request."""

from django.utils import translation
from wagtail.models import Page, Site

from portal.core import pagecache


def home_for_request(request):
    """The home page in the active language (falls back to the site root)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    language = translation.get_language()
    if root.locale.language_code == language:
        return root
    return Page.objects.filter(translation_key=root.translation_key, locale__language_code=language).first() or root


def site_sections(request, home=None):
    """The live, public section index pages (KB, forum, videos) of the active language, in tree order.

    Used by the header navigation and the home page; kept per process until any page changes (the header of
    every page, signed-in or not, without its page queries).
    """
    cached = getattr(request, "_portal_sections", None)
    if cached is not None:
        return cached

    def compute():
        root = home or home_for_request(request)
        sections = [] if root is None else list(root.get_children().live().public().specific().order_by("path"))
        return [page for page in sections if getattr(page, "section_key", None)]

    site = Site.find_for_request(request)
    key = ("sections", site.root_page_id if site else None, translation.get_language())
    request._portal_sections = pagecache.remember(request, key, compute)
    return request._portal_sections
