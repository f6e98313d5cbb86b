"""Customer search page (first version: published pages of the current language, via Wagtail's search)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200


def search_page(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = []
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).exclude(depth__lte=2).specific()
        results = Paginator(list(pages.search(query)), 20).get_page(request.GET.get("page"))
    return render(request, "search/search_page.html", {"query": query, "results": results})
