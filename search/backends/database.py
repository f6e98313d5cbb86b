"""The database backend of search: the same plan, results and facets as Elasticsearch, from SearchEntry.

Candidates come from the database's own full-text index over the entries' token columns (SQLite FTS5
with bm25, PostgreSQL to_tsvector('simple') with ts_rank; other databases: LIKE), limited to the
user's audiences and language in SQL. Then, in Python and exactly as in Elasticsearch, each candidate
must satisfy one token group's minimum_should_match - one token, recall first - (words, bigrams or stems
of the query or of one of its alternatives) in one field; scores are multiplied by the stored rank_boost; the user's
filters (kind, facet, tags, channels) are applied after the facet counts, like Elasticsearch's post_filter.
Known limits: ranking uses the database's bm25/ts_rank rather than Elasticsearch's BM25, and only the
best CANDIDATES matches are considered (enough for a help centre; the engine of record is Elasticsearch).
"""

import re
import time
from collections import Counter

from django.db import connection

from search.backends.base import BaseSearchBackend, Facet, SearchHit, SearchResults, decorate, kind_facets
from search.models import SearchEntry
from search.plan import COVERAGE_BOOST, COVERAGE_MSM, FIELDS, MSM, PHRASE_BOOST, STREAM_BOOST, dedupe, required

CANDIDATES = 400
# The coverage clause's bonus (search.plan.COVERAGE_MSM) as a share of the score, like the title bonus below.
COVERAGE_FACTOR = 0.2
TOKEN_RE = re.compile(r"^[^\W_]+$")
# bm25 column weights: title, body, notes (notes only count for agents)
COLUMN_WEIGHTS = {name.split("_")[0]: boost for name, boost in FIELDS["words"]}


def _tokens(plan):
    tokens = []
    for alt in plan.alternatives:
        tokens.extend(t for t in alt.analysed.all_tokens if TOKEN_RE.match(t))
    return dedupe(tokens)


def _candidates(plan, request):
    """[(entry, raw score)] from the database's full-text index, best first."""
    tokens = _tokens(plan)
    if not tokens:
        return []
    audiences = sorted(request.audiences)
    vendor = connection.vendor
    columns = ["title", "body", "notes"] if request.with_notes else ["title", "body"]
    if vendor == "sqlite":
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        scope = "{" + " ".join(f"{c}_tokens" for c in columns) + "}"
        weights = ", ".join(str(COLUMN_WEIGHTS[c]) for c in ("title", "body", "notes"))
        sql = (
            f"SELECT e.*, -bm25(portal_search_fts, {weights}) AS fts_rank "  # noqa: S608 - constants only
            "FROM portal_search_fts JOIN portal_search_searchentry e ON e.id = portal_search_fts.rowid "
            f"WHERE portal_search_fts MATCH %s AND e.audience IN ({', '.join(['%s'] * len(audiences))})"
        )
        params = [f"{scope}: ({match})", *audiences]
        if request.locale:
            sql += " AND e.locale = %s"
            params.append(request.locale)
        sql += " ORDER BY fts_rank DESC LIMIT %s"
        params.append(CANDIDATES)
    elif vendor == "postgresql":
        tsquery = " | ".join(f"'{t}'" for t in tokens)  # tokens are letters and digits only (TOKEN_RE)
        vector = (
            "setweight(to_tsvector('simple', e.title_tokens), 'A')"
            " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
        )
        where = "to_tsvector('simple', e.title_tokens || ' ' || e.body_tokens) @@ q"
        if request.with_notes:
            vector += " || setweight(to_tsvector('simple', e.notes_tokens), 'D')"
            where = f"({where} OR to_tsvector('simple', e.notes_tokens) @@ q)"
        sql = (
            f"SELECT e.*, ts_rank('{{0.15, 0.3, 0.5, 1.0}}', {vector}, q) AS fts_rank "  # noqa: S608 - constants only
            "FROM portal_search_searchentry e, to_tsquery('simple', %s) q "
            f"WHERE {where} AND e.audience = ANY(%s)"
        )
        params = [tsquery, audiences]
        if request.locale:
            sql += " AND e.locale = %s"
            params.append(request.locale)
        sql += " ORDER BY fts_rank DESC LIMIT %s"
        params.append(CANDIDATES)
    else:
        return _candidates_like(tokens, request)
    return [(entry, float(entry.fts_rank or 0.0)) for entry in SearchEntry.objects.raw(sql, params)]


def _candidates_like(tokens, request):
    from django.db.models import Q

    condition = Q()
    for token in tokens[:30]:
        condition |= Q(title_tokens__contains=token) | Q(body_tokens__contains=token)
    entries = SearchEntry.objects.filter(condition, audience__in=request.audiences)
    if request.locale:
        entries = entries.filter(locale=request.locale)
    return [(entry, 1.0) for entry in entries[:CANDIDATES]]


def _fields(entry, with_notes):
    fields = {"title": set(entry.title_tokens.split()), "body": set(entry.body_tokens.split())}
    if with_notes:
        fields["notes"] = set(entry.notes_tokens.split())
    return fields


