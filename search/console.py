"""The agent console: a keyboard-first search page for agents on a live call, and its event endpoint.

The page works without JavaScript (a GET form rendered here); console.js makes it update as the agent
types, through the JSON API (search.api). Events (a settled search, opening, copying the short answer,
"used on call") come back to `event`, which records them through search.actions. Customers get a 404:
they must not learn the console exists; anonymous visitors are sent to sign in.
"""

import json
import uuid

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from search import actions, analysis, queries, registry
from search.models import RecentUse, SearchEntry, SearchEvent, SearchQuery
from search.policies import SearchPolicy

PAGE_SIZE = 10
RECENT_SHOWN = 8
CHANNELS = ["web", "mobile", "phone", "counter"]


def access_console(request):
    """The agent at the console, or a redirect/404 for everyone else."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not SearchPolicy.can_use_console(request.user):
        raise Http404
    return request.user, None


def recent_for(user, locale=None):
    """The agent's recently used results that still exist and that they may see, newest first."""
    uses = list(RecentUse.objects.filter(user=user).order_by("-used_at")[: RECENT_SHOWN * 2])
    if not uses:
        return []
    entries = SearchEntry.objects.filter(
        kind__in={u.kind for u in uses},
        object_pk__in={u.object_pk for u in uses},
        audience__in=SearchPolicy.audiences(user),
    ).only("kind", "object_pk", "title", "url", "summary", "locale")
    by_key = {(e.kind, e.object_pk): e for e in entries}
    recent = []
    for use in uses:
        entry = by_key.get((use.kind, use.object_pk))
        if entry is not None:
            recent.append(
                {
                    "kind": use.kind,
                    "id": use.object_pk,
                    "title": entry.title,
                    "url": entry.url,
                    "short_answer": entry.summary,
                }
            )
    return recent[:RECENT_SHOWN]


def product_tags(locale):
    """Tags of the knowledge base in this language, most used first (the console's product filter)."""
    counts = {}
    for tags in SearchEntry.objects.filter(kind="kb", locale=locale).values_list("tags", flat=True)[:5000]:
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return [tag for tag, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:60]]


def console(request):
    user, response = access_console(request)
    if response:
        return response
    locale = get_language()
    query, truncated = analysis.clean_query(request.GET.get("q", ""))
    tag = request.GET.get("tags", "")[:100]
    channel = request.GET.get("channel", "")
    channel = channel if channel in CHANNELS else ""
    results = None
    if query:
        results = queries.search(
            queries.SearchRequest(
                query,
                SearchPolicy.audiences(user),
                locale=locale,
                kinds=("kb",) if "kb" in registry.kinds() else (),
                tags=(tag,) if tag else (),
                channels=(channel,) if channel else (),
                size=PAGE_SIZE,
            )
        )
        actions.queue_search_log(  # buffered, written after the response (search.searchlog)
            user=user, results=results, source=SearchQuery.Source.CONSOLE, locale=locale, kind="kb"
        )
    related = [k for k in ("forum", "messages") if k in registry.kinds()]
    if not SearchPolicy.can_see_messages(user):
        related = [k for k in related if k != "messages"]
    context = {
        "query": query,
        "truncated": truncated,
        "max_length": analysis.MAX_QUERY_LENGTH,
        "results": results,
        "tag": tag,
        "channel": channel,
        "tags": product_tags(locale),
        "channels": CHANNELS,
        "recent": recent_for(user, locale),
        "related_kinds": ",".join(related),
        "related_labels": json.dumps({k: str(registry.kinds()[k].label) for k in related}, ensure_ascii=False),
    }
    return render(request, "console/console.html", context)


@require_POST
def event(request):
    """Record a console event. Returns {"ok", "query_id"?, "recent"?} as JSON."""
    user, response = access_console(request)
    if response:
        return JsonResponse({"error": _("Sign in as an agent.")}, status=403)
    action = request.POST.get("action", "")
    locale = get_language()
    if action == "search":
        query, _truncated = analysis.clean_query(request.POST.get("q", ""))
        if not query:
            return JsonResponse({"error": _("Nothing to record.")}, status=400)
        summary = queries.SearchResults(
            query=query,
            total=_number(request.POST.get("total"), 0, 1_000_000),
            backend=request.POST.get("backend") if request.POST.get("backend") in {"elasticsearch", "database"} else "",
            took_ms=float(_number(request.POST.get("took_ms"), 0, 60_000)),
        )
        logged = actions.log_search(
            user=user, results=summary, source=SearchQuery.Source.CONSOLE, locale=locale, kind="kb"
        )
        return JsonResponse({"ok": True, "query_id": logged.pk if logged else None})
    if action not in SearchEvent.Action.values:
        return JsonResponse({"error": _("Unknown action.")}, status=400)
    kind = request.POST.get("kind", "")
    object_pk = request.POST.get("id", "")[:64]
    if (
        kind not in registry.kinds()
        or not SearchEntry.objects.filter(
            kind=kind, object_pk=object_pk, audience__in=SearchPolicy.audiences(user)
        ).exists()
    ):
        return JsonResponse({"error": _("That result is not available.")}, status=404)
    query = _logged_query(request.POST.get("query_id", ""))
    position = _number(request.POST.get("pos"), 0, 999) or None
    if action == SearchEvent.Action.USED:
        actions.mark_used_on_call(user=user, kind=kind, object_pk=object_pk, query=query, position=position)
        return JsonResponse({"ok": True, "recent": recent_for(user, locale)})
    actions.record_event(action=action, kind=kind, object_pk=object_pk, query=query, position=position)
    return JsonResponse({"ok": True})


def _logged_query(value):
    """The search an event belongs to: the id the "search" event returned, or the key `/api/search` gave."""
    try:
        return SearchQuery.objects.filter(key=uuid.UUID(value)).first()
    except ValueError:
        return SearchQuery.objects.filter(pk=_number(value, 0, 2**62)).first()


def _number(value, low, high):
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return low
    return max(low, min(high, number))
