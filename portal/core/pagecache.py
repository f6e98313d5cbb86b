"""A site-wide cache of whole pages for anonymous readers, in front of Wagtail's routing, safe for audiences.

Who: only requests that cannot be anyone in particular are answered from the cache or stored in it - GET or
HEAD, no session cookie (so never a signed-in customer, moderator or agent), no pending flash messages, and a
query string made only of paging parameters (PORTAL_PAGE_CACHE_PARAMS). Such a reader is a customer by
definition, so a cached page holds only public content, and a staff member's page is never stored.

What: a response is stored only when its view said it may be shared (`allow(request, *tags)`; every Wagtail
page does so through a `before_serve_page` hook unless its class sets `page_cache = False`), it is a 200,
it sets no cookie and it carries no CSRF token. Per-visitor pieces (a form with its token, "you voted")
are never in the stored body: templates write `{% page_fragment "name" arg %}`, which leaves a marker that
the function registered under that name (`register_fragment`) fills for each request.

When it goes stale: by tags. Every stored page depends on the tag "pages" - any Wagtail publish, unpublish,
move, delete or privacy change bumps it, since navigation and listings appear everywhere - and on the tags
its view names ("forum", "forum:thread:12"). Code that changes what a tag covers calls `bump(tag)` after
commit. Generations live in the shared cache (Redis or the database in production), read by each process at
most once a second, so every worker sees a change within a second and a hit usually costs no round trip at
all. Bodies live in each process (no page bodies over the network).
A tag's generation is read before the view reads its data, so a change committed while a page renders
leaves that page stale for the next reader, never for good. The TTL bounds what no tag covers (vote counts
behind "popular answers", a renamed display name).
"""

import re
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.core import bulk

ALWAYS = "pages"
# The generation of a tag never bumped since the shared cache was last emptied: memos kept under it may
# predate an emptying of the shared cache, so anything that must not outlive a change checks for it.
UNSET = "0"
HEADER = "X-Page-Cache"
_TAG_KEY = "pagecache:tag:"
_MARKER = "<!--pagecache:{name}:{arg}-->"
_MARKER_RE = re.compile(rb"<!--pagecache:([\w-]+):([\w-]*)-->")
_KEPT_HEADERS = ("Content-Type", "Link", "X-Robots-Tag")
_store = LocMemCache("portal-pages", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4}})
_fragments = {}
_memos = {}
_generations = {}  # tag -> (generation, when this process read it)
# Both per-process maps grow with what is read (a tag per thread, a memo per page and host); past this many
# entries a map starts afresh, so a long-lived worker's memory stays bounded and the cost is a re-read.
PROCESS_ENTRIES = 20_000


def keep(store, key, value):
    """store[key] = value in a per-process map that starts afresh past PROCESS_ENTRIES entries."""
    if len(store) >= PROCESS_ENTRIES and key not in store:
        store.clear()
    store[key] = value


@dataclass
class _Candidate:
    """What one anonymous request has declared while rendering: the tags and the generations it read."""

    generations: dict = field(default_factory=dict)
    allowed: bool = False
    refused: bool = False


# --- Tags ------------------------------------------------------------------------------------------------
def _read(tags):
    """{tag: generation}; None when the shared cache cannot be asked (then nothing is cached).

    Each process keeps what it read for PORTAL_PAGE_CACHE_TAG_SECONDS (1 s), so most requests make no
    round trip at all: a change made by another process shows here within that second (in this process at
    once). A generation read late only ever makes a stored page look stale, never a stale page look fresh.
    """
    now = time.monotonic()
    ttl = getattr(settings, "PORTAL_PAGE_CACHE_TAG_SECONDS", 1.0)
    result, missing = {}, []
    for tag in tags:
        known = _generations.get(tag)
        if known is not None and now - known[1] < ttl:
            result[tag] = known[0]
        else:
            missing.append(tag)
    if missing:
        try:
            found = shared_cache.get_many([_TAG_KEY + tag for tag in missing])
        except Exception:  # the shared cache is down: serve without caching rather than fail the page
            return None
        if ALWAYS in missing and found.get(_TAG_KEY + ALWAYS) is None:
            found[_TAG_KEY + ALWAYS] = _start(ALWAYS)
        for tag in missing:
            result[tag] = found.get(_TAG_KEY + tag)
            keep(_generations, tag, (result[tag], now))
    return result


def _start(tag):
    """Give a tag that the shared cache does not know (never bumped, or the cache was emptied) a fresh
    generation, so what processes remembered before the cache was emptied is not taken as current. Done for
    "pages", which the route and restriction memos (portal/core/routes.py) depend on; one write per emptying."""
    try:
        shared_cache.add(_TAG_KEY + tag, secrets.token_hex(8), timeout=None)
        return shared_cache.get(_TAG_KEY + tag)
    except Exception:  # the shared cache is down: as if never bumped
        return None


def bump(*tags):
    """Make every stored page that depends on one of `tags` stale (call it after the change commits)."""
    values = {tag: secrets.token_hex(8) for tag in tags}
    shared_cache.set_many({_TAG_KEY + tag: value for tag, value in values.items()}, timeout=None)
    now = time.monotonic()
    for tag, value in values.items():
        keep(_generations, tag, (value, now))


