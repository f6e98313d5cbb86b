"""A per-process cache of rendered KB pages for anonymous readers, safe for audiences.

Only requests that cannot be anyone in particular are cached or served from the cache: GET/HEAD, no query
string, no session cookie (so never a signed-in customer or agent) and no pending flash messages. Such a
request is a customer by definition, so a cached page can only ever hold public content, and an agent's
page is never stored. Keys carry the latest page-log entry (every publish, unpublish, move, delete or
privacy change in Wagtail writes one), so a change anywhere - an article turned agents-only, a renamed
category - invalidates every cached KB page at once; the TTL bounds what the log does not see (vote counts
behind "popular answers").

The one per-visitor piece of an article page, the feedback form with its CSRF token, is not cached: the
template leaves a marker that `personalise` fills for each request. Processes keep their own cache (no
shared-cache round trip, no database write on a GET); the cost is one small query for the log position.
"""

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from wagtail.models import PageLogEntry

MARKER = "<!--kb:feedback-->"
_store = LocMemCache("kb-pages", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4}})


def clear():
    _store.clear()


def _seconds():
    if settings.DEBUG:
        return 0  # `make run`: template and CSS edits show up at once
    return int(getattr(settings, "PORTAL_KB_PAGE_CACHE_SECONDS", 300))


def is_cacheable(request):
    return (
        _seconds() > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _generation():
    latest = PageLogEntry.objects.order_by("-pk").values_list("pk", "timestamp").first()
    return f"{latest[0]}.{latest[1].timestamp()}" if latest else "0"


def _key(page, request):
    return f"{request.get_host()}|{get_language()}|{page.pk}|{request.path}|{_generation()}"


def serve(page, request, render):
    """Serve `page` through the cache when the request allows it; `render` makes the response otherwise."""
    if not is_cacheable(request):
        response = render()
        if request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return personalise(response, request, page)

    key = _key(page, request)
    cached = _store.get(key)
    if cached is not None:
        content, content_type = cached
        response = HttpResponse(content, content_type=content_type)
        response["X-KB-Cache"] = "hit"
    else:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.cookies:
            _store.set(key, (response.content, response["Content-Type"]), timeout=_seconds())
        response["X-KB-Cache"] = "miss"
    patch_vary_headers(response, ("Cookie",))
    return personalise(response, request, page)


def personalise(response, request, page):
    """Fill the per-visitor fragment (the feedback form) into a rendered page."""
    if getattr(response, "streaming", False):
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    marker = MARKER.encode()
    if marker not in response.content:
        return response
    from kb.views import feedback_fragment

    response.content = response.content.replace(marker, feedback_fragment(request, page).encode())
    return response