def _has_run(haystack, needle):
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _score(entry, plan, request):
    """Elasticsearch's clause logic on one entry: (matches, score multiplier)."""
    fields = _fields(entry, request.with_notes)
    matched = False
    multiplier = 1.0
    for alt in plan.alternatives:
        for stream in ("words", "bigrams", "stems"):
            tokens = set(getattr(alt.analysed, stream))
            if not tokens:
                continue
            need = required(len(tokens), MSM[stream])
            covered = required(len(tokens), COVERAGE_MSM[stream]) if alt.source == "query" and len(tokens) > 1 else 0
            if covered and any(len(tokens & in_field) >= covered for in_field in fields.values()):
                multiplier += COVERAGE_FACTOR * COVERAGE_BOOST * STREAM_BOOST[stream]
            for name, tokens_in_field in fields.items():
                hits = len(tokens & tokens_in_field)
                if hits >= need:
                    matched = True
                    if name == "title":
                        multiplier += 0.25 * alt.weight * STREAM_BOOST[stream] * hits / len(tokens)
        for stream in ("words", "stems"):
            tokens = getattr(alt.analysed, stream)
            if len(tokens) > 1 and _has_run(entry.title_tokens.split(), list(tokens)):
                multiplier += 0.15 * alt.weight * PHRASE_BOOST
    return matched, multiplier


class DatabaseBackend(BaseSearchBackend):
    name = "database"

    def search(self, plan):
        return search(plan.request, plan)

    def suggest(self, prefix, audiences, locale, size, only=None):
        return suggest(prefix, audiences, locale, size, only)

    def search_among(self, plan, pairs):
        """Hits of `plan` among the (kind, pk) `pairs` only, best first (at most a page's worth)."""
        request = plan.request
        scored = []
        for entry, rank in _candidates(plan, request):
            if (entry.kind, entry.object_pk) in pairs and not _filtered_out(entry, request):
                matched, multiplier = _score(entry, plan, request)
                if matched:
                    scored.append((rank * multiplier * (entry.rank_boost or 1.0), entry))
        scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
        return [decorate(_hit(entry, score, request), plan, 0) for score, entry in scored[: request.size]]


def _filtered_out(entry, request):
    if request.kinds and entry.kind not in request.kinds:
        return True
    if request.facet and entry.facet != request.facet:
        return True
    if request.tags and not set(request.tags) & set(entry.tags):
        return True
    return bool(request.channels and not set(request.channels) & set(entry.channels))


def _hit(entry, score, request):
    return SearchHit(
        kind=entry.kind,
        pk=entry.object_pk,
        title=entry.title,
        url=entry.url,
        locale=entry.locale,
        audience=entry.audience,
        slug=entry.slug,
        summary=entry.summary,
        notes=entry.notes if request.with_notes else "",
        facet=entry.facet,
        facet_label=entry.facet_label,
        tags=list(entry.tags),
        channels=list(entry.channels),
        accepted=entry.accepted,
        score=score,
        body=f"{entry.summary} {entry.body}",
    )


def search(request, plan):
    started = time.perf_counter()
    scored = []
    for entry, rank in _candidates(plan, request):
        matched, multiplier = _score(entry, plan, request)
        if matched:
            scored.append((rank * multiplier * (entry.rank_boost or 1.0), entry))
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))

    def keep(entry, skip=""):
        if skip != "kind" and request.kinds and entry.kind not in request.kinds:
            return False
        if skip != "facet" and request.facet and entry.facet != request.facet:
            return False
        if skip != "tags" and request.tags and not set(request.tags) & set(entry.tags):
            return False
        return not (skip != "channels" and request.channels and not set(request.channels) & set(entry.channels))

    kinds, facets, labels, tags, channels = Counter(), Counter(), {}, Counter(), Counter()
    for _score_value, entry in scored:
        if keep(entry, "kind"):
            kinds[entry.kind] += 1
        if keep(entry, "facet") and entry.facet:
            facets[entry.facet] += 1
            labels.setdefault(entry.facet, (entry.facet_label, entry.kind))
        if keep(entry, "tags"):
            tags.update(entry.tags)
        if keep(entry, "channels"):
            channels.update(entry.channels)
    selected = [(s, e) for s, e in scored if keep(e)]
    page = selected[request.offset : request.offset + request.size]
    results = SearchResults(
        query=request.query,
        total=len(selected),
        backend="database",
        did_you_mean=plan.did_you_mean,
        page=request.page,
        size=request.size,
        kinds=kind_facets(kinds),
        facets=[Facet(k, labels[k][0] or k, n, labels[k][1]) for k, n in facets.most_common(30)],
        tags=[Facet(k, k, n) for k, n in tags.most_common(30)],
        channels=[Facet(k, k, n) for k, n in channels.most_common(10)],
    )
    for position, (score, entry) in enumerate(page, start=request.offset + 1):
        hit = _hit(entry, score, request)
        results.hits.append(decorate(hit, plan, position))
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def suggest(prefix, audiences, locale, size, only=None):
    entries = SearchEntry.objects.filter(audience__in=audiences, suggest_text__contains=prefix)
    if locale:
        entries = entries.filter(locale=locale)
    if only is not None:
        from django.db.models import Q

        condition = Q(pk__in=[])
        for kind, pk in only:
            condition |= Q(kind=kind, object_pk=pk)
        entries = entries.filter(condition)
    rows = entries.order_by("-rank_boost", "title").values("title", "url", "kind", "suggest_text")[: size * 3]
    # Titles that start with what was typed first, then those that contain it.
    ranked = sorted(rows, key=lambda r: (not any(p.startswith(prefix) for p in r["suggest_text"].split(" | ")),))
    return [{"title": r["title"], "url": r["url"], "kind": r["kind"]} for r in ranked[:size]]
