"""Which page a request is for, found with one query instead of a walk down the page tree.

Wagtail routes every request from the site's root: the root's translation in the reader's language, then
one child per path component, each made specific (a query each), so a forum thread costs six queries and
about 7 ms of CPU before its view starts. `KnownRouteMiddleware` remembers, per process, which page each
path led to - the longest part of the path that names a page (a board for its threads, an article) - and on
the next request fetches that page alone, by id *and* by the `url_path` it had, then lets the page route the
rest of the path itself (a board's `t/<thread>/`, a child page), exactly as Wagtail's walk would from there.

Why it stays right:
- A page that moved, was renamed, deleted or replaced no longer has that id at that `url_path`: the fetch
  finds nothing and Wagtail routes as usual (and the new answer is remembered).
- Whether the page is live, and everything below it, is decided by the page's own `route()` on each request.
- What is remembered is also tied to portal.core.pagecache's "pages" tag (every publish, unpublish, move,
  delete or privacy change) and to the reader's language (each language has its own root).
- Remembered: where a path leads, never a page's content - the page is read fresh on every request. Its
  parent (for breadcrumbs) is kept as Wagtail's walk found it, like the navigation is (pagecache.remember).
Assumed, as in Wagtail: the page a path leads to is the page at that `url_path` below the root (every
`route()` in this project - KB, videos, routable boards - finds pages that way).

The page's view restrictions (Wagtail checks them before serving, two queries) are kept the same way, keyed
by page and "pages" tag; saving or deleting a restriction bumps the tag (Wagtail logs it; portal/apps.py), and
an emptied shared cache starts a new generation (pagecache._start), so an old answer never comes back.
"""

import copy

from django.http import Http404
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from portal.core import pagecache

_routes = {}  # (site id, language, path components) -> (generation, page class, page id, url_path, parent)
_restrictions = {}  # page id -> (generation, [PageViewRestriction])


def route(request, path):
    """Wagtail's RouteResult for `path`, or None (a 404): what `Page.route_for_request` answers, cached on
    the request the same way so Wagtail's serve view uses it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = getattr(request, "_wagtail_site", None) or Site.find_for_request(request)
    current = pagecache.generation(request)
    if site is None or current is None:  # no site (Wagtail answers 404), or the shared cache is down
        return Page.route_for_request(request, path)
    components = [component for component in path.split("/") if component]
    language = get_language()
    page, length = _remembered(site, language, components, current)
    if page is not None:
        try:
            result = page.route(request, components[length:])
        except Http404:
            result = None
        request._wagtail_route_for_request = result
        return _with_known_restrictions(request, result)
    result = Page.route_for_request(request, path)
    if result is not None:
        _learn(site, language, components, result.page, current)
    return _with_known_restrictions(request, result)


def _remembered(site, language, components, current):
    """(the page the longest remembered part of the path leads to, how many components that part has), or
    (None, 0) when no part is remembered or its page is no longer at that address."""
    for length in range(len(components), -1, -1):
        known = _routes.get((site.pk, language, tuple(components[:length])))
        if known is not None and known[0] == current:
            return _fetch(known), length
    return None, 0


def _fetch(known):
    _generation, model, page_id, url_path, parent = known
    try:
        page = model.objects.get(pk=page_id, url_path=url_path)
    except model.DoesNotExist:
        return None
    if parent is not None and parent.path == page.path[: -page.steplen]:
        # As Wagtail's walk leaves it, so breadcrumbs (page.get_parent) cost no query; a copy per request.
        page._cached_parent_obj = copy.copy(parent)
    return page


def _learn(site, language, components, page, current):
    """Remember the path part that led to `page` (one component per level below the site's root)."""
    consumed = page.depth - site.root_page.depth
    if not 0 <= consumed <= len(components):
        return
    prefix = tuple(components[:consumed])
    if prefix and not page.url_path.endswith("/" + "/".join(prefix) + "/"):
        return  # a route() that does not follow url_path: leave it to Wagtail every time
    parent = page.__dict__.get("_cached_parent_obj")  # set by Wagtail's walk, when it took one
    pagecache.keep(_routes, (site.pk, language, prefix), (current, type(page), page.pk, page.url_path, parent))


def _with_known_restrictions(request, result):
    if result is not None:
        restrictions = view_restrictions(request, result.page)
        # What Wagtail's check_view_restrictions hook asks this page before serving it (a list, not a
        # queryset: the hook only iterates it). Only this request's page object gets the answer.
        result.page.get_view_restrictions = lambda: restrictions
    return result


def view_restrictions(request, page):
    """The view restrictions on `page` and its ancestors (Wagtail's `get_view_restrictions()`), as a list."""
    current = pagecache.generation(request)
    if current in (None, pagecache.UNSET):  # an emptied shared cache must not revive an old answer
        return list(Page.get_view_restrictions(page))
    known = _restrictions.get(page.pk)
    if known is not None and known[0] == current:
        return known[1]
    found = list(Page.get_view_restrictions(page))
    pagecache.keep(_restrictions, page.pk, (current, found))
    return found


def clear():
    _routes.clear()
    _restrictions.clear()


class KnownRouteMiddleware:
    """Routes Wagtail's page requests through `route` before Wagtail's serve view runs (the view then
    finds the answer on the request, as it does when Wagtail itself has routed once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            route(request, path)
        return None
