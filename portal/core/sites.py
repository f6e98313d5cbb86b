"""Which Wagtail site a request is for, found once per process until a page or a site changes.

Wagtail looks the site up with a query on every request (3.5 ms here), and routing, navigation and the
forum's queues all need it. `KnownSiteMiddleware` answers from a per-process memo keyed by host, kept on
portal.core.pagecache's "pages" tag, which every page change and every Site save bumps (portal/apps.py).
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
        return self.get_response(request)
