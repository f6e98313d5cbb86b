"""Which Wagtail site a request is for, found once per process until a page or a site changes.

Wagtail looks the site up with a query on every request (3.5 ms here), and routing, navigation and the
forum's queues all need it. `KnownSiteMiddleware` answers from a per-process memo keyed by host, kept on
portal.core.pagecache's "pages" tag, which every page change and every Site save bumps (portal/apps.py).
The sites' root paths, which every page address is made from, are kept the same way: Wagtail keeps them in
the shared cache, one round trip per request (a query with the database cache).
"""

from wagtail.models import Site

from portal.core import pagecache


class KnownSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = pagecache.remember(
            request, ("site", request.get_host()), lambda: Site.find_for_request(request)
        )
        # Read by Page.get_url_parts (Page._get_site_root_paths) before it asks the shared cache.
        request._wagtail_cached_site_root_paths = pagecache.remember(
            request, ("site-root-paths",), Site.get_site_root_paths
        )
        return self.get_response(request)
