"""Site-wide views: designed error pages and a health check that says which parts answer."""

import hmac
import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache

from portal.core.roles import is_staff_member
from search import health as search_health

logger = logging.getLogger(__name__)


def permission_denied(request, exception=None):
    """A signed-in person without the role for a page: what happened, what to do, and the tools they do have."""
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors that could fail again; the error itself is logged by Django.
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the designed page failed too: fall back to plain text, never a blank response
        logger.exception("500 page failed to render")
        from django.http import HttpResponseServerError

        return HttpResponseServerError("Server error / 服务器错误")


@cache_control(max_age=3600, public=True)
def sitemap_index(request):
    from portal.sitemaps import section_urls

    return render(request, "sitemap_index.xml", {"sitemaps": section_urls(request)}, content_type="application/xml")


# Staff tools, sign-in and search result pages are of no use to a search engine (the search page also says
# noindex); the sitemap lists what is.
ROBOTS_DISALLOW = [
    "/admin/",
    "/django-admin/",
    "/api/",
    "/accounts/",
    "/en/accounts/",
    "/console/",
    "/en/console/",
    "/search/",
    "/en/search/",
    "/forum/moderation/",
    "/en/forum/moderation/",
]


@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def ping(request):
    """The trivial view: the yardstick benchmarks print beside every page."""
    return HttpResponse("ok", content_type="text/plain")


def _may_see_health_details(request):
    """Staff, or a monitor sending PORTAL_HEALTHZ_TOKEN as `Authorization: Bearer …`."""
    token = settings.PORTAL_HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    return is_staff_member(request.user)


@never_cache
def healthz(request):
    """Which parts answer. Anyone learns whether search runs on Elasticsearch or the database; the engine's
    version, cluster name and health and the last error (what an attacker would look up) only staff or a
    monitor with the token."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    search = search_health.engine_status()
    details = search.as_dict()
    if not _may_see_health_details(request):
        details = {"engine": search.engine, "available": search.available}
    return JsonResponse({"database": connection.vendor, "search": details})
