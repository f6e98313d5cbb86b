"""Read-side queries of the portal app, computed once per request."""

from django.utils import translation
from wagtail.models import Page, Site


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

    Used by the header navigation and the home page; computed once per request.
    """
    cached = getattr(request, "_portal_sections", None)
    if cached is not None:
        return cached
    home = home or home_for_request(request)
    sections = [] if home is None else list(home.get_children().live().public().specific().order_by("path"))
    request._portal_sections = [page for page in sections if getattr(page, "section_key", None)]
    return request._portal_sections