def bump_on_commit(*tags):
    """Bump now (later reads in this transaction see the change) and again after commit (a page rendered
    meanwhile by another reader, from the rows as they were before the commit, does not survive it).
    Inside portal.core.bulk.deferred() (an import) the same tags are bumped once, when the batch is done."""
    if bulk.defer(("pagecache", tags), lambda: bump(*tags)):
        return
    bump(*tags)
    transaction.on_commit(lambda: bump(*tags))


def generation(request, tag=ALWAYS):
    """The tag's current generation, read once per request (for caches of parts of pages, e.g. navigation).
    None when the shared cache cannot be asked: callers then compute afresh."""
    candidate = getattr(request, "_pagecache", None)
    if candidate is not None and tag in candidate.generations:
        return candidate.generations[tag]
    known = request.__dict__.setdefault("_pagecache_generations", {})
    if tag not in known:
        read = _read([tag])
        known[tag] = None if read is None else (read[tag] or UNSET)
    return known[tag]


def remember(request, key, compute, tag=ALWAYS):
    """`compute()` once per process until `tag` changes: parts of pages that are the same for every reader,
    signed-in or not (the navigation). Computed afresh when the shared cache cannot be asked."""
    current = generation(request, tag)
    if current is None:
        return compute()
    stored = _memos.get((tag, key))
    if stored is not None and stored[0] == current:
        return stored[1]
    value = compute()
    keep(_memos, (tag, key), (current, value))
    return value


def allow(request, *tags):
    """Declare that this response may be shared with other anonymous readers, and what it depends on.

    Call it before reading the data the page shows. A no-op for requests the cache does not serve.
    """
    candidate = getattr(request, "_pagecache", None)
    if candidate is None or candidate.refused:
        return
    new = [tag for tag in tags if tag not in candidate.generations]
    if new:
        read = _read(new)
        if read is None:
            candidate.refused = True
            return
        candidate.generations.update(read)
    candidate.allowed = True


def skip(request):
    """This response must not be shared (it shows something about this visitor)."""
    candidate = getattr(request, "_pagecache", None)
    if candidate is not None:
        candidate.refused = True


# --- Per-visitor fragments --------------------------------------------------------------------------------
def register_fragment(name, render):
    """`render(request, arg) -> str` (safe HTML) fills the `{% page_fragment name arg %}` markers."""
    _fragments[name] = render


def fragment(request, name, arg=""):
    """A marker when the page may be stored, otherwise the fragment itself."""
    arg = str(arg)
    if not re.fullmatch(r"[\w-]*", arg):
        raise ValueError(f"page fragment argument must be a slug: {arg!r}")
    if getattr(request, "_pagecache", None) is not None:
        return mark_safe(_MARKER.format(name=name, arg=arg))  # noqa: S308 - a fixed comment, arg checked above
    return _fragments[name](request, arg)


def _fill(response, request):
    if getattr(response, "streaming", False):
        return response  # a file (a document, a private picture): no fragments, and no `.content` to read
    content = response.content
    if b"<!--pagecache:" not in content:
        return response

    def render(match):
        name, arg = match.group(1).decode(), match.group(2).decode()
        return str(_fragments[name](request, arg)).encode()

    response.content = _MARKER_RE.sub(render, content)
    return response


# --- The middleware ---------------------------------------------------------------------------------------
def seconds():
    if settings.DEBUG:
        return 0  # `make run`: template and CSS edits show at once
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300))


def is_candidate(request):
    allowed_params = getattr(settings, "PORTAL_PAGE_CACHE_PARAMS", ())
    return (
        seconds() > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and all(name in allowed_params for name in request.GET)
        and all(len(values) == 1 and len(values[0]) <= 40 for _name, values in request.GET.lists())
    )


def _key(request):
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    return f"{request.get_host()}|{get_language()}|{request.path}?{query}"


def _storable(request, response, candidate):
    cache_control = response.get("Cache-Control", "")
    return (
        candidate is not None
        and candidate.allowed
        and not candidate.refused
        and request.method == "GET"
        and response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token is in the body
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class PageCacheMiddleware:
    """Sits after the session, locale, CSRF and auth middleware, in front of every view (and Wagtail)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_candidate(request):
            return self.get_response(request)
        key = _key(request)
        entry = _store.get(key)
        if entry is not None:
            generations, body, headers = entry
            if _read(list(generations)) == generations:
                response = HttpResponse(body)
                for name, value in headers.items():
                    response[name] = value
                response[HEADER] = "hit"
                patch_vary_headers(response, ("Cookie",))
                return _fill(response, request)

        request._pagecache = _Candidate()
        allow(request, ALWAYS)  # read before any view reads the pages it shows
        request._pagecache.allowed = False  # until the view (or Wagtail's hook) says it may be shared
        response = self.get_response(request)
        candidate = getattr(request, "_pagecache", None)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if _storable(request, response, candidate):
            headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
            _store.set(key, (candidate.generations, response.content, headers), timeout=seconds())
            response[HEADER] = "miss"
        if candidate is not None:
            patch_vary_headers(response, ("Cookie",))
            response = _fill(response, request)
        return response


def clear():
    """Forget every stored page and remembered part in this process (tests, `manage.py` tools)."""
    _store.clear()
    _memos.clear()
    _generations.clear()
