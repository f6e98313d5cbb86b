"""Site-wide views: designed error pages and a health check that says which parts answer."""

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from search import health as search_health

logger = logging.getLogger(__name__)


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


def ping(request):
    """The trivial view: the yardstick benchmarks print beside every page."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    search = search_health.engine_status()
    return JsonResponse({"database": connection.vendor, "search": search.as_dict()})
