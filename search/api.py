"""The JSON API for desk tools: `GET /api/search` and `GET /api/suggest`.

Who is asking comes from the session or from an `Authorization: Bearer <token>` header (Wagtail's own
API tokens, made in the admin under Users, or with `manage.py api_tokens`); the audience follows from
that user (search.policies), never from a parameter. Responses are private and never cached.
"""

import time
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search import actions, analysis, queries, registry
from search.models import SearchQuery
from search.policies import SearchPolicy

LOCALES = {code for code, _name in settings.LANGUAGES}
RELATED_SIZE = 3


class BadRequest(ValueError):
    pass


def authenticate(request):
    """The user behind the request (token first, then session), or None for a bad token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return request.user
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    from wagtail.models import APIToken

    api_token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token.strip()), revoked_at__isnull=True)
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    return api_token.user


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie", "Authorization"])
    return response


def _unauthorised():
    response = _json({"error": _("The API token is not valid.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _kinds(value):
    if not value:
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in registry.kinds()]
    if unknown:
        public = [name for name, cls in registry.kinds().items() if not getattr(cls, "staff_only", False)]
        raise BadRequest(_("Unknown type. Use one of: %(types)s.") % {"types": ", ".join(public)})
    return names


def _locale(value):
    if value and value not in LOCALES:
        raise BadRequest(_("Unknown locale. Use one of: %(locales)s.") % {"locales": ", ".join(sorted(LOCALES))})
    return value or None


def _int(value, default, low, high, message):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(message) from None
    if not low <= number <= high:
        raise BadRequest(message)
    return number


def _list(value):
    return tuple(v.strip()[:100] for v in (value or "").split(",") if v.strip())[:10]


def parse_search(params, audiences):
    query, truncated = analysis.clean_query(params.get("q", ""))
    request = queries.SearchRequest(
        query,
        audiences,
        locale=_locale(params.get("locale", "")),
        kinds=_kinds(params.get("type", "")),
        facet=analysis.strip_controls(params.get("facet", ""))[:255],
        tags=_list(params.get("tags", "")),
        channels=_list(params.get("channel", "")),
        size=_int(
            params.get("size"),
            queries.DEFAULT_PAGE_SIZE,
            1,
            queries.MAX_PAGE_SIZE,
            _("size must be a whole number from 1 to %(max)s.") % {"max": queries.MAX_PAGE_SIZE},
        ),
        with_facets=params.get("facets") == "1",
        page=_int(
            params.get("page"),
            1,
            1,
            queries.MAX_PAGE,
            _("page must be a whole number from 1 to %(max)s.") % {"max": queries.MAX_PAGE},
        ),
    )
    related = _kinds(params.get("related", ""))
    return request, truncated, related


def results_json(results, with_notes, with_facets=True):
    data = {
        "total": results.total,
        "page": results.page,
        "size": results.size,
        "backend": results.backend,
        "degraded": results.degraded,
        "took_ms": results.took_ms,
        "did_you_mean": results.did_you_mean or None,
        "results": [hit.as_dict(with_notes) for hit in results.hits],
        "facets": {
            "type": [{"key": f.key, "label": f.label, "count": f.count} for f in results.kinds],
            "facet": [{"key": f.key, "label": f.label, "count": f.count, "type": f.kind} for f in results.facets],
            "tags": [{"key": f.key, "count": f.count} for f in results.tags],
            "channels": [{"key": f.key, "count": f.count} for f in results.channels],
        },
    }
    if not with_facets:
        data["facets"] = None
    return data


def speaks_client_language(view):
    """The API lives outside the language prefixes: messages follow the client's Accept-Language."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request, check_path=False)):
            return view(request, *args, **kwargs)

    return wrapper


@require_GET
@speaks_client_language
def search(request):
    started = time.perf_counter()
    user = authenticate(request)
    if user is None:
        return _unauthorised()
    audiences = SearchPolicy.audiences(user)
    try:
        search_request, truncated, related = parse_search(request.GET, audiences)
    except BadRequest as exc:
        return _json({"error": str(exc)}, status=400)
    related = related if search_request.query else ()
    # The results and each kind's related results in one search round trip.
    results, *more = queries.search_many(
        [
            search_request,
            *(
                queries.SearchRequest(
                    search_request.query,
                    audiences,
                    locale=search_request.locale,
                    kinds=(kind,),
                    size=RELATED_SIZE,
                    with_facets=False,
                )
                for kind in related
            ),
        ]
    )
    with_notes = SearchPolicy.can_see_notes(user)
    data = {
        "query": search_request.query,
        "truncated": truncated,
        **results_json(results, with_notes, search_request.with_facets),
    }
    if related:
        data["related"] = {
            kind: [hit.as_dict(with_notes) for hit in found.hits] for kind, found in zip(related, more, strict=True)
        }
    if request.GET.get("live") != "1" and search_request.page == 1:
        logged = actions.queue_search_log(  # buffered, written after the response (search.searchlog)
            user=user,
            results=results,
            source=SearchQuery.Source.API,
            locale=search_request.locale,
            kind=",".join(search_request.kinds),
        )
        data["query_id"] = logged["key"] if logged else None
    data["server_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return _json(data)


@require_GET
@speaks_client_language
def suggest(request):
    user = authenticate(request)
    if user is None:
        return _unauthorised()
    try:
        locale = _locale(request.GET.get("locale", ""))
        size = _int(
            request.GET.get("size"), queries.SUGGEST_SIZE, 1, 20, _("size must be a whole number from 1 to 20.")
        )
    except BadRequest as exc:
        return _json({"error": str(exc)}, status=400)
    query, _truncated = analysis.clean_query(request.GET.get("q", ""))
    suggestions = queries.suggest(query, SearchPolicy.audiences(user), locale=locale, size=size)
    return _json({"query": query, "suggestions": suggestions})
