"""The customer search page (one box; results filtered by type, facets, highlighted snippets) and its
click beacon. Works without JavaScript; search.js adds suggestions as you type and click tracking."""

from urllib.parse import urlencode

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from search import actions, analysis, queries, registry
from search.models import SearchEvent, SearchQuery
from search.policies import SearchPolicy

PAGE_SIZE = 10
CLICK_SALT = "portal.search.click"
CLICK_MAX_AGE = 60 * 60 * 6
# The counts the page shows (type tabs, categories/boards/series); tag and channel counts are the API's.
SHOWN_COUNTS = ("kinds", "facets")


def parse_params(params, locale=None):
    """(query, truncated, kind, facet, page) from GET parameters; anything unknown falls back to a default."""
    query, truncated = analysis.clean_query(params.get("q", ""))
    kind = params.get("type", "")
    kind = kind if kind in registry.kinds() else ""
    facet = analysis.strip_controls(params.get("facet", ""))[:255]
    try:
        page = max(1, min(queries.MAX_PAGE, int(params.get("page", "1"))))
    except ValueError:
        page = 1
    return query, truncated, kind, facet, page


def _forum_url(request):
    from wagtail.models import Locale

    from forum.models import ForumIndexPage

    page = ForumIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    return page.get_url(request) if page else ""


def _message_board_url():
    try:
        return reverse("intake:new")
    except NoReverseMatch:
        return ""


def _linker(params):
    """A function (**changes) -> "?query" of these GET parameters with `changes` (None removes one).

    What Django's {% querystring %} writes, for the page's 20-30 tab, facet and pager links: that tag copies
    and re-encodes the whole QueryDict once per link, which was most of the page's rendering.
    """
    current = dict(params.lists())

    def link(**changes):
        merged = {**current}
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = [value]
        return "?" + urlencode([(key, value) for key, values in merged.items() for value in values])

    return link


def result_links(params, results, kind, facet):
    """Every link of a results page, built once in the view: did-you-mean, type tabs, facets and the pager.

    Each keeps the other parameters (the query above all); changing the type or facet goes back to page 1.
    """
    link = _linker(params)
    return {
        "did_you_mean": link(q=results.did_you_mean, page=None, facet=None) if results.did_you_mean else "",
        "all_kinds": link(type=None, page=None, facet=None),
        "kinds": [(k, link(type=k.key, page=None, facet=None), kind == k.key) for k in results.kinds],
        "clear_facet": link(facet=None, page=None) if facet else "",
        "facets": [(f, link(facet=f.key, page=None), facet == f.key) for f in results.facets],
        "previous": link(page=str(results.page - 1)) if results.page > 1 else "",
        "next": link(page=str(results.page + 1)) if results.page < results.pages else "",
    }


def search_page(request):
    query, truncated, kind, facet, page = parse_params(request.GET)
    locale = get_language()
    results, logged = None, None
    if query:
        results = queries.search(
            queries.SearchRequest(
                query,
                SearchPolicy.audiences(request.user),
                locale=locale,
                kinds=(kind,) if kind else (),
                facet=facet,
                page=page,
                size=PAGE_SIZE,
                facet_counts=SHOWN_COUNTS,
            )
        )
        if page == 1:  # buffered, written after the response (search.searchlog): no write while the reader waits
            logged = actions.queue_search_log(
                user=request.user, results=results, source=SearchQuery.Source.PAGE, locale=locale, kind=kind
            )
    context = {
        "query": query,
        "truncated": truncated,
        "max_length": analysis.MAX_QUERY_LENGTH,
        "kind": kind,
        "facet": facet,
        "results": results,
        "click_token": signing.dumps(logged, salt=CLICK_SALT, compress=True) if logged else "",
        "show_agent_badges": SearchPolicy.can_see_notes(request.user),
    }
    if results is not None:
        context["links"] = result_links(request.GET, results, kind, facet)
    if results is not None and not results.hits:
        context["forum_url"] = _forum_url(request)
        context["message_url"] = _message_board_url()
    return render(request, "search/search_page.html", context)


@csrf_exempt  # a beacon from the results page; the signed token ties it to a real, recent search
@require_POST
def record_click(request):
    try:
        logged = signing.loads(request.POST.get("token", ""), salt=CLICK_SALT, max_age=CLICK_MAX_AGE)
    except signing.BadSignature:
        return HttpResponse(status=400)
    kind = request.POST.get("kind", "")
    if kind not in registry.kinds() or not isinstance(logged, dict | int):
        return HttpResponse(status=400)
    # The token carries the search's row: its batch may not be written yet (search.searchlog).
    # A bare id is a token from before the buffered log, still valid for CLICK_MAX_AGE.
    query = actions.logged_search(logged) if isinstance(logged, dict) else SearchQuery.objects.filter(pk=logged).first()
    if query is None or query.events.count() >= 20:
        return HttpResponse(status=204)
    try:
        position = int(request.POST.get("pos", ""))
    except ValueError:
        position = None
    actions.record_event(
        action=SearchEvent.Action.CLICK,
        kind=kind,
        object_pk=request.POST.get("id", "")[:64],
        query=query,
        position=position,
    )
    return HttpResponse(status=204)
