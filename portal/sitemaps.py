"""The sitemap: an index of paged sections (Wagtail's pages; public, answered forum threads), as Discourse does.

Every address is absolute from settings.PORTAL_BASE_URL (pages through the Wagtail site, which the demo sets
from the same setting), never from the Host header of whoever asked.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from forum.models import BoardPage, Thread
from forum.policies import ForumPolicy


class BaseURLMixin:
    def get_protocol(self, protocol=None):
        return urlsplit(settings.PORTAL_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.PORTAL_BASE_URL).netloc


class ThreadSitemap(BaseURLMixin, Sitemap):
    """Threads a stranger may read, with an accepted answer, on boards a stranger may open: the ones worth a
    search engine's visit. Keyset-friendly order (by id), a page at a time."""

    changefreq = "weekly"

    def __init__(self, request=None):
        self.request = request
        self._board_paths = None

    @property
    def limit(self):
        return settings.PORTAL_SITEMAP_THREADS_PER_PAGE

    def public_boards(self):
        return BoardPage.objects.live().public()

    def items(self):
        threads = Thread.objects.filter(board__in=self.public_boards(), status=Thread.Status.ANSWERED)
        return (
            ForumPolicy.visible_threads(AnonymousUser(), threads)
            .only("id", "slug", "board_id", "last_post_at")
            .order_by("id")
        )

    def board_paths(self):
        if self._board_paths is None:
            self._board_paths = {}
            for board in self.public_boards():
                _site, _root, path = board.get_url_parts(self.request)
                self._board_paths[board.pk] = path
        return self._board_paths

    def location(self, thread):
        return thread.get_absolute_url(self.board_paths()[thread.board_id])

    def lastmod(self, thread):
        return thread.last_post_at


SECTIONS = {"pages": PageSitemap, "threads": ThreadSitemap}


def section_urls(request):
    """[{location, lastmod}] of every page of every section, for the sitemap index."""
    from django.urls import reverse

    base = settings.PORTAL_BASE_URL
    entries = []
    for name, section in SECTIONS.items():
        sitemap = section(request)
        url = base + reverse("sitemap_section", kwargs={"section": name})
        for number in sitemap.paginator.page_range:
            entries.append({"location": url if number == 1 else f"{url}?p={number}", "lastmod": None})
    return entries
